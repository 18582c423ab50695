from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def comprehension(request):
    rows = Member.objects.all()
    return Response({"members": [{"id": r.id} for r in rows]})  # expect: IDL001
