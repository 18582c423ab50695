from .tasks import send_welcome
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/task_id_clean")
async def task_id_clean(v: str = ""):
    m = await Member.get(nickname="x")
    job = send_welcome.delay(m.nickname)
    return {"job": job.id}
