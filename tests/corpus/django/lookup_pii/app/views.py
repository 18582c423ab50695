from django.http import JsonResponse

from .models import Member, Room


def lookup_pii(request):
    key = request.GET["v"]
    m = Member.objects.get(pk=int(key))
    return JsonResponse({"phone": m.phone})  # expect: IDL006
