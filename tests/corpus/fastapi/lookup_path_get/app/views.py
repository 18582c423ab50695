from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@router.get("/members/{member_id}")
def contact(member_id: int, session: Session = Depends(get_session)):
    m = session.get(Member, member_id)
    return {"nick": m.nickname, "phone": m.phone}  # expect: IDL006
