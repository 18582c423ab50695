import hashlib
import hmac
import os

KEY = os.environ["K"].encode()
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/anon_bound_clean")
def anon_bound_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    room = session.scalars(select(Room).where(Room.title == "t")).first()
    pid = hmac.new(KEY, f"{room.id}:{m.id}".encode(), hashlib.sha256).hexdigest()
    return {"speaker": pid}
