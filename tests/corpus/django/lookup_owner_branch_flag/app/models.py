from django.conf import settings
from django.db import models


class Contact(models.Model):
    phone = models.CharField(max_length=20)


class Folder(models.Model):
    keeper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class Card(models.Model):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE)
