import graphene

from .models import Member


class MemberType(graphene.ObjectType):
    ref = graphene.Int()
    nickname = graphene.String()


class Query(graphene.ObjectType):
    member = graphene.Field(MemberType, nickname=graphene.String())

    def resolve_member(root, info, nickname):
        m = Member.objects.get(nickname=nickname)
        return MemberType(ref=m.id, nickname=m.nickname)  # expect: IDL001
