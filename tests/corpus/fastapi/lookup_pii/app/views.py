from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/lookup_pii")
def lookup_pii(v: str = "", session: Session = Depends(get_session)):
    key = v
    m = session.get(Member, int(key))
    return {"phone": m.phone}  # expect: IDL006
