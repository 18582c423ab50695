from django.http import JsonResponse

from .models import Member


def shout(m):
    return m.nickname.upper()


RENDERERS = [shout, lambda m: m.pk]


def badge(request):
    m = Member.objects.get(nickname=request.GET["n"])
    lines = [render(m) for render in RENDERERS]
    return JsonResponse({"lines": lines})  # expect: IDL001
