"""Writes the labelled corpus: every framework shell crossed with every flow pattern.

Each case is a small, complete service (models, views, an ids helper) in its own folder.
Expected findings are marked on the reported line with `# expect: IDLnnn`; a case without
markers must stay clean. Labels follow THREAT_MODEL.md, not the engine's output. Run this
script to regenerate the folders after editing a shell or a pattern:

    python tests/corpus/generate.py
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Shell:
    """How one framework/ORM pair defines models, fetches a record and answers a request."""

    name: str
    models: str  # defines Member (serial pk, nickname, phone, public_id, owner -> Account)
    # and Room (UUID primary key)
    header: str  # imports of the views module
    route: str  # handler signature; {name} is the function name
    fetch: str  # expression that loads one Member
    fetch_room: str  # expression that loads one Room
    fetch_all: str  # expression that loads many Members
    respond: str  # wraps the response payload; {payload}
    client: str  # an expression holding a value the client chose
    fetch_by_pk: str  # loads one Member by primary key {key}
    fetch_by_public: str  # loads one Member by its random public_id {key}


DJANGO_MODELS = '''
            import uuid

            from django.db import models


            class Account(models.Model):
                name = models.CharField(max_length=40)


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                phone = models.CharField(max_length=20)
                public_id = models.CharField(max_length=36, default=uuid.uuid4)
                owner = models.ForeignKey(Account, on_delete=models.CASCADE)


            class Room(models.Model):
                id = models.UUIDField(primary_key=True, default=uuid.uuid4)
                title = models.CharField(max_length=80)
        '''

SHELLS = [
    Shell(
        "django",
        models=DJANGO_MODELS,
        header="from django.http import JsonResponse\n\nfrom .models import Member, Room\n",
        route="def {name}(request):",
        fetch='Member.objects.get(nickname=request.GET["n"])',
        fetch_room='Room.objects.get(title=request.GET["t"])',
        fetch_all="Member.objects.filter(owner__name=\"staff\")",
        respond="JsonResponse({payload})",
        client='request.GET["v"]',
        fetch_by_pk='Member.objects.get(pk={key})',
        fetch_by_public='Member.objects.get(public_id={key})',
    ),
    Shell(
        "drf",
        models=DJANGO_MODELS,
        header=("from rest_framework.decorators import api_view\n"
                "from rest_framework.response import Response\n\n"
                "from .models import Member, Room\n"),
        route='@api_view(["GET"])\ndef {name}(request):',
        fetch='Member.objects.get(nickname=request.query_params["n"])',
        fetch_room='Room.objects.get(title=request.query_params["t"])',
        fetch_all="Member.objects.all()",
        respond="Response({payload})",
        client='request.query_params["v"]',
        fetch_by_pk='Member.objects.get(pk={key})',
        fetch_by_public='Member.objects.get(public_id={key})',
    ),
    Shell(
        "flask",
        models='''
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Account(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                name = db.Column(db.String(40))


            class Member(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                nickname = db.Column(db.String(40))
                phone = db.Column(db.String(20))
                public_id = db.Column(db.String(36), unique=True)
                owner_id = db.Column(db.Integer, db.ForeignKey("account.id"))


            class Room(db.Model):
                id = db.Column(db.String(36), primary_key=True)
                title = db.Column(db.String(80))
        ''',
        header=("from flask import Blueprint, jsonify, request\n\n"
                "from .models import Member, Room\n\nbp = Blueprint(\"api\", __name__)\n"),
        route='@bp.get("/{name}")\ndef {name}():',
        fetch='Member.query.filter_by(nickname=request.args["n"]).first_or_404()',
        fetch_room='Room.query.filter_by(title=request.args["t"]).first_or_404()',
        fetch_all="Member.query.all()",
        respond="jsonify({payload})",
        client='request.args["v"]',
        fetch_by_pk='Member.query.get_or_404({key})',
        fetch_by_public='Member.query.filter_by(public_id={key}).first_or_404()',
    ),
    Shell(
        "fastapi",
        models='''
            import uuid

            from sqlalchemy import ForeignKey, String, Uuid
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Member(Base):
                __tablename__ = "members"
                id: Mapped[int] = mapped_column(primary_key=True)
                nickname: Mapped[str] = mapped_column(String(40))
                phone: Mapped[str] = mapped_column(String(20))
                public_id: Mapped[str] = mapped_column(String(36))
                owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))


            class Room(Base):
                __tablename__ = "rooms"
                id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
                title: Mapped[str] = mapped_column(String(80))
        ''',
        header=("from fastapi import APIRouter, Depends\nfrom sqlalchemy import select\n"
                "from sqlalchemy.orm import Session\n\nfrom .db import get_session\n"
                "from .models import Member, Room\n\nrouter = APIRouter()\n"),
        route='@router.get("/{name}")\ndef {name}(v: str = "", session: Session = Depends(get_session)):',
        fetch='session.scalars(select(Member).where(Member.nickname == "x")).first()',
        fetch_room='session.scalars(select(Room).where(Room.title == "t")).first()',
        fetch_all="session.scalars(select(Member)).all()",
        respond="{payload}",
        client='v',
        fetch_by_pk='session.get(Member, {key})',
        fetch_by_public='session.scalars(select(Member).where(Member.public_id == {key})).first()',
    ),
    Shell(
        "starlette",
        models='''
            from sqlalchemy import Column, ForeignKey, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Member(Base):
                __tablename__ = "members"
                id = Column(Integer, primary_key=True)
                nickname = Column(String(40))
                phone = Column(String(20))
                public_id = Column(String(36))
                owner_id = Column(Integer, ForeignKey("accounts.id"))


            class Room(Base):
                __tablename__ = "rooms"
                id = Column(String(36), primary_key=True)
                title = Column(String(80))
        ''',
        header=("from starlette.responses import JSONResponse\n\n"
                "from .db import session\nfrom .models import Member, Room\n"),
        route="async def {name}(request):",
        fetch='session.query(Member).filter_by(nickname="x").first()',
        fetch_room='session.query(Room).filter_by(title="t").first()',
        fetch_all="session.query(Member).all()",
        respond="JSONResponse({payload})",
        client='request.query_params["v"]',
        fetch_by_pk='session.query(Member).get({key})',
        fetch_by_public='session.query(Member).filter_by(public_id={key}).first()',
    ),
    Shell(
        "aiohttp",
        models='''
            import peewee

            db = peewee.SqliteDatabase(None)


            class Account(peewee.Model):
                name = peewee.CharField()


            class Member(peewee.Model):
                nickname = peewee.CharField()
                phone = peewee.CharField()
                public_id = peewee.CharField(unique=True)
                owner = peewee.ForeignKeyField(Account)


            class Room(peewee.Model):
                id = peewee.UUIDField(primary_key=True)
                title = peewee.CharField()
        ''',
        header="from aiohttp import web\n\nfrom .models import Member, Room\n",
        route="async def {name}(request):",
        fetch='Member.get(Member.nickname == "x")',
        fetch_room='Room.get(Room.title == "t")',
        fetch_all="Member.select()",
        respond="web.json_response({payload})",
        client='request.query["v"]',
        fetch_by_pk='Member.get_by_id({key})',
        fetch_by_public='Member.get(Member.public_id == {key})',
    ),
    Shell(
        "tortoise",
        models='''
            from tortoise import fields
            from tortoise.models import Model


            class Account(Model):
                name = fields.CharField(max_length=40)


            class Member(Model):
                id = fields.IntField(pk=True)
                nickname = fields.CharField(max_length=40)
                phone = fields.CharField(max_length=20)
                public_id = fields.CharField(max_length=36, unique=True)
                owner = fields.ForeignKeyField("models.Account")


            class Room(Model):
                id = fields.UUIDField(pk=True)
                title = fields.CharField(max_length=80)
        ''',
        header="from fastapi import APIRouter\n\nfrom .models import Member, Room\n\n"
               "router = APIRouter()\n",
        route='@router.get("/{name}")\nasync def {name}(v: str = ""):',
        fetch='await Member.get(nickname="x")',
        fetch_room='await Room.get(title="t")',
        fetch_all="await Member.all()",
        respond="{payload}",
        client='v',
        fetch_by_pk='await Member.get(id={key})',
        fetch_by_public='await Member.get(public_id={key})',
    ),
    Shell(
        "peewee",
        models='''
            import peewee

            db = peewee.SqliteDatabase(None)


            class Account(peewee.Model):
                name = peewee.CharField()


            class Member(peewee.Model):
                id = peewee.AutoField()
                nickname = peewee.CharField()
                phone = peewee.CharField()
                public_id = peewee.CharField(unique=True)
                owner = peewee.ForeignKeyField(Account)


            class Room(peewee.Model):
                id = peewee.UUIDField(primary_key=True)
                title = peewee.CharField()
        ''',
        header=("from flask import Flask, request\n\nfrom .models import Member, Room\n\n"
                "app = Flask(__name__)\n"),
        route='@app.route("/{name}")\ndef {name}():',
        fetch='Member.get(Member.nickname == request.args["n"])',
        fetch_room='Room.get(Room.title == request.args["t"])',
        fetch_all="Member.select()",
        respond="{payload}",
        client='request.args["v"]',
        fetch_by_pk='Member.get_by_id({key})',
        fetch_by_public='Member.get(Member.public_id == {key})',
    ),
]

IDS = '''
    import base64
    import hashlib
    import hmac
    import os

    KEY = os.environ["ID_KEY"].encode()


    def encode_id(n):
        return base64.urlsafe_b64encode(str(n).encode()).decode()


    def sign_id(n):
        return hmac.new(KEY, str(n).encode(), hashlib.sha256).hexdigest()


    def public_ref(n):
        return "ref_" + encode_id(n)
'''


@dataclass(frozen=True)
class Pattern:
    """A handler body. `{fetch}`, `{fetch_room}`, `{fetch_all}` load records; the last line
    is `return {respond}` with `{payload}`; `expect` labels the payload line."""

    name: str
    body: str  # lines before the return
    payload: str
    expect: str  # "" for a clean case
    extra_header: str = ""
    shells: tuple[str, ...] = ()  # only these framework shells (empty: all of them)


PATTERNS = [
    Pattern("raw_pk", "m = {fetch}", '{{"id": m.id, "nick": m.nickname}}', "IDL001"),
    Pattern("raw_fk", "m = {fetch}", '{{"owner": m.owner_id}}', "IDL001"),
    Pattern("helper_base64", "m = {fetch}\ntoken = encode_id(m.id)", '{{"token": token}}',
            "IDL003", "from .ids import encode_id\n"),
    Pattern("unkeyed_md5", "m = {fetch}\nkey = hashlib.md5(str(m.id).encode()).hexdigest()",
            '{{"avatar": key}}', "IDL004", "import hashlib\n"),
    Pattern("composite", "m = {fetch}\nref = f\"{{m.owner_id}}-{{m.id}}\"", '{{"ref": ref}}',
            "IDL002"),
    Pattern("prose", "m = {fetch}", '{{"status": f"Member {{m.id}} joined"}}', "IDL001"),
    Pattern("comprehension", "rows = {fetch_all}",
            '{{"members": [{{"id": r.id}} for r in rows]}}', "IDL001"),
    Pattern("xor_constant", "m = {fetch}", '{{"ref": m.id ^ 0x5BD1E995}}', "IDL003"),
    Pattern("hmac_clean", "m = {fetch}", '{{"pid": sign_id(m.id)}}', "",
            "from .ids import sign_id\n"),
    Pattern("uuid_pk_clean", "room = {fetch_room}", '{{"room": str(room.id)}}', ""),
    Pattern("log_clean", "m = {fetch}\nlog.info(\"served member %s\", m.id)",
            '{{"nick": m.nickname}}', "", "import logging\n\nlog = logging.getLogger(__name__)\n"),
    Pattern("cache_clean", "m = {fetch}\ncache.set(f\"member:{{m.id}}\", m.nickname)",
            '{{"nick": m.nickname}}', "", "from .cache import cache\n"),
    Pattern("task_clean", "m = {fetch}\nsend_welcome.delay(m.id)", '{{"ok": True}}', "",
            "from .tasks import send_welcome\n"),
    Pattern("public_id_clean", "m = {fetch}", '{{"id": m.public_id, "nick": m.nickname}}', ""),
    Pattern("count_clean", "rows = {fetch_all}\nids = [r.id for r in rows]",
            '{{"count": len(ids)}}', ""),
    Pattern("compare_clean", "m = {fetch}\nfirst = m.id == 1", '{{"first": first}}', ""),
    Pattern("two_hop_helper", "m = {fetch}", '{{"ref": public_ref(m.id)}}', "IDL003",
            "from .ids import public_ref\n"),
    Pattern("format_composite", "m = {fetch}\nref = \"{{}}:{{}}\".format(m.owner_id, m.id)",
            '{{"ref": ref}}', "IDL002"),
    Pattern("dict_item_assign", "m = {fetch}\ndata = {{\"nick\": m.nickname}}\n"
            "data[\"member\"] = m.id", "data", "IDL001"),
    Pattern("external_id_clean", "m = {fetch}\n"
            "charge = stripe.Charge.create(amount=100, description=m.nickname)",
            '{{"charge": charge.id}}', "", "import stripe\n"),
    Pattern("task_id_clean", "m = {fetch}\njob = send_welcome.delay(m.nickname)",
            '{{"job": job.id}}', "", "from .tasks import send_welcome\n"),
    Pattern("fernet_clean", "m = {fetch}\n"
            "token = Fernet(os.environ[\"KEY\"]).encrypt(str(m.id).encode()).decode()",
            '{{"token": token}}', "", "import os\n\nfrom cryptography.fernet import Fernet\n"),
]

# Request-side and context rules: decryption oracles, lookups by a client-chosen serial,
# anonymous contexts, URLs.
PATTERNS += [
    Pattern("oracle_base64", "plain = base64.urlsafe_b64decode({client}).decode()",
            '{{"plain": plain}}', "IDL005", "import base64\n"),
    Pattern("oracle_signed", "data = URLSafeSerializer(os.environ[\"K\"]).loads({client})",
            '{{"member": data["m"]}}', "IDL005",
            "import os\n\nfrom itsdangerous import URLSafeSerializer\n"),
    Pattern("oracle_lookup_clean", "key = base64.urlsafe_b64decode({client}).decode()\n"
            "m = {fetch_pk}", '{{"nick": m.nickname}}', "", "import base64\n"),
    Pattern("lookup_pii", "key = {client}\nm = {fetch_pk}", '{{"phone": m.phone}}', "IDL006"),
    Pattern("lookup_public_clean", "key = {client}\nm = {fetch_public}",
            '{{"phone": m.phone}}', ""),
    Pattern("anon_member", "m = {fetch}", '{{"speaker": m.id}}', "IDL007"),
    Pattern("anon_bound_clean", "m = {fetch}\nroom = {fetch_room}\n"
            "pid = hmac.new(KEY, f\"{{room.id}}:{{m.id}}\".encode(), hashlib.sha256).hexdigest()",
            '{{"speaker": pid}}', "",
            "import hashlib\nimport hmac\nimport os\n\nKEY = os.environ[\"K\"].encode()\n"),
    Pattern("url_with_serial", "m = {fetch}", '{{"href": f"/members/{{m.id}}"}}', "IDL008"),
]

# Callables idlint cannot see: assumed to pass the serial on, unless they look a record up.
PATTERNS += [
    Pattern("passthrough_unknown", "m = {fetch}\ntoken = codec.pack(m.id)",
            '{{"token": token}}', "IDL001", "import codec\n"),
    Pattern("lookup_unknown_clean", "m = {fetch}\nowner = loaders.load_owner(m.id)",
            '{{"owner": owner.name}}', "", "import loaders\n"),
]

# Error messages the framework sends to the client: the marker sits on the raise itself.
_ERRORS = {
    ("fastapi", "tortoise"): ("from fastapi import HTTPException\n",
                              "raise HTTPException(status_code=409, detail=f\"member {{VALUE}} "
                              "is busy\")"),
    ("drf",): ("from rest_framework.exceptions import NotFound\n",
               "raise NotFound(detail=f\"member {{VALUE}} is busy\")"),
    ("flask", "peewee"): ("from flask import abort\n",
                          "abort(409, description=f\"member {{VALUE}} is busy\")"),
}
for _shells, (_header, _raise) in _ERRORS.items():
    PATTERNS += [
        Pattern("error_detail", "m = {fetch}\n" + _raise.replace("VALUE", "m.id") + "  # expect: IDL001",
                '{{"ok": True}}', "", _header, _shells),
        Pattern("error_detail_clean", "m = {fetch}\n" + _raise.replace("VALUE", "m.nickname"),
                '{{"ok": True}}', "", _header, _shells),
    ]


# Single cases: one construct in one framework, written out as whole files. Each is a
# `<framework>/<name>/app/` folder like a crossed case; the framework folder is a shell's or
# its own (graphene, strawberry, channels, sqlmodel, marshmallow, restx).
@dataclass(frozen=True)
class Case:
    """A complete service for one construct: `files` maps a path under `app/` to its text."""

    framework: str
    name: str
    files: dict[str, str]


DJ_MEMBER = '''
    from django.db import models


    class Member(models.Model):
        nickname = models.CharField(max_length=40)
        phone = models.CharField(max_length=20)
        email = models.EmailField()
'''

SA_MEMBER = '''
    from sqlalchemy import ForeignKey, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Member(Base):
        __tablename__ = "members"
        id: Mapped[int] = mapped_column(primary_key=True)
        nickname: Mapped[str] = mapped_column(String(40))
        phone: Mapped[str] = mapped_column(String(20))
        owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
'''

FLASK_MEMBER = '''
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Member(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        nickname = db.Column(db.String(40))
        phone = db.Column(db.String(20))
        owner_id = db.Column(db.Integer, db.ForeignKey("account.id"))
'''

CASES = [
    # ---- Issue 14: how a serial moves ----
    Case("drf", "property_encoded", {
        "models.py": '''
            import base64

            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                phone = models.CharField(max_length=20)

                @property
                def share_code(self):
                    return base64.b32encode(str(self.id).encode()).decode()  # expect: IDL003
        ''',
        "serializers.py": '''
            from rest_framework import serializers

            from .models import Member


            class MemberSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Member
                    fields = ["nickname", "share_code"]
        ''',
    }),
    Case("drf", "cached_property_hex", {
        "models.py": '''
            from functools import cached_property

            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                phone = models.CharField(max_length=20)

                @cached_property
                def badge(self):
                    return hex(self.id)  # expect: IDL003
        ''',
        "serializers.py": '''
            from rest_framework import serializers

            from .models import Member


            class BadgeSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Member
                    fields = ("nickname", "badge")
        ''',
    }),
    Case("fastapi", "lambda_map", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/roster")
            def roster(session: Session = Depends(get_session)):
                rows = session.scalars(select(Member)).all()
                refs = list(map(lambda m: m.id, rows))
                return {"members": refs}  # expect: IDL001
        ''',
    }),
    Case("flask", "lambda_table", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)

            COLUMNS = {
                "ref": lambda m: m.id,
                "nick": lambda m: m.nickname,
            }


            @bp.get("/card/<nick>")
            def card(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return jsonify({key: get(m) for key, get in COLUMNS.items()})  # expect: IDL001
        ''',
    }),
    Case("flask", "picked_column", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)

            EXPORTS = {
                "number": lambda m: m.id,
                "handle": lambda m: m.nickname,
            }


            @bp.get("/export/<nick>/<column>")
            def export(nick, column):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                pick = EXPORTS.get(column)
                return jsonify({"value": pick(m)})  # expect: IDL001
        ''',
    }),
    Case("django", "renderer_list", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def shout(m):
                return m.nickname.upper()


            RENDERERS = [shout, lambda m: m.pk]


            def badge(request):
                m = Member.objects.get(nickname=request.GET["n"])
                lines = [render(m) for render in RENDERERS]
                return JsonResponse({"lines": lines})  # expect: IDL001
        ''',
    }),
    Case("flask", "stored_finder", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify, request

            from .models import Member

            bp = Blueprint("api", __name__)

            FINDERS = {"member": Member.query.filter_by}


            class Sheet:
                def __init__(self, member):
                    self.member = member

                def owner(self):
                    return self.member.owner_id


            @bp.get("/lookup/<kind>")
            def lookup(kind):
                found = FINDERS[kind](nickname=request.args["q"]).first_or_404()
                return jsonify({"number": found.id})  # expect: IDL001


            @bp.get("/sheet")
            def sheet():
                m = Member.query.filter_by(nickname=request.args["q"]).first_or_404()
                later = Sheet(m).owner
                return jsonify({"owner": later()})  # expect: IDL001
        ''',
    }),
    Case("strawberry", "resolver_lambda", {
        "models.py": DJ_MEMBER,
        "ids.py": '''
            import base64


            def wrap(pk):
                return base64.urlsafe_b64encode(str(pk).encode()).decode()
        ''',
        "schema.py": '''
            import strawberry
            import strawberry_django

            from .ids import wrap
            from .models import Member


            @strawberry_django.type(Member)
            class MemberNode:
                key: str = strawberry_django.field(resolver=lambda node: wrap(node.pk))  # expect: IDL003
                shout: str = strawberry_django.field(resolver=lambda self: self.nickname.upper())
                nickname: strawberry.auto
        ''',
    }),
    Case("flask", "callback_helper", {
        "models.py": FLASK_MEMBER,
        "ids.py": '''
            def collect(rows, pick):
                return [pick(row) for row in rows]
        ''',
        "views.py": '''
            from flask import Blueprint, jsonify

            from .ids import collect
            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/roster")
            def roster():
                rows = Member.query.all()
                return jsonify({"refs": collect(rows, lambda m: m.id)})  # expect: IDL001


            @bp.get("/names")
            def names():
                rows = Member.query.all()
                return jsonify({"names": collect(rows, lambda m: m.nickname)})
        ''',
    }),
    Case("flask", "lambda_table_clean", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)

            SUMMARY = {
                "handle": lambda m: m.nickname,
                "known": lambda m: m.owner_id is not None,
                "size": lambda m: len(m.nickname or ""),
            }


            @bp.get("/summary/<nick>")
            def summary(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                ordered = sorted(Member.query.all(), key=lambda x: x.id)
                out = {key: get(m) for key, get in SUMMARY.items()}
                out["names"] = [x.nickname for x in ordered]
                return jsonify(out)
        ''',
    }),
    Case("django", "nested_closure", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def profile(request):
                m = Member.objects.get(nickname=request.GET["n"])

                def pack():
                    return {"member": m.id, "nick": m.nickname}

                return JsonResponse(pack())  # expect: IDL001
        ''',
    }),
    Case("django", "closure_calls_sibling", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def card(request):
                m = Member.objects.get(nickname=request.GET["n"])

                def ref():
                    return f"m-{m.id}"

                def pack():
                    return {"ref": ref(), "nick": m.nickname}

                return JsonResponse(pack())  # expect: IDL002
        ''',
    }),
    Case("django", "sequence_default", {
        "models.py": '''
            import secrets

            from django.db import connection, models


            def next_member_no():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT nextval('member_no_seq')")
                    return cursor.fetchone()[0]


            def lucky_number():
                return secrets.randbelow(10_000)


            class Member(models.Model):
                member_no = models.IntegerField(unique=True, default=next_member_no)
                lucky = models.IntegerField(default=lucky_number)
                nickname = models.CharField(max_length=40)
                phone = models.CharField(max_length=20)
        ''',
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def card(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"no": m.member_no, "nick": m.nickname})  # expect: IDL001


            def luck(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"lucky": m.lucky, "nick": m.nickname})
        ''',
    }),
    Case("django", "nested_param", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def roster(request):
                def entry(person):
                    return {"ref": person.id, "nick": person.nickname}

                rows = Member.objects.filter(nickname__startswith=request.GET["p"])
                return JsonResponse({"crew": [entry(r) for r in rows]})  # expect: IDL001
        ''',
    }),
    Case("fastapi", "pydantic_ctor", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends
            from pydantic import BaseModel
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            class MemberOut(BaseModel):
                ref: int
                nick: str


            @router.get("/profile")
            def profile(nick: str, session: Session = Depends(get_session)):
                m = session.query(Member).filter_by(nickname=nick).one()
                return MemberOut(ref=m.id, nick=m.nickname)  # expect: IDL001
        ''',
    }),
    Case("fastapi", "dataclass_ctor", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from dataclasses import dataclass

            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @dataclass
            class Card:
                owner: int
                nick: str


            @router.get("/card")
            def card(nick: str, session: Session = Depends(get_session)):
                m = session.query(Member).filter_by(nickname=nick).one()
                return Card(owner=m.owner_id, nick=m.nickname)  # expect: IDL001
        ''',
    }),
    Case("fastapi", "namedtuple_ctor", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from typing import NamedTuple

            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            class Line(NamedTuple):
                member: int
                nick: str


            @router.get("/lines")
            def lines(session: Session = Depends(get_session)):
                rows = session.query(Member).all()
                return [Line(r.id, r.nickname) for r in rows]  # expect: IDL001
        ''',
    }),
    Case("flask", "builder_on_self", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)


            class ProfileBuilder:
                def __init__(self):
                    self.ref = None

                def load(self, member):
                    self.ref = member.id

                def build(self):
                    return {"ref": self.ref}


            @bp.get("/p/<nick>")
            def profile(nick):
                builder = ProfileBuilder()
                builder.load(Member.query.filter_by(nickname=nick).first_or_404())
                return jsonify(builder.build())  # expect: IDL001
        ''',
    }),
    Case("flask", "append_into_dict", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/digest")
            def digest():
                out = {"members": [], "count": 0}
                for m in Member.query.all():
                    out["members"].append(m.id)
                    out["count"] += 1
                return jsonify(out)  # expect: IDL001
        ''',
    }),
    Case("flask", "setdefault_group", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/groups")
            def groups():
                by_owner = {}
                for m in Member.query.all():
                    by_owner.setdefault(m.nickname[:1], []).append(m.id)
                return jsonify(by_owner)  # expect: IDL001
        ''',
    }),
    Case("django", "dataclass_two_objects", {
        "models.py": DJ_MEMBER,
        "notices.py": '''
            from dataclasses import dataclass


            @dataclass
            class Notice:
                title: str
                body: str

                @property
                def text(self):
                    return self.body

                def payload(self):
                    return {"title": self.title, "text": self.text}


            def build(title, body):
                return Notice(title=title, body=body)
        ''',
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member
            from .notices import build


            def member_notice(request, nick):
                m = Member.objects.get(nickname=nick)
                ref = str(m.pk)
                return JsonResponse(build("Hi", ref).payload())  # expect: IDL001


            def welcome_notice(request):
                return JsonResponse(build("Hi", "welcome aboard").payload())
        ''',
    }),
    Case("django", "signer_signature_clean", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.core.signing import Signer
            from django.http import JsonResponse

            from .models import Member


            def share(request, nick):
                m = Member.objects.get(nickname=nick)
                signer = Signer()
                signed = signer.sign(f"/members/{m.nickname}/{m.pk}")
                return JsonResponse({"sig": signed.split(signer.sep)[-1]})
        ''',
    }),
    Case("django", "get_user_model", {
        "models.py": '''
            from django.db import models


            class Note(models.Model):
                body = models.TextField()
        ''',
        "views.py": '''
            from django.contrib.auth import get_user_model
            from django.http import JsonResponse

            User = get_user_model()


            def lookup(request):
                user = User.objects.get(username=request.GET["u"])
                return JsonResponse({"uid": user.id})  # expect: IDL001
        ''',
    }),
    Case("django", "auth_user_model_fk", {
        "models.py": '''
            from django.conf import settings
            from django.db import models


            class Note(models.Model):
                body = models.TextField()
                writer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        ''',
        "views.py": '''
            from django.http import JsonResponse

            from .models import Note


            def notes(request):
                rows = Note.objects.filter(body__icontains=request.GET["q"])
                return JsonResponse({"notes": [{"by": n.writer_id, "body": n.body} for n in rows]})  # expect: IDL001
        ''',
    }),
    Case("django", "detail_view_get_object", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse
            from django.views.generic import DetailView

            from .models import Member


            class MemberCard(DetailView):
                model = Member
                slug_field = "nickname"

                def get(self, request, *args, **kwargs):
                    member = self.get_object()
                    return JsonResponse({"ref": member.id})  # expect: IDL001
        ''',
    }),
    Case("django", "detail_view_self_object", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse
            from django.views.generic import DetailView

            from .models import Member


            class MemberCard(DetailView):
                model = Member
                slug_field = "nickname"

                def render_to_response(self, context, **kwargs):
                    return JsonResponse({"ref": self.object.id})  # expect: IDL001
        ''',
    }),
    Case("django", "module_attribute_model", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from app import models


            def whois(request):
                m = models.Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"member": m.id})  # expect: IDL001
        ''',
    }),
    Case("fastapi", "len_clean", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/digits")
            def digits(nick: str, session: Session = Depends(get_session)):
                m = session.query(Member).filter_by(nickname=nick).one()
                return {"digits": len(str(m.id))}
        ''',
    }),
    # ---- Issue 14: sources ----
    Case("sqlmodel", "optional_int_key", {
        "models.py": '''
            from typing import Optional

            from sqlmodel import Field, SQLModel


            class Member(SQLModel, table=True):
                id: Optional[int] = Field(default=None, primary_key=True)
                nickname: str
                email: str
        ''',
        "views.py": '''
            from fastapi import APIRouter
            from sqlmodel import Session, select

            from .db import engine
            from .models import Member

            router = APIRouter()


            @router.get("/who")
            def who(nick: str):
                with Session(engine) as session:
                    m = session.exec(select(Member).where(Member.nickname == nick)).first()
                    return {"ref": m.id}  # expect: IDL001
        ''',
    }),
    Case("sqlmodel", "union_none_key", {
        "models.py": '''
            from sqlmodel import Field, SQLModel


            class Member(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                nickname: str
                phone: str
        ''',
        "views.py": '''
            from fastapi import APIRouter
            from sqlmodel import Session, select

            from .db import engine
            from .models import Member

            router = APIRouter()


            @router.get("/all")
            def everyone():
                with Session(engine) as session:
                    rows = session.exec(select(Member)).all()
                    return [{"ref": m.id, "nick": m.nickname} for m in rows]  # expect: IDL001
        ''',
    }),
    Case("fastapi", "annotated_int_schema", {
        "schemas.py": '''
            from typing import Annotated

            from pydantic import BaseModel, Field


            class MemberView(BaseModel):
                id: Annotated[int, Field(gt=0)]
                nickname: str
                phone: str
        ''',
        "views.py": '''
            from fastapi import APIRouter

            from .schemas import MemberView
            from .store import load_view

            router = APIRouter()


            @router.get("/view")
            def view(nick: str):
                v: MemberView = load_view(nick)
                return {"ref": v.id}  # expect: IDL001
        ''',
    }),
    Case("starlette", "inherited_key", {
        "models.py": '''
            from sqlalchemy import Column, DateTime, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Stamped(Base):
                __abstract__ = True
                id = Column(Integer, primary_key=True)
                created = Column(DateTime)


            class Member(Stamped):
                __tablename__ = "members"
                nickname = Column(String(40))
                phone = Column(String(20))
        ''',
        "views.py": '''
            from starlette.responses import JSONResponse

            from .db import session
            from .models import Member


            async def who(request):
                m = session.query(Member).filter_by(nickname=request.query_params["n"]).first()
                return JSONResponse({"ref": m.id})  # expect: IDL001
        ''',
    }),
    Case("starlette", "identity_column", {
        "models.py": '''
            from sqlalchemy import Column, Identity, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Member(Base):
                __tablename__ = "members"
                handle = Column(String(36), primary_key=True)
                badge_no = Column(Integer, Identity(start=1000), unique=True)
                phone = Column(String(20))
        ''',
        "views.py": '''
            from starlette.responses import JSONResponse

            from .db import session
            from .models import Member


            async def badge(request):
                m = session.query(Member).filter_by(handle=request.query_params["h"]).first()
                return JSONResponse({"badge": m.badge_no})  # expect: IDL001
        ''',
    }),
    Case("starlette", "sequence_column", {
        "models.py": '''
            from sqlalchemy import Column, Integer, Sequence, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Member(Base):
                __tablename__ = "members"
                handle = Column(String(36), primary_key=True)
                card_no = Column(Integer, Sequence("member_card_seq"))
                phone = Column(String(20))
        ''',
        "views.py": '''
            from starlette.responses import JSONResponse

            from .db import session
            from .models import Member


            async def card(request):
                m = session.query(Member).filter_by(handle=request.query_params["h"]).first()
                return JSONResponse({"card": m.card_no})  # expect: IDL001
        ''',
    }),
    Case("starlette", "column_projection", {
        "models.py": '''
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Member(Base):
                __tablename__ = "members"
                id = Column(Integer, primary_key=True)
                nickname = Column(String(40))
                phone = Column(String(20))
        ''',
        "views.py": '''
            from starlette.responses import JSONResponse

            from .db import session
            from .models import Member


            async def listing(request):
                rows = session.query(Member.id.label("ref"), Member.nickname).all()
                return JSONResponse([{"ref": r.ref, "nick": r.nickname} for r in rows])  # expect: IDL001
        ''',
    }),
    # ---- Issue 14: sinks and serializers ----
    Case("marshmallow", "plain_schema", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint
            from marshmallow import Schema, fields

            from .models import Member

            bp = Blueprint("api", __name__)


            class MemberSchema(Schema):
                id = fields.Int()  # expect: IDL001
                nickname = fields.Str()


            @bp.get("/m/<nick>")
            def show(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return MemberSchema().dump(m)
        ''',
    }),
    Case("marshmallow", "auto_schema", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint
            from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

            from .models import Member

            bp = Blueprint("api", __name__)


            class MemberSchema(SQLAlchemyAutoSchema):
                class Meta:
                    model = Member
                    exclude = ("phone",)  # expect: IDL001


            @bp.get("/m/<nick>")
            def show(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return MemberSchema().dump(m)
        ''',
    }),
    Case("restx", "marshal_with", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask_restx import Resource, fields, marshal_with

            from .models import Member

            member_fields = {
                "id": fields.Integer,
                "nickname": fields.String,
            }


            class MemberResource(Resource):
                @marshal_with(member_fields)
                def get(self, nick):
                    return Member.query.filter_by(nickname=nick).first_or_404()  # expect: IDL001
        ''',
    }),
    Case("restx", "attribute_lambda", {
        "models.py": FLASK_MEMBER,
        "ids.py": '''
            import base64


            def masked(pk):
                return base64.b32encode(str(pk).encode()).decode()
        ''',
        "views.py": '''
            from flask_restx import Resource, fields, marshal_with

            from .ids import masked
            from .models import Member

            card_fields = {
                "token": fields.String(attribute=lambda m: masked(m.id)),
                "loud": fields.String(attribute=lambda m: m.nickname.upper()),
            }


            class CardResource(Resource):
                @marshal_with(card_fields)
                def get(self, nick):
                    return Member.query.filter_by(nickname=nick).first_or_404()  # expect: IDL003
        ''',
    }),
    Case("graphene", "object_type_resolver", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            import graphene

            from .models import Member


            class MemberType(graphene.ObjectType):
                ref = graphene.Int()
                nickname = graphene.String()


            class Query(graphene.ObjectType):
                member = graphene.Field(MemberType, nickname=graphene.String())

                def resolve_member(root, info, nickname):
                    m = Member.objects.get(nickname=nickname)
                    return MemberType(ref=m.id, nickname=m.nickname)  # expect: IDL001
        ''',
    }),
    Case("graphene", "relay_node", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            from graphene import relay
            from graphene_django import DjangoObjectType

            from .models import Member


            class MemberNode(DjangoObjectType):
                class Meta:
                    model = Member
                    fields = ("id", "nickname")  # expect: IDL003
                    interfaces = (relay.Node,)
        ''',
    }),
    Case("graphene", "to_global_id", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            import graphene
            from graphql_relay import to_global_id

            from .models import Member


            class Query(graphene.ObjectType):
                member_ref = graphene.String(nickname=graphene.String())

                def resolve_member_ref(root, info, nickname):
                    m = Member.objects.get(nickname=nickname)
                    return to_global_id("MemberNode", m.id)  # expect: IDL003
        ''',
    }),
    Case("graphene", "promise_then_closure", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            import graphene
            from graphql_relay import to_global_id

            from .models import Member


            class Query(graphene.ObjectType):
                badge = graphene.String(nickname=graphene.String())
                handle = graphene.String(nickname=graphene.String())

                def resolve_badge(root, info, nickname):
                    m = Member.objects.get(nickname=nickname)

                    def stamp(_settings):
                        return to_global_id("MemberNode", m.id)

                    return info.context.settings_loader.load("badge").then(stamp)  # expect: IDL003

                def resolve_handle(root, info, nickname):
                    m = Member.objects.get(nickname=nickname)
                    pending = info.context.settings_loader.load("handle")
                    return pending.then(lambda _s: to_global_id("MemberNode", m.pk))  # expect: IDL003
        ''',
    }),
    Case("graphene", "dataloader_callback", {
        "models.py": DJ_MEMBER,
        "loaders.py": '''
            from promise import Promise
            from promise.dataloader import DataLoader

            from .models import Member


            class RequestLoader[K, V](DataLoader):
                def __init__(self, context):
                    self.context = context
                    super().__init__()

                def batch_load_fn(self, keys):
                    return Promise.resolve(self.fetch(keys))

                def fetch(self, keys):
                    return [None for _ in keys]


            class CrewByNicknameLoader(RequestLoader[str, list[Member]]):
                def fetch(self, keys):
                    crews = {}
                    for member in Member.objects.filter(nickname__in=keys):
                        crews.setdefault(member.nickname, []).append(member)
                    return [crews.get(k, []) for k in keys]
        ''',
        "schema.py": '''
            import graphene
            from graphql_relay import to_global_id

            from .loaders import CrewByNicknameLoader


            class Query(graphene.ObjectType):
                captain_ref = graphene.String(nickname=graphene.String())
                crew_size = graphene.Int(nickname=graphene.String())

                def resolve_captain_ref(root, info, nickname):
                    def first_of(crew):
                        if not crew:
                            return None
                        captain = crew[0]

                        def encode(_again):
                            return to_global_id("MemberNode", captain.id)

                        return CrewByNicknameLoader(info.context).load(nickname).then(encode)

                    return CrewByNicknameLoader(info.context).load(nickname).then(first_of)  # expect: IDL003

                def resolve_crew_size(root, info, nickname):
                    def count(crew):
                        return len([c.id for c in crew])

                    return CrewByNicknameLoader(info.context).load(nickname).then(count)
        ''',
    }),
    Case("graphene", "root_object_fields", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            from dataclasses import dataclass

            import graphene

            from .models import Member


            @dataclass
            class CardRow:
                nickname: str
                holder_id: int
                ref: int | None = None


            class Card(graphene.ObjectType):
                nickname = graphene.String()
                ref = graphene.Int()
                phone = graphene.String()

                @staticmethod
                def resolve_phone(root: CardRow, info):
                    return Member.objects.get(pk=root.holder_id).phone


            class Query(graphene.ObjectType):
                card = graphene.Field(Card, nickname=graphene.String())
                card_with_ref = graphene.Field(Card, nickname=graphene.String())

                def resolve_card(root, info, nickname):
                    m = Member.objects.get(nickname=nickname)
                    return CardRow(nickname=m.nickname, holder_id=m.id)

                def resolve_card_with_ref(root, info, nickname):
                    m = Member.objects.get(nickname=nickname)
                    return CardRow(m.nickname, m.id, ref=m.id)  # expect: IDL001
        ''',
    }),
    Case("graphene", "generic_root_wrapper", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            from dataclasses import dataclass
            from typing import Generic, TypeVar

            import graphene

            from .models import Member

            N = TypeVar("N")


            @dataclass
            class Scoped(Generic[N]):
                node: N
                scope: str


            class MemberCard(graphene.ObjectType):
                ref = graphene.Int()
                nickname = graphene.String()
                scope = graphene.String()

                @staticmethod
                def resolve_ref(root: Scoped[Member], info):
                    return root.node.id  # expect: IDL001

                @staticmethod
                def resolve_nickname(root: Scoped[Member], info):
                    return root.node.nickname

                @staticmethod
                def resolve_scope(root: Scoped[Member], info):
                    return root.scope
        ''',
    }),
    Case("strawberry", "int_id_type", {
        "models.py": DJ_MEMBER,
        "schema.py": '''
            import strawberry

            from .models import Member


            @strawberry.type
            class MemberType:
                id: int
                nickname: str


            @strawberry.type
            class Query:
                @strawberry.field
                def member(self, nickname: str) -> MemberType:
                    m = Member.objects.get(nickname=nickname)
                    return MemberType(id=m.id, nickname=m.nickname)  # expect: IDL001
        ''',
    }),
    Case("django", "mail_template", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.core.mail import send_mail
            from django.http import JsonResponse
            from django.template.loader import render_to_string

            from .models import Member


            def invite(request):
                m = Member.objects.get(nickname=request.POST["n"])
                body = render_to_string("invite.txt", {"member_no": m.id})  # expect: IDL001
                send_mail("Your invitation", body, "club@example.org", [m.email])
                return JsonResponse({"sent": True})
        ''',
    }),
    Case("django", "shared_mail_helper_two_callers", {
        # two views send the same encoded serial into one helper's sink: one finding at
        # the sink, which traces both ways in
        "models.py": '''
            from django.db import models
            from hashids import Hashids


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                email = models.EmailField()

                @property
                def invite_code(self):
                    return Hashids(salt="club").encode(self.pk)
        ''',
        "views.py": '''
            from django.shortcuts import render

            from .models import Member


            def mail_page(request, context):
                return render(request, "mail.html", context)  # expect: IDL003


            def welcome(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return mail_page(request, {"link": f"/join/{m.invite_code}"})


            def remind(request):
                m = Member.objects.get(nickname=request.GET["n"])
                link = f"/join/again/{m.invite_code}"
                return mail_page(request, {"nickname": m.nickname, "link": link})
        ''',
    }),
    Case("drf", "many_to_many_manager_read", {
        # a view stores a composed serial on a record; a serializer reads it back
        # through a many-to-many manager
        "models.py": '''
            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                email = models.EmailField()


            class Attachment(models.Model):
                label = models.CharField(max_length=80)


            class Post(models.Model):
                attachments = models.ManyToManyField(Attachment)
        ''',
        "views.py": '''
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
        ''',
    }),
    Case("django", "path_join_carries", {
        # os.path.join is no query (an ORM's `join`): the path holds the serial
        "models.py": DJ_MEMBER,
        "views.py": '''
            import os

            from django.http import JsonResponse

            from .models import Member


            def avatar_path(request):
                m = Member.objects.get(nickname=request.GET["n"])
                path = os.path.join("/srv/avatars", str(m.id))
                return JsonResponse({"path": path})  # expect: IDL001
        ''',
    }),
    Case("fastapi", "http_exception_detail", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends, HTTPException
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.post("/join")
            def join(nick: str, session: Session = Depends(get_session)):
                m = session.query(Member).filter_by(nickname=nick).one()
                if m.owner_id:
                    raise HTTPException(409, detail=f"member {m.id} already joined")  # expect: IDL001
                return {"ok": True}
        ''',
    }),
    Case("channels", "consumer_send_json", {
        "models.py": DJ_MEMBER,
        "consumers.py": '''
            from channels.generic.websocket import AsyncJsonWebsocketConsumer

            from .models import Member


            class LobbyConsumer(AsyncJsonWebsocketConsumer):
                async def receive_json(self, content):
                    m = await Member.objects.aget(nickname=content["nick"])
                    await self.send_json({"joined": m.id})  # expect: IDL001
        ''',
    }),
    Case("fastapi", "event_stream", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends
            from fastapi.responses import StreamingResponse
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/feed")
            def feed(session: Session = Depends(get_session)):
                def events():
                    for m in session.query(Member).all():
                        yield f"data: {m.id}\\n\\n"

                return StreamingResponse(events(), media_type="text/event-stream")  # expect: IDL001
        ''',
    }),
    Case("flask", "hashids_module_level", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify
            from hashids import Hashids

            from .models import Member

            bp = Blueprint("api", __name__)
            hasher = Hashids(salt="member-salt", min_length=8)


            @bp.get("/share/<nick>")
            def share(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return jsonify({"code": hasher.encode(m.id)})  # expect: IDL003
        ''',
    }),
    Case("django", "offset_arithmetic", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def number(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"no": 100000 + m.id})  # expect: IDL003
        ''',
    }),
    # ---- Issue 14: lookups by a client-chosen serial (IDL006) ----
    Case("django", "lookup_through_service", {
        "models.py": DJ_MEMBER,
        "services.py": '''
            from .models import Member


            def find_member(key):
                return Member.objects.get(pk=key)
        ''',
        "views.py": '''
            from django.http import JsonResponse

            from .services import find_member


            def contact(request):
                m = find_member(request.GET["id"])
                return JsonResponse({"phone": m.phone})  # expect: IDL006
        ''',
    }),
    Case("flask", "lookup_filter_eq", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify, request

            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/contact")
            def contact():
                m = Member.query.filter(Member.id == request.args["id"]).first_or_404()
                return jsonify({"phone": m.phone})  # expect: IDL006
        ''',
    }),
    Case("fastapi", "lookup_path_scalar_one", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/members/{member_id}/contact")
            def contact(member_id: int, session: Session = Depends(get_session)):
                m = session.execute(select(Member).where(Member.id == member_id)).scalar_one()
                return {"phone": m.phone}  # expect: IDL006
        ''',
    }),
    Case("fastapi", "lookup_path_get", {
        "models.py": SA_MEMBER,
        "views.py": '''
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/members/{member_id}")
            def contact(member_id: int, session: Session = Depends(get_session)):
                m = session.get(Member, member_id)
                return {"nick": m.nickname, "phone": m.phone}  # expect: IDL006
        ''',
    }),
    Case("drf", "retrieve_view", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from rest_framework import generics, serializers
            from rest_framework.response import Response

            from .models import Member


            class ContactSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Member
                    fields = ["nickname", "phone"]


            class ContactView(generics.RetrieveAPIView):
                queryset = Member.objects.all()
                serializer_class = ContactSerializer

                def retrieve(self, request, *args, **kwargs):
                    member = self.get_object()
                    return Response({"phone": member.phone})  # expect: IDL006
        ''',
    }),
    # A generic retrieve whose queryset names the requester only in a prefetch of other
    # records still looks up any member by key.
    Case("drf", "retrieve_prefetch_scoped", {
        "models.py": '''
            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                phone = models.CharField(max_length=20)


            class Note(models.Model):
                member = models.ForeignKey(Member, related_name="notes", on_delete=models.CASCADE)
                author = models.ForeignKey("auth.User", on_delete=models.CASCADE)
                text = models.TextField()
        ''',
        "views.py": '''
            from django.db.models import Prefetch
            from rest_framework import generics, serializers

            from .models import Member, Note


            class ContactSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Member
                    fields = ["nickname", "phone"]


            class MemberWithMyNotes(generics.RetrieveAPIView):
                # The requester narrows the notes prefetched with each member, not the members: any
                # member's phone is one key away.
                serializer_class = ContactSerializer

                def get_queryset(self):
                    mine = Prefetch("notes", queryset=Note.objects.filter(author=self.request.user))
                    return Member.objects.prefetch_related(mine)  # expect: IDL006


            class MyContacts(generics.RetrieveAPIView):
                serializer_class = ContactSerializer

                def get_queryset(self):
                    return Member.objects.filter(notes__author=self.request.user)
        ''',
    }),
    Case("drf", "own_entries_user_key", {
        "models.py": '''
            from django.conf import settings
            from django.db import models


            class Reading(models.Model):
                owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                          related_name="readings")
                checked_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                               on_delete=models.CASCADE, related_name="checks")
                value = models.DecimalField(max_digits=6, decimal_places=2)
        ''',
        "views.py": '''
            from rest_framework import serializers, viewsets

            from .models import Reading


            class ReadingSerializer(serializers.ModelSerializer):
                # the owner is the requester in every view below; who checked it is not
                owner = serializers.PrimaryKeyRelatedField(read_only=True)  # expect: IDL001

                class Meta:
                    model = Reading
                    fields = ["owner", "checked_by", "value"]  # expect: IDL001


            class ReadingViewSet(viewsets.ModelViewSet):
                serializer_class = ReadingSerializer

                def get_queryset(self):
                    if getattr(self, "swagger_fake_view", False):
                        return Reading.objects.none()
                    return Reading.objects.filter(owner=self.request.user)
        ''',
    }),
    # ---- Issue 14: records a client-chosen serial leads to (IDL006) ----
    Case("drf", "in_bulk_related_person", {
        "models.py": '''
            from django.conf import settings
            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=40)
                phone = models.CharField(max_length=20)


            class Parcel(models.Model):
                weight = models.IntegerField()
                recipient = models.ForeignKey(Member, on_delete=models.CASCADE)
                sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        ''',
        "views.py": '''
            from rest_framework.response import Response
            from rest_framework.views import APIView

            from .models import Parcel


            class Recipients(APIView):
                def post(self, request):
                    parcels = Parcel.objects.in_bulk(request.data["parcel_ids"])
                    return Response([p.recipient.phone for p in parcels.values()])  # expect: IDL006


            class MyRecipients(APIView):
                def post(self, request):
                    mine = Parcel.objects.filter(sender=request.user)
                    parcels = mine.in_bulk(request.data["parcel_ids"])
                    return Response([p.recipient.phone for p in parcels.values()])


            class Weights(APIView):
                def post(self, request):
                    parcels = Parcel.objects.in_bulk(request.data["parcel_ids"])
                    return Response([p.weight for p in parcels.values()])
        ''',
    }),
    # ---- Issue 15: a lookup checked to be the requester's before anything else ----
    Case("django", "lookup_owner_checked_clean", {
        "models.py": '''
            from django.conf import settings
            from django.db import models


            class Booking(models.Model):
                holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
                phone = models.CharField(max_length=20)

                def held_by(self, user):
                    return self.holder_id == user.id
        ''',
        "views.py": '''
            from django.core.exceptions import PermissionDenied
            from django.http import HttpResponseForbidden, JsonResponse

            from .models import Booking


            def contact(request, booking_id):
                b = Booking.objects.get(pk=booking_id)
                if b.holder_id != request.user.id:
                    raise PermissionDenied()
                return JsonResponse({"phone": b.phone})


            def contact_by_method(request, booking_id):
                b = Booking.objects.get(pk=booking_id)
                if not b.held_by(request.user):
                    return HttpResponseForbidden()
                return JsonResponse({"phone": b.phone})
        ''',
    }),
    Case("flask", "lookup_owner_flag", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify
            from flask_login import current_user

            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/contact/<int:member_id>")
            def contact(member_id):
                m = Member.query.get_or_404(member_id)
                mine = m.owner_id == current_user.id
                return jsonify({"phone": m.phone, "mine": mine})  # expect: IDL006
        ''',
    }),
    Case("django", "lookup_owner_branch_flag", {
        "models.py": '''
            from django.conf import settings
            from django.db import models


            class Contact(models.Model):
                phone = models.CharField(max_length=20)


            class Folder(models.Model):
                keeper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


            class Card(models.Model):
                folder = models.ForeignKey(Folder, on_delete=models.CASCADE)
                contact = models.ForeignKey(Contact, on_delete=models.CASCADE)
        ''',
        "views.py": '''
            from django.http import JsonResponse

            from .models import Card


            def phones(request):
                cards = Card.objects.in_bulk(request.POST["ids"])
                own, foreign = [], []
                for card in cards.values():
                    if card.folder.keeper == request.user:
                        own.append(card.contact.phone)
                    else:
                        foreign.append(card.contact.phone)
                return JsonResponse({
                    "own": own,
                    "foreign": foreign,  # expect: IDL006
                })
        ''',
    }),
    # ---- Issue 15: person and object serials ----
    Case("fastapi", "object_serial", {
        "models.py": '''
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Venue(Base):
                __tablename__ = "venues"
                id: Mapped[int] = mapped_column(primary_key=True)
                title: Mapped[str] = mapped_column(String(80))
        ''',
        "views.py": '''
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Venue

            router = APIRouter()


            @router.get("/venues")
            def venues(session: Session = Depends(get_session)):
                return [{"id": v.id, "title": v.title} for v in session.query(Venue).all()]  # expect: IDL009
        ''',
    }),
    Case("django", "object_serial", {
        "models.py": '''
            from django.db import models


            class Ticket(models.Model):
                title = models.CharField(max_length=80)
                closed = models.BooleanField(default=False)
        ''',
        "views.py": '''
            from django.http import JsonResponse

            from .models import Ticket


            def ticket(request):
                t = Ticket.objects.get(title=request.GET["t"])
                return JsonResponse({"ticket": t.id, "closed": t.closed})  # expect: IDL009
        ''',
    }),
    # ---- Issue 15: staff-only code is not a client sink ----
    Case("django", "model_admin_clean", {
        "models.py": DJ_MEMBER,
        "admin.py": '''
            from django.contrib import admin
            from django.utils.html import format_html

            from .models import Member


            @admin.register(Member)
            class MemberAdmin(admin.ModelAdmin):
                list_display = ("nickname", "ref")

                def ref(self, obj):
                    return format_html("<code>M-{}</code>", obj.id)
        ''',
    }),
    Case("django", "staff_member_required_clean", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.contrib.admin.views.decorators import staff_member_required
            from django.http import JsonResponse

            from .models import Member


            @staff_member_required
            def audit(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"member": m.id, "phone": m.phone})
        ''',
    }),
    Case("drf", "is_admin_user_clean", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from rest_framework.permissions import IsAdminUser
            from rest_framework.response import Response
            from rest_framework.views import APIView

            from .models import Member


            class MemberAudit(APIView):
                permission_classes = [IsAdminUser]

                def get(self, request):
                    m = Member.objects.get(nickname=request.query_params["n"])
                    return Response({"member": m.id})
        ''',
    }),
    Case("flask", "admin_required_clean", {
        "models.py": FLASK_MEMBER,
        "auth.py": '''
            from functools import wraps

            from flask import abort
            from flask_login import current_user


            def admin_required(view):
                @wraps(view)
                def wrapper(*args, **kwargs):
                    if not current_user.is_admin:
                        abort(403)
                    return view(*args, **kwargs)

                return wrapper
        ''',
        "views.py": '''
            from flask import Blueprint, jsonify

            from .auth import admin_required
            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/audit/<nick>")
            @admin_required
            def audit(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return jsonify({"member": m.id})
        ''',
    }),
    # ---- Issue 15: what carries nothing of the serial ----
    Case("flask", "booleans_clean", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify

            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/flags/<nick>")
            def flags(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return jsonify({"owned": m.owner_id is not None, "saved": bool(m.id)})
        ''',
    }),
    Case("django", "signer_unsign_clean", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.core.signing import BadSignature, Signer
            from django.http import JsonResponse


            def check(request):
                try:
                    value = Signer().unsign(request.GET["token"])
                except BadSignature:
                    return JsonResponse({"valid": False})
                return JsonResponse({"valid": True, "value": value})
        ''',
    }),
    Case("django", "url_fragment", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def card(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return JsonResponse({"anchor": f"#member-{m.pk}"})  # expect: IDL008
        ''',
    }),
    Case("django", "form_field_name_clean", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.http import JsonResponse

            from .models import Member


            def votes(request):
                # the serial names the form field the client filled in; it is not sent back
                out = {}
                for m in Member.objects.filter(nickname__startswith=request.GET["p"]):
                    out[m.nickname] = request.POST.get(f"vote_{m.pk}", "")
                return JsonResponse({"votes": out})
        ''',
    }),
    Case("flask", "url_for_only_url", {
        "models.py": FLASK_MEMBER,
        "views.py": '''
            from flask import Blueprint, jsonify, url_for

            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/links/<nick>")
            def links(nick):
                m = Member.query.filter_by(nickname=nick).first_or_404()
                return jsonify({"self": url_for("api.show", member_id=m.id)})  # expect: IDL008
        ''',
    }),
    Case("django", "redirect_only_url", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.shortcuts import redirect

            from .models import Member


            def go(request):
                m = Member.objects.get(nickname=request.GET["n"])
                return redirect(f"/members/{m.id}/")  # expect: IDL008
        ''',
    }),
    # ---- Issue 15: one read, two sinks: one finding, at the read ----
    Case("django", "one_read_two_sinks", {
        "models.py": DJ_MEMBER,
        "views.py": '''
            from django.core.mail import send_mail
            from django.http import JsonResponse

            from .models import Member


            def welcome(request):
                m = Member.objects.get(nickname=request.POST["n"])
                note = f"Welcome, member {m.id}"  # expect: IDL001
                send_mail("Welcome", note, "club@example.org", [m.email])
                return JsonResponse({"note": note})
        ''',
    }),
    Case("flask", "shared_helper_two_routes", {
        "models.py": FLASK_MEMBER,
        "cards.py": '''
            def member_card(member):
                return {"ref": member.id, "nick": member.nickname}  # expect: IDL001
        ''',
        "views.py": '''
            from flask import Blueprint, jsonify

            from .cards import member_card
            from .models import Member

            bp = Blueprint("api", __name__)


            @bp.get("/one/<nick>")
            def one(nick):
                return jsonify(member_card(Member.query.filter_by(nickname=nick).first_or_404()))


            @bp.get("/all")
            def every():
                return jsonify([member_card(m) for m in Member.query.all()])
        ''',
    }),
]


def write_cases(root: Path) -> None:
    """Writes every single case under `root/<framework>/<name>/app/`."""
    for case in CASES:
        target = root / case.framework / case.name / "app"
        target.mkdir(parents=True)
        (target / "__init__.py").write_text("")
        for rel, text in case.files.items():
            (target / rel).write_text(textwrap.dedent(text).lstrip())


def handler(shell: Shell, pattern: Pattern) -> str:
    body = pattern.body.format(
        fetch=shell.fetch, fetch_room=shell.fetch_room, fetch_all=shell.fetch_all,
        client=shell.client,
        fetch_pk=shell.fetch_by_pk.format(key="int(key)"),
        fetch_public=shell.fetch_by_public.format(key="key"),
    )
    payload = pattern.payload.format()
    response = shell.respond.format(payload=payload)
    marker = f"  # expect: {pattern.expect}" if pattern.expect else ""
    lines = [shell.route.format(name=pattern.name)]
    lines += ["    " + line for line in body.splitlines()]
    lines.append(f"    return {response}{marker}")
    return "\n".join(lines) + "\n"


def main() -> None:
    for folder in {shell.name for shell in SHELLS} | {case.framework for case in CASES}:
        if (HERE / folder).exists():
            shutil.rmtree(HERE / folder)
    for shell in SHELLS:
        target = HERE / shell.name
        for pattern in PATTERNS:
            if pattern.shells and shell.name not in pattern.shells:
                continue
            case = target / pattern.name / "app"
            case.mkdir(parents=True)
            (case / "__init__.py").write_text("")
            (case / "models.py").write_text(textwrap.dedent(shell.models).lstrip())
            (case / "ids.py").write_text(textwrap.dedent(IDS).lstrip())
            views = pattern.extra_header + shell.header + "\n\n" + handler(shell, pattern)
            (case / "views.py").write_text(views)
    write_cases(HERE)


if __name__ == "__main__":
    main()
