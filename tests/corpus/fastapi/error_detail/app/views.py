from fastapi import HTTPException
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/error_detail")
def error_detail(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    raise HTTPException(status_code=409, detail=f"member {m.id} is busy")  # expect: IDL001
    return {"ok": True}
