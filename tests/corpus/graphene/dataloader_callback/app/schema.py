import graphene
from graphql_relay import to_global_id

from .loaders import CrewByNicknameLoader


class Query(graphene.ObjectType):
    captain_ref = graphene.String(nickname=graphene.String())
    crew_size = graphene.Int(nickname=graphene.String())

    def resolve_captain_ref(root, info, nickname):
        def first_of(crew):
            if not crew:
                return None
            captain = crew[0]

            def encode(_again):
                return to_global_id("MemberNode", captain.id)

            return CrewByNicknameLoader(info.context).load(nickname).then(encode)

        return CrewByNicknameLoader(info.context).load(nickname).then(first_of)  # expect: IDL003

    def resolve_crew_size(root, info, nickname):
        def count(crew):
            return len([c.id for c in crew])

        return CrewByNicknameLoader(info.context).load(nickname).then(count)
