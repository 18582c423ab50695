from django.shortcuts import redirect

from .models import Member


def go(request):
    m = Member.objects.get(nickname=request.GET["n"])
    return redirect(f"/members/{m.id}/")  # expect: IDL008
