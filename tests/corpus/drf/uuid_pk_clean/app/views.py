from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def uuid_pk_clean(request):
    room = Room.objects.get(title=request.query_params["t"])
    return Response({"room": str(room.id)})
