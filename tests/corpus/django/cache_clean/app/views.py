from .cache import cache
from django.http import JsonResponse

from .models import Member, Room


def cache_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    cache.set(f"member:{m.id}", m.nickname)
    return JsonResponse({"nick": m.nickname})
