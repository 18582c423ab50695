from .ids import sign_id
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/hmac_clean")
def hmac_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    return {"pid": sign_id(m.id)}
