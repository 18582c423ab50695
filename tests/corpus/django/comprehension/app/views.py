from django.http import JsonResponse

from .models import Member, Room


def comprehension(request):
    rows = Member.objects.filter(owner__name="staff")
    return JsonResponse({"members": [{"id": r.id} for r in rows]})  # expect: IDL001
