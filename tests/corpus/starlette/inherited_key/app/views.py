from starlette.responses import JSONResponse

from .db import session
from .models import Member


async def who(request):
    m = session.query(Member).filter_by(nickname=request.query_params["n"]).first()
    return JSONResponse({"ref": m.id})  # expect: IDL001
