from fastapi import APIRouter
from sqlmodel import Session, select

from .db import engine
from .models import Member

router = APIRouter()


@router.get("/who")
def who(nick: str):
    with Session(engine) as session:
        m = session.exec(select(Member).where(Member.nickname == nick)).first()
        return {"ref": m.id}  # expect: IDL001
