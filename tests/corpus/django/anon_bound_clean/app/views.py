import hashlib
import hmac
import os

KEY = os.environ["K"].encode()
from django.http import JsonResponse

from .models import Member, Room


def anon_bound_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    room = Room.objects.get(title=request.GET["t"])
    pid = hmac.new(KEY, f"{room.id}:{m.id}".encode(), hashlib.sha256).hexdigest()
    return JsonResponse({"speaker": pid})
