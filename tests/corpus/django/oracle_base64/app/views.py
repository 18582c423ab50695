import base64
from django.http import JsonResponse

from .models import Member, Room


def oracle_base64(request):
    plain = base64.urlsafe_b64decode(request.GET["v"]).decode()
    return JsonResponse({"plain": plain})  # expect: IDL005
