import stripe
from django.http import JsonResponse

from .models import Member, Room


def external_id_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return JsonResponse({"charge": charge.id})
