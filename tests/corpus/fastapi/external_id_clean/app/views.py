import stripe
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/external_id_clean")
def external_id_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return {"charge": charge.id}
