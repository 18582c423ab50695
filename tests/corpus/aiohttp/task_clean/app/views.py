from .tasks import send_welcome
from aiohttp import web

from .models import Member, Room


async def task_clean(request):
    m = Member.get(Member.nickname == "x")
    send_welcome.delay(m.id)
    return web.json_response({"ok": True})
