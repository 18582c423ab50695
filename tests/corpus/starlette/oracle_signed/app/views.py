import os

from itsdangerous import URLSafeSerializer
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def oracle_signed(request):
    data = URLSafeSerializer(os.environ["K"]).loads(request.query_params["v"])
    return JSONResponse({"member": data["m"]})  # expect: IDL005
