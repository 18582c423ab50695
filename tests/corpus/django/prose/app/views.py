from django.http import JsonResponse

from .models import Member, Room


def prose(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"status": f"Member {m.id} joined"})  # expect: IDL001
