"""Dataflow engine behaviour through the public API: exact codes, locations, messages, traces."""

from __future__ import annotations

import textwrap
from pathlib import Path

from idlint.api import scan
from idlint.config import Config
from idlint.findings import Finding

MODELS = """
from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)


class Room(models.Model):
    id = models.UUIDField(primary_key=True)
    owner = models.ForeignKey(Member, on_delete=models.CASCADE)
"""


def run(tmp_path: Path, files: dict[str, str], select: tuple[str, ...] = ("ALL",)) -> list[Finding]:
    for name, source in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    report = scan([tmp_path], Config(root=tmp_path, select=select), jobs=1, use_cache=False)
    return [f for f in report.findings if not f.code.startswith("IDL9")]


def brief(findings: list[Finding]) -> list[str]:
    return [f"{f.location.path}:{f.location.line}:{f.location.column} {f.code}"
            for f in findings]


def test_django_implicit_pk_in_json_response(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.http import JsonResponse
            from .models import Member

            def profile(request):
                m = Member.objects.get(nickname="x")
                return JsonResponse({"id": m.id, "nick": m.nickname})
        """,
    })
    assert brief(findings) == ["app/views.py:6:32 IDL001"]
    f = findings[0]
    assert f.message == "Serial `Member.id` reaches the client (JsonResponse body) unprotected"
    assert [(s.kind, s.location.line) for s in f.trace] == [("source", 6), ("sink", 6)]
    assert f.location.end_column == 36


def test_uuid_pk_is_not_a_serial_but_its_fk_owner_is(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.http import JsonResponse
            from .models import Room

            def room(request, room_id):
                r = Room.objects.get(id=room_id)
                return JsonResponse({"room": str(r.id), "owner": r.owner_id})
        """,
    })
    assert brief(findings) == ["app/views.py:6:54 IDL001"]
    assert "`Room.owner_id`" in findings[0].message


def test_helper_in_other_module_encodes_then_route_returns(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/ids.py": """
            import base64

            def public(n):
                return base64.b64encode(str(n).encode()).decode()
        """,
        "app/api.py": """
            from flask import Flask
            from app.ids import public as pub
            from app.models import Member

            app = Flask(__name__)

            @app.get("/m")
            def m():
                member = Member.objects.first()
                token = pub(member.pk)
                return {"member": token}
        """,
    })
    assert brief(findings) == ["app/api.py:11:23 IDL003"]
    f = findings[0]
    assert [s.kind for s in f.trace] == ["source", "call", "transform", "sink"]
    assert f.trace[2].location.path == "app/ids.py"
    assert f.trace[2].location.line == 4


def test_logs_caches_queues_and_queries_are_not_sinks(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            import logging
            from django.core.cache import cache
            from django.http import JsonResponse
            from .models import Member
            from .tasks import notify

            log = logging.getLogger(__name__)

            def ok(request):
                m = Member.objects.get(nickname="x")
                log.info("member %s", m.id)
                cache.set(f"member:{m.id}", m.nickname)
                notify.delay(m.id)
                exists = Member.objects.filter(id=m.id).exists()
                return JsonResponse({"nick": m.nickname, "exists": exists})
        """,
    })
    assert findings == []


def test_hmac_with_configured_key_sanitizes_and_md5_does_not(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            import hashlib
            import hmac
            from django.conf import settings
            from django.http import JsonResponse
            from .models import Member

            def ids(request):
                m = Member.objects.get(nickname="x")
                safe = hmac.new(settings.SECRET_KEY.encode(), str(m.id).encode(),
                                hashlib.sha256).hexdigest()
                weak = hashlib.md5(str(m.id).encode()).hexdigest()
                return JsonResponse({"safe": safe, "weak": weak})
        """,
    })
    assert brief(findings) == ["app/views.py:12:48 IDL004"]
    assert "hashlib.md5()" in findings[0].message


def test_composite_identifier_and_prose(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.http import JsonResponse
            from .models import Member

            def v(request):
                a = Member.objects.get(nickname="a")
                b = Member.objects.get(nickname="b")
                return JsonResponse({
                    "pair": f"{a.id}:{b.id}",
                    "text": f"Member {a.id} joined",
                })
        """,
    })
    assert brief(findings) == ["app/views.py:8:17 IDL002", "app/views.py:9:17 IDL001"]
    assert findings[0].message.startswith("Serial `Member.id` is composed into an identifier")


def test_sqlalchemy_session_get_and_loop(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "svc.py": """
            from fastapi import APIRouter
            from sqlalchemy import ForeignKey, select
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class Order(Base):
                __tablename__ = "orders"
                id: Mapped[int] = mapped_column(primary_key=True)
                customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))

            router = APIRouter()

            @router.get("/orders")
            def orders(session):
                out = []
                for o in session.scalars(select(Order)):
                    out.append({"customer": o.customer_id})
                return out
        """,
    })
    assert brief(findings) == ["svc.py:20:12 IDL001"]
    assert "`Order.customer_id`" in findings[0].message


