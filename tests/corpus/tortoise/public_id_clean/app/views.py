from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/public_id_clean")
async def public_id_clean(v: str = ""):
    m = await Member.get(nickname="x")
    return {"id": m.public_id, "nick": m.nickname}
