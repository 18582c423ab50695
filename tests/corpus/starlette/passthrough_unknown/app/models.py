from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    nickname = Column(String(40))
    phone = Column(String(20))
    public_id = Column(String(36))
    owner_id = Column(Integer, ForeignKey("accounts.id"))


class Room(Base):
    __tablename__ = "rooms"
    id = Column(String(36), primary_key=True)
    title = Column(String(80))
