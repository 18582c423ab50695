from django.http import JsonResponse

from .models import Member, Room


def anon_member(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"speaker": m.id})  # expect: IDL007
