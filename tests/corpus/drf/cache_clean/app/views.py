from .cache import cache
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def cache_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    cache.set(f"member:{m.id}", m.nickname)
    return Response({"nick": m.nickname})
