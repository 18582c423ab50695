from .ids import encode_id
from aiohttp import web

from .models import Member, Room


async def helper_base64(request):
    m = Member.get(Member.nickname == "x")
    token = encode_id(m.id)
    return web.json_response({"token": token})  # expect: IDL003
