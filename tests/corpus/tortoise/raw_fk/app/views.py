from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/raw_fk")
async def raw_fk(v: str = ""):
    m = await Member.get(nickname="x")
    return {"owner": m.owner_id}  # expect: IDL001
