from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/comprehension")
def comprehension(v: str = "", session: Session = Depends(get_session)):
    rows = session.scalars(select(Member)).all()
    return {"members": [{"id": r.id} for r in rows]}  # expect: IDL001
