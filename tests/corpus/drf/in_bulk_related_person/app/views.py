from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Parcel


class Recipients(APIView):
    def post(self, request):
        parcels = Parcel.objects.in_bulk(request.data["parcel_ids"])
        return Response([p.recipient.phone for p in parcels.values()])  # expect: IDL006


class MyRecipients(APIView):
    def post(self, request):
        mine = Parcel.objects.filter(sender=request.user)
        parcels = mine.in_bulk(request.data["parcel_ids"])
        return Response([p.recipient.phone for p in parcels.values()])


class Weights(APIView):
    def post(self, request):
        parcels = Parcel.objects.in_bulk(request.data["parcel_ids"])
        return Response([p.weight for p in parcels.values()])
