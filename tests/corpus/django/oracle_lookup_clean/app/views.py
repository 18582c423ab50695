import base64
from django.http import JsonResponse

from .models import Member, Room


def oracle_lookup_clean(request):
    key = base64.urlsafe_b64decode(request.GET["v"]).decode()
    m = Member.objects.get(pk=int(key))
    return JsonResponse({"nick": m.nickname})
