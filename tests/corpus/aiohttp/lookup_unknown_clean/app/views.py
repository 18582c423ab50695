import loaders
from aiohttp import web

from .models import Member, Room


async def lookup_unknown_clean(request):
    m = Member.get(Member.nickname == "x")
    owner = loaders.load_owner(m.id)
    return web.json_response({"owner": owner.name})
