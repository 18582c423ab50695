import base64
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def oracle_base64(request):
    plain = base64.urlsafe_b64decode(request.query_params["v"]).decode()
    return JSONResponse({"plain": plain})  # expect: IDL005
