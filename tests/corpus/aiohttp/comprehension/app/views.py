from aiohttp import web

from .models import Member, Room


async def comprehension(request):
    rows = Member.select()
    return web.json_response({"members": [{"id": r.id} for r in rows]})  # expect: IDL001
