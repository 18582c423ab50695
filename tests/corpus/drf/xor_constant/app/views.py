from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def xor_constant(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    return Response({"ref": m.id ^ 0x5BD1E995})  # expect: IDL003
