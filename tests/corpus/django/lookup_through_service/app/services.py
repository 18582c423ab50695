from .models import Member


def find_member(key):
    return Member.objects.get(pk=key)
