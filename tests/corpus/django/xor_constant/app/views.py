from django.http import JsonResponse

from .models import Member, Room


def xor_constant(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"ref": m.id ^ 0x5BD1E995})  # expect: IDL003
