from django.http import JsonResponse

from .models import Member


def card(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"no": m.member_no, "nick": m.nickname})  # expect: IDL001


def luck(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"lucky": m.lucky, "nick": m.nickname})
