import base64

from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)

    @property
    def share_code(self):
        return base64.b32encode(str(self.id).encode()).decode()  # expect: IDL003
