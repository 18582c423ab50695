from sqlmodel import Field, SQLModel


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nickname: str
    phone: str
