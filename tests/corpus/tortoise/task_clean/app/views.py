from .tasks import send_welcome
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/task_clean")
async def task_clean(v: str = ""):
    m = await Member.get(nickname="x")
    send_welcome.delay(m.id)
    return {"ok": True}
