from django.http import JsonResponse

from app import models


def whois(request):
    m = models.Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"member": m.id})  # expect: IDL001
