"""Constructs of real services that the engine follows (the real-code issue): each test is a
small service of our own, with exact codes, locations and messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from idlint.api import scan
from idlint.config import Config
from idlint.findings import Finding

SQLA_MODELS = """
from typing import Annotated, NewType, Optional, Union

from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()
PrimaryKey = Annotated[int, Field(gt=0)]
ContactId = NewType("ContactId", int)


class Contact(Base):
    __tablename__ = "contact"
    id = Column(Integer, primary_key=True)
    name = Column(String)
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


RESPONSE_MODEL_VIEW = """
from fastapi import APIRouter

from .models import Contact, ContactRead

router = APIRouter()


@router.get("/contacts/{name}", response_model=ContactRead)
def get_contact(db, name: str):
    return db.query(Contact).filter(Contact.name == name).first()
"""


def response_model_findings(tmp_path: Path, annotation: str) -> list[str]:
    """A route whose response model declares `id` with this annotation."""
    return brief(run(tmp_path, {
        "app/models.py": SQLA_MODELS + f"""
from uuid import UUID


class ContactRead(BaseModel):
    name: str
    id: {annotation} = None
""",
        "app/views.py": RESPONSE_MODEL_VIEW,
    }))


@pytest.mark.parametrize("annotation", [
    "int", "int | None", "Optional[int]", "Union[int, None]", "PrimaryKey", "PrimaryKey | None",
    "Optional[PrimaryKey]", "ContactId",
])
def test_response_model_integer_id_in_every_spelling(tmp_path: Path, annotation: str) -> None:
    assert response_model_findings(tmp_path, annotation) == [
        "app/models.py:22:5 IDL001 Serial `ContactRead.id` reaches the client (response model "
        "field) unprotected"]


@pytest.mark.parametrize("annotation", ["str", "list[int]", "Optional[str]", "UUID",
                                        "Annotated[str, Field(max_length=9)]"])
def test_response_model_id_that_is_not_an_integer_is_quiet(tmp_path: Path,
                                                           annotation: str) -> None:
    assert response_model_findings(tmp_path, annotation) == []


def test_response_model_id_declared_on_a_base_model(tmp_path: Path) -> None:
    # `class ContactRead(ContactUpdate)`: the id the route returns is declared on the base
    findings = brief(run(tmp_path, {
        "app/models.py": SQLA_MODELS + """

class ContactUpdate(BaseModel):
    id: int
    name: str


class ContactRead(ContactUpdate):
    note: str = ""
""",
        "app/views.py": RESPONSE_MODEL_VIEW,
    }))
    assert findings == [
        "app/models.py:19:5 IDL001 Serial `ContactRead.id` reaches the client (response model "
        "field) unprotected"]


@pytest.mark.parametrize(("raise_line", "what"), [
    ('raise HTTPException(status_code=409, detail=f"contact {c.id} is locked")',
     "HTTP error detail"),
    ('raise GraphQLError(f"contact {c.id} is locked")', "GraphQL error message"),
])
def test_exception_messages_that_reach_the_client(tmp_path: Path, raise_line: str,
                                                  what: str) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS,
        "app/views.py": f"""
from fastapi import APIRouter, HTTPException
from graphql import GraphQLError

from .models import Contact

router = APIRouter()


@router.post("/contacts/{{name}}/lock")
def lock(db, name: str):
    c = db.query(Contact).filter(Contact.name == name).first()
    {raise_line}
""",
    })
    column = 4 + raise_line.index("f\"") + 1  # the message argument
    assert brief(findings) == [
        f"app/views.py:12:{column} IDL001 Serial `Contact.id` reaches the client ({what}) "
        "unprotected"]


def test_an_exception_message_without_a_serial_is_quiet(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS,
        "app/views.py": """
            from fastapi import APIRouter, HTTPException

            from .models import Contact

            router = APIRouter()


            @router.post("/contacts/{name}/lock")
            def lock(db, name: str):
                c = db.query(Contact).filter(Contact.name == name).first()
                if c.id is None:
                    raise HTTPException(status_code=404, detail=f"no contact {c.name}")
                raise ValueError(f"contact {c.id}")
        """,
    })
    assert brief(findings) == []


def test_a_pydantic_model_built_from_a_serial_carries_it(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS + """

class Note(BaseModel):
    note: str
""",
        "app/views.py": """
            from fastapi import APIRouter

            from .models import Contact, Note

            router = APIRouter()


            @router.get("/contacts/{name}/note")
            def note(db, name: str):
                c = db.query(Contact).filter(Contact.name == name).first()
                return Note(note=f"contact {c.id} was updated")
        """,
    })
    assert brief(findings) == [
        "app/views.py:11:22 IDL001 Serial `Contact.id` reaches the client (route response) "
        "unprotected"]
    assert [s.message for s in findings[0].trace] == [
        "serial primary key `Contact.id` is read here", "stored in Note()",
        "reaches the client: route response"]


def test_an_unknown_callable_passes_its_arguments_on_at_lower_confidence(
        tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS,
        "app/views.py": """
            import some_codec
            from fastapi import APIRouter

            from .models import Contact

            router = APIRouter()


            @router.get("/contacts/{name}/token")
            def token(db, name: str):
                c = db.query(Contact).filter(Contact.name == name).first()
                return {"token": some_codec.pack(c.id)}
        """,
    })
    assert brief(findings) == [
        "app/views.py:12:38 IDL001 Serial `Contact.id` reaches the client (route response) "
        "unprotected"]
    assert findings[0].confidence == "medium"
    assert findings[0].trace[1].message == (
        "passes through pack() (not analysed: assumed to carry its arguments)")


@pytest.mark.parametrize("call", [
    "len(str(c.id))", "bool(c.id)", "isinstance(c.id, int)", "loader.load(c.id)",
    "get_state(c.id)", "fetch_owner(c.id)", "cache_key_exists(c.id)", "findRecord(c.id)",
])
def test_lookups_counts_and_tests_do_not_carry_the_serial(tmp_path: Path, call: str) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS,
        "app/views.py": f"""
from fastapi import APIRouter
from somewhere import cache_key_exists, fetch_owner, findRecord, get_state, loader

from .models import Contact

router = APIRouter()


@router.get("/contacts/{{name}}/state")
def state(db, name: str):
    c = db.query(Contact).filter(Contact.name == name).first()
    return {{"value": {call}}}
""",
    })
    assert brief(findings) == []


def test_a_dependency_alias_gives_the_parameter_its_model(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS,
        "app/views.py": """
            from typing import Annotated

            from fastapi import APIRouter, Depends

            from .models import Contact

            router = APIRouter()


            def current_contact(db, contact_id: int) -> Contact:
                return db.get(Contact, contact_id)


            CurrentContact = Annotated[Contact, Depends(current_contact)]


            @router.get("/contacts/{contact_id}/label")
            def label(contact: CurrentContact):
                return {"label": f"contact {contact.id}"}
        """,
    })
    assert brief(findings) == [
        "app/views.py:19:22 IDL001 Serial `Contact.id` reaches the client (route response) "
        "unprotected"]


DJANGO_MODELS = """
from django.db import models
from hashids import Hashids
from functools import cached_property


def encode(n):
    return Hashids(salt="s", min_length=6).encode(n)


class Coupon(models.Model):
    label = models.CharField(max_length=40)

    @property
    def share_ref(self):
        return encode(self.id)

    @cached_property
    def code(self):
        return f"C-{self.id}"

    @property
    def title(self):
        return self.label.title()
"""


@pytest.mark.parametrize(("attribute", "expected"), [
    ("share_ref", "IDL003 Serial `Coupon.id` reaches the client (JsonResponse body) only "
                  "reversibly encoded by hashids.Hashids.encode() (hashids/sqids (reversible "
                  "with or without a salt))"),
    ("code", "IDL002 Serial `Coupon.id` is composed into an identifier that reaches the client "
             "(JsonResponse body); composition hides nothing"),
])
def test_a_property_read_runs_its_body(tmp_path: Path, attribute: str, expected: str) -> None:
    findings = run(tmp_path, {
        "app/models.py": DJANGO_MODELS,
        "app/views.py": f"""
from django.http import JsonResponse

from .models import Coupon


def coupon(request):
    c = Coupon.objects.get(label=request.GET["label"])
    return JsonResponse({{"ref": c.{attribute}}})
""",
    })
    assert brief(findings) == [f"app/views.py:8:33 {expected}"]


def test_a_property_without_a_serial_is_quiet(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": DJANGO_MODELS,
        "app/views.py": """
            from django.http import JsonResponse

            from .models import Coupon


            def coupon(request):
                c = Coupon.objects.get(label=request.GET["label"])
                return JsonResponse({"title": c.title})
        """,
    })
    assert brief(findings) == []


def test_django_auth_functions_give_the_user_model(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/views.py": """
            from django.contrib.auth import authenticate, get_user_model
            from django.core.mail import send_mail
            from django.utils.http import urlsafe_base64_encode
            from rest_framework.response import Response
            from rest_framework.views import APIView

            User = get_user_model()


            class Login(APIView):
                def post(self, request):
                    user = authenticate(request, username=request.data["u"],
                                        password=request.data["p"])
                    return Response({"user": {"id": user.id, "name": user.username}})


            class Reset(APIView):
                def post(self, request):
                    user = get_user_model().objects.filter(email=request.data["e"]).first()
                    uid = urlsafe_base64_encode(str(user.pk).encode())
                    send_mail("Reset", f"https://example.com/reset?uid={uid}", "x@example.com",
                              [user.email])
                    return Response({"ok": True})


            def by_id(request, uid):
                return Response({"email": User.objects.get(pk=uid).email})
        """,
    })
    assert brief(findings) == [
        "app/views.py:14:41 IDL001 Serial `User.id` reaches the client (DRF Response body) "
        "unprotected",
        "app/views.py:21:28 IDL003 Serial `User.pk` reaches the client (e-mail) only reversibly "
        "encoded by django.utils.http.urlsafe_base64_encode() (Django urlsafe_base64_encode)",
        "app/views.py:27:31 IDL006 Personal field `User.email` of a record selected by a "
        "client-chosen serial reaches the client (DRF Response body)",
    ]


PEOPLE = """
from django.db import models
from model_utils.models import TimeStampedModel, UUIDModel


class Person(TimeStampedModel):
    email = models.EmailField()

    def handle(self):
        return str(self.id).encode().hex()


class Upload(UUIDModel):
    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE)
"""


def test_strawberry_django_types_expose_declared_fields_and_type_self(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "people/__init__.py": "",
        "people/models.py": PEOPLE,
        "api/__init__.py": "",
        "api/types.py": """
            import strawberry
            import strawberry_django

            from people import models as people_models


            @strawberry_django.type(people_models.Person)
            class Person:
                id: strawberry.auto
                email: strawberry.auto

                @strawberry_django.field
                def handle(self) -> str:
                    return self.handle()


            @strawberry.type
            class Upload:  # the UUID key of an upload is no serial
                id: strawberry.ID
        """,
        "api/upload_types.py": """
            import strawberry
            import strawberry_django

            from people.models import Upload as UploadModel


            @strawberry_django.type(UploadModel)
            class Upload:
                id: strawberry.auto
                owner_id: strawberry.auto
        """,
    })
    assert brief(findings) == [
        "api/types.py:9:5 IDL001 Serial `Person.id` reaches the client (GraphQL object type "
        "field) unprotected",
        "api/types.py:14:16 IDL003 Serial `Person.id` reaches the client (route response) only "
        "reversibly encoded by hex() (byte encoding)",
        "api/upload_types.py:10:5 IDL001 Serial `Upload.owner_id` reaches the client (GraphQL "
        "object type field) unprotected",
    ]


def test_a_serializer_method_field_renders_what_its_method_returns(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Photo(models.Model):
                title = models.CharField(max_length=9)
        """,
        "app/serializers.py": """
            from rest_framework import serializers

            from .models import Photo


            class PhotoSerializer(serializers.ModelSerializer):
                ref = serializers.SerializerMethodField()
                label = serializers.SerializerMethodField()

                class Meta:
                    model = Photo
                    fields = ("title", "ref", "label")

                def get_ref(self, obj) -> str:
                    return str(obj.id)

                def get_label(self, obj) -> str:
                    return obj.title.upper()

                def get_unrelated(self, obj) -> int:
                    return obj.id
        """,
    })
    assert brief(findings) == [
        "app/serializers.py:15:16 IDL001 Serial `Photo.id` reaches the client (serializer field "
        "`ref`) unprotected"]


