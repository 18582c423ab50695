import os

from cryptography.fernet import Fernet
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/fernet_clean")
def fernet_clean(v: str = "", session: Session = Depends(get_session)):
    m = session.scalars(select(Member).where(Member.nickname == "x")).first()
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return {"token": token}
