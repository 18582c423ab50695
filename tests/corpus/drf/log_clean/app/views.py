import logging

log = logging.getLogger(__name__)
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def log_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    log.info("served member %s", m.id)
    return Response({"nick": m.nickname})
