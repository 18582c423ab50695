import logging

log = logging.getLogger(__name__)
from aiohttp import web

from .models import Member, Room


async def log_clean(request):
    m = Member.get(Member.nickname == "x")
    log.info("served member %s", m.id)
    return web.json_response({"nick": m.nickname})
