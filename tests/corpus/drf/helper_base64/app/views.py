from .ids import encode_id
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def helper_base64(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    token = encode_id(m.id)
    return Response({"token": token})  # expect: IDL003
