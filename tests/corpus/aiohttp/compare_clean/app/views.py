from aiohttp import web

from .models import Member, Room


async def compare_clean(request):
    m = Member.get(Member.nickname == "x")
    first = m.id == 1
    return web.json_response({"first": first})
