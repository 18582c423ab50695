from django.conf import settings
from django.db import models


class Note(models.Model):
    body = models.TextField()
    writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
