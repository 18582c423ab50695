from .ids import public_ref
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def two_hop_helper(request):
    m = session.query(Member).filter_by(nickname="x").first()
    return JSONResponse({"ref": public_ref(m.id)})  # expect: IDL003
