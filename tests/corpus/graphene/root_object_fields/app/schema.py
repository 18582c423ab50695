from dataclasses import dataclass

import graphene

from .models import Member


@dataclass
class CardRow:
    nickname: str
    holder_id: int
    ref: int | None = None


class Card(graphene.ObjectType):
    nickname = graphene.String()
    ref = graphene.Int()
    phone = graphene.String()

    @staticmethod
    def resolve_phone(root: CardRow, info):
        return Member.objects.get(pk=root.holder_id).phone


class Query(graphene.ObjectType):
    card = graphene.Field(Card, nickname=graphene.String())
    card_with_ref = graphene.Field(Card, nickname=graphene.String())

    def resolve_card(root, info, nickname):
        m = Member.objects.get(nickname=nickname)
        return CardRow(nickname=m.nickname, holder_id=m.id)

    def resolve_card_with_ref(root, info, nickname):
        m = Member.objects.get(nickname=nickname)
        return CardRow(m.nickname, m.id, ref=m.id)  # expect: IDL001
