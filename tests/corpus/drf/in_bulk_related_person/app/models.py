from django.conf import settings
from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)


class Parcel(models.Model):
    weight = models.IntegerField()
    recipient = models.ForeignKey(Member, on_delete=models.CASCADE)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
