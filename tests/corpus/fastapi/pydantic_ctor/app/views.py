from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


class MemberOut(BaseModel):
    ref: int
    nick: str


@router.get("/profile")
def profile(nick: str, session: Session = Depends(get_session)):
    m = session.query(Member).filter_by(nickname=nick).one()
    return MemberOut(ref=m.id, nick=m.nickname)  # expect: IDL001
