from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@router.get("/digits")
def digits(nick: str, session: Session = Depends(get_session)):
    m = session.query(Member).filter_by(nickname=nick).one()
    return {"digits": len(str(m.id))}
