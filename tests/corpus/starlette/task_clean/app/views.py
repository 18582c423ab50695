from .tasks import send_welcome
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def task_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    send_welcome.delay(m.id)
    return JSONResponse({"ok": True})
