from aiohttp import web

from .models import Member, Room


async def format_composite(request):
    m = Member.get(Member.nickname == "x")
    ref = "{}:{}".format(m.owner_id, m.id)
    return web.json_response({"ref": ref})  # expect: IDL002
