from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def xor_constant(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"ref": m.id ^ 0x5BD1E995})  # expect: IDL003
