from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def uuid_pk_clean(request):
    room = session.query(Room).filter_by(title="t").first()
    return JSONResponse({"room": str(room.id)})
