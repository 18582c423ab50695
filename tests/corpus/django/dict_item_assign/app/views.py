from django.http import JsonResponse

from .models import Member, Room


def dict_item_assign(request):
    m = Member.objects.get(nickname=request.GET["n"])
    data = {"nick": m.nickname}
    data["member"] = m.id
    return JsonResponse(data)  # expect: IDL001
