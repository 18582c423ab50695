from aiohttp import web

from .models import Member, Room


async def public_id_clean(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"id": m.public_id, "nick": m.nickname})
