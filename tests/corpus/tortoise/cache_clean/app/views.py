from .cache import cache
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/cache_clean")
async def cache_clean(v: str = ""):
    m = await Member.get(nickname="x")
    cache.set(f"member:{m.id}", m.nickname)
    return {"nick": m.nickname}
