import hashlib
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def unkeyed_md5(request):
    m = session.query(Member).filter_by(nickname="x").first()
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return JSONResponse({"avatar": key})  # expect: IDL004
