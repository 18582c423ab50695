from .tasks import send_welcome
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def task_id_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    job = send_welcome.delay(m.nickname)
    return Response({"job": job.id})
