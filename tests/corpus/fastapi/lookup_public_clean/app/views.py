from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/lookup_public_clean")
def lookup_public_clean(v: str = "", session: Session = Depends(get_session)):
    key = v
    m = session.scalars(select(Member).where(Member.public_id == key)).first()
    return {"phone": m.phone}
