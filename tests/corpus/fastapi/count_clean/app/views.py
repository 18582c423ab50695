from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/count_clean")
def count_clean(v: str = "", session: Session = Depends(get_session)):
    rows = session.scalars(select(Member)).all()
    ids = [r.id for r in rows]
    return {"count": len(ids)}
