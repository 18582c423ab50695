from .ids import encode_id
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def helper_base64(request):
    m = session.query(Member).filter_by(nickname="x").first()
    token = encode_id(m.id)
    return JSONResponse({"token": token})  # expect: IDL003
