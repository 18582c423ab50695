import codec
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/passthrough_unknown")
async def passthrough_unknown(v: str = ""):
    m = await Member.get(nickname="x")
    token = codec.pack(m.id)
    return {"token": token}  # expect: IDL001
