import base64
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/oracle_base64")
def oracle_base64(v: str = "", session: Session = Depends(get_session)):
    plain = base64.urlsafe_b64decode(v).decode()
    return {"plain": plain}  # expect: IDL005
