import loaders
from django.http import JsonResponse

from .models import Member, Room


def lookup_unknown_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    owner = loaders.load_owner(m.id)
    return JsonResponse({"owner": owner.name})
