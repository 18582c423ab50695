from .cache import cache
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/cache_clean")
def cache_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    cache.set(f"member:{m.id}", m.nickname)
    return {"nick": m.nickname}
