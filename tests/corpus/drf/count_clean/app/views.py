from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def count_clean(request):
    rows = Member.objects.all()
    ids = [r.id for r in rows]
    return Response({"count": len(ids)})
