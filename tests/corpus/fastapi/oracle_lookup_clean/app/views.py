import base64
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/oracle_lookup_clean")
def oracle_lookup_clean(v: str = "", session: Session = Depends(get_session)):
    key = base64.urlsafe_b64decode(v).decode()
    m = session.get(Member, int(key))
    return {"nick": m.nickname}
