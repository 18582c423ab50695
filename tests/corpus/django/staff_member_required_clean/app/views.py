from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse

from .models import Member


@staff_member_required
def audit(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"member": m.id, "phone": m.phone})
