from rest_framework import generics, serializers
from rest_framework.response import Response

from .models import Attachment, Member, Post


class PostSerializer(serializers.ModelSerializer):
    labels = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ("labels",)

    def get_labels(self, obj):
        return [a.label for a in obj.attachments.all()]  # expect: IDL002


class PostList(generics.ListAPIView):
    serializer_class = PostSerializer
    queryset = Post.objects.all()


class Upload(generics.GenericAPIView):
    def post(self, request):
        m = Member.objects.get(nickname=request.data["n"])
        post = Post.objects.create()
        item = Attachment()
        item.label = f"{request.data['name']}-{m.id}"
        item.save()
        post.attachments.add(item)
        return Response({"ok": True})
