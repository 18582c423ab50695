from starlette.responses import JSONResponse

from .db import session
from .models import Member


async def card(request):
    m = session.query(Member).filter_by(handle=request.query_params["h"]).first()
    return JSONResponse({"card": m.card_no})  # expect: IDL001
