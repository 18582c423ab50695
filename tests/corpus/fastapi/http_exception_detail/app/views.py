from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@router.post("/join")
def join(nick: str, session: Session = Depends(get_session)):
    m = session.query(Member).filter_by(nickname=nick).one()
    if m.owner_id:
        raise HTTPException(409, detail=f"member {m.id} already joined")  # expect: IDL001
    return {"ok": True}