def test_decryption_oracle_and_lookup_returning_personal_fields(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.core import signing
            from django.http import JsonResponse
            from .models import Member

            def reveal(request):
                data = signing.loads(request.GET["token"])
                return JsonResponse({"plain": data})

            def lookup(request, member_id):
                m = Member.objects.get(pk=member_id)
                return JsonResponse({"phone": m.phone, "nick": m.nickname})

            def mine(request):
                m = Member.objects.get(pk=request.GET["id"], owner=request.user)
                return JsonResponse({"phone": m.phone})
        """,
    })
    assert brief(findings) == ["app/views.py:7:35 IDL005", "app/views.py:11:35 IDL006"]


def test_anonymous_context_pseudonym_bound_or_not(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/openchat.py": """
            import hashlib
            import hmac
            import os
            from django.http import JsonResponse
            from .models import Member

            KEY = os.environ["KEY"].encode()

            def members(request, room_id):
                m = Member.objects.get(nickname="x")
                linked = hmac.new(KEY, str(m.id).encode(), hashlib.sha256).hexdigest()
                bound = hmac.new(KEY, f"{room_id}:{m.id}".encode(), hashlib.sha256).hexdigest()
                return JsonResponse({"a": linked, "b": bound, "raw": m.id})
        """,
    })
    assert brief(findings) == ["app/openchat.py:13:31 IDL007", "app/openchat.py:13:58 IDL007"]


def test_drf_model_serializer_fields_are_reported_at_the_declaration(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/serializers.py": """
            from rest_framework import serializers
            from .models import Member

            class MemberSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Member
                    fields = ["id", "nickname"]
        """,
    })
    assert brief(findings) == ["app/serializers.py:7:19 IDL001"]


def test_unknown_calls_do_not_spread_taint(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.http import JsonResponse
            from thirdparty import lookup_name
            from .models import Member

            def v(request):
                m = Member.objects.get(nickname="a")
                return JsonResponse({"n": lookup_name(m.id), "count": len([m.id])})
        """,
    })
    assert findings == []


def test_serializer_field_declared_explicitly_is_not_the_model_fk(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/serializers.py": """
            from rest_framework import serializers
            from .models import Room

            class OwnerSerializer(serializers.Serializer):
                nickname = serializers.CharField()

            class RoomSerializer(serializers.ModelSerializer):
                owner = OwnerSerializer()

                class Meta:
                    model = Room
                    fields = ["id", "owner"]
        """,
    })
    # Room.id is a UUID and `owner` is rendered by OwnerSerializer, not as owner_id
    assert findings == []


def test_dict_key_does_not_taint_the_value_read(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": """
            from django.http import JsonResponse
            from .models import Member

            def v(request):
                m = Member.objects.get(nickname="a")
                secret = request.session.pop(f"_plain_{m.pk}", None)
                label = {"a": 1}.get(m.id)
                return JsonResponse({"secret": secret, "label": label})
        """,
    })
    assert findings == []


def test_source_root_relative_imports_resolve(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "src/project/shop/models.py": MODELS,
        "src/project/shop/views.py": """
            from django.http import JsonResponse
            from shop.models import Member

            def v(request):
                return JsonResponse({"id": Member.objects.first().id})
        """,
    })
    assert brief(findings) == ["src/project/shop/views.py:5:32 IDL001"]


def test_fingerprints_survive_unrelated_edits_above(tmp_path: Path) -> None:
    view = """
        from django.http import JsonResponse
        from .models import Member

        def profile(request):
            m = Member.objects.get(nickname="x")
            return JsonResponse({"id": m.id})
    """
    before = run(tmp_path, {"app/models.py": MODELS, "app/views.py": view})
    pad = " " * 8  # the indentation of `view`, which dedent removes
    edited = view.replace(
        "from .models import Member\n",
        f"from .models import Member\n\n{pad}VERSION = 3\n\n{pad}def other(request):\n"
        f"{pad}    o = Member.objects.get(nickname='o')\n"
        f"{pad}    return JsonResponse({{'o': o.id}})\n",
    )
    after = run(tmp_path, {"app/models.py": MODELS, "app/views.py": edited})
    assert len(before) == 1 and len(after) == 2
    moved = max(after, key=lambda f: f.location.line)  # profile() moved down
    assert moved.location.line > before[0].location.line
    assert moved.fingerprint == before[0].fingerprint
    assert len({f.fingerprint for f in after}) == 2


def test_gitignore_and_excludes_are_honoured(tmp_path: Path) -> None:
    leak = """
        from django.http import JsonResponse
        from app.models import Member

        def v(request):
            return JsonResponse({"id": Member.objects.first().id})
    """
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".gitignore").write_text("local_*.py\n")
    findings = run(tmp_path, {
        "app/models.py": MODELS,
        "app/views.py": leak,
        "app/local_views.py": leak,
        "generated/views.py": leak,
        "venv/lib/views.py": leak,
        "tests/test_views.py": leak,
    })
    assert brief(findings) == ["app/views.py:5:32 IDL001"]
