from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/lookup_pii")
async def lookup_pii(v: str = ""):
    key = v
    m = await Member.get(id=int(key))
    return {"phone": m.phone}  # expect: IDL006
