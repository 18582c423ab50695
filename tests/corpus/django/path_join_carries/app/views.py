import os

from django.http import JsonResponse

from .models import Member


def avatar_path(request):
    m = Member.objects.get(nickname=request.GET["n"])
    path = os.path.join("/srv/avatars", str(m.id))
    return JsonResponse({"path": path})  # expect: IDL001
