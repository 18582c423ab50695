from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def dict_item_assign(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    data = {"nick": m.nickname}
    data["member"] = m.id
    return Response(data)  # expect: IDL001
