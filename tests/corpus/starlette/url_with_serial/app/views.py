from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def url_with_serial(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"href": f"/members/{m.id}"})  # expect: IDL008
