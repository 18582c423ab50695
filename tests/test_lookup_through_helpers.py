"""IDL006 through a project's own helpers and copies of library views: a helper that queries
the records of its argument (`fetch(queryset, **kwargs)`), `super().method()`, a vendored copy
of DRF's generic view, a serpy serializer's `.data`, and a person linked into a record's
to-many relation (`album.shared_to.add(user)`). Exact codes, places and messages."""

from __future__ import annotations

from pathlib import Path

from tests.test_real_code import brief, run

MODELS = """
    from django.contrib.auth.models import AbstractUser
    from django.db import models


    class Member(AbstractUser):
        full_name = models.CharField(max_length=80)


    class Playlist(models.Model):
        title = models.CharField(max_length=40)
        owner = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="playlists")
        listeners = models.ManyToManyField(Member, related_name="shared_playlists")
    """

HELPERS = {
    "app/__init__.py": "",
    "app/models.py": MODELS,
    "app/helpers.py": """
        from django.shortcuts import get_object_or_404 as _get


        def fetch(queryset, *args, **kwargs):
            try:
                return _get(queryset, *args, **kwargs)
            except (TypeError, ValueError):
                raise LookupError("bad key")


        def with_groups(qs, user=None):
            qs = qs.prefetch_related("groups")
            return qs


        def annotated(qs, user=None):
            qs = with_groups(qs)
            return qs.extra(select={"n": "1"})
        """,
    "app/views.py": """
        from django.http import JsonResponse

        from .helpers import annotated, fetch
        from .models import Member


        def by_wrapper(request, pk):
            m = fetch(Member.objects.all(), pk=pk)
            return JsonResponse({"n": m.full_name})


        def by_annotated(request, pk):
            m = annotated(Member.objects.all(), user=request.user).get(pk=pk)
            return JsonResponse({"n": m.full_name})


        def own(request):
            m = fetch(Member, pk=request.user.pk)
            return JsonResponse({"n": m.full_name})


        def scoped(request, pk):
            m = fetch(Member.objects.all(), pk=pk, owner=request.user)
            return JsonResponse({"n": m.full_name})


        def by_name(request, name):
            m = fetch(Member, username=name)
            return JsonResponse({"n": m.full_name})
        """,
}


def test_a_helper_querying_its_argument_selects_the_caller_s_model(tmp_path: Path) -> None:
    # the helpers know no model: the caller's queryset gives it, the caller's key picks the
    # record; the requester's own key, a lookup among the requester's, or by a name: quiet
    findings = run(tmp_path, HELPERS)
    assert brief(findings) == [
        "app/views.py:9:31 IDL006 Personal field `Member.full_name` of a record selected by "
        "a client-chosen serial reaches the client (JsonResponse body)",
        "app/views.py:14:31 IDL006 Personal field `Member.full_name` of a record selected by "
        "a client-chosen serial reaches the client (JsonResponse body)",
    ]
    assert [(s.location.line, s.message) for s in findings[0].trace] == [
        (7, "client input: route parameter `pk`"),
        (8, "selects a `Member` record by this serial"),
        (9, "personal field `Member.full_name` of a record the client chose"),
        (9, "reaches the client: JsonResponse body"),
    ]


