import hashlib
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/unkeyed_md5")
async def unkeyed_md5(v: str = ""):
    m = await Member.get(nickname="x")
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return {"avatar": key}  # expect: IDL004
