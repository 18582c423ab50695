from .tasks import send_welcome
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/task_id_clean")
def task_id_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    job = send_welcome.delay(m.nickname)
    return {"job": job.id}
