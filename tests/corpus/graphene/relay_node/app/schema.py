from graphene import relay
from graphene_django import DjangoObjectType

from .models import Member


class MemberNode(DjangoObjectType):
    class Meta:
        model = Member
        fields = ("id", "nickname")  # expect: IDL003
        interfaces = (relay.Node,)
