from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def dict_item_assign(request):
    m = session.query(Member).filter_by(nickname="x").first()
    data = {"nick": m.nickname}
    data["member"] = m.id
    return JSONResponse(data)  # expect: IDL001
