import uuid

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import db


class Member(db.Model):
    """Every account, ordinary or open chat, has one member serial number."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    real_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(20))


class OpenChatRoom(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))


class Participant(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("open_chat_room.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    nickname: Mapped[str] = mapped_column(String(40))
    member = relationship("Member")
