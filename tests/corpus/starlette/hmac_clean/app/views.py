from .ids import sign_id
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def hmac_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"pid": sign_id(m.id)})
