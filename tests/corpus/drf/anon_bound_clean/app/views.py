import hashlib
import hmac
import os

KEY = os.environ["K"].encode()
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def anon_bound_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    room = Room.objects.get(title=request.query_params["t"])
    pid = hmac.new(KEY, f"{room.id}:{m.id}".encode(), hashlib.sha256).hexdigest()
    return Response({"speaker": pid})
