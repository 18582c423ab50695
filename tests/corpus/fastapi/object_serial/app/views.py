from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_session
from .models import Venue

router = APIRouter()


@router.get("/venues")
def venues(session: Session = Depends(get_session)):
    return [{"id": v.id, "title": v.title} for v in session.query(Venue).all()]  # expect: IDL009
