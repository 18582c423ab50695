from django.conf import settings
from django.db import models


class Booking(models.Model):
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    phone = models.CharField(max_length=20)

    def held_by(self, user):
        return self.holder_id == user.id
