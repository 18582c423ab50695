from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def raw_pk(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"id": m.id, "nick": m.nickname})  # expect: IDL001
