import hashlib
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/unkeyed_md5")
def unkeyed_md5(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return {"avatar": key}  # expect: IDL004
