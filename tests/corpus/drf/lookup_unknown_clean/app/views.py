import loaders
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def lookup_unknown_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    owner = loaders.load_owner(m.id)
    return Response({"owner": owner.name})
