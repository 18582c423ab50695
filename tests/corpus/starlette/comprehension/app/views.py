from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def comprehension(request):
    rows = session.query(Member).all()
    return JSONResponse({"members": [{"id": r.id} for r in rows]})  # expect: IDL001
