from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@router.get("/members/{member_id}/contact")
def contact(member_id: int, session: Session = Depends(get_session)):
    m = session.execute(select(Member).where(Member.id == member_id)).scalar_one()
    return {"phone": m.phone}  # expect: IDL006
