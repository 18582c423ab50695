from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    email = models.EmailField()


class Attachment(models.Model):
    label = models.CharField(max_length=80)


class Post(models.Model):
    attachments = models.ManyToManyField(Attachment)
