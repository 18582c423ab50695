from .ids import sign_id
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/hmac_clean")
async def hmac_clean(v: str = ""):
    m = await Member.get(nickname="x")
    return {"pid": sign_id(m.id)}
