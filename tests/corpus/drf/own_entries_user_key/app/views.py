from rest_framework import serializers, viewsets

from .models import Reading


class ReadingSerializer(serializers.ModelSerializer):
    # the owner is the requester in every view below; who checked it is not
    owner = serializers.PrimaryKeyRelatedField(read_only=True)  # expect: IDL001

    class Meta:
        model = Reading
        fields = ["owner", "checked_by", "value"]  # expect: IDL001


class ReadingViewSet(viewsets.ModelViewSet):
    serializer_class = ReadingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reading.objects.none()
        return Reading.objects.filter(owner=self.request.user)
