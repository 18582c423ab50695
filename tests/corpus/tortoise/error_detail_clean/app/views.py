from fastapi import HTTPException
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/error_detail_clean")
async def error_detail_clean(v: str = ""):
    m = await Member.get(nickname="x")
    raise HTTPException(status_code=409, detail=f"member {m.nickname} is busy")
    return {"ok": True}
