from .ids import public_ref
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/two_hop_helper")
async def two_hop_helper(v: str = ""):
    m = await Member.get(nickname="x")
    return {"ref": public_ref(m.id)}  # expect: IDL003
