from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def lookup_pii(request):
    key = request.query_params["v"]
    m = Member.objects.get(pk=int(key))
    return Response({"phone": m.phone})  # expect: IDL006