def test_a_graphene_mutation_payload_reaches_the_client(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Account(models.Model):
                email = models.EmailField()
        """,
        "app/schema.py": """
            import graphene

            from .models import Account


            class Login(graphene.Mutation):
                class Arguments:
                    email = graphene.String()

                ref = graphene.String()

                @classmethod
                def mutate(cls, root, info, email):
                    account = Account.objects.get(email=email)
                    return Login(ref=str(account.id))
        """,
    })
    assert brief(findings) == [
        "app/schema.py:15:26 IDL001 Serial `Account.id` reaches the client (route response) "
        "unprotected"]


def test_a_task_run_with_delay_is_followed_into(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                email = db.Column(db.String)
        """,
        "app/mail.py": """
            from celery import shared_task
            from flask import render_template


            @shared_task
            def send_link(user_id, email):
                return render_template("link.txt", link=f"https://example.com/u/{user_id}")
        """,
        "app/services.py": """
            from .mail import send_link
            from .models import User, db


            def invite(email):
                user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
                send_link.delay(user.id, user.email)
        """,
    })
    assert brief(findings) == [
        "app/mail.py:7:45 IDL008 Serial `User.id` is placed in a URL (template context)"]
    assert [s.message for s in findings[0].trace][1] == "passed to send_link() as `user_id`"


def test_a_many_to_many_primary_key_field_renders_the_related_serials(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.contrib.auth.models import User
            from django.db import models


            class Album(models.Model):
                title = models.CharField(max_length=9)
                shared_to = models.ManyToManyField(User)
        """,
        "app/serializers.py": """
            from rest_framework import serializers

            from .models import Album


            class AlbumSerializer(serializers.ModelSerializer):
                shared_to = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

                class Meta:
                    model = Album
                    fields = ("title", "shared_to")
        """,
    })
    assert brief(findings) == [
        "app/serializers.py:7:5 IDL001 Serial `User.id` reaches the client (DRF ModelSerializer "
        "field) unprotected"]


@pytest.mark.parametrize(("condition", "expected"), [
    ("Contact.id == contact_id", ["app/views.py:10:22 IDL006"]),
    ("contact_id == Contact.id", ["app/views.py:10:22 IDL006"]),
    ("Contact.name == str(contact_id)", []),
])
def test_a_query_filtered_by_an_equality_with_a_client_serial(
        tmp_path: Path, condition: str, expected: list[str]) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS.replace("name = Column(String)",
                                             "name = Column(String)\n    email = Column(String)"),
        "app/views.py": f"""
from fastapi import APIRouter

from .models import Contact

router = APIRouter()

@router.get("/contacts/{{contact_id}}")
def contact(db, contact_id: int):
    c = db.query(Contact).filter({condition}).first()
    return {{"email": c.email, "known": c.id == contact_id}}
""",
    })
    assert [" ".join(b.split()[:2]) for b in brief(findings)] == expected


def test_render_to_string_takes_its_context_second(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/views.py": """
            from django.contrib.auth import get_user_model
            from django.template.loader import render_to_string
            from django.utils.http import urlsafe_base64_encode


            def reset(request):
                user = get_user_model().objects.filter(email=request.POST["email"]).first()
                uid = urlsafe_base64_encode(str(user.pk).encode())
                link = request.build_absolute_uri(f"/signin?uid={uid}")
                return render_to_string("reset.txt", {"url": link})
        """,
    })
    assert brief(findings) == [
        "app/views.py:10:50 IDL003 Serial `User.pk` reaches the client (template context) only "
        "reversibly encoded by django.utils.http.urlsafe_base64_encode() (Django "
        "urlsafe_base64_encode)"]


def test_a_project_can_add_its_own_models_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.idlint]\nmodels = ["idlint-models.toml"]\n', encoding="utf-8")
    (tmp_path / "idlint-models.toml").write_text(textwrap.dedent("""
        [[sinks]]
        # our mail composer: what its action() links to is e-mailed to the customer
        method = ["action"]
        receivers = ["composer"]
        args = [0]
        what = "e-mail link"
    """), encoding="utf-8")
    files = {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Booking(models.Model):
                reference = models.CharField(max_length=12)
        """,
        "app/mail.py": """
            from .models import Booking


            def confirm(composer, reference):
                booking = Booking.objects.get(reference=reference)
                composer.action(f"/bookings/{booking.id}", "View booking")
        """,
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    from dataclasses import replace

    from idlint.config import load_config

    config = replace(load_config([tmp_path]), select=("ALL",))
    report = scan([tmp_path], config, jobs=1, use_cache=False)
    assert brief(list(report.findings)) == [
        "app/mail.py:6:21 IDL008 Serial `Booking.id` is placed in a URL (e-mail link)"]


def test_a_models_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from idlint.cli import main

    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.idlint]\nmodels = ["../elsewhere.toml"]\n',
                                            encoding="utf-8")
    (tmp_path / "elsewhere.toml").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, [str(project)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"idlint: error: pyproject.toml: [tool.idlint] 'models' '../elsewhere.toml' is "
        f"outside the project ({project.resolve()})")


@pytest.mark.parametrize(("fields", "expected"), [
    ("name: str\n    email: str", ["app/views.py:10:5 IDL006 Personal field `Contact.email` of a "
                                  "record selected by a client-chosen serial reaches the client "
                                  "(route response)"]),
    ("label: str", []),
])
def test_a_record_selected_by_a_client_serial_returned_whole(
        tmp_path: Path, fields: str, expected: list[str]) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS.replace("name = Column(String)",
                                             "name = Column(String)\n    email = Column(String)")
        + f"\n\nclass ContactOut(BaseModel):\n    {fields}\n",
        "app/views.py": """
            from fastapi import APIRouter

            from .models import Contact, ContactOut

            router = APIRouter()


            @router.get("/contacts/{contact_id}", response_model=ContactOut)
            def contact(db, contact_id: int):
                return db.query(Contact).filter(Contact.id == contact_id).first()
        """,
    })
    assert brief(findings) == expected


SERPY_TREE = {
    "board/__init__.py": "",
    "board/models.py": """
        from django.contrib.auth.models import User
        from django.db import models


        class Card(models.Model):
            title = models.CharField(max_length=40)
            owner = models.ForeignKey(User, on_delete=models.CASCADE)


        class CardLabel(models.Model):
            text = models.CharField(max_length=40)
    """,
    "board/serializers.py": """
        import serpy
        from rest_framework import serializers


        class OwnedMixin(serpy.Serializer):
            owner = serpy.Field(attr="owner_id")


        class CardSerializer(OwnedMixin):
            id = serpy.Field()
            title = serpy.Field()
            secret = serpy.Field(attr="pk", required=False)


        class CardBriefSerializer(OwnedMixin):
            title = serpy.Field()


        class CardLabelSerializer(serializers.Serializer):
            id = serializers.IntegerField(read_only=True)
            text = serializers.CharField()
            ref = serializers.IntegerField(write_only=True)


        class ReportSerializer(serpy.Serializer):
            id = serpy.Field()
    """,
}


def test_a_serializer_without_a_model_renders_the_model_it_is_named_for(
        tmp_path: Path) -> None:
    # CardSerializer and CardBriefSerializer render Card (the longest model name at a word
    # boundary: CardLabelSerializer renders CardLabel); the mixin's field is reported once, at
    # the mixin; ReportSerializer names no model and a write-only field renders nothing.
    findings = run(tmp_path, SERPY_TREE)
    assert brief(findings) == [
        "board/serializers.py:6:5 IDL001 Serial `Card.owner_id` reaches the client "
        "(serializer field) unprotected",
        "board/serializers.py:10:5 IDL001 Serial `Card.id` reaches the client "
        "(serializer field) unprotected",
        "board/serializers.py:12:5 IDL001 Serial `Card.pk` reaches the client "
        "(serializer field) unprotected",
        "board/serializers.py:20:5 IDL001 Serial `CardLabel.id` reaches the client "
        "(DRF serializer field) unprotected",
    ]


MAIL_BUILDER = {
    "crm/__init__.py": "",
    "crm/models.py": """
        from django.db import models


        class Customer(models.Model):
            nickname = models.CharField(max_length=40)
    """,
    "crm/mail.py": """
        from django.core.mail import send_mail


        class Part:
            def render(self):
                raise NotImplementedError


        class Link(Part):
            def __init__(self, url):
                self.url = url

            def render(self):
                return f"Open {self.url}"


        class Container:
            def __init__(self):
                self.parts: list[Part] = []


        class Composer(Container):
            def link(self, url):
                self.parts.append(Link(url))
                return self

            def send(self, to):
                body = "".join(p.render() for p in self.parts)
                send_mail("Hello", body, "noreply@example.com", [to])
    """,
    "crm/views.py": """
        from django.http import HttpResponse

        from .mail import Composer
        from .models import Customer


        def welcome(request):
            c = Customer.objects.get(nickname="x")
            Composer().link(f"https://example.com/customers/{c.id}").send("x@example.com")
            return HttpResponse("sent")
    """,
}


def test_a_value_stored_by_a_constructor_reaches_a_sink_through_an_override(
        tmp_path: Path) -> None:
    # The URL is stored by Link's constructor (a parameter stored on self), kept in a list
    # declared by a base class's __init__, and rendered by the override of an abstract
    # method called on the base type.
    findings = run(tmp_path, MAIL_BUILDER)
    assert brief(findings) == [
        "crm/mail.py:29:28 IDL008 Serial `Customer.id` is placed in a URL (e-mail)"]


SERVICE_LOOKUP = {
    "app/__init__.py": "",
    "app/models.py": """
        from pydantic import BaseModel
        from sqlalchemy import Column, Integer, String
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()


        class Contact(Base):
            __tablename__ = "contact"
            id = Column(Integer, primary_key=True)
            email = Column(String)


        class Tag(Base):
            __tablename__ = "tag"
            id = Column(Integer, primary_key=True)
            name = Column(String)


        class ContactRead(BaseModel):
            email: str


        class TagRead(BaseModel):
            name: str
    """,
    "app/service.py": """
        from .models import Contact, Tag


        def get(*, db, contact_id: int):
            return db.query(Contact).filter(Contact.id == contact_id).one_or_none()


        def get_tag(db, tag_id: int):
            return db.query(Tag).filter(Tag.id == tag_id).first()


        def is_mine(contact, contact_id):
            return contact.id == contact_id
    """,
    "app/views.py": """
        from fastapi import APIRouter

        from .models import ContactRead, TagRead
        from .service import get, get_tag

        router = APIRouter()


        @router.get("/contacts/{contact_id}", response_model=ContactRead)
        def read_contact(db, contact_id: int):
            contact = get(db=db, contact_id=contact_id)
            return contact


        @router.get("/tags/{tag_id}", response_model=TagRead)
        def read_tag(db, tag_id: int):
            return get_tag(db, tag_id)
    """,
}


def test_a_person_selected_in_a_service_by_the_route_parameter_is_idl006(
        tmp_path: Path) -> None:
    # The service compares its parameter with the key column; the route passes its path
    # parameter. A tag's `name` is not a person's: no finding for the second route.
    findings = run(tmp_path, SERVICE_LOOKUP)
    assert brief(findings) == [
        "app/views.py:12:5 IDL006 Personal field `Contact.email` of a record selected by a "
        "client-chosen serial reaches the client (route response)"]
    assert [s.message for s in findings[0].trace][1] == (
        "selects a `Contact` record by this serial in the called function")


TWO_LOOKUPS = {
    "app/models.py": """
        from django.contrib.auth.models import AbstractUser


        class User(AbstractUser):
            pass
        """,
    "app/short.py": """
        from rest_framework.response import Response

        from .models import User


        def confirm(request):
            return Response({"n": User.objects.get(pk=request.GET["u"]).email})
        """,
    "app/views.py": """
        from rest_framework.response import Response

        from .models import User


        def profile(request, uid):
            decoded = int(uid)
            user = User.objects.get(pk=decoded)
            return Response({"email": user.email})
        """,
}


def test_each_lookup_traces_its_own_selection(tmp_path: Path) -> None:
    # Two handlers select a user; each finding's trace starts from its own route parameter,
    # not from the shorter selection in the other file.
    findings = [f for f in run(tmp_path, TWO_LOOKUPS) if f.code == "IDL006"]
    traces = [(f.location.path, [(s.location.path, s.location.line) for s in f.trace])
              for f in findings]
    assert traces == [
        ("app/short.py", [("app/short.py", 7), ("app/short.py", 7), ("app/short.py", 7),
                          ("app/short.py", 7)]),
        ("app/views.py", [("app/views.py", 6), ("app/views.py", 8), ("app/views.py", 9),
                          ("app/views.py", 9)]),
    ]


