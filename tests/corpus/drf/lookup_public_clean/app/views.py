from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def lookup_public_clean(request):
    key = request.query_params["v"]
    m = Member.objects.get(public_id=key)
    return Response({"phone": m.phone})
