from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/prose")
async def prose(v: str = ""):
    m = await Member.get(nickname="x")
    return {"status": f"Member {m.id} joined"}  # expect: IDL001
