from django.core.mail import send_mail
from django.http import JsonResponse

from .models import Member


def welcome(request):
    m = Member.objects.get(nickname=request.POST["n"])
    note = f"Welcome, member {m.id}"  # expect: IDL001
    send_mail("Welcome", note, "club@example.org", [m.email])
    return JsonResponse({"note": note})
