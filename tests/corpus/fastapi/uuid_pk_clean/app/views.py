from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/uuid_pk_clean")
def uuid_pk_clean(v: str = "", session: Session = Depends(get_session)):
    room = session.scalars(select(Room).where(Room.title == "t")).first()
    return {"room": str(room.id)}
