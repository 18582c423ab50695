import base64
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def oracle_lookup_clean(request):
    key = base64.urlsafe_b64decode(request.query_params["v"]).decode()
    m = Member.objects.get(pk=int(key))
    return Response({"nick": m.nickname})
