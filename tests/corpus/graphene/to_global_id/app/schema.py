import graphene
from graphql_relay import to_global_id

from .models import Member


class Query(graphene.ObjectType):
    member_ref = graphene.String(nickname=graphene.String())

    def resolve_member_ref(root, info, nickname):
        m = Member.objects.get(nickname=nickname)
        return to_global_id("MemberNode", m.id)  # expect: IDL003
