from django.http import JsonResponse

from .models import Ticket


def ticket(request):
    t = Ticket.objects.get(title=request.GET["t"])
    return JsonResponse({"ticket": t.id, "closed": t.closed})  # expect: IDL009
