from .ids import public_ref
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def two_hop_helper(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    return Response({"ref": public_ref(m.id)})  # expect: IDL003
