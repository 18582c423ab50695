from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/compare_clean")
async def compare_clean(v: str = ""):
    m = await Member.get(nickname="x")
    first = m.id == 1
    return {"first": first}
