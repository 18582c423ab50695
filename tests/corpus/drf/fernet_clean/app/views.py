import os

from cryptography.fernet import Fernet
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def fernet_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return Response({"token": token})
