import hashlib
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def unkeyed_md5(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return Response({"avatar": key})  # expect: IDL004
