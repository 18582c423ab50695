import strawberry

from .models import Member


@strawberry.type
class MemberType:
    id: int
    nickname: str


@strawberry.type
class Query:
    @strawberry.field
    def member(self, nickname: str) -> MemberType:
        m = Member.objects.get(nickname=nickname)
        return MemberType(id=m.id, nickname=m.nickname)  # expect: IDL001
