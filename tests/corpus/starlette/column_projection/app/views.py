from starlette.responses import JSONResponse

from .db import session
from .models import Member


async def listing(request):
    rows = session.query(Member.id.label("ref"), Member.nickname).all()
    return JSONResponse([{"ref": r.ref, "nick": r.nickname} for r in rows])  # expect: IDL001