BACKREF_AND_SUBMODULE = {
    "app/models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class Crew(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            sailors = db.relationship("Sailor", backref="crew", lazy="joined")


        class Sailor(db.Model):
            id = db.Column(db.String(36), primary_key=True)
            email = db.Column(db.String)
            crew_id = db.Column(db.Integer, db.ForeignKey("crew.id"))
        """,
    "app/views.py": """
        from flask import jsonify
        from itsdangerous.url_safe import URLSafeTimedSerializer

        from .models import Sailor


        def crew_invite(sailor_key):
            sailor = Sailor.query.filter_by(email=sailor_key).first()
            signer = URLSafeTimedSerializer("k")
            return jsonify(code=signer.dumps({"crew": sailor.crew.id}))
        """,
}


def test_a_backref_and_a_submodule_import_path(tmp_path: Path) -> None:
    # `backref="crew"` gives Sailor a `crew` attribute; `itsdangerous.url_safe` is the same
    # serializer as the package's own name.
    assert brief(run(tmp_path, BACKREF_AND_SUBMODULE)) == [
        "app/views.py:10:25 IDL003 Serial `Crew.id` reaches the client (Flask response body) "
        "only reversibly encoded by itsdangerous.URLSafeTimedSerializer.dumps() (itsdangerous "
        "signing (signed, not encrypted))"]


TWO_SERIALS = {
    "app/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models


        class User(AbstractUser):
            pass


        class Lobby(models.Model):
            host = models.ForeignKey(User, on_delete=models.CASCADE)
        """,
    "app/views.py": """
        from django.http import JsonResponse

        from .models import Lobby


        def seat(request):
            lobby = Lobby.objects.get(pk=1)
            guest = request.user
            return JsonResponse({"seat": f"{lobby.host_id}-{guest.id}"})
        """,
}


def test_a_finding_that_names_two_serials_traces_both(tmp_path: Path) -> None:
    findings = run(tmp_path, TWO_SERIALS)
    assert brief(findings) == [
        "app/views.py:9:34 IDL002 Serials `Lobby.host_id`, `User.id` are composed into an "
        "identifier that reaches the client (JsonResponse body); composition hides nothing"]
    assert [(s.location.line, s.message) for s in findings[0].trace if s.kind == "source"] == [
        (9, "serial foreign key `Lobby.host_id` is read here"),
        (9, "serial primary key `User.id` is read here (the requesting user's own)")]


NESTED_GROUPS = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models


        class Depot(models.Model):
            town = models.CharField(max_length=40)


        class Parcel(models.Model):
            label = models.CharField(max_length=40)
            depot = models.ForeignKey(Depot, on_delete=models.CASCADE)
    """,
    "shop/views.py": """
        from django.http import JsonResponse

        from .models import Parcel


        def by_depot(request):
            groups = {}
            for parcel in Parcel.objects.all():
                groups.setdefault(parcel.label, []).append(parcel.depot_id)
            return JsonResponse(groups)


        def with_actions(request):
            rows = []
            for parcel in Parcel.objects.all():
                row = {"label": parcel.label, "actions": []}
                row["actions"].append({"value": f"track-{parcel.id}"})
                rows.append(row)
            return JsonResponse({"rows": rows})
    """,
}


def test_what_goes_into_a_nested_container_is_in_the_outer_one(tmp_path: Path) -> None:
    # `d.setdefault(k, []).append(v)` and `row[k].append(v)` fill a list held by a local
    # container: the container sent to the client holds the serial.
    findings = run(tmp_path, NESTED_GROUPS)
    assert brief(findings) == [
        "shop/views.py:10:25 IDL001 Serial `Parcel.depot_id` reaches the client "
        "(JsonResponse body) unprotected",
        "shop/views.py:19:34 IDL002 Serial `Parcel.id` is composed into an identifier that "
        "reaches the client (JsonResponse body); composition hides nothing",
    ]


MESSAGES = {
    "desk/__init__.py": "",
    "desk/models.py": """
        from django.db import models


        class Agent(models.Model):
            email = models.EmailField()
    """,
    "desk/notify.py": """
        import smtplib
        from email.mime.text import MIMEText

        from slack_bolt import Ack
        from slack_sdk.web.client import WebClient

        from .models import Agent


        def mail_agent(agent_pk):
            agent = Agent.objects.get(pk=agent_pk)
            body = MIMEText(f"Your profile: https://desk.example.com/agents/{agent.id}")
            with smtplib.SMTP("localhost") as smtp:
                smtp.sendmail("desk@example.com", [agent.email], f"agent {agent.id}")
            return body


        def post_agent(client, channel):
            agent = Agent.objects.first()
            client.chat_postMessage(channel=channel, text=f"on duty: {agent.id}")


        def call_api(client: WebClient, channel):
            agent = Agent.objects.first()
            client.api_call("chat.postMessage", json={"channel": channel, "text": agent.pk})


        def answer(ack: Ack, channel):
            agent = Agent.objects.first()
            ack(response_action="update", view={"blocks": [{"value": agent.pk}]})
    """,
}


def test_e_mail_and_slack_messages_reach_people(tmp_path: Path) -> None:
    # The body of an e-mail (MIMEText, smtplib's sendmail) and Slack messages (a method of
    # Slack's own name, api_call on a parameter annotated WebClient, Bolt's ack()).
    findings = run(tmp_path, MESSAGES)
    assert brief(findings) == [
        "desk/notify.py:12:21 IDL001 Serial `Agent.id` reaches the client (e-mail) unprotected",
        "desk/notify.py:14:58 IDL001 Serial `Agent.id` reaches the client (e-mail) unprotected",
        "desk/notify.py:20:51 IDL001 Serial `Agent.id` reaches the client (Slack message) "
        "unprotected",
        "desk/notify.py:25:75 IDL001 Serial `Agent.pk` reaches the client (Slack message) "
        "unprotected",
        "desk/notify.py:30:62 IDL001 Serial `Agent.pk` reaches the client (Slack message) "
        "unprotected",
    ]


CHANNEL_REGISTRY = {
    "hub/__init__.py": "",
    "hub/models.py": """
        from django.db import models


        class Member(models.Model):
            email = models.EmailField()
    """,
    "hub/channels.py": """
        from django.core.mail import send_mail
        from django.http import JsonResponse


        class Channel:
            kind = ""

            def deliver(self, target, text, **fields):
                raise NotImplementedError


        class MailChannel(Channel):
            kind = "mail"

            def deliver(self, target, text, **fields):
                send_mail("News", f"{text} {fields}", "hub@example.com", [target])


        class Digest:
            def update(self, entry):
                return JsonResponse({"entry": entry})


        class Board(Digest):
            def update(self, entry):
                return JsonResponse({"entry": entry})

            def pin(self, entry):
                return JsonResponse({"pinned": entry})


        class Registry:
            def __init__(self):
                self.items = []

            def find(self, kind):
                for item in self.items:
                    if item.kind == kind:
                        return item


        channels = Registry()


        class Shelf:
            def stack(self, entry):
                return JsonResponse({"entry": entry})


        class TallShelf(Shelf):
            def stack(self, entry):
                return JsonResponse({"tall": entry})


        class Relay:
            def _push(self, entry):
                raise NotImplementedError


        class HttpRelay(Relay):
            def _push(self, entry):
                return JsonResponse({"pushed": entry})
    """,
    "hub/notify.py": """
        from .channels import channels
        from .models import Member


        def announce(target):
            member = Member.objects.first()
            channels.find("mail").deliver(target, "Welcome", member=member.id)
            channels.find("shelf").stack(member.id)
            channels.find("relay")._push(member.id)
            extra = channels.find("x")
            extra.update(member.id)
            extra.pin(member.id)
    """,
}


def test_a_method_only_one_project_hierarchy_defines_runs_on_an_untyped_object(
        tmp_path: Path) -> None:
    # A registry hands out channels idlint cannot type: `deliver`, defined by Channel and its
    # implementations alone, runs MailChannel's. `update` (a builtin type's method name),
    # `pin` (one class, no hierarchy), `stack` (shared behaviour: no stub declares it as an
    # interface) and `_push` (private) are not followed.
    findings = run(tmp_path, CHANNEL_REGISTRY)
    assert brief(findings) == [
        "hub/channels.py:16:27 IDL001 Serial `Member.id` reaches the client (e-mail) "
        "unprotected"]


PROJECTIONS = {
    "app/models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class Crew(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            caption = db.Column(db.String(40))


        class Sailor(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            caption = db.Column(db.String(40))
            crew_id = db.Column(db.Integer, db.ForeignKey("crew.id"))
        """,
    "app/views.py": """
        from flask import Flask, jsonify
        from flask_caching import Cache
        from sqlalchemy import select

        from .models import Crew, Sailor, db

        app = Flask(__name__)
        cache = Cache(app)


        def ranked_model(kind):
            return Sailor if kind == "sailors" else Crew


        @cache.memoize(timeout=30)
        def leaderboard(kind):
            Ranked = ranked_model(kind)
            query = db.session.query(Ranked.id.label("entrant"), Ranked.caption.label("shown"))
            return query.filter(Ranked.caption != "").order_by(Ranked.id).all()


        @app.route("/board/<kind>")
        def board(kind):
            out = []
            for place, line in enumerate(leaderboard(kind)):
                out.append({"place": place, "shown": line.shown})
                out.append({"who": line.entrant})
            return jsonify(out)


        @app.route("/crews")
        def crews():
            rows = db.session.execute(select([Sailor.caption, Sailor.crew_id])).fetchall()
            return jsonify({caption: crew for caption, crew in rows})


        @app.route("/first")
        def first():
            top = db.session.query(Sailor.caption, Sailor.id).first()
            return jsonify(top[0], top["caption"], top[1])


        @app.route("/names")
        def names():
            return jsonify([r.caption for r in db.session.query(Sailor.caption, Sailor.id)])
        """,
}


def test_rows_of_a_column_projection_carry_the_projected_serials(tmp_path: Path) -> None:
    # `query(M.id.label("entrant"), ...)` through a cached helper and a model chosen at run
    # time, `select([...])` rows unpacked by position, a row read by index: each serial
    # column reaches the client where the row's column is read; the text columns do not.
    findings = run(tmp_path, PROJECTIONS)
    assert brief(findings) == [
        "app/views.py:28:20 IDL001 Serials `Crew.id`, `Sailor.id` reach the client (Flask "
        "response body) unprotected",
        "app/views.py:34:30 IDL001 Serial `Sailor.crew_id` reaches the client (Flask response "
        "body) unprotected",
        "app/views.py:40:44 IDL001 Serial `Sailor.id` reaches the client (Flask response body) "
        "unprotected",
    ]
    assert [(s.location.line, s.location.column, s.message) for s in findings[0].trace] == [
        (27, 28, "serial primary key `Crew.id` is read here (selected as `entrant`)"),
        (27, 28, "serial primary key `Sailor.id` is read here (selected as `entrant`)"),
        (28, 20, "reaches the client: Flask response body")]
    # unpacked by position (`for caption, crew in rows`): read where the rows are iterated
    assert findings[1].trace[0].location.column == 56


def test_a_finding_that_names_a_person_traces_the_person_serial(tmp_path: Path) -> None:
    # Two serials reach the client in one value: the finding is a person's, and its trace
    # follows the person's serial even though the other one sorts first (the other serial's
    # own steps are shown before the step where it joins that path).
    findings = run(tmp_path, {
        "app/models.py": """
            from flask_login import UserMixin
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Angler(db.Model):
                id = db.Column(db.Integer, primary_key=True)


            class Skipper(db.Model, UserMixin):
                id = db.Column(db.Integer, primary_key=True)
            """,
        "app/views.py": """
            from flask import Flask, jsonify

            from .models import Angler, Skipper

            app = Flask(__name__)


            @app.route("/pairs")
            def pairs():
                out = []
                for angler in Angler.query.all():
                    out.append({"angler": angler.id})
                for skipper in Skipper.query.all():
                    out.append({"skipper": skipper.id})
                return jsonify(out)
            """,
    })
    assert brief(findings) == [
        "app/views.py:15:20 IDL001 Serials `Angler.id`, `Skipper.id` reach the client (Flask "
        "response body) unprotected"]
    assert [(s.location.line, s.message) for s in findings[0].trace] == [
        (14, "serial primary key `Skipper.id` is read here"),
        (12, "serial primary key `Angler.id` is read here"),
        (15, "reaches the client: Flask response body")]


