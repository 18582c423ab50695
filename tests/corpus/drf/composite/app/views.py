from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def composite(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    ref = f"{m.owner_id}-{m.id}"
    return Response({"ref": ref})  # expect: IDL002
