import loaders
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/lookup_unknown_clean")
async def lookup_unknown_clean(v: str = ""):
    m = await Member.get(nickname="x")
    owner = loaders.load_owner(m.id)
    return {"owner": owner.name}
