from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/format_composite")
async def format_composite(v: str = ""):
    m = await Member.get(nickname="x")
    ref = "{}:{}".format(m.owner_id, m.id)
    return {"ref": ref}  # expect: IDL002
