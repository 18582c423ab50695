from django.http import JsonResponse
from django.views.generic import DetailView

from .models import Member


class MemberCard(DetailView):
    model = Member
    slug_field = "nickname"

    def render_to_response(self, context, **kwargs):
        return JsonResponse({"ref": self.object.id})  # expect: IDL001
