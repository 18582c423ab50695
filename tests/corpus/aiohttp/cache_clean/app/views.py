from .cache import cache
from aiohttp import web

from .models import Member, Room


async def cache_clean(request):
    m = Member.get(Member.nickname == "x")
    cache.set(f"member:{m.id}", m.nickname)
    return web.json_response({"nick": m.nickname})
