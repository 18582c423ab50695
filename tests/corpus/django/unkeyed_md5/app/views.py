import hashlib
from django.http import JsonResponse

from .models import Member, Room


def unkeyed_md5(request):
    m = Member.objects.get(nickname=request.GET["n"])
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return JsonResponse({"avatar": key})  # expect: IDL004
