import stripe
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def external_id_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return JSONResponse({"charge": charge.id})
