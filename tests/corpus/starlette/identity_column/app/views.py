from starlette.responses import JSONResponse

from .db import session
from .models import Member


async def badge(request):
    m = session.query(Member).filter_by(handle=request.query_params["h"]).first()
    return JSONResponse({"badge": m.badge_no})  # expect: IDL001
