import os

from itsdangerous import URLSafeSerializer
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def oracle_signed(request):
    data = URLSafeSerializer(os.environ["K"]).loads(request.query_params["v"])
    return Response({"member": data["m"]})  # expect: IDL005
