from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)
    email = models.EmailField()
