from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@router.get("/roster")
def roster(session: Session = Depends(get_session)):
    rows = session.scalars(select(Member)).all()
    refs = list(map(lambda m: m.id, rows))
    return {"members": refs}  # expect: IDL001
