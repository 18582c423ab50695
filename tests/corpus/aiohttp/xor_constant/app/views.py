from aiohttp import web

from .models import Member, Room


async def xor_constant(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"ref": m.id ^ 0x5BD1E995})  # expect: IDL003
