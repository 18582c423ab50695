from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden, JsonResponse

from .models import Booking


def contact(request, booking_id):
    b = Booking.objects.get(pk=booking_id)
    if b.holder_id != request.user.id:
        raise PermissionDenied()
    return JsonResponse({"phone": b.phone})


def contact_by_method(request, booking_id):
    b = Booking.objects.get(pk=booking_id)
    if not b.held_by(request.user):
        return HttpResponseForbidden()
    return JsonResponse({"phone": b.phone})
