"""Code no project code calls is still evaluated when the framework or a library calls it and
what it does reaches the client: library hooks whose result is sent, and middleware that
writes a response header. Plain `data[k] = v` into a dict does not make a function one."""

from __future__ import annotations

from pathlib import Path

from tests.test_tokens import MODELS, brief, run

HOOK = {
    "club/models.py": MODELS,
    "club/auth.py": """
        from rest_framework_simplejwt.serializers import TokenObtainPairSerializer


        class ClaimsTokenSerializer(TokenObtainPairSerializer):
            @classmethod
            def get_token(cls, user):
                token = super().get_token(user)
                token.set_exp(lifetime=None)
                return token
    """,
}


def test_a_library_hook_no_project_code_calls_is_evaluated(tmp_path: Path) -> None:
    assert brief(run(tmp_path, HOOK)) == [
        "club/auth.py:9:16 IDL003 Serial `Member.id` reaches the client (login response "
        "(simplejwt token)) only reversibly encoded by rest_framework_simplejwt.serializers."
        "TokenObtainPairSerializer.get_token() (simplejwt token (a JWT: the payload is base64, "
        "readable by anyone))",
    ]


MIDDLEWARE = {
    "club/models.py": MODELS,
    "club/middleware.py": """
        from .models import Member


        class MemberHeaderMiddleware:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                response = self.get_response(request)
                member = Member.objects.filter(nickname=request.GET.get("n")).first()
                response.headers["X-Member"] = str(member.pk)
                return response


        def tally(rows):
            counts = {}
            for row in rows:
                counts[row.pk] = row.nickname
            return counts
    """,
}


def test_a_middleware_header_write_is_evaluated(tmp_path: Path) -> None:
    assert brief(run(tmp_path, MIDDLEWARE)) == [
        "club/middleware.py:11:40 IDL001 Serial `Member.pk` reaches the client (response "
        "header) unprotected",
    ]
