from rest_framework import generics, serializers
from rest_framework.response import Response

from .models import Member


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["nickname", "phone"]


class ContactView(generics.RetrieveAPIView):
    queryset = Member.objects.all()
    serializer_class = ContactSerializer

    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        return Response({"phone": member.phone})  # expect: IDL006
