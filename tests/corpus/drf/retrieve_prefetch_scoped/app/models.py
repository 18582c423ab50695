from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)


class Note(models.Model):
    member = models.ForeignKey(Member, related_name="notes", on_delete=models.CASCADE)
    author = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    text = models.TextField()
