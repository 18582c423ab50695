from django.http import JsonResponse

from .models import Member


def profile(request):
    m = Member.objects.get(nickname=request.GET["n"])

    def pack():
        return {"member": m.id, "nick": m.nickname}

    return JsonResponse(pack())  # expect: IDL001
