from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def lookup_public_clean(request):
    key = request.query_params["v"]
    m = session.query(Member).filter_by(public_id=key).first()
    return JSONResponse({"phone": m.phone})
