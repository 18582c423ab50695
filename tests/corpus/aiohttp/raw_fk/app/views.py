from aiohttp import web

from .models import Member, Room


async def raw_fk(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"owner": m.owner_id})  # expect: IDL001
