import logging

log = logging.getLogger(__name__)
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/log_clean")
async def log_clean(v: str = ""):
    m = await Member.get(nickname="x")
    log.info("served member %s", m.id)
    return {"nick": m.nickname}
