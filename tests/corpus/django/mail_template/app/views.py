from django.core.mail import send_mail
from django.http import JsonResponse
from django.template.loader import render_to_string

from .models import Member


def invite(request):
    m = Member.objects.get(nickname=request.POST["n"])
    body = render_to_string("invite.txt", {"member_no": m.id})  # expect: IDL001
    send_mail("Your invitation", body, "club@example.org", [m.email])
    return JsonResponse({"sent": True})
