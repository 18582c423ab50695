from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def url_with_serial(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    return Response({"href": f"/members/{m.id}"})  # expect: IDL008
