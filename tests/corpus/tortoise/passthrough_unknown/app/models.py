from tortoise import fields
from tortoise.models import Model


class Account(Model):
    name = fields.CharField(max_length=40)


class Member(Model):
    id = fields.IntField(pk=True)
    nickname = fields.CharField(max_length=40)
    phone = fields.CharField(max_length=20)
    public_id = fields.CharField(max_length=36, unique=True)
    owner = fields.ForeignKeyField("models.Account")


class Room(Model):
    id = fields.UUIDField(pk=True)
    title = fields.CharField(max_length=80)
