from django.core.signing import BadSignature, Signer
from django.http import JsonResponse


def check(request):
    try:
        value = Signer().unsign(request.GET["token"])
    except BadSignature:
        return JsonResponse({"valid": False})
    return JsonResponse({"valid": True, "value": value})
