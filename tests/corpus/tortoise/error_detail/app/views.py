from fastapi import HTTPException
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/error_detail")
async def error_detail(v: str = ""):
    m = await Member.get(nickname="x")
    raise HTTPException(status_code=409, detail=f"member {m.id} is busy")  # expect: IDL001
    return {"ok": True}
