import uuid

from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=40)


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)
    public_id = models.CharField(max_length=36, default=uuid.uuid4)
    owner = models.ForeignKey(Account, on_delete=models.CASCADE)


class Room(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    title = models.CharField(max_length=80)
