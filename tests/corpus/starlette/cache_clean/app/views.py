from .cache import cache
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def cache_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    cache.set(f"member:{m.id}", m.nickname)
    return JSONResponse({"nick": m.nickname})
