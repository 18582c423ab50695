from django.http import JsonResponse

from .models import Member, Room


def compare_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    first = m.id == 1
    return JsonResponse({"first": first})
