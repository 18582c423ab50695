import base64
from aiohttp import web

from .models import Member, Room


async def oracle_base64(request):
    plain = base64.urlsafe_b64decode(request.query["v"]).decode()
    return web.json_response({"plain": plain})  # expect: IDL005
