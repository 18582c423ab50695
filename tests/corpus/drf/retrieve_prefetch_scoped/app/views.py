from django.db.models import Prefetch
from rest_framework import generics, serializers

from .models import Member, Note


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["nickname", "phone"]


class MemberWithMyNotes(generics.RetrieveAPIView):
    # The requester narrows the notes prefetched with each member, not the members: any
    # member's phone is one key away.
    serializer_class = ContactSerializer

    def get_queryset(self):
        mine = Prefetch("notes", queryset=Note.objects.filter(author=self.request.user))
        return Member.objects.prefetch_related(mine)  # expect: IDL006


class MyContacts(generics.RetrieveAPIView):
    serializer_class = ContactSerializer

    def get_queryset(self):
        return Member.objects.filter(notes__author=self.request.user)
