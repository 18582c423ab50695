import codec
from django.http import JsonResponse

from .models import Member, Room


def passthrough_unknown(request):
    m = Member.objects.get(nickname=request.GET["n"])
    token = codec.pack(m.id)
    return JsonResponse({"token": token})  # expect: IDL001
