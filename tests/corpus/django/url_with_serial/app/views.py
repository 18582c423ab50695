from django.http import JsonResponse

from .models import Member, Room


def url_with_serial(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"href": f"/members/{m.id}"})  # expect: IDL008
