from aiohttp import web

from .models import Member, Room


async def lookup_public_clean(request):
    key = request.query["v"]
    m = Member.get(Member.public_id == key)
    return web.json_response({"phone": m.phone})
