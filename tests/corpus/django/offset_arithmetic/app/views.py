from django.http import JsonResponse

from .models import Member


def number(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"no": 100000 + m.id})  # expect: IDL003
