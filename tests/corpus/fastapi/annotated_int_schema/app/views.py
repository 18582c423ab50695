from fastapi import APIRouter

from .schemas import MemberView
from .store import load_view

router = APIRouter()


@router.get("/view")
def view(nick: str):
    v: MemberView = load_view(nick)
    return {"ref": v.id}  # expect: IDL001
