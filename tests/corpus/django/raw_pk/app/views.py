from django.http import JsonResponse

from .models import Member, Room


def raw_pk(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"id": m.id, "nick": m.nickname})  # expect: IDL001
