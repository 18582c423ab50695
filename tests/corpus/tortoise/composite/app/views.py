from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/composite")
async def composite(v: str = ""):
    m = await Member.get(nickname="x")
    ref = f"{m.owner_id}-{m.id}"
    return {"ref": ref}  # expect: IDL002
