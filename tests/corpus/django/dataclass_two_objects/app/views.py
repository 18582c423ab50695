from django.http import JsonResponse

from .models import Member
from .notices import build


def member_notice(request, nick):
    m = Member.objects.get(nickname=nick)
    ref = str(m.pk)
    return JsonResponse(build("Hi", ref).payload())  # expect: IDL001


def welcome_notice(request):
    return JsonResponse(build("Hi", "welcome aboard").payload())
