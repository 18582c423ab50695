import os

from cryptography.fernet import Fernet
from django.http import JsonResponse

from .models import Member, Room


def fernet_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return JsonResponse({"token": token})
