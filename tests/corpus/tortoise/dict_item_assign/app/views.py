from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/dict_item_assign")
async def dict_item_assign(v: str = ""):
    m = await Member.get(nickname="x")
    data = {"nick": m.nickname}
    data["member"] = m.id
    return data  # expect: IDL001
