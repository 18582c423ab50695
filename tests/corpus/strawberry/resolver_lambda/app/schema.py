import strawberry
import strawberry_django

from .ids import wrap
from .models import Member


@strawberry_django.type(Member)
class MemberNode:
    key: str = strawberry_django.field(resolver=lambda node: wrap(node.pk))  # expect: IDL003
    shout: str = strawberry_django.field(resolver=lambda self: self.nickname.upper())
    nickname: strawberry.auto
