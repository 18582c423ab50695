from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def raw_fk(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"owner": m.owner_id})  # expect: IDL001
