from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/lookup_public_clean")
async def lookup_public_clean(v: str = ""):
    key = v
    m = await Member.get(public_id=key)
    return {"phone": m.phone}
