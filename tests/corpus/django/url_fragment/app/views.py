from django.http import JsonResponse

from .models import Member


def card(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return JsonResponse({"anchor": f"#member-{m.pk}"})  # expect: IDL008
