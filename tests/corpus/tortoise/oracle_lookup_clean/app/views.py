import base64
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/oracle_lookup_clean")
async def oracle_lookup_clean(v: str = ""):
    key = base64.urlsafe_b64decode(v).decode()
    m = await Member.get(id=int(key))
    return {"nick": m.nickname}
