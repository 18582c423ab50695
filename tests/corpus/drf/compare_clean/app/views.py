from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def compare_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    first = m.id == 1
    return Response({"first": first})
