from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Member


class MemberAudit(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request):
        m = Member.objects.get(nickname=request.query_params["n"])
        return Response({"member": m.id})
