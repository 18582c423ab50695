import base64
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/oracle_base64")
async def oracle_base64(v: str = ""):
    plain = base64.urlsafe_b64decode(v).decode()
    return {"plain": plain}  # expect: IDL005
