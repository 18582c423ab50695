from django.shortcuts import render

from .models import Member


def mail_page(request, context):
    return render(request, "mail.html", context)  # expect: IDL003


def welcome(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return mail_page(request, {"link": f"/join/{m.invite_code}"})


def remind(request):
    m = Member.objects.get(nickname=request.GET["n"])
    link = f"/join/again/{m.invite_code}"
    return mail_page(request, {"nickname": m.nickname, "link": link})
