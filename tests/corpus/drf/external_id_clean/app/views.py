import stripe
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def external_id_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return Response({"charge": charge.id})
