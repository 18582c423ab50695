from .ids import public_ref
from aiohttp import web

from .models import Member, Room


async def two_hop_helper(request):
    m = Member.get(Member.nickname == "x")
    return web.json_response({"ref": public_ref(m.id)})  # expect: IDL003
