from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/comprehension")
async def comprehension(v: str = ""):
    rows = await Member.all()
    return {"members": [{"id": r.id} for r in rows]}  # expect: IDL001
