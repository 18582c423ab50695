import os

from cryptography.fernet import Fernet
from aiohttp import web

from .models import Member, Room


async def fernet_clean(request):
    m = Member.get(Member.nickname == "x")
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return web.json_response({"token": token})
