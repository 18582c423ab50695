from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member

router = APIRouter()


@router.get("/feed")
def feed(session: Session = Depends(get_session)):
    def events():
        for m in session.query(Member).all():
            yield f"data: {m.id}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")  # expect: IDL001
