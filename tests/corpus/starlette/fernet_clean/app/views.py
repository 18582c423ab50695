import os

from cryptography.fernet import Fernet
from starlette.responses import JSONResponse

from .db import session
from .models import Member, Room


async def fernet_clean(request):
    m = session.query(Member).filter_by(nickname="x").first()
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return JSONResponse({"token": token})
