from django.conf import settings
from django.db import models


class Reading(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="readings")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   on_delete=models.CASCADE, related_name="checks")
    value = models.DecimalField(max_digits=6, decimal_places=2)
