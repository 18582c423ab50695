from aiohttp import web

from .models import Member, Room


async def count_clean(request):
    rows = Member.select()
    ids = [r.id for r in rows]
    return web.json_response({"count": len(ids)})
