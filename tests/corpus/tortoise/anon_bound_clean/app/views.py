import hashlib
import hmac
import os

KEY = os.environ["K"].encode()
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/anon_bound_clean")
async def anon_bound_clean(v: str = ""):
    m = await Member.get(nickname="x")
    room = await Room.get(title="t")
    pid = hmac.new(KEY, f"{room.id}:{m.id}".encode(), hashlib.sha256).hexdigest()
    return {"speaker": pid}
