import codec
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def passthrough_unknown(request):
    m = session.query(Member).filter_by(nickname="x").first()
    token = codec.pack(m.id)
    return JSONResponse({"token": token})  # expect: IDL001
