import secrets

from django.db import connection, models


def next_member_no():
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('member_no_seq')")
        return cursor.fetchone()[0]


def lucky_number():
    return secrets.randbelow(10_000)


class Member(models.Model):
    member_no = models.IntegerField(unique=True, default=next_member_no)
    lucky = models.IntegerField(default=lucky_number)
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)
