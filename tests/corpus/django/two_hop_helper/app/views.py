from .ids import public_ref
from django.http import JsonResponse

from .models import Member, Room


def two_hop_helper(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"ref": public_ref(m.id)})  # expect: IDL003
