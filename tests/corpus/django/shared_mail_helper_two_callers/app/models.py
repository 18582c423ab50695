from django.db import models
from hashids import Hashids


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    email = models.EmailField()

    @property
    def invite_code(self):
        return Hashids(salt="club").encode(self.pk)
