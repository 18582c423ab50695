from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def prose(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"status": f"Member {m.id} joined"})  # expect: IDL001
