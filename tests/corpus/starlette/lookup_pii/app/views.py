from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def lookup_pii(request):
    key = request.query_params["v"]
    m = session.query(Member).get(int(key))
    return JSONResponse({"phone": m.phone})  # expect: IDL006
