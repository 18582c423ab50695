from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def anon_member(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    return Response({"speaker": m.id})  # expect: IDL007
