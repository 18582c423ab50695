from .tasks import send_welcome
from django.http import JsonResponse

from .models import Member, Room


def task_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    send_welcome.delay(m.id)
    return JsonResponse({"ok": True})
