from django.http import JsonResponse

from .models import Member


def roster(request):
    def entry(person):
        return {"ref": person.id, "nick": person.nickname}

    rows = Member.objects.filter(nickname__startswith=request.GET["p"])
    return JsonResponse({"crew": [entry(r) for r in rows]})  # expect: IDL001
