import os

from itsdangerous import URLSafeSerializer
from django.http import JsonResponse

from .models import Member, Room


def oracle_signed(request):
    data = URLSafeSerializer(os.environ["K"]).loads(request.GET["v"])
    return JsonResponse({"member": data["m"]})  # expect: IDL005
