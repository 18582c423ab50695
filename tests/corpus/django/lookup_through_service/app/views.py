from django.http import JsonResponse

from .services import find_member


def contact(request):
    m = find_member(request.GET["id"])
    return JsonResponse({"phone": m.phone})  # expect: IDL006
