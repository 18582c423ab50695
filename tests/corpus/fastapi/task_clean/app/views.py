from .tasks import send_welcome
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/task_clean")
def task_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    send_welcome.delay(m.id)
    return {"ok": True}
