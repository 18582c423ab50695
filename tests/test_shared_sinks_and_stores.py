"""Two callers of one helper holding a sink (the finding traces each way in), a Django
many-to-many relation, whose attribute manages the related records, and a path joined with
`os.path.join`. Exact codes, places and messages."""

from __future__ import annotations

from pathlib import Path

from tests.test_real_code import brief, run

SHARED_HELPER = {
    "app/__init__.py": "",
    "app/models.py": """
        from django.db import models
        from hashids import Hashids


        class Member(models.Model):
            nickname = models.CharField(max_length=40)

            @property
            def invite_code(self):
                return Hashids(salt="club").encode(self.pk)
        """,
    "app/views.py": """
        from django.shortcuts import render

        from .models import Member


        def mail_page(request, context):
            return render(request, "mail.html", context)


        def welcome(request):
            m = Member.objects.get(nickname=request.GET["n"])
            return mail_page(request, {"link": f"/join/{m.invite_code}"})


        def remind(request):
            m = Member.objects.get(nickname=request.GET["n"])
            link = f"/join/again/{m.invite_code}"
            return mail_page(request, {"nickname": m.nickname, "link": link})
        """,
}


def test_two_callers_of_one_helper_s_sink_are_both_traced(tmp_path: Path) -> None:
    # the same encoded serial enters `mail_page` at two calls: one finding at the sink, as
    # before, that traces the second way in too (it was dropped as the longer of the two)
    findings = run(tmp_path, SHARED_HELPER)
    assert brief(findings) == [
        "app/views.py:7:41 IDL003 Serial `Member.pk` reaches the client (template context) "
        "only reversibly encoded by hashids.Hashids.encode() (hashids/sqids (reversible "
        "with or without a salt))",
    ]
    ways = [findings[0].trace, *findings[0].more_sinks]
    assert [[(s.location.line, s.message) for s in way if s.location.path == "app/views.py"]
            for way in ways] == [
        [(12, "returned by Member.invite_code()"), (12, "placed in a URL"),
         (12, "passed to mail_page() as `context`"),
         (7, "reaches the client: template context")],
        [(17, "returned by Member.invite_code()"), (17, "placed in a URL"),
         (18, "passed to mail_page() as `context`"),
         (7, "reaches the client: template context")],
    ]


STORED = {
    "app/__init__.py": "",
    "app/models.py": """
        from django.db import models


        class Member(models.Model):
            nickname = models.CharField(max_length=40)


        class Attachment(models.Model):
            label = models.CharField(max_length=80)


        class Post(models.Model):
            attachments = models.ManyToManyField(Attachment)
        """,
    "app/views.py": """
        from rest_framework import generics, serializers
        from rest_framework.response import Response

        from .models import Attachment, Member, Post


        class PostSerializer(serializers.ModelSerializer):
            labels = serializers.SerializerMethodField()

            class Meta:
                model = Post
                fields = ("labels",)

            def get_labels(self, obj):
                return [a.label for a in obj.attachments.all()]


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
        """,
}


def test_a_many_to_many_manager_holds_the_related_records(tmp_path: Path) -> None:
    # `obj.attachments.all()` are Attachment records: the serializer reads their `label`,
    # which `Upload.post` (evaluated as its writer) stores a composed serial in
    findings = run(tmp_path, STORED)
    assert brief(findings) == [
        "app/views.py:15:17 IDL002 Serial `Member.id` is composed into an identifier that "
        "reaches the client (serializer field `labels`); composition hides nothing",
    ]
    assert [(s.location.line, s.message) for s in findings[0].trace] == [
        (28, "serial primary key `Member.id` is read here"),
        (28, "composed into an identifier with `-`"),
        (15, "reaches the client: serializer field `labels`"),
    ]


def test_the_stored_value_alone_is_quiet(tmp_path: Path) -> None:
    # the same store with a name instead of the serial: nothing to report
    files = dict(STORED)
    files["app/views.py"] = STORED["app/views.py"].replace("-{m.id}", "-{m.nickname}")
    assert brief(run(tmp_path, files)) == []


def test_a_joined_path_holds_its_parts(tmp_path: Path) -> None:
    # `os.path.join` shares its last name with an ORM query's `join`, and was taken for a
    # lookup that returns records, not its arguments
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                email = models.EmailField()
            """,
        "app/views.py": """
            import os

            from django.http import JsonResponse

            from .models import Member


            def avatar_path(request):
                m = Member.objects.get(nickname=request.GET["n"])
                path = os.path.join("/srv/avatars", str(m.id))
                return JsonResponse({"path": path})


            def exists(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"ok": os.path.exists(os.path.join("/srv", str(m.id)))})
            """,
    })
    assert brief(findings) == [
        "app/views.py:11:34 IDL001 Serial `Member.id` reaches the client (JsonResponse body) "
        "unprotected",
    ]
