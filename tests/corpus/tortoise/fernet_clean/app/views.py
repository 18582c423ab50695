import os

from cryptography.fernet import Fernet
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/fernet_clean")
async def fernet_clean(v: str = ""):
    m = await Member.get(nickname="x")
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return {"token": token}
