import logging

log = logging.getLogger(__name__)
from django.http import JsonResponse

from .models import Member, Room


def log_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    log.info("served member %s", m.id)
    return JsonResponse({"nick": m.nickname})
