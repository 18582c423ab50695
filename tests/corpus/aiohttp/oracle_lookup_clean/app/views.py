import base64
from aiohttp import web

from .models import Member, Room


async def oracle_lookup_clean(request):
    key = base64.urlsafe_b64decode(request.query["v"]).decode()
    m = Member.get_by_id(int(key))
    return web.json_response({"nick": m.nickname})
