import graphene
from graphql_relay import to_global_id

from .models import Member


class Query(graphene.ObjectType):
    badge = graphene.String(nickname=graphene.String())
    handle = graphene.String(nickname=graphene.String())

    def resolve_badge(root, info, nickname):
        m = Member.objects.get(nickname=nickname)

        def stamp(_settings):
            return to_global_id("MemberNode", m.id)

        return info.context.settings_loader.load("badge").then(stamp)  # expect: IDL003

    def resolve_handle(root, info, nickname):
        m = Member.objects.get(nickname=nickname)
        pending = info.context.settings_loader.load("handle")
        return pending.then(lambda _s: to_global_id("MemberNode", m.pk))  # expect: IDL003
