from django.http import JsonResponse
from django.views.generic import DetailView

from .models import Member


class MemberCard(DetailView):
    model = Member
    slug_field = "nickname"

    def get(self, request, *args, **kwargs):
        member = self.get_object()
        return JsonResponse({"ref": member.id})  # expect: IDL001
