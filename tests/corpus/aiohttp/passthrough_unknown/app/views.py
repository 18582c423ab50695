import codec
from aiohttp import web

from .models import Member, Room


async def passthrough_unknown(request):
    m = Member.get(Member.nickname == "x")
    token = codec.pack(m.id)
    return web.json_response({"token": token})  # expect: IDL001
