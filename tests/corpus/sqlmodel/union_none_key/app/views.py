from fastapi import APIRouter
from sqlmodel import Session, select

from .db import engine
from .models import Member

router = APIRouter()


@router.get("/all")
def everyone():
    with Session(engine) as session:
        rows = session.exec(select(Member)).all()
        return [{"ref": m.id, "nick": m.nickname} for m in rows]  # expect: IDL001
