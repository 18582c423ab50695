from aiohttp import web

from .models import Member, Room


async def dict_item_assign(request):
    m = Member.get(Member.nickname == "x")
    data = {"nick": m.nickname}
    data["member"] = m.id
    return web.json_response(data)  # expect: IDL001
