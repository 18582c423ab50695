from aiohttp import web

from .models import Member, Room


async def raw_pk(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"id": m.id, "nick": m.nickname})  # expect: IDL001
