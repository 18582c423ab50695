from django.contrib.auth import get_user_model
from django.http import JsonResponse

User = get_user_model()


def lookup(request):
    user = User.objects.get(username=request.GET["u"])
    return JsonResponse({"uid": user.id})  # expect: IDL001
