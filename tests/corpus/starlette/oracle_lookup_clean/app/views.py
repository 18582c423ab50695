import base64
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def oracle_lookup_clean(request):
    key = base64.urlsafe_b64decode(request.query_params["v"]).decode()
    m = session.query(Member).get(int(key))
    return JSONResponse({"nick": m.nickname})
