from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/raw_pk")
async def raw_pk(v: str = ""):
    m = await Member.get(nickname="x")
    return {"id": m.id, "nick": m.nickname}  # expect: IDL001