MARSHMALLOW_SQLA = {
    "app/models.py": """
        from flask_login import UserMixin
        from flask_marshmallow import Marshmallow
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        ma = Marshmallow()


        class Harbour(db.Model):
            id = db.Column(db.Integer, primary_key=True)


        class Boatman(db.Model, UserMixin):
            id = db.Column(db.Integer, primary_key=True)
            alias = db.Column(db.String(40))
            harbour_id = db.Column(db.Integer, db.ForeignKey("harbour.id"))
            invited_by = db.Column(db.Integer, db.ForeignKey("boatman.id"))
        """,
    "app/schemas.py": """
        from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

        from .models import Boatman, Harbour, ma


        class BoatmanSchema(ma.ModelSchema):
            class Meta:
                model = Boatman
                include_fk = True
                dump_only = ("id",)
                load_only = ("invited_by",)

            shown = {
                "public": ["alias", "id", "harbour_id"],
                "owner": ["alias", "id", "harbour_id", "invited_by"],
            }

            def __init__(self, view=None, *args, **kwargs):
                if view:
                    kwargs["only"] = self.shown[view]
                super().__init__(*args, **kwargs)


        class HarbourSchema(SQLAlchemyAutoSchema):
            class Meta:
                model = Harbour


        class BoatmanNameSchema(ma.SQLAlchemyAutoSchema):
            class Meta:
                model = Boatman
                exclude = ("id",)
        """,
}


def test_marshmallow_sqlalchemy_schemas_dump_every_column(tmp_path: Path) -> None:
    # A schema derived from flask-marshmallow's `ma = Marshmallow()` dumps the model's columns:
    # the key where a list of field names chooses it, the foreign keys with `include_fk`
    # (not `load_only` ones); without `include_fk` foreign keys stay out.
    findings = run(tmp_path, MARSHMALLOW_SQLA)
    assert brief(findings) == [
        "app/schemas.py:14:29 IDL001 Serial `Boatman.id` reaches the client "
        "(marshmallow-sqlalchemy schema field) unprotected",
        "app/schemas.py:14:35 IDL001 Serial `Boatman.harbour_id` reaches the client "
        "(marshmallow-sqlalchemy schema field) unprotected",
        "app/schemas.py:26:9 IDL001 Serial `Harbour.id` reaches the client "
        "(marshmallow-sqlalchemy schema field) unprotected",
    ]
    assert [(s.location.line, s.message) for s in findings[0].trace] == [
        (8, "serial primary key `Boatman.id` of model `Boatman`"),
        (14, "reaches the client: marshmallow-sqlalchemy schema field `id`")]


REGISTRY = {
    "app/models.py": """
        from flask_login import UserMixin
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class Skipper(db.Model, UserMixin):
            id = db.Column(db.Integer, primary_key=True)
            alias = db.Column(db.String(40))
        """,
    "app/links.py": """
        from collections import namedtuple

        from flask import url_for

        from .models import Skipper

        SkipperCard = namedtuple("SkipperCard", ["id", "alias"])


        def card_of(alias):
            skipper = Skipper.query.filter_by(alias=alias).first()
            values = {}
            for name in SkipperCard._fields:
                values[name] = getattr(skipper, name)
            return SkipperCard(**values)


        class BoastLink:
            def __init__(self, skipper_id=None):
                self.skipper_id = skipper_id

            @property
            def url(self):
                return url_for(
                    "boasts.show",
                    skipper_id=self.skipper_id,
                )


        LINKS = {"boast": BoastLink}


        def link_class(kind):
            return LINKS.get(kind)


        def profile_url(pk, staff=False):
            if staff:
                return url_for("staff.skipper", pk=pk)
            return url_for("skippers.show", pk=pk)
        """,
    "app/views.py": """
        from flask import Flask, jsonify
        from flask_login import current_user

        from .links import LINKS, card_of, link_class, profile_url

        app = Flask(__name__)


        @app.route("/boast/<kind>")
        def boast(kind):
            Link = link_class(kind)
            card = card_of(current_user.alias)
            return jsonify({"url": Link(skipper_id=card.id).url, "alias": card.alias})


        @app.route("/me")
        def me():
            return jsonify({"profile": profile_url(current_user.id),
                            "boast": LINKS["boast"](card_of("sam").id).url})
        """,
}


def test_a_class_from_a_registry_and_a_record_of_copied_fields(tmp_path: Path) -> None:
    # `LINKS.get(kind)` and `LINKS["boast"]` are the registered class, whose property puts
    # the serial in a URL; `card.id` of a named tuple filled by `getattr(skipper, name)` is
    # the skipper's `id` (its `alias` is no serial). A URL built in a helper shows in the
    # trace, at the argument that carries the serial. The two routes that reach the client
    # from the same read are one finding, where the serial is read, with both sinks.
    findings = run(tmp_path, REGISTRY)
    assert brief(findings) == [
        "app/links.py:14:24 IDL008 Serial `Skipper.id` is placed in a URL (Flask response "
        "body); and 1 more sink",
        "app/views.py:18:32 IDL008 Serial `Skipper.id` is placed in a URL (Flask response "
        "body)",
    ]
    assert [[(s.location.path, s.location.line) for s in t if s.kind == "sink"]
            for t in findings[0].more_sinks] == [[("app/views.py", 19)]]
    assert [(s.location.path, s.location.line, s.message) for s in findings[0].trace] == [
        ("app/links.py", 14, "serial primary key `Skipper.id` is read here (read by a computed "
                             "name)"),
        ("app/links.py", 15, "passes through SkipperCard() (not analysed: assumed to carry "
                             "its arguments)"),
        ("app/views.py", 12, "returned by card_of()"),
        ("app/links.py", 26, "placed in a URL by flask.url_for()"),
        ("app/views.py", 13, "returned by BoastLink.url()"),
        ("app/views.py", 13, "reaches the client: Flask response body")]
    assert [(s.location.path, s.location.line) for s in findings[1].trace] == [
        ("app/views.py", 18), ("app/views.py", 18), ("app/links.py", 40), ("app/views.py", 18)]


def test_a_return_under_a_flag_left_false_does_not_run(tmp_path: Path) -> None:
    # `profile_url(pk)` leaves `staff=False`: the URL is the one built after `if staff:`;
    # `profile_url(pk, True)` and `staff=flag` (not known) take the staff branch too.
    files = dict(REGISTRY)
    files["app/views.py"] = """
        from flask import Flask, jsonify
        from flask_login import current_user

        from .links import profile_url

        app = Flask(__name__)


        @app.route("/me")
        def me():
            return jsonify({"profile": profile_url(current_user.id)})


        @app.route("/staff")
        def staff():
            return jsonify({"profile": profile_url(current_user.id, True)})
        """
    findings = run(tmp_path, files)
    assert [(f.location.line, [(s.location.path, s.location.line) for s in f.trace])
            for f in findings] == [
        (11, [("app/views.py", 11), ("app/views.py", 11), ("app/links.py", 40),
              ("app/views.py", 11)]),
        (16, [("app/views.py", 16), ("app/views.py", 16), ("app/links.py", 39),
              ("app/views.py", 16)]),
    ]


