from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Stamped(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)
    created = Column(DateTime)


class Member(Stamped):
    __tablename__ = "members"
    nickname = Column(String(40))
    phone = Column(String(20))
