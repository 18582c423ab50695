from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def compare_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    first = m.id == 1
    return JSONResponse({"first": first})
