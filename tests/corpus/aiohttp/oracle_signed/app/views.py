import os

from itsdangerous import URLSafeSerializer
from aiohttp import web

from .models import Member, Room


async def oracle_signed(request):
    data = URLSafeSerializer(os.environ["K"]).loads(request.query["v"])
    return web.json_response({"member": data["m"]})  # expect: IDL005
