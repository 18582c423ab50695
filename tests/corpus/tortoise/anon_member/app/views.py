from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/anon_member")
async def anon_member(v: str = ""):
    m = await Member.get(nickname="x")
    return {"speaker": m.id}  # expect: IDL007
