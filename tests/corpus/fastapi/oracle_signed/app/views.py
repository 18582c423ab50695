import os

from itsdangerous import URLSafeSerializer
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Room

router = APIRouter()


@router.get("/oracle_signed")
def oracle_signed(v: str = "", session: Session = Depends(get_session)):
    data = URLSafeSerializer(os.environ["K"]).loads(v)
    return {"member": data["m"]}  # expect: IDL005
