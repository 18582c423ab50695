"""Readable tokens that carry a person's serial: JWTs built by a project's own token classes,
by djangorestframework-simplejwt and by PyJWT, and e-mails rendered from a dataclass."""

from __future__ import annotations

import textwrap
from pathlib import Path

from idlint.api import scan
from idlint.config import Config
from idlint.findings import Finding

MODELS = """
    from django.contrib.auth.models import AbstractBaseUser
    from django.db import models


    class Member(AbstractBaseUser):
        nickname = models.CharField(max_length=40)
"""


def run(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    for name, source in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    return [f for f in report.findings if not f.code.startswith("IDL9")]


def brief(findings: list[Finding]) -> list[str]:
    return [f"{f.location.path}:{f.location.line}:{f.location.column} {f.code} {f.message}"
            for f in findings]


OWN_TOKENS = {
    "club/models.py": MODELS,
    "club/conf.py": """
        class Settings:
            def __getattr__(self, name):
                return DEFAULTS[name]


        DEFAULTS = {"MEMBER_ID_FIELD": "id", "MEMBER_CLAIM": "member_id"}
        conf = Settings()
    """,
    "club/passes.py": """
        import jwt

        from .conf import conf


        class Pass:
            kind = "pass"

            def __init__(self):
                self.claims = {"kind": self.kind}

            def __setitem__(self, key, value):
                self.claims[key] = value

            def __str__(self):
                return jwt.encode(self.claims, "secret", algorithm="HS256")

            @classmethod
            def for_member(cls, member):
                key = getattr(member, conf.MEMBER_ID_FIELD)
                issued = cls()
                issued[conf.MEMBER_CLAIM] = key
                return issued


        class Remembered:
            @classmethod
            def for_member(cls, member):
                issued = super().for_member(member)
                return issued


        class LongPass(Remembered, Pass):
            kind = "long"


        class Badge:
            def __init__(self, colour):
                self.colour = colour

            def __str__(self):
                return "badge"
    """,
    "club/views.py": """
        from django.http import JsonResponse

        from .models import Member
        from .passes import Badge, LongPass, Pass


        def sign_in(request):
            member = Member.objects.get(nickname=request.POST["nickname"])
            issued = LongPass.for_member(member)
            return JsonResponse({"pass": str(issued)})


        def guest(request):
            return JsonResponse({"pass": str(Pass()), "badge": str(Badge(request.GET["c"]))})
    """,
}


def test_a_project_token_class_that_signs_its_claims_into_a_jwt(tmp_path: Path) -> None:
    # `for_member` stores the key, read by a name that says so (`conf.MEMBER_ID_FIELD`),
    # into the token through `__setitem__`; the mixin's `super().for_member()` reaches the
    # base class, and `str(token)` runs `__str__`, which signs the claims into a JWT. A token
    # built for no member and an object whose `__str__` returns none of it stay quiet.
    findings = run(tmp_path, OWN_TOKENS)
    assert brief(findings) == [
        "club/views.py:10:34 IDL003 Serial `Member.id` reaches the client (JsonResponse body) "
        "only reversibly encoded by jwt.encode() (JWT (the payload is base64, readable by "
        "anyone))",
    ]
    assert [(s.kind, s.location.path, s.location.line, s.message)
            for s in findings[0].trace] == [
        ("source", "club/passes.py", 20, "serial primary key `Member.id` is read here (type "
                                         "of `member` guessed from its name)"),
        ("call", "club/passes.py", 29, "returned by Pass.for_member()"),
        ("call", "club/views.py", 9, "returned by Remembered.for_member()"),
        ("call", "club/views.py", 10, "passed to Pass.__str__() as `self`"),
        ("transform", "club/passes.py", 16, "encoded with jwt.encode(): JWT (the payload is "
                                            "base64, readable by anyone)"),
        ("sink", "club/views.py", 10, "reaches the client: JsonResponse body"),
    ]


SIMPLEJWT = {
    "club/models.py": MODELS,
    "club/views.py": """
        from django.http import JsonResponse
        from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
        from rest_framework_simplejwt.tokens import RefreshToken

        from .models import Member


        class NamedTokenSerializer(TokenObtainPairSerializer):
            @classmethod
            def get_token(cls, user):
                token = super().get_token(user)
                token["nickname"] = user.nickname
                return token


        class QuietTokenSerializer(TokenObtainPairSerializer):
            @classmethod
            def get_token(cls, user):
                return {"nickname": user.nickname}


        def sign_in(request):
            member = Member.objects.get(nickname=request.POST["nickname"])
            refresh = RefreshToken.for_user(member)
            return JsonResponse({"refresh": str(refresh)})


        def anonymous(request):
            return JsonResponse({"refresh": str(RefreshToken())})
    """,
}


def test_simplejwt_tokens_carry_the_users_key(tmp_path: Path) -> None:
    # RefreshToken.for_user(user) and a login serializer's get_token(user) write the user's
    # key into the token's user_id claim; the login view sends what get_token returns.
    findings = run(tmp_path, SIMPLEJWT)
    assert brief(findings) == [
        "club/views.py:13:16 IDL003 Serial `Member.id` reaches the client (login response "
        "(simplejwt token)) only reversibly encoded by rest_framework_simplejwt.serializers."
        "TokenObtainPairSerializer.get_token() (simplejwt token (a JWT: the payload is base64, "
        "readable by anyone))",
        "club/views.py:25:37 IDL003 Serial `Member.id` reaches the client (JsonResponse body) "
        "only reversibly encoded by rest_framework_simplejwt.tokens.RefreshToken.for_user() "
        "(simplejwt token (a JWT: the payload is base64, readable by anyone))",
    ]
    assert [(s.kind, s.location.line, s.message) for s in findings[0].trace] == [
        ("source", 11, "serial primary key `Member.id` is read here (the key of `user`)"),
        ("transform", 11, "stored by its key: the token's user_id claim"),
        ("transform", 11, "encoded with rest_framework_simplejwt.serializers."
                          "TokenObtainPairSerializer.get_token(): simplejwt token (a JWT: the "
                          "payload is base64, readable by anyone)"),
        ("sink", 13, "reaches the client: login response (simplejwt token)"),
    ]


MAIL = {
    "club/models.py": """
        from dataclasses import dataclass

        from django.contrib.auth.models import AbstractBaseUser
        from django.core.mail import send_mail
        from django.db import models


        class Member(AbstractBaseUser):
            nickname = models.CharField(max_length=40)


        class MailQuerySet(models.QuerySet):
            def named(self, name) -> "Mail":
                return self.get(name=name)


        class Mail(models.Model):
            name = models.CharField(max_length=40)
            objects = MailQuerySet.as_manager()

            def deliver(self, *, to, fields):
                letter = Letter(self.name, fields)
                return send_mail("Hello", letter.text, "club@example.com", [to])


        @dataclass
        class Letter:
            template: str
            fields: dict

            @property
            def text(self):
                return self.template.format(**self.fields)
    """,
    "club/views.py": """
        import jwt
        from django.http import JsonResponse

        from .models import Mail, Member


        def forgot(request):
            member = Member.objects.get(nickname=request.POST["nickname"])
            token = jwt.encode({"member_id": member.id}, "secret", algorithm="HS256")
            Mail.objects.named("reset").deliver(to=member.email, fields={"token": token})
            return JsonResponse({"ok": True})


        def hello(request):
            member = Member.objects.get(nickname=request.POST["nickname"])
            token = jwt.encode({"nickname": member.nickname}, "secret", algorithm="HS256")
            Mail.objects.named("hello").deliver(to=member.email, fields={"token": token})
            return JsonResponse({"ok": True})
    """,
}


def test_a_jwt_mailed_through_a_dataclass_and_a_custom_queryset(tmp_path: Path) -> None:
    # `Mail.objects.named(...)` is annotated to return one Mail, whose `deliver` builds a
    # dataclass from the fields: its property reads them back into the e-mail. A JWT of the
    # member's key is reported; one of the nickname alone is not.
    findings = run(tmp_path, MAIL)
    assert brief(findings) == [
        "club/models.py:23:35 IDL003 Serial `Member.id` reaches the client (e-mail) only "
        "reversibly encoded by jwt.encode() (JWT (the payload is base64, readable by anyone))",
    ]
    # (the letter built in `deliver` holds what this call gave it: the trace follows it)
    assert [(s.kind, s.location.path, s.location.line) for s in findings[0].trace] == [
        ("source", "club/views.py", 9),
        ("transform", "club/views.py", 9),
        ("call", "club/views.py", 10),
        ("call", "club/models.py", 22),
        ("call", "club/models.py", 23),
        ("call", "club/models.py", 33),
        ("sink", "club/models.py", 23),
    ]
