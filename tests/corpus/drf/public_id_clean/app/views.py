from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def public_id_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    return Response({"id": m.public_id, "nick": m.nickname})
