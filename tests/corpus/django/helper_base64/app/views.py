from .ids import encode_id
from django.http import JsonResponse

from .models import Member, Room


def helper_base64(request):
    m = Member.objects.get(nickname=request.GET["n"])
    token = encode_id(m.id)
    return JsonResponse({"token": token})  # expect: IDL003
