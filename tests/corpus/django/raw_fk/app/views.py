from django.http import JsonResponse

from .models import Member, Room


def raw_fk(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"owner": m.owner_id})  # expect: IDL001
