from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/count_clean")
async def count_clean(v: str = ""):
    rows = await Member.all()
    ids = [r.id for r in rows]
    return {"count": len(ids)}
