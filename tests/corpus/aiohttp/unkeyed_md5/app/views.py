import hashlib
from aiohttp import web

from .models import Member, Room


async def unkeyed_md5(request):
    m = Member.get(Member.nickname == "x")
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return web.json_response({"avatar": key})  # expect: IDL004
