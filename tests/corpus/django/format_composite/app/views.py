from django.http import JsonResponse

from .models import Member, Room


def format_composite(request):
    m = Member.objects.get(nickname=request.GET["n"])
    ref = "{}:{}".format(m.owner_id, m.id)
    return JsonResponse({"ref": ref})  # expect: IDL002
