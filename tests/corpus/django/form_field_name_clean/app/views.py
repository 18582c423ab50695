from django.http import JsonResponse

from .models import Member


def votes(request):
    # the serial names the form field the client filled in; it is not sent back
    out = {}
    for m in Member.objects.filter(nickname__startswith=request.GET["p"]):
        out[m.nickname] = request.POST.get(f"vote_{m.pk}", "")
    return JsonResponse({"votes": out})
