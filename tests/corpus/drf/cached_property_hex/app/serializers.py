from rest_framework import serializers

from .models import Member


class BadgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ("nickname", "badge")
