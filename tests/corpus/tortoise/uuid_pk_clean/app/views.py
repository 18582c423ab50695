from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/uuid_pk_clean")
async def uuid_pk_clean(v: str = ""):
    room = await Room.get(title="t")
    return {"room": str(room.id)}
