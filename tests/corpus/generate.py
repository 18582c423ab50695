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
    for shell in SHELLS:
        target = HERE / shell.name
        if target.exists():
            shutil.rmtree(target)
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


if __name__ == "__main__":
    main()
