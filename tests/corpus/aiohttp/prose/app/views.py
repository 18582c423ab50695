from aiohttp import web

from .models import Member, Room


async def prose(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"status": f"Member {m.id} joined"})  # expect: IDL001
