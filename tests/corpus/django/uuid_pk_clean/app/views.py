from django.http import JsonResponse

from .models import Member, Room


def uuid_pk_clean(request):
    room = Room.objects.get(title=request.GET["t"])
    return JsonResponse({"room": str(room.id)})
