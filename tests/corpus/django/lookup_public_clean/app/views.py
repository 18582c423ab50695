from django.http import JsonResponse

from .models import Member, Room


def lookup_public_clean(request):
    key = request.GET["v"]
    m = Member.objects.get(public_id=key)
    return JsonResponse({"phone": m.phone})
