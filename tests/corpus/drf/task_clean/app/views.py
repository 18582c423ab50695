from .tasks import send_welcome
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Member, Room


@api_view(["GET"])
def task_clean(request):
    m = Member.objects.get(nickname=request.query_params["n"])
    send_welcome.delay(m.id)
    return Response({"ok": True})
