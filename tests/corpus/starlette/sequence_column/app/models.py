from sqlalchemy import Column, Integer, Sequence, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Member(Base):
    __tablename__ = "members"
    handle = Column(String(36), primary_key=True)
    card_no = Column(Integer, Sequence("member_card_seq"))
    phone = Column(String(20))
