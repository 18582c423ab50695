from django.core.signing import Signer
from django.http import JsonResponse

from .models import Member


def share(request, nick):
    m = Member.objects.get(nickname=nick)
    signer = Signer()
    signed = signer.sign(f"/members/{m.nickname}/{m.pk}")
    return JsonResponse({"sig": signed.split(signer.sep)[-1]})
