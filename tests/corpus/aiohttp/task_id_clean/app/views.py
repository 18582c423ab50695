from .tasks import send_welcome
from aiohttp import web

from .models import Member, Room


async def task_id_clean(request):
    m = Member.get(Member.nickname == "x")
    job = send_welcome.delay(m.nickname)
    return web.json_response({"job": job.id})
