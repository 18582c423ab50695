import stripe
from aiohttp import web

from .models import Member, Room


async def external_id_clean(request):
    m = Member.get(Member.nickname == "x")
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return web.json_response({"charge": charge.id})
