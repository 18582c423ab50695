from django.http import JsonResponse

from .models import Member, Room


def public_id_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"id": m.public_id, "nick": m.nickname})