REVERSE_RELATIONS = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from urllib.parse import urlencode

        from django.db import models
        from graphql_relay.node.node import to_global_id


        class Shelf(models.Model):
            title = models.CharField(max_length=20)


        class Basket(models.Model):
            shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)

            @property
            def share_path(self):
                params = {
                    "shelf": to_global_id("ShelfNode", self.shelf.id),
                    "item": [to_global_id("ItemNode", i)
                             for i in self.items.values_list("id", flat=True)],
                }
                return "/basket/view?" + urlencode(params, True)

            def weights(self):
                return {item: 1.0 for item in self.items.all()}


        class Item(models.Model):
            basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="items")


        class Note(models.Model):
            basket = models.ForeignKey(Basket, on_delete=models.CASCADE)
            hidden = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="+")
    """,
    "shop/views.py": """
        from django.core.mail import send_mail
        from django.http import JsonResponse

        from .models import Basket


        def share(request, key):
            basket = Basket.objects.get(title=key)
            send_mail("Your basket", "See " + basket.share_path, "shop@example.com", [key])
            return JsonResponse({"notes": [n.id for n in basket.note_set.all()],
                                 "top": max(basket.weights().values(), default=0)})
    """,
}


def test_the_reverse_side_of_a_foreign_key_holds_the_related_records(tmp_path: Path) -> None:
    # `basket.items` (related_name) and `basket.note_set` (Django's default name) hold the
    # records whose foreign key points at the basket; `related_name="+"` makes no attribute.
    # A dict keyed by those records is no query: its `.values()` reads no rows.
    # The two serials of the URL are one finding whose trace shows where each is read.
    findings = run(tmp_path, REVERSE_RELATIONS)
    assert brief(findings) == [
        "shop/views.py:9:30 IDL003 Serials `Item.id`, `Shelf.id` reach the client (e-mail) "
        "only reversibly encoded by graphql_relay.node.node.to_global_id() (relay global ID "
        "(base64 of Type:pk))",
        "shop/views.py:10:36 IDL001 Serial `Note.id` reaches the client (JsonResponse body) "
        "unprotected",
    ]
    assert [(s.kind, s.location.line, s.message) for s in findings[0].trace] == [
        ("source", 19, "serial primary key `Item.id` is read here"),
        ("transform", 18, "encoded with graphql_relay.node.node.to_global_id(): relay global "
                          "ID (base64 of Type:pk)"),
        ("source", 17, "serial primary key `Shelf.id` is read here"),
        ("transform", 17, "encoded with graphql_relay.node.node.to_global_id(): relay global "
                          "ID (base64 of Type:pk)"),
        ("transform", 21, "placed in a URL"),
        ("call", 9, "returned by Basket.share_path()"),
        ("sink", 9, "reaches the client: e-mail"),
    ]


def test_a_format_template_of_replacement_fields_alone_is_a_conversion(
        tmp_path: Path) -> None:
    # "{}".format(x) is str(x): the serial reaches the mail as it is (IDL001, with the
    # sentence it is in); "{}-{}".format(a, b) still composes an identifier.
    findings = run(tmp_path, {
        "desk/__init__.py": "",
        "desk/models.py": """
            from django.db import models


            class Ticket(models.Model):
                topic = models.CharField(max_length=40)
        """,
        "desk/views.py": """
            from django.core.mail import send_mail
            from django.http import JsonResponse

            from .models import Ticket


            def notify(request, topic):
                t = Ticket.objects.get(topic=topic)
                line = f"Your ticket {t.id} is open"
                send_mail("Ticket", \"\"\"{}\"\"\".format(line), "desk@example.com", [topic])
                return JsonResponse({"ref": "{}-{}".format(t.topic, t.id)})
        """,
    })
    assert brief(findings) == [
        "desk/views.py:10:25 IDL001 Serial `Ticket.id` reaches the client (e-mail) unprotected",
        "desk/views.py:11:33 IDL002 Serial `Ticket.id` is composed into an identifier that "
        "reaches the client (JsonResponse body); composition hides nothing",
    ]


MODEL_PROPERTY_FIELDS = {
    "gallery/__init__.py": "",
    "gallery/models.py": """
        import base64

        from django.db import models


        class Picture(models.Model):
            title = models.CharField(max_length=40)
            owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)

            @property
            def share_ref(self):
                return base64.b64encode(f"Picture:{self.id}".encode()).decode()

            @property
            def short_code(self):
                return self.pk

            def owner_ref(self):
                return self.owner_id

            @property
            def headline(self):
                return self.title.upper()

            @property
            def internal_ref(self):
                return self.id
    """,
    "gallery/serializers.py": """
        from rest_framework import serializers

        from .models import Picture


        class PictureSerializer(serializers.ModelSerializer):
            code = serializers.CharField(source="short_code", read_only=True)

            class Meta:
                model = Picture
                fields = ("share_ref", "owner_ref", "headline", "code", "title")
    """,
}


def test_a_model_property_named_in_a_serializers_fields_is_rendered(tmp_path: Path) -> None:
    # DRF renders a property or method of the model listed in Meta.fields (or named by an
    # explicit field's source) as a read-only field: what it returns reaches the client. A
    # property no serializer names reports nothing.
    findings = run(tmp_path, MODEL_PROPERTY_FIELDS)
    assert brief(findings) == [
        "gallery/models.py:12:16 IDL003 Serial `Picture.id` reaches the client (DRF "
        "ModelSerializer field `share_ref`) only reversibly encoded by base64.b64encode() "
        "(reversible encoding)",
        "gallery/models.py:16:16 IDL001 Serial `Picture.pk` reaches the client (DRF "
        "ModelSerializer field `short_code`) unprotected",
        "gallery/models.py:19:16 IDL001 Serial `Picture.owner_id` reaches the client (DRF "
        "ModelSerializer field `owner_ref`) unprotected",
    ]


def test_an_exception_raised_in_a_graphql_resolver_reaches_the_client(tmp_path: Path) -> None:
    # graphql-core reports str(exception) of whatever a resolver or mutation raises, also an
    # exception built into the raised one; a Flask view's exception is a bare 500.
    findings = run(tmp_path, {
        "post/__init__.py": "",
        "post/models.py": """
            from django.db import models


            class Parcel(models.Model):
                code = models.CharField(max_length=12)


            class Stamp(models.Model):
                parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE,
                                           related_name="stamps")
        """,
        "post/errors.py": """
            class PostError(Exception):
                def __init__(self, message):
                    super().__init__(message)


            class PostErrors(Exception):
                def __init__(self, errors):
                    super().__init__()
                    self.errors = errors
        """,
        "post/schema.py": """
            import graphene
            from flask import Flask

            from .errors import PostError, PostErrors
            from .models import Parcel

            app = Flask(__name__)


            class Query(graphene.ObjectType):
                parcel = graphene.String(code=graphene.String())

                def resolve_parcel(root, info, code):
                    parcel = Parcel.objects.get(code=code)
                    raise PostError(f"Parcel {parcel.id} is held")


            class Redeem(graphene.Mutation):
                ok = graphene.Boolean()

                def mutate(root, info, code):
                    parcel = Parcel.objects.get(code=code)
                    raise PostErrors(errors=[PostError(f"Stamp {s.id} was used")
                                             for s in parcel.stamps.all()])


            @app.route("/parcels/<code>")
            def parcel_page(code):
                parcel = Parcel.objects.get(code=code)
                raise ValueError(f"Parcel {parcel.id} is held")
        """,
    })
    assert brief(findings) == [
        "post/schema.py:15:25 IDL001 Serial `Parcel.id` reaches the client (GraphQL error "
        "message) unprotected",
        "post/schema.py:23:44 IDL001 Serial `Stamp.id` reaches the client (GraphQL error "
        "message) unprotected",
    ]


def test_an_exception_a_resolver_s_helper_raises_reaches_the_client(tmp_path: Path) -> None:
    # The serials in what a function raises are part of its summary, passed on through its
    # callers up to a GraphQL resolver, which reports them where they are raised. A caller
    # with `except` clauses may catch them; a view that is no resolver reports nothing.
    findings = run(tmp_path, {
        "dock/__init__.py": "",
        "dock/models.py": """
            from django.db import models


            class DockError(Exception):
                pass


            class Crate(models.Model):
                code = models.CharField(max_length=12)

                def release(self):
                    if self.code:
                        raise DockError(f"Crate {self.id} is held")
                    return self.code

                def weigh(self):
                    raise DockError(f"Crate {self.pk} has no scale")
        """,
        "dock/schema.py": """
            import graphene

            from .models import Crate, DockError


            def load(code):
                crate = Crate.objects.get(code=code)
                crate.release()
                return crate


            def weight(crate):
                try:
                    return crate.weigh()
                except DockError:
                    return 0


            class Query(graphene.ObjectType):
                crate = graphene.String(code=graphene.String())
                weight = graphene.Int(code=graphene.String())

                def resolve_crate(root, info, code):
                    return load(code).code

                def resolve_weight(root, info, code):
                    return weight(Crate.objects.get(code=code))


            def crate_page(request, code):
                return load(code).code
        """,
    })
    assert brief(findings) == [
        "dock/models.py:13:29 IDL001 Serial `Crate.id` reaches the client (GraphQL error "
        "message) unprotected",
    ]
    assert [(s.kind, s.location.path, s.location.line, s.message)
            for s in findings[0].trace] == [
        ("source", "dock/models.py", 13, "serial primary key `Crate.id` is read here"),
        ("call", "dock/schema.py", 8, "raised by Crate.release()"),
        ("call", "dock/schema.py", 24, "raised by load()"),
        ("sink", "dock/models.py", 13, "reaches the client: GraphQL error message"),
    ]


def test_a_key_read_from_an_untyped_parameter_is_the_argument_s_serial(tmp_path: Path) -> None:
    # `pass_.holder_id` inside a method that takes any object: the serial the caller's value
    # object carries is what it reads, so the codec's JWT carries it. The record comes from
    # a query on a model class the service was given (`self.holders`): its type is unknown
    # but its name tells the model. `pass_.label` is no key and carries nothing.
    findings = run(tmp_path, {
        "gate/__init__.py": "",
        "gate/models.py": """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Holder(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                email = db.Column(db.String(80))
        """,
        "gate/passes.py": """
            import attr
            import jwt


            @attr.s(frozen=True)
            class GatePass:
                holder_id = attr.ib()
                label = attr.ib()


            class PassCodec:
                def dumps(self, pass_):
                    raise NotImplementedError


            class JwtPassCodec(PassCodec):
                def dumps(self, pass_):
                    return jwt.encode({"h": pass_.holder_id}, "k", algorithm="HS256")

                def title(self, pass_):
                    return pass_.label
        """,
        "gate/views.py": """
            from flask import jsonify

            from .models import Holder, db
            from .passes import GatePass, JwtPassCodec


            class PassDesk:
                def __init__(self, codec, holders):
                    self.codec = codec
                    self.holders = holders

                def issue(self, email):
                    holder = db.session.execute(
                        db.select(self.holders).filter_by(email=email)).scalar_one()
                    return self.codec.dumps(GatePass(holder.id, "entry"))

                def name(self, email):
                    holder = db.session.execute(
                        db.select(self.holders).filter_by(email=email)).scalar_one()
                    return JwtPassCodec().title(GatePass(holder.id, "entry"))


            def issue_pass(email):
                desk = PassDesk(JwtPassCodec(), Holder)
                return jsonify(token=desk.issue(email), title=desk.name(email))
        """,
    })
    assert brief(findings) == [
        "gate/views.py:25:26 IDL003 Serial `Holder.id` reaches the client (Flask response "
        "body) only reversibly encoded by jwt.encode() (JWT (the payload is base64, readable "
        "by anyone))",
    ]


def test_flask_login_stores_the_user_s_key_in_the_session_cookie(tmp_path: Path) -> None:
    # login_user(user) writes str(user.id) into Flask's session cookie, which is signed but
    # readable: the user's serial reaches the client encoded. The record is typed (a query)
    # or named for the model (`user` handed over by an authenticator idlint cannot see).
    findings = run(tmp_path, {
        "club/__init__.py": "",
        "club/models.py": """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Rower(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                email = db.Column(db.String(80))
        """,
        "club/views.py": """
            from flask import Blueprint, redirect
            from flask_login import login_user

            from .models import Rower, db

            bp = Blueprint("club", __name__)


            @bp.post("/enter")
            def enter(email):
                login_user(db.session.query(Rower).filter_by(email=email).one())
                return redirect("/")


            def welcome(rower, remember):
                login_user(rower, remember=remember)
                login_user(len(rower.email))
        """,
    })
    assert brief(findings) == [
        "club/views.py:11:16 IDL003 Serial `Rower.id` reaches the client (session cookie, by "
        "flask_login.login_user()) only reversibly encoded by Flask's session cookie (signed, "
        "not encrypted)",
        "club/views.py:16:16 IDL003 Serial `Rower.id` reaches the client (session cookie, by "
        "flask_login.login_user()) only reversibly encoded by Flask's session cookie (signed, "
        "not encrypted)",
    ]


def test_a_model_named_through_its_module_is_the_project_s_class(tmp_path: Path) -> None:
    # `from . import models` then `models.Kiosk`: the attribute of an imported project module
    # is the project's own class (its records and serials), not an unknown library object.
    findings = run(tmp_path, {
        "kiosk/__init__.py": "",
        "kiosk/models.py": """
            from django.db import models


            class Kiosk(models.Model):
                spot = models.CharField(max_length=20)
        """,
        "kiosk/views.py": """
            from django.http import JsonResponse

            from . import models
            from kiosk import models as kiosk_models


            def kiosk_at(request, spot):
                return JsonResponse({"ref": models.Kiosk.objects.get(spot=spot).id})


            def first_kiosk(request):
                return JsonResponse({"ref": kiosk_models.Kiosk.objects.first().pk})
        """,
    })
    assert brief(findings) == [
        "kiosk/views.py:8:33 IDL001 Serial `Kiosk.id` reaches the client (JsonResponse body) "
        "unprotected",
        "kiosk/views.py:12:33 IDL001 Serial `Kiosk.pk` reaches the client (JsonResponse body) "
        "unprotected",
    ]


def test_a_graphql_resolver_returns_the_chosen_record_as_its_annotated_type(
        tmp_path: Path) -> None:
    # A strawberry resolver annotated `-> GuestType | None` hands the record (or the query
    # strawberry_django fetches it from) to a type whose fields, resolvers included, the
    # client selects: a record picked by a client serial sends its personal fields (IDL006).
    # A type without personal fields sends nothing personal.
    findings = run(tmp_path, {
        "lodge/__init__.py": "",
        "lodge/models.py": """
            from django.db import models


            class Guest(models.Model):
                email = models.EmailField()
                first = models.CharField(max_length=40)
                room = models.CharField(max_length=8)
        """,
        "lodge/types.py": """
            import strawberry
            import strawberry_django

            from .models import Guest


            @strawberry_django.type(Guest)
            class GuestType:
                room: strawberry.auto

                @strawberry_django.field
                def fullname(self) -> str:
                    return self.first.title()


            @strawberry_django.type(Guest)
            class RoomType:
                room: strawberry.auto
        """,
        "lodge/queries.py": """
            import strawberry
            import strawberry_django

            from .models import Guest
            from .types import GuestType, RoomType


            @strawberry_django.field
            def guest(number: strawberry.ID) -> GuestType | None:
                return Guest.objects.filter(id=number)


            @strawberry_django.field
            def room(number: strawberry.ID) -> RoomType | None:
                return Guest.objects.filter(id=number).first()
        """,
    })
    assert brief(findings) == [
        "lodge/queries.py:10:5 IDL006 Personal field `Guest.fullname` of a record selected by "
        "a client-chosen serial reaches the client (route response)",
    ]


def test_overrides_of_a_method_a_mutation_base_returns_are_entry_points(
        tmp_path: Path) -> None:
    # Many mutations derive from one base whose mutate() returns what cls.execute() returns:
    # each execute() is an entry point of its own, however many subclasses there are.
    files = {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Rider(models.Model):
                email = models.EmailField()
        """,
        "app/base.py": """
            import graphene


            class Action(graphene.Mutation):
                problems = graphene.List(graphene.String)

                @classmethod
                def mutate(cls, root, info, **data):
                    outcome = cls.execute(root, info, **data)
                    if outcome.problems is None:
                        outcome.problems = []
                    return outcome

                @classmethod
                def execute(cls, root, info, **data):
                    raise NotImplementedError
        """,
        "app/signin.py": """
            import graphene

            from .base import Action
            from .models import Rider


            class SignIn(Action):
                ticket = graphene.String()

                @classmethod
                def execute(cls, root, info, email):
                    rider = Rider.objects.get(email=email)
                    return cls(problems=[], ticket=f"rider-{rider.id}")
        """,
    }
    for i in range(12):
        files[f"app/op{i}.py"] = f"""
            import graphene

            from .base import Action


            class Op{i}(Action):
                done = graphene.Boolean()

                @classmethod
                def execute(cls, root, info, **data):
                    return cls(done=True)
        """
    findings = run(tmp_path, files)
    assert brief(findings) == [
        "app/signin.py:13:40 IDL002 Serial `Rider.id` is composed into an identifier that "
        "reaches the client (route response); composition hides nothing"]


def test_a_library_named_like_a_project_module_is_the_library(tmp_path: Path) -> None:
    # `shop/graphql/__init__.py` and `shop/core/jwt.py` do not hide the graphql and jwt
    # libraries: `from graphql import GraphQLError` is the library's error.
    findings = run(tmp_path, {
        "shop/__init__.py": "",
        "shop/core/__init__.py": "",
        "shop/core/jwt.py": """
            def claims(member):
                return {"sub": member.email}
        """,
        "shop/graphql/__init__.py": "",
        "shop/graphql/errors.py": """
            from graphql import GraphQLError


            def refuse(number):
                raise GraphQLError(f"Ticket {number} is closed")
        """,
        "shop/models.py": """
            from django.db import models


            class Ticket(models.Model):
                code = models.CharField(max_length=8)
        """,
        "shop/tokens.py": """
            from jwt import api_jwt


            def seal(payload):
                return api_jwt.encode(payload, "key", algorithm="HS256")
        """,
        "shop/graphql/schema.py": """
            import graphene

            from ..models import Ticket
            from ..tokens import seal
            from .errors import refuse


            class Query(graphene.ObjectType):
                seal = graphene.String(code=graphene.String())

                def resolve_seal(root, info, code):
                    ticket = Ticket.objects.get(code=code)
                    if ticket.code == "x":
                        refuse(ticket.id)
                    return seal({"ticket": ticket.pk})
        """,
    })
    assert brief(findings) == [
        "shop/graphql/errors.py:5:24 IDL001 Serial `Ticket.id` reaches the client (GraphQL "
        "error message) unprotected",
        "shop/graphql/schema.py:15:16 IDL003 Serial `Ticket.pk` reaches the client (GraphQL "
        "field `seal`) only reversibly encoded by jwt.api_jwt.encode() (JWT (the payload is "
        "base64, readable by anyone))"]


def test_a_forward_reference_names_the_class_of_its_module(tmp_path: Path) -> None:
    # `roots: list["Badge"]` is the module's own GraphQL type Badge, whose `id` is the
    # client's global id, not the model Badge's serial.
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Badge(models.Model):
                label = models.CharField(max_length=20)
        """,
        "app/schema.py": """
            import graphene


            class Badge(graphene.ObjectType):
                id = graphene.ID()

                @staticmethod
                def resolve_refs(roots: list["Badge"], info):
                    return [f"badge-{root.id}" for root in roots]


            def label(badge: "Badge"):
                return f"badge-{badge.id}"
        """,
    })
    assert brief(findings) == []


def test_a_decoded_global_id_type_echoed_in_an_error_is_an_oracle(tmp_path: Path) -> None:
    # graphene.Node.from_global_id (the alias of graphene.relay.Node) decodes the client's id;
    # its type name echoed in the error message is decoded plaintext sent back.
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/ids.py": """
            import graphene
            from graphql import GraphQLError


            def unpack(gid, expected):
                kind, pk = graphene.Node.from_global_id(gid)
                if kind != expected:
                    raise GraphQLError(f"Wanted {expected}, got {kind}")
                return int(pk)
        """,
        "app/schema.py": """
            import graphene

            from .ids import unpack


            class Query(graphene.ObjectType):
                size = graphene.Int(ref=graphene.ID())

                def resolve_size(root, info, ref):
                    return len(str(unpack(ref, "Shelf")))
        """,
    })
    assert brief(findings) == [
        "app/ids.py:8:28 IDL005 Client input decoded by graphene.Node.from_global_id() is "
        "sent back to the client (GraphQL error message): an oracle of a value the client "
        "could read without the server"]


def test_a_project_response_class_deriving_from_django_s_is_a_sink(tmp_path: Path) -> None:
    # A vendored REST layer: the project's own Response keeps its body in `self.data` and
    # hands Django nothing; `Created(Response)` is what the views return. A task queued with
    # `.delay()` answers with the queue's handle, whose `id` is no serial.
    findings = run(tmp_path, {
        "crew/__init__.py": "",
        "crew/models.py": """
            from django.db import models


            class Sailor(models.Model):
                nickname = models.CharField(max_length=40)
        """,
        "crew/replies.py": """
            from django.template.response import SimpleTemplateResponse


            class Reply(SimpleTemplateResponse):
                def __init__(self, data=None, status=None):
                    super().__init__(None, status=status)
                    self.data = data


            class Created(Reply):
                status_code = 201
        """,
        "crew/jobs.py": """
            from celery import shared_task


            @shared_task(bind=True)
            def archive_sailor(self, sailor_id):
                return sailor_id
        """,
        "crew/handlers.py": """
            from . import jobs, replies
            from .models import Sailor


            def enrol(request):
                sailor = Sailor.objects.create(nickname=request.POST["nick"])
                return replies.Created({"sailor": sailor.id})


            def archive(request):
                task = jobs.archive_sailor.delay(request.user.id)
                return replies.Created({"job": task.id})
        """,
    })
    assert brief(findings) == [
        "crew/handlers.py:7:39 IDL001 Serial `Sailor.id` reaches the client (response body) "
        "unprotected",
    ]


def test_a_key_set_in_a_container_an_attribute_holds_is_in_the_attribute(
        tmp_path: Path) -> None:
    # The method field fills the record's JSON column in place and returns the column.
    findings = run(tmp_path, {
        "deck/__init__.py": "",
        "deck/models.py": """
            from django.db import models


            class Sailor(models.Model):
                nickname = models.CharField(max_length=40)


            class Logbook(models.Model):
                entry = models.JSONField()
        """,
        "deck/serializers.py": """
            from rest_framework import serializers

            from .models import Logbook, Sailor


            class LogbookSerializer(serializers.ModelSerializer):
                entry = serializers.SerializerMethodField()

                class Meta:
                    model = Logbook
                    fields = ["entry"]

                def get_entry(self, book):
                    sailor = Sailor.objects.get(nickname=book.entry["nick"])
                    book.entry["sailor"] = {"ref": sailor.pk, "nick": sailor.nickname}
                    return book.entry
        """,
    })
    assert brief(findings) == [
        "deck/serializers.py:16:16 IDL001 Serial `Sailor.pk` reaches the client (serializer "
        "field `entry`) unprotected",
    ]


def test_a_mail_builder_subclass_sends_whatever_template_is_named(tmp_path: Path) -> None:
    # djmail's MagicMailBuilder: any attribute names a template, called with (to, context);
    # the project subclasses it, keeps one builder and picks templates directly or through a
    # variable. The e-mail is built in a task queued with `.delay()` (bound: `self` first).
    findings = run(tmp_path, {
        "harbor/__init__.py": "",
        "harbor/models.py": """
            from django.db import models


            class Vessel(models.Model):
                title = models.CharField(max_length=40)
        """,
        "harbor/mails.py": """
            from djmail import template_mail


            class Postman(template_mail.MagicMailBuilder):
                pass


            postman = Postman()
        """,
        "harbor/jobs.py": """
            from celery import shared_task

            from .mails import postman


            @shared_task(bind=True)
            def announce(self, captain, craft_id):
                link = "https://harbor.example/v/{}/".format(craft_id)
                postman.vessel_ready(captain, {"link": link}).send()
                template = postman.vessel_moved
                template(captain, {"ref": craft_id}).send()
        """,
        "harbor/handlers.py": """
            from . import jobs
            from .models import Vessel


            def launch(request):
                boat = Vessel.objects.create(title=request.POST["title"])
                jobs.announce.delay(request.user.email, boat.pk)
        """,
    })
    assert brief(findings) == [
        "harbor/jobs.py:9:44 IDL008 Serial `Vessel.pk` is placed in a URL (e-mail)",
        "harbor/jobs.py:11:31 IDL001 Serial `Vessel.pk` reaches the client (e-mail) unprotected",
    ]


def test_the_last_definition_of_a_field_is_the_field(tmp_path: Path) -> None:
    # A serializer attribute assigned twice is the last assignment (the nested serializer of
    # `helper`, whose own fields hold no serial); a strawberry annotation overridden by a
    # resolver method of the same name is the method (which returns an opaque code).
    findings = run(tmp_path, {
        "people/__init__.py": "",
        "people/models.py": """
            from django.db import models


            class Person(models.Model):
                code = models.CharField(max_length=12)
                helper = models.ForeignKey("people.Person", on_delete=models.CASCADE)
        """,
        "people/serializers.py": """
            import serpy


            class PersonNameSerializer(serpy.Serializer):
                code = serpy.Field()


            class PersonSerializer(serpy.Serializer):
                helper = serpy.Field(attr="helper_id")
                code = serpy.Field()
                helper = PersonNameSerializer()
        """,
        "people/types.py": """
            import strawberry
            import strawberry_django

            from people import models


            @strawberry_django.type(models.Person)
            class Person:
                id: strawberry.ID

                @strawberry_django.field
                def id(self) -> strawberry.ID:
                    return self.code

                helper_id: strawberry.auto
        """,
    })
    assert brief(findings) == [
        "people/types.py:15:5 IDL001 Serial `Person.helper_id` reaches the client (GraphQL "
        "object type field) unprotected",
    ]


def test_a_record_built_with_a_serial_carries_it_only_in_that_column(tmp_path: Path) -> None:
    # `Challenge(account_id=account.id, code=...)`: the account's serial is the record's
    # `account_id`, not the whole record, so a link built from `challenge.code` and returned
    # next to the record (a tuple unpacked by the caller) holds no serial; the column itself
    # still does.
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from sqlalchemy import Column, ForeignKey, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Account(Base):
                __tablename__ = "account"
                id = Column(Integer, primary_key=True)
                email = Column(String)


            class Challenge(Base):
                __tablename__ = "challenge"
                id = Column(Integer, primary_key=True)
                code = Column(String)
                account_id = Column(Integer, ForeignKey("account.id"))
        """,
        "app/views.py": """
            import secrets

            from flask import Flask, jsonify

            from .models import Account, Challenge

            app = Flask(__name__)


            def start(account):
                challenge = Challenge(account_id=account.id, code=secrets.token_hex())
                link = f"https://example.com/confirm?code={challenge.code}"
                return challenge, link


            @app.route("/confirm/<name>")
            def confirm(name):
                account = Account.query.filter_by(email=name).first()
                challenge, link = start(account)
                return jsonify(link=link, owner=challenge.account_id)
        """,
    })
    assert brief(findings) == [
        "app/views.py:20:37 IDL001 Serial `Challenge.account_id` reaches the client (Flask "
        "response body) unprotected",
    ]


