from django.http import JsonResponse

from .models import Note


def notes(request):
    rows = Note.objects.filter(body__icontains=request.GET["q"])
    return JsonResponse({"notes": [{"by": n.writer_id, "body": n.body} for n in rows]})  # expect: IDL001
