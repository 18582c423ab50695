from django.http import JsonResponse

from .models import Member


def card(request):
    m = Member.objects.get(nickname=request.GET["n"])

    def ref():
        return f"m-{m.id}"

    def pack():
        return {"ref": ref(), "nick": m.nickname}

    return JsonResponse(pack())  # expect: IDL002
