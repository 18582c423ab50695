from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/xor_constant")
async def xor_constant(v: str = ""):
    m = await Member.get(nickname="x")
    return {"ref": m.id ^ 0x5BD1E995}  # expect: IDL003
