from django.http import JsonResponse

from .models import Card


def phones(request):
    cards = Card.objects.in_bulk(request.POST["ids"])
    own, foreign = [], []
    for card in cards.values():
        if card.folder.keeper == request.user:
            own.append(card.contact.phone)
        else:
            foreign.append(card.contact.phone)
    return JsonResponse({
        "own": own,
        "foreign": foreign,  # expect: IDL006
    })
