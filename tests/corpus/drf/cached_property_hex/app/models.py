from functools import cached_property

from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)

    @cached_property
    def badge(self):
        return hex(self.id)  # expect: IDL003