def test_a_custom_queryset_method_returns_records_not_its_arguments(tmp_path: Path) -> None:
    # `Address.objects.of_owner(member.id)` (a method of a custom manager or queryset) filters
    # by the member's serial and answers with addresses, which are not the serial;
    # the first address is a record whose foreign key is one.
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Member(models.Model):
                nickname = models.CharField(max_length=20)


            class AddressQuerySet(models.QuerySet):
                def of_owner(self, owner_id):
                    return self.filter(owner_id=owner_id)


            class Address(models.Model):
                owner = models.ForeignKey(Member, on_delete=models.CASCADE)
                city = models.CharField(max_length=40)

                objects = AddressQuerySet.as_manager()
        """,
        "app/views.py": """
            from django.http import JsonResponse

            from .models import Address, Member


            def addresses(request):
                member = Member.objects.get(nickname=request.GET["nickname"])
                found = Address.objects.of_owner(member.id)
                return JsonResponse({
                    "addresses": found.in_city("Turin"),
                    "first": Address.objects.of_owner(member.id).first().owner_id,
                })
        """,
    })
    assert brief(findings) == [
        "app/views.py:11:18 IDL001 Serial `Address.owner_id` reaches the client (JsonResponse "
        "body) unprotected",
    ]


SQLA_MEMBER = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    nickname: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
"""


