from rest_framework.exceptions import NotFound
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def error_detail(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    raise NotFound(detail=f"member {m.id} is busy")  # expect: IDL001
    return Response({"ok": True})
