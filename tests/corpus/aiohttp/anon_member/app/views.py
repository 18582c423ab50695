from aiohttp import web

from .models import Member, Room


async def anon_member(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"speaker": m.id})  # expect: IDL007
