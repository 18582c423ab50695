from typing import Annotated

from pydantic import BaseModel, Field


class MemberView(BaseModel):
    id: Annotated[int, Field(gt=0)]
    nickname: str
    phone: str
