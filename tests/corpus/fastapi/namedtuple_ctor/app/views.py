from typing import NamedTuple

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


class Line(NamedTuple):
    member: int
    nick: str


@router.get("/lines")
def lines(session: Session = Depends(get_session)):
    rows = session.query(Member).all()
    return [Line(r.id, r.nickname) for r in rows]  # expect: IDL001
