from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def format_composite(request):
    m = session.query(Member).filter_by(nickname="x").first()
    ref = "{}:{}".format(m.owner_id, m.id)
    return JSONResponse({"ref": ref})  # expect: IDL002
