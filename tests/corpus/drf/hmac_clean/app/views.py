from .ids import sign_id
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def hmac_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    return Response({"pid": sign_id(m.id)})
