from .ids import sign_id
from django.http import JsonResponse

from .models import Member, Room


def hmac_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"pid": sign_id(m.id)})
