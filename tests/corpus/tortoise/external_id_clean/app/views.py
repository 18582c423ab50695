import stripe
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/external_id_clean")
async def external_id_clean(v: str = ""):
    m = await Member.get(nickname="x")
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return {"charge": charge.id}
