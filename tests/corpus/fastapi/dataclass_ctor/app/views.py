from dataclasses import dataclass

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@dataclass
class Card:
    owner: int
    nick: str


@router.get("/card")
def card(nick: str, session: Session = Depends(get_session)):
    m = session.query(Member).filter_by(nickname=nick).one()
    return Card(owner=m.owner_id, nick=m.nickname)  # expect: IDL001
