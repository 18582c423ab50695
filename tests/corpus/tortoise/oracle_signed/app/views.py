import os

from itsdangerous import URLSafeSerializer
from fastapi import APIRouter

from .models import Member, Room

router = APIRouter()


@router.get("/oracle_signed")
async def oracle_signed(v: str = ""):
    data = URLSafeSerializer(os.environ["K"]).loads(v)
    return {"member": data["m"]}  # expect: IDL005
