from django.http import JsonResponse

from .models import Member, Room


def composite(request):
    m = Member.objects.get(nickname=request.GET["n"])
    ref = f"{m.owner_id}-{m.id}"
    return JsonResponse({"ref": ref})  # expect: IDL002
