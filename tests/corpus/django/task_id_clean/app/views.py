from .tasks import send_welcome
from django.http import JsonResponse

from .models import Member, Room


def task_id_clean(request):
    m = Member.objects.get(nickname=request.GET["n"])
    job = send_welcome.delay(m.nickname)
    return JsonResponse({"job": job.id})
