from .ids import encode_id
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/helper_base64")
async def helper_base64(v: str = ""):
    m = await Member.get(nickname="x")
    token = encode_id(m.id)
    return {"token": token}  # expect: IDL003
