from aiohttp import web

from .models import Member, Room


async def lookup_pii(request):
    key = request.query["v"]
    m = Member.get_by_id(int(key))
    return web.json_response({"phone": m.phone})  # expect: IDL006
