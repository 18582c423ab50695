from sqlalchemy import Column, Identity, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Member(Base):
    __tablename__ = "members"
    handle = Column(String(36), primary_key=True)
    badge_no = Column(Integer, Identity(start=1000), unique=True)
    phone = Column(String(20))