def test_a_sqlmodel_integer_key_is_a_serial_and_exec_runs_its_select(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": """
            from sqlmodel import Field, SQLModel


            class Patron(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                phone: str
        """,
        "app/views.py": """
            from fastapi import APIRouter
            from sqlmodel import Session, select

            from .db import engine
            from .models import Patron

            router = APIRouter()


            @router.get("/patrons")
            def patrons(area: str):
                with Session(engine) as session:
                    found = session.exec(select(Patron).where(Patron.phone == area)).first()
                    return {"ref": found.id}
        """,
    })
    assert brief(findings) == [
        "app/views.py:14:24 IDL001 Serial `Patron.id` reaches the client (route response) "
        "unprotected",
    ]


def test_a_column_numbered_by_the_database_is_its_record_s_serial(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": """
            from sqlalchemy import Column, Identity, Integer, Sequence, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Patron(Base):
                __tablename__ = "patrons"
                handle = Column(String(36), primary_key=True)
                card_no = Column(Integer, Identity(start=500), unique=True)
                desk_no = Column(Integer, Sequence("desk_seq"))
                phone = Column(String(20))
        """,
        "app/views.py": """
            from starlette.responses import JSONResponse

            from .db import session
            from .models import Patron


            async def card(request):
                p = session.query(Patron).filter_by(handle=request.query_params["h"]).first()
                return JSONResponse({"card": p.card_no, "desk": p.desk_no})
        """,
    })
    assert [(f.code, f.subject) for f in findings] == [("IDL001", "person")] * 2
    assert brief(findings) == [
        "app/views.py:9:34 IDL001 Serial `Patron.card_no` reaches the client "
        "(response body) unprotected",
        "app/views.py:9:53 IDL001 Serial `Patron.desk_no` reaches the client "
        "(response body) unprotected",
    ]


def test_a_constant_added_to_a_serial_is_a_reversible_encoding(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MEMBER,
        "app/views.py": """
            from fastapi import APIRouter

            from .models import Member

            router = APIRouter()


            @router.get("/number")
            def number(m: Member):
                return {"no": 100000 + m.id, "prev": m.id - 1}
        """,
    })
    assert brief(findings) == [
        "app/views.py:10:19 IDL003 Serial `Member.id` reaches the client (route response) "
        "only reversibly encoded by arithmetic with constants",
        "app/views.py:10:42 IDL003 Serial `Member.id` reaches the client (route response) "
        "only reversibly encoded by arithmetic with constants",
    ]


def test_a_function_defined_in_a_route_and_its_closure(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MEMBER,
        "app/views.py": """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/own")
            def own(session: Session = Depends(get_session)):
                def load():
                    m = session.query(Member).first()
                    return {"member": m.id}

                return load()


            @router.get("/closure")
            def closure(session: Session = Depends(get_session)):
                m = session.query(Member).first()

                def pack():
                    return {"member": m.id}

                return pack()
        """,
    })
    assert brief(findings) == [
        "app/views.py:16:12 IDL001 Serial `Member.id` reaches the client (route response) "
        "unprotected",
        "app/views.py:26:12 IDL001 Serial `Member.id` reaches the client (route response) "
        "unprotected",
    ]
    assert [s.location.line for s in findings[1].trace] == [24, 26, 26]


def test_map_with_a_lambda_reads_each_element_like_a_comprehension(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MEMBER,
        "app/views.py": """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/roster")
            def roster(session: Session = Depends(get_session)):
                rows = session.query(Member).all()
                return {"refs": list(map(lambda r: r.id, rows)),
                        "sizes": list(map(lambda r: len(r.nickname), rows))}
        """,
    })
    assert brief(findings) == [
        "app/views.py:13:21 IDL001 Serial `Member.id` reaches the client (route response) "
        "unprotected",
    ]


def test_a_statement_run_by_the_session_keeps_its_client_selection(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MEMBER,
        "app/views.py": """
            from fastapi import APIRouter, Depends
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            from .db import get_session
            from .models import Member

            router = APIRouter()


            @router.get("/members/{member_id}/phone")
            def phone(member_id: int, session: Session = Depends(get_session)):
                stmt = select(Member).where(Member.id == member_id)
                return {"phone": session.execute(stmt).scalar_one().phone}
        """,
    })
    assert brief(findings) == [
        "app/views.py:14:22 IDL006 Personal field `Member.phone` of a record selected by a "
        "client-chosen serial reaches the client (route response)",
    ]


def test_a_serial_in_a_url_fragment_is_in_a_url(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MEMBER,
        "app/views.py": """
            from fastapi import APIRouter

            from .models import Member

            router = APIRouter()


            @router.get("/anchor")
            def anchor(m: Member):
                return {"anchor": f"#member-{m.id}", "ref": f"m{m.id}"}
        """,
    })
    assert [f.code for f in findings] == ["IDL008", "IDL002"]
    assert findings[0].location.line == findings[1].location.line == 10


DJANGO_PATRON = """
from django.db import models


class Patron(models.Model):
    nickname = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)
"""


def test_the_record_a_generic_view_loads_is_of_its_model(tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": DJANGO_PATRON,
        "app/views.py": """
            from django.http import JsonResponse
            from django.views.generic import DetailView
            from rest_framework import generics
            from rest_framework.response import Response

            from .models import Patron


            class PatronPage(DetailView):
                model = Patron
                slug_field = "nickname"

                def render_to_response(self, context, **kwargs):
                    return JsonResponse({"ref": self.object.id, "phone": self.object.phone})


            class PatronPhone(generics.RetrieveAPIView):
                queryset = Patron.objects.all()

                def retrieve(self, request, *args, **kwargs):
                    found = self.get_object()
                    return Response({"phone": found.phone})


            class OwnPhone(generics.RetrieveAPIView):
                queryset = Patron.objects.all()

                def get_queryset(self):
                    return Patron.objects.filter(nickname=self.request.user.username)

                def retrieve(self, request, *args, **kwargs):
                    return Response({"phone": self.get_object().phone})
        """,
    })
    assert brief(findings) == [
        "app/views.py:14:37 IDL001 Serial `Patron.id` reaches the client (JsonResponse body) "
        "unprotected",
        "app/views.py:22:35 IDL006 Personal field `Patron.phone` of a record selected by a "
        "client-chosen serial reaches the client (DRF Response body)",
    ]
    assert findings[1].trace[0].message == (
        "selects a `Patron` record by the serial in the URL (generic view)")


def test_a_record_returned_through_marshal_with_sends_the_fields_it_names(
        tmp_path: Path) -> None:
    findings = run(tmp_path, {
        "app/models.py": """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()


            class Patron(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                nickname = db.Column(db.String(40))
                phone = db.Column(db.String(20))
        """,
        "app/views.py": """
            from flask_restx import Namespace, Resource, fields, marshal_with

            from .models import Patron

            ns = Namespace("patrons")
            listed = ns.model("Patron", {"id": fields.Integer, "nickname": fields.String})
            public = {"nickname": fields.String}


            class PatronList(Resource):
                @ns.marshal_list_with(listed)
                def get(self):
                    return Patron.query.all()


            class PatronCard(Resource):
                @marshal_with(public)
                def get(self, nick):
                    return Patron.query.filter_by(nickname=nick).first_or_404()
        """,
    })
    assert brief(findings) == [
        "app/views.py:13:9 IDL001 Serial `Patron.id` reaches the client (route response) "
        "unprotected",
    ]


GENERIC_RETRIEVE_MODELS = """
from django.contrib.auth.models import AbstractUser
from django.db import models


class Member(AbstractUser):
    bio = models.TextField()
"""

GENERIC_RETRIEVE_SERIALIZERS = """
from rest_framework import serializers

from .models import Member


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ("username", "first_name", "last_name")


class MemberBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ("username",)
"""


def test_a_generic_drf_retrieve_of_people_is_a_lookup_by_client_serial(tmp_path: Path) -> None:
    # A ModelViewSet or RetrieveAPIView answers GET /<pk>/ with no code of its own: the key
    # selects a record of its queryset and its serializer renders the person's name. Staff-only
    # views, querysets scoped to the requester, serializers without personal fields and views
    # with their own retrieve() (analysed as code) are not reported here.
    findings = run(tmp_path, {
        "app/models.py": GENERIC_RETRIEVE_MODELS,
        "app/serializers.py": GENERIC_RETRIEVE_SERIALIZERS,
        "app/views.py": """
            from rest_framework import generics, viewsets
            from rest_framework.permissions import IsAdminUser
            from rest_framework.response import Response

            from .models import Member
            from .serializers import MemberBriefSerializer, MemberSerializer


            class MemberViewSet(viewsets.ModelViewSet):
                serializer_class = MemberSerializer

                def get_queryset(self):
                    return Member.objects.filter(is_active=True)


            class MemberDetail(generics.RetrieveAPIView):
                queryset = Member.objects.all()

                def get_serializer_class(self):
                    if self.request.user.is_authenticated:
                        return MemberSerializer
                    return MemberBriefSerializer


            class StaffMembers(viewsets.ReadOnlyModelViewSet):
                queryset = Member.objects.all()
                serializer_class = MemberSerializer
                permission_classes = [IsAdminUser]


            class MyMembers(viewsets.ModelViewSet):
                serializer_class = MemberSerializer

                def get_queryset(self):
                    return Member.objects.filter(pk=self.request.user.pk)


            class Briefs(generics.RetrieveAPIView):
                queryset = Member.objects.all()
                serializer_class = MemberBriefSerializer


            class MyOwn(generics.RetrieveAPIView):
                serializer_class = MemberSerializer

                def get_queryset(self):
                    me = self.request.user
                    return Member.objects.filter(id=me.id)


            class OwnRetrieve(viewsets.ModelViewSet):
                queryset = Member.objects.all()
                serializer_class = MemberSerializer

                def retrieve(self, request, *args, **kwargs):
                    return Response({"ok": True})
        """,
    })
    assert brief(findings) == [
        "app/views.py:13:16 IDL006 Personal field `Member.first_name` of a record selected by "
        "a client-chosen serial reaches the client (DRF generic retrieve response)",
        "app/views.py:17:16 IDL006 Personal field `Member.first_name` of a record selected by "
        "a client-chosen serial reaches the client (DRF generic retrieve response)",
    ]
    trace = [s.message for s in findings[1].trace]
    assert trace[0] == ("route parameter `pk` of the generic retrieve of `MemberDetail` "
                        "(client input)")
    assert trace[2] == ("personal field `Member.first_name` of a record the client chose, "
                        "rendered by `MemberSerializer`")


def test_a_serializer_of_a_record_selected_by_client_serial_renders_its_personal_fields(
        tmp_path: Path) -> None:
    # `MemberSerializer(member).data` sends the personal fields the serializer lists of the
    # record the client's serial selected; a serializer without them, or the requester's own
    # record, does not.
    findings = run(tmp_path, {
        "app/models.py": GENERIC_RETRIEVE_MODELS,
        "app/serializers.py": GENERIC_RETRIEVE_SERIALIZERS,
        "app/views.py": """
            from rest_framework.response import Response
            from rest_framework.views import APIView

            from .models import Member
            from .serializers import MemberBriefSerializer, MemberSerializer


            class MemberCard(APIView):
                def post(self, request):
                    member = Member.objects.get(id=request.data["member_id"])
                    return Response({"card": MemberSerializer(member).data})


            class MemberBrief(APIView):
                def post(self, request):
                    member = Member.objects.get(id=request.data["member_id"])
                    return Response(MemberBriefSerializer(member).data)


            class Me(APIView):
                def get(self, request):
                    return Response(MemberSerializer(request.user).data)
        """,
    })
    assert brief(findings) == [
        "app/views.py:11:34 IDL006 Personal field `Member.first_name` of a record selected by "
        "a client-chosen serial reaches the client (DRF Response body)",
    ]
    assert [s.message for s in findings[0].trace][2] == (
        "personal field `Member.first_name` of a record the client chose, rendered by "
        "`MemberSerializer`")


def test_star_parameters_of_a_drf_handler_are_the_url_parameters(tmp_path: Path) -> None:
    # `retrieve(self, *args, **kwargs)` of a viewset takes the URL's parameters, also through
    # str() and re.findall(); a handler of a class that is no view does not.
    findings = run(tmp_path, {
        "app/models.py": GENERIC_RETRIEVE_MODELS,
        "app/views.py": """
            import re

            from rest_framework import viewsets
            from rest_framework.response import Response

            from .models import Member


            class ByKey(viewsets.ModelViewSet):
                def retrieve(self, *args, **kwargs):
                    return Response({"a": Member.objects.get(id=kwargs["pk"]).email})


            class ByPath(viewsets.ViewSet):
                def retrieve(self, *args, **kwargs):
                    key = re.findall(r"(\\d+)", args[0].__str__())[0]
                    return Response({"a": Member.objects.filter(id=key).first().email})


            class Helper:
                def retrieve(self, *args, **kwargs):
                    return Response({"a": Member.objects.get(id=kwargs["pk"]).email})
        """,
    })
    assert brief(findings) == [
        "app/views.py:11:31 IDL006 Personal field `Member.email` of a record selected by a "
        "client-chosen serial reaches the client (DRF Response body)",
        "app/views.py:17:31 IDL006 Personal field `Member.email` of a record selected by a "
        "client-chosen serial reaches the client (DRF Response body)",
    ]


KEYED_MODELS = """
from django.conf import settings
from django.db import models


class Guardian(models.Model):
    first_name = models.CharField(max_length=40)
    email = models.CharField(max_length=80)
    joined = models.DateField()


class Stand(models.Model):
    title = models.CharField(max_length=40)


class Badge(models.Model):
    label = models.CharField(max_length=40)
    holder = models.ForeignKey(Guardian, on_delete=models.CASCADE)
    stand = models.ForeignKey(Stand, on_delete=models.CASCADE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
"""


def test_in_bulk_selects_records_by_the_client_serials(tmp_path: Path) -> None:
    # `M.objects.in_bulk(ids)` answers with a dict of the records the client's serials
    # name: its values(), items and items by key are those records. Among the requester's
    # own (`filter(owner=request.user).in_bulk(ids)`), or by a field that is no serial,
    # nothing was chosen by serial.
    findings = run(tmp_path, {
        "app/models.py": KEYED_MODELS,
        "app/views.py": """
            from django.http import JsonResponse

            from .models import Guardian


            def mails(request):
                found = Guardian.objects.in_bulk(request.POST["ids"])
                return JsonResponse({"mails": [g.email for g in found.values()]})


            def one(request):
                found = Guardian.objects.in_bulk(request.POST["ids"])
                return JsonResponse({"mail": found[int(request.POST["one"])].email})


            def pairs(request):
                found = Guardian.objects.in_bulk(request.POST["ids"])
                return JsonResponse({str(k): g.first_name for k, g in found.items()})


            def mine(request):
                found = Guardian.objects.filter(pk=request.user.pk).in_bulk(request.POST["ids"])
                return JsonResponse({"mails": [g.email for g in found.values()]})


            def by_mail(request):
                found = Guardian.objects.in_bulk(request.POST["m"], field_name="email")
                return JsonResponse({"names": [g.first_name for g in found.values()]})
        """,
    })
    assert brief(findings) == [
        "app/views.py:8:36 IDL006 Personal field `Guardian.email` of a record selected by a "
        "client-chosen serial reaches the client (JsonResponse body)",
        "app/views.py:13:34 IDL006 Personal field `Guardian.email` of a record selected by a "
        "client-chosen serial reaches the client (JsonResponse body)",
        "app/views.py:18:34 IDL006 Personal field `Guardian.first_name` of a record selected "
        "by a client-chosen serial reaches the client (JsonResponse body)",
    ]
    assert [s.message for s in findings[0].trace][1] == (
        "selects a `Guardian` record by this serial")


def test_a_person_a_chosen_record_refers_to_was_chosen_by_the_client(tmp_path: Path) -> None:
    # A record of a thing picked by the client's serial (a badge) leads by one relation to
    # the person it refers to (`badge.holder`): that person's personal fields, read or
    # rendered by a serializer (a method field, a `source`, a nested serializer), reach the
    # client as a lookup's would. The thing's own fields are no person's; badges among the
    # requester's own, the holder's non-personal fields, and badges picked by another
    # thing's key (the badges of a stand: not one record the client named) are not reported.
    findings = run(tmp_path, {
        "app/models.py": KEYED_MODELS,
        "app/serializers.py": """
            from rest_framework import serializers

            from .models import Badge, Guardian


            class GuardianCard(serializers.ModelSerializer):
                class Meta:
                    model = Guardian
                    fields = ("first_name",)


            class BadgeByMethod(serializers.ModelSerializer):
                holder_name = serializers.SerializerMethodField()

                class Meta:
                    model = Badge
                    fields = ("label", "holder_name")

                def get_holder_name(self, obj):
                    return obj.holder.first_name


            class BadgeBySource(serializers.ModelSerializer):
                contact = serializers.CharField(source="holder.email")

                class Meta:
                    model = Badge
                    fields = ("label", "contact")


            class BadgeNested(serializers.ModelSerializer):
                holder = GuardianCard()

                class Meta:
                    model = Badge
                    fields = ("label", "holder")


            class BadgePlain(serializers.ModelSerializer):
                holder_since = serializers.SerializerMethodField()

                class Meta:
                    model = Badge
                    fields = ("label", "holder_since")

                def get_holder_since(self, obj):
                    return obj.holder.joined
        """,
        "app/views.py": """
            from django.http import JsonResponse
            from rest_framework.response import Response
            from rest_framework.views import APIView

            from .models import Badge
            from .serializers import BadgeByMethod, BadgeBySource, BadgeNested, BadgePlain


            def holder(request):
                badge = Badge.objects.get(pk=request.GET["id"])
                return JsonResponse({"who": badge.holder.first_name, "label": badge.label})


            class Holders(APIView):
                def post(self, request):
                    badges = Badge.objects.in_bulk(request.data["ids"])
                    return Response([BadgeByMethod(b).data for b in badges.values()])


            class Contact(APIView):
                def get(self, request, pk):
                    return Response(BadgeBySource(Badge.objects.get(pk=pk)).data)


            class Nested(APIView):
                def get(self, request, pk):
                    return Response(BadgeNested(Badge.objects.get(pk=pk)).data)


            class Since(APIView):
                def get(self, request, pk):
                    badge = Badge.objects.get(pk=pk)
                    return Response({"b": BadgePlain(badge).data, "on": badge.holder.joined})


            class Mine(APIView):
                def post(self, request):
                    badges = Badge.objects.filter(owner=request.user).in_bulk(request.data["ids"])
                    return Response({
                        "who": [b.holder.first_name for b in badges.values()],
                        "cards": [BadgeByMethod(b).data for b in badges.values()],
                    })


            class AtStand(APIView):
                def get(self, request, pk):
                    badge = Badge.objects.filter(stand_id=pk).first()
                    return Response({"who": badge.holder.first_name})
        """,
    })
    assert brief(findings) == [
        "app/views.py:11:33 IDL006 Personal field `Guardian.first_name` of a record selected "
        "by a client-chosen serial reaches the client (JsonResponse body)",
        "app/views.py:17:26 IDL006 Personal field `Guardian.first_name` of a record selected "
        "by a client-chosen serial reaches the client (DRF Response body)",
        "app/views.py:22:25 IDL006 Personal field `Guardian.email` of a record selected by a "
        "client-chosen serial reaches the client (DRF Response body)",
        "app/views.py:27:25 IDL006 Personal field `Guardian.first_name` of a record selected "
        "by a client-chosen serial reaches the client (DRF Response body)",
    ]
    assert [s.message for s in findings[0].trace] == [
        "client input: `request.GET`",
        "selects a `Badge` record by this serial",
        "the `Guardian` that `Badge.holder` refers to",
        "personal field `Guardian.first_name` of a record the client chose",
        "reaches the client: JsonResponse body",
    ]
    assert [s.message for s in findings[1].trace][2] == (
        "personal field `Guardian.first_name` of a record the client chose through "
        "`Badge.holder`, rendered by `BadgeByMethod`")


SHELF_MODELS = """
from django.conf import settings
from django.db import models


class Keeper(models.Model):
    nickname = models.CharField(max_length=40)
    email = models.CharField(max_length=80)


class Shelf(models.Model):
    title = models.CharField(max_length=40)
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


class Parcel(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)
    keeper = models.ForeignKey(Keeper, on_delete=models.CASCADE)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
"""


def test_an_ownership_test_makes_the_record_the_requesters_only_in_its_branch(
        tmp_path: Path) -> None:
    # Within `if rec.<path to a person> == <the requester>:` (`==` or `is`, also through a
    # relation of a relation: `parcel.shelf.curator`) the record is the requester's own, as
    # after a check that refuses the others; in the else branch and after the if it is
    # still the one the client chose.
    findings = run(tmp_path, {
        "app/models.py": SHELF_MODELS,
        "app/views.py": """
            from django.http import JsonResponse

            from .models import Parcel


            def sort_parcels(request):
                found = Parcel.objects.in_bulk(request.POST["ids"])
                kept, refused = [], []
                for parcel in found.values():
                    if parcel.shelf.curator == request.user:
                        kept.append(parcel.keeper.email)
                    else:
                        refused.append(parcel.keeper.email)
                return JsonResponse({"kept": kept, "refused": refused})


            def sent(request):
                parcel = Parcel.objects.get(pk=request.POST["id"])
                mails = []
                if parcel.sender_id is request.user.id:
                    mails.append(parcel.keeper.email)
                return JsonResponse({"mails": mails, "one": parcel.keeper.email})
        """,
    })
    assert brief(findings) == [
        "app/views.py:14:51 IDL006 Personal field `Keeper.email` of a record selected by a "
        "client-chosen serial reaches the client (JsonResponse body)",
        "app/views.py:22:49 IDL006 Personal field `Keeper.email` of a record selected by a "
        "client-chosen serial reaches the client (JsonResponse body)",
    ]


def test_every_value_of_a_multi_value_request_field_is_client_input(tmp_path: Path) -> None:
    # `getlist` (Django's QueryDict, werkzeug's MultiDict, Starlette's QueryParams) and
    # aiohttp's `getall` give all the values the client sent under one name.
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.db import models


            class Lodger(models.Model):
                mobile = models.CharField(max_length=20)
        """,
        "app/views.py": """
            from django.http import JsonResponse

            from .models import Lodger


            def mobiles(request):
                picked = Lodger.objects.in_bulk(request.POST.getlist("ids"))
                return JsonResponse({"mobiles": [x.mobile for x in picked.values()]})


            def count(request):
                picked = Lodger.objects.in_bulk(request.GET.getlist("ids"))
                return JsonResponse({"count": len(picked)})
        """,
    })
    assert brief(findings) == [
        "app/views.py:8:38 IDL006 Personal field `Lodger.mobile` of a record selected by a "
        "client-chosen serial reaches the client (JsonResponse body)"]


def test_getattr_by_a_name_that_only_ever_holds_written_strings(tmp_path: Path) -> None:
    # `sort_key` is "rank" or "position" (a field of the queue, no serial), so the record's
    # serials are not read; a name assigned anything else, or a parameter, may read any field
    findings = run(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": """
            from django.contrib.auth.models import AbstractUser
            from django.db import models


            class Rower(AbstractUser):
                pass


            class Slot(models.Model):
                rower = models.ForeignKey(Rower, on_delete=models.CASCADE)
                rank = models.IntegerField()
                position = models.IntegerField()
            """,
        "app/views.py": """
            from django.http import JsonResponse

            from .models import Slot


            def reorder(request, slug, heat):
                slot = Slot.objects.get(label=slug)
                sort_key = "rank"
                if heat:
                    sort_key = "position"
                return JsonResponse({"start": getattr(slot, sort_key)})


            def pick(request, slug, field):
                slot = Slot.objects.get(label=slug)
                chosen = "rank" if field else request.GET["f"]
                return JsonResponse({"value": getattr(slot, chosen)})


            def any_field(request, slug, field):
                return JsonResponse({"value": getattr(Slot.objects.get(label=slug), field)})
            """,
    })
    assert [(f.code, f.location.line, f.message) for f in findings] == [
        ("IDL001", 17, "Serials `Slot.id`, `Slot.pk`, `Slot.rower_id` reach the client "
                       "(JsonResponse body) unprotected"),
        ("IDL001", 21, "Serials `Slot.id`, `Slot.pk`, `Slot.rower_id` reach the client "
                       "(JsonResponse body) unprotected")]


def test_the_implicit_join_table_of_a_many_to_many_relation(tmp_path: Path) -> None:
    # `Deck.viewers.through` is Django's table of (deck, account) pairs: an object record
    # (`deck_id`, `account_id`), so the account serializer nested in it renders people a record
    # refers to (a medium warning, 4.5, not a person's own representation's 6.5), and its
    # `account_id` is one too
    files = {
        "app/__init__.py": "",
        "app/models.py": """
            from django.contrib.auth.models import AbstractUser
            from django.db import models


            class Account(AbstractUser):
                pass


            class Deck(models.Model):
                title = models.CharField(max_length=80)
                viewers = models.ManyToManyField(Account, related_name="decks_seen")
            """,
        "app/serializers.py": """
            from rest_framework import serializers

            from .models import Account, Deck


            class AccountBriefSerializer(serializers.ModelSerializer):
                class Meta:
                    model = Account
                    fields = ("id", "username")


            class DeckViewerSerializer(serializers.ModelSerializer):
                account = AccountBriefSerializer(read_only=True)

                class Meta:
                    model = Deck.viewers.through
                    fields = ("account_id", "account")
            """,
        "app/views.py": """
            from rest_framework import generics

            from .models import Deck
            from .serializers import DeckViewerSerializer


            class DeckViewers(generics.ListAPIView):
                serializer_class = DeckViewerSerializer
                queryset = Deck.viewers.through.objects.all()
            """,
    }
    findings = run(tmp_path, files)
    assert [(f.code, f.location.path, f.location.line, f.security_severity, f.message)
            for f in findings] == [
        ("IDL001", "app/serializers.py", 9, 4.5,
         "Serial `Account.id` reaches the client (DRF ModelSerializer field) unprotected"),
        ("IDL001", "app/serializers.py", 17, 4.5,
         "Serial `Deck_viewers.account_id` reaches the client (DRF ModelSerializer field) "
         "unprotected")]
