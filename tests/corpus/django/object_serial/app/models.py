from django.db import models


class Ticket(models.Model):
    title = models.CharField(max_length=80)
    closed = models.BooleanField(default=False)
