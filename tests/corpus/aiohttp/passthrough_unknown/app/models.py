import peewee

db = peewee.SqliteDatabase(None)


class Account(peewee.Model):
    name = peewee.CharField()


class Member(peewee.Model):
    nickname = peewee.CharField()
    phone = peewee.CharField()
    public_id = peewee.CharField(unique=True)
    owner = peewee.ForeignKeyField(Account)


class Room(peewee.Model):
    id = peewee.UUIDField(primary_key=True)
    title = peewee.CharField()
