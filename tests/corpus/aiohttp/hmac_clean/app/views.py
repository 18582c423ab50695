from .ids import sign_id
from aiohttp import web

from .models import Member, Room


async def hmac_clean(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"pid": sign_id(m.id)})