VENDORED = {
    "app/__init__.py": "",
    "app/models.py": MODELS,
    "app/base/__init__.py": "",
    "app/base/response.py": """
        from django.template.response import SimpleTemplateResponse


        class Response(SimpleTemplateResponse):
            def __init__(self, data=None, status=None):
                super().__init__(None, status=status)
                self.data = data
        """,
    "app/base/generics.py": """
        from django.shortcuts import get_object_or_404
        from django.views.generic import View


        class GenericAPIView(View):
            queryset = None
            serializer_class = None
            model = None
            lookup_field = "pk"

            def get_serializer_class(self):
                return self.serializer_class

            def get_serializer(self, instance=None, data=None, many=False):
                serializer_class = self.get_serializer_class()
                return serializer_class(instance, data=data, many=many)

            def get_queryset(self):
                if self.queryset is not None:
                    return self.queryset._clone()
                return self.model._default_manager.all()

            def get_object(self):
                lookup = self.kwargs.get(self.lookup_field, None)
                return get_object_or_404(self.get_queryset(), **{self.lookup_field: lookup})


        class ModelViewSet(GenericAPIView):
            pass
        """,
    "app/serializers.py": """
        import serpy


        class MemberSerializer(serpy.Serializer):
            username = serpy.Field()
            full_name = serpy.Field()
        """,
    "app/views.py": """
        from django.shortcuts import get_object_or_404

        from .base.generics import ModelViewSet
        from .base.response import Response
        from . import models, serializers


        class MembersViewSet(ModelViewSet):
            serializer_class = serializers.MemberSerializer
            model = models.Member

            def get_queryset(self):
                return super().get_queryset().prefetch_related("groups")

            def retrieve(self, request, *args, **kwargs):
                self.object = get_object_or_404(self.get_queryset(), **kwargs)
                serializer = self.get_serializer(self.object)
                return Response(serializer.data)


        class MeViewSet(ModelViewSet):
            serializer_class = serializers.MemberSerializer
            model = models.Member

            def retrieve(self, request, *args, **kwargs):
                me = get_object_or_404(self.get_queryset(), pk=request.user.pk)
                return Response(self.get_serializer(me).data)
        """,
}


def test_a_vendored_generic_view_answers_for_its_subclasses(tmp_path: Path) -> None:
    # `GenericAPIView` is the project's own copy of DRF's (it defines get_object,
    # get_queryset and get_serializer, and queryset, serializer_class and lookup_field):
    # `super().get_queryset()` holds the subclass's model, `self.get_serializer(obj)` is its
    # serpy serializer rendering `obj`. The requester's own record: quiet.
    findings = run(tmp_path, VENDORED)
    assert brief(findings) == [
        "app/views.py:18:25 IDL006 Personal field `Member.full_name` of a record selected by "
        "a client-chosen serial reaches the client (response body)",
    ]
    assert [(s.location.line, s.message) for s in findings[0].trace] == [
        (15, "client input: route parameter `kwargs`"),
        (16, "selects a `Member` record by this serial"),
        (18, "personal field `Member.full_name` of a record the client chose, rendered by "
             "`MemberSerializer`"),
        (18, "reaches the client: response body"),
    ]


LINKED = {
    "app/__init__.py": "",
    "app/models.py": MODELS,
    "app/views.py": """
        from rest_framework import serializers
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from .models import Member, Playlist


        class MemberBriefSerializer(serializers.ModelSerializer):
            class Meta:
                model = Member
                fields = ("username", "first_name", "last_name")


        class PlaylistSerializer(serializers.ModelSerializer):
            listeners = MemberBriefSerializer(many=True, read_only=True)

            class Meta:
                model = Playlist
                fields = ("title", "listeners")


        class SharePlaylist(APIView):
            def post(self, request):
                guest = Member.objects.get(id=request.data["guest"])
                playlist = Playlist.objects.get(id=request.data["playlist"], owner=request.user)
                playlist.listeners.add(guest)
                return Response(PlaylistSerializer(playlist).data)


        class JoinPlaylist(APIView):
            def post(self, request):
                playlist = Playlist.objects.get(id=request.data["playlist"], owner=request.user)
                playlist.listeners.add(request.user)
                return Response(PlaylistSerializer(playlist).data)
        """,
}


def test_a_person_linked_into_a_rendered_relation(tmp_path: Path) -> None:
    # the guest is chosen by serial and added to the playlist's listeners, which the
    # playlist's serializer renders with their names; adding the requester: quiet
    findings = run(tmp_path, LINKED)
    assert brief(findings) == [
        "app/views.py:27:25 IDL006 Personal field `Member.first_name` of a record selected by "
        "a client-chosen serial reaches the client (DRF Response body)",
    ]
    assert [(s.location.line, s.message) for s in findings[0].trace] == [
        (24, "client input: `request.data`"),
        (24, "selects a `Member` record by this serial"),
        (26, "linked into `Playlist.listeners`"),
        (27, "personal field `Member.first_name` of a record the client chose through "
             "`Playlist.listeners`, rendered by `PlaylistSerializer`"),
        (27, "reaches the client: DRF Response body"),
    ]
