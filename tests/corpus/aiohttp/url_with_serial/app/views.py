from aiohttp import web

from .models import Member, Room


async def url_with_serial(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"href": f"/members/{m.id}"})  # expect: IDL008
