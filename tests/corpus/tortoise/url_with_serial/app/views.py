from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/url_with_serial")
async def url_with_serial(v: str = ""):
    m = await Member.get(nickname="x")
    return {"href": f"/members/{m.id}"}  # expect: IDL008
