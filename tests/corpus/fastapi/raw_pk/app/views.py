from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/raw_pk")
def raw_pk(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    return {"id": m.id, "nick": m.nickname}  # expect: IDL001
