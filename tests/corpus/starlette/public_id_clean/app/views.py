from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def public_id_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"id": m.public_id, "nick": m.nickname})
