from dataclasses import dataclass
from typing import Generic, TypeVar

import graphene

from .models import Member

N = TypeVar("N")


@dataclass
class Scoped(Generic[N]):
    node: N
    scope: str


class MemberCard(graphene.ObjectType):
    ref = graphene.Int()
    nickname = graphene.String()
    scope = graphene.String()

    @staticmethod
    def resolve_ref(root: Scoped[Member], info):
        return root.node.id  # expect: IDL001

    @staticmethod
    def resolve_nickname(root: Scoped[Member], info):
        return root.node.nickname

    @staticmethod
    def resolve_scope(root: Scoped[Member], info):
        return root.scope
