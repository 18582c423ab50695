import logging

log = logging.getLogger(__name__)
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def log_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    log.info("served member %s", m.id)
    return JSONResponse({"nick": m.nickname})
