from django.http import JsonResponse

from .models import Member, Room


def count_clean(request):
    rows = Member.objects.filter(owner__name="staff")
    ids = [r.id for r in rows]
    return JsonResponse({"count": len(ids)})
