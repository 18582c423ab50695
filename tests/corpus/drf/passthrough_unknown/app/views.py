import codec
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def passthrough_unknown(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    token = codec.pack(m.id)
    return Response({"token": token})  # expect: IDL001
