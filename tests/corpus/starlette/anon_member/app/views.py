from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def anon_member(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"speaker": m.id})  # expect: IDL007
