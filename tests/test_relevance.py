"""Who sees a value decides whether it is a finding (the relevance issue): code that only
staff reach is not a client sink."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from idlint.api import scan
from idlint.config import Config
from idlint.severity import band

MODELS = """
from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=9)
"""

VIEWS = """
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required, permission_required, user_passes_test
from django.http import JsonResponse
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Member


class MemberAdmin(admin.ModelAdmin):
    def lookup(self, request):
        return JsonResponse({"id": Member.objects.get(nickname="x").id})


@staff_member_required
def staff_view(request):
    return JsonResponse({"id": Member.objects.get(nickname="x").id})


@user_passes_test(lambda u: u.is_superuser)
def superuser_view(request):
    return JsonResponse({"id": Member.objects.get(nickname="x").id})


@permission_required("app.view_member")
def permitted_view(request):
    return JsonResponse({"id": Member.objects.get(nickname="x").id})


class AdminApi(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request):
        return Response({"id": Member.objects.get(nickname="x").id})


@api_view(["GET"])
@permission_classes([IsAdminUser])
def admin_function_api(request):
    return Response({"id": Member.objects.get(nickname="x").id})


@user_passes_test(lambda u: u.is_active)
def active_user_view(request):
    return JsonResponse({"id": Member.objects.get(nickname="x").id})


@login_required
def member_view(request):
    return JsonResponse({"id": Member.objects.get(nickname="x").id})


class UserApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"id": Member.objects.get(nickname="x").id})
"""


def test_staff_only_code_is_not_a_client_sink(tmp_path: Path) -> None:
    for name, text in {"app/__init__.py": "", "app/models.py": MODELS,
                       "app/views.py": VIEWS}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    assert [(f.location.line, f.code) for f in report.findings] == [
        (48, "IDL001"), (53, "IDL001"), (60, "IDL001")]


def test_an_email_sent_from_admin_code_still_counts(tmp_path: Path) -> None:
    views = """
from django.contrib import admin
from django.core.mail import send_mail

from .models import Member


class MemberAdmin(admin.ModelAdmin):
    def approve(self, request, queryset):
        for m in Member.objects.filter(pk__in=queryset):
            send_mail("Welcome", f"Set your password: https://example.com/set/{m.id}",
                      "x@example.com", ["y@example.com"])
"""
    for name, text in {"app/__init__.py": "", "app/models.py": MODELS,
                       "app/admin.py": views}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    assert [(f.location.line, f.code, f.message) for f in report.findings] == [
        (10, "IDL001", "Serial `Member.id` reaches the client (e-mail) unprotected")]


def test_booleans_and_comparisons_of_serials_carry_no_serial(tmp_path: Path) -> None:
    views = """
from django.http import JsonResponse

from .models import Member


def flags(request):
    m = Member.objects.get(nickname="x")
    other = Member.objects.get(nickname="y")
    return JsonResponse({
        "same": m.id and m.id != other.id,
        "known": m.id is not None,
        "truthy": bool(m.id),
        "first": not m.id,
        "guarded": m.nickname and m.id,
    })
"""
    for name, text in {"app/__init__.py": "", "app/models.py": MODELS,
                       "app/views.py": views}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    # only `m.nickname and m.id`, which is the serial whenever the nickname is set
    assert [(f.location.line, f.location.column, f.code) for f in report.findings] == [
        (14, 35, "IDL001")]


PEOPLE_AND_OBJECTS = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models


        class Account(AbstractUser):
            pass


        class Profile(models.Model):
            account = models.OneToOneField(Account, on_delete=models.CASCADE)
            bio = models.TextField()


        class Lead(models.Model):
            email = models.CharField(max_length=80)


        class ProjectMember(models.Model):
            role = models.CharField(max_length=20)
            account = models.ForeignKey(Account, on_delete=models.CASCADE)


        class Ticket(models.Model):
            title = models.CharField(max_length=80)
            author = models.ForeignKey(Account, on_delete=models.CASCADE)
            lead = models.ForeignKey(Lead, on_delete=models.CASCADE)
            board = models.ForeignKey("Board", on_delete=models.CASCADE)


        class Board(models.Model):
            title = models.CharField(max_length=80)
    """,
    "shop/tables.py": """
        from sqlalchemy import Column, ForeignKey, Integer
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()


        class Note(Base):
            __tablename__ = "note"
            id = Column(Integer, primary_key=True)
            owner_id = Column(Integer, ForeignKey("accounts.id"))
            folder_id = Column(Integer, ForeignKey("folders.id"))
    """,
    "shop/views.py": """
        from django.http import JsonResponse

        from .models import Lead, Profile, ProjectMember, Ticket
        from .tables import Note


        def show(request, slug):
            t = Ticket.objects.get(title=slug)
            p = Profile.objects.get(bio=slug)
            return JsonResponse({
                "ticket": t.id,
                "author": t.author_id,
                "lead": t.lead_id,
                "board": t.board_id,
                "profile": p.id,
                "lead_id": Lead.objects.get(email=slug).id,
                "member": ProjectMember.objects.get(role=slug).id,
            })


        def note(request, db, slug):
            n = db.query(Note).filter(Note.id == 1).first()
            return JsonResponse({"note": n.id, "owner": n.owner_id, "folder": n.folder_id})
    """,
}


def _write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")


def _subjects(tmp_path: Path, select: tuple[str, ...] | None) -> list[tuple[str, str, str]]:
    _write(tmp_path, PEOPLE_AND_OBJECTS)
    config = Config(root=tmp_path, select=select) if select else Config(root=tmp_path)
    report = scan([tmp_path], config, jobs=1, use_cache=False)
    return [(f.message.split("`")[1], f.subject, f.severity) for f in report.findings]


def test_default_run_reports_the_serials_of_people_only(tmp_path: Path) -> None:
    # a user model's key (through its profile, a one-to-one), a foreign key to the user, to a
    # model with an e-mail and to a model named for a person; a foreign key named for a
    # person whose table idlint cannot see
    assert _subjects(tmp_path, None) == [
        ("Ticket.author_id", "person", "error"),
        ("Ticket.lead_id", "person", "error"),
        ("Profile.id", "person", "error"),
        ("Lead.id", "person", "error"),
        ("ProjectMember.id", "person", "error"),
        ("Note.owner_id", "person", "error"),
    ]


def test_object_serials_are_reported_as_notes_when_idl009_is_selected(tmp_path: Path) -> None:
    objects = [s for s in _subjects(tmp_path, ("ALL",)) if s[1] == "object"]
    assert objects == [
        ("Ticket.id", "object", "note"),
        ("Ticket.board_id", "object", "note"),
        ("Note.id", "object", "note"),
        ("Note.folder_id", "object", "note"),
    ]


def test_a_role_named_model_that_is_a_person_by_name_only_is_a_credit_record(
        tmp_path: Path) -> None:
    # a band's line-up: `StageHand` and `GigPerformer` are a name and a job on a gig, people
    # only by their class name (a role held in something), so their keys are objects'; a
    # role with an account, one with a contact field, one an account lists, one whose
    # qualifier is itself a person's word, a profile, a plain `Member` and a role with no
    # printed name (a fan club's handle) stay people
    _write(tmp_path, {
        "gigs/__init__.py": "",
        "gigs/models.py": """
            from django.contrib.auth.models import AbstractUser
            from django.db import models


            class Account(AbstractUser):
                crews = models.ManyToManyField("CrewMember")


            class Gig(models.Model):
                title = models.CharField(max_length=80)


            class StageMember(models.Model):
                name = models.CharField(max_length=80)
                job = models.CharField(max_length=80)
                gig = models.ForeignKey(Gig, on_delete=models.CASCADE)


            class GigPlayer(models.Model):
                name = models.CharField(max_length=80)
                gig = models.ForeignKey(Gig, on_delete=models.CASCADE)


            class BandMember(models.Model):
                name = models.CharField(max_length=80)
                account = models.ForeignKey(Account, on_delete=models.CASCADE)


            class ChoirMember(models.Model):
                name = models.CharField(max_length=80)
                mobile = models.CharField(max_length=20)


            class CrewMember(models.Model):
                name = models.CharField(max_length=80)


            class UserMember(models.Model):
                name = models.CharField(max_length=80)


            class FanMember(models.Model):
                fan = models.OneToOneField(Account, on_delete=models.CASCADE)


            class Member(models.Model):
                name = models.CharField(max_length=80)


            class FanClubMember(models.Model):
                nickname = models.CharField(max_length=80)
        """,
        "gigs/views.py": """
            from django.http import JsonResponse

            from .models import (
                BandMember, ChoirMember, CrewMember, FanClubMember, FanMember, GigPlayer, Member,
                StageMember, UserMember,
            )


            def show(request, slug):
                return JsonResponse({
                    "stage": StageMember.objects.get(job=slug).id,
                    "player": GigPlayer.objects.get(name=slug).id,
                    "band": BandMember.objects.get(name=slug).id,
                    "choir": ChoirMember.objects.get(name=slug).id,
                    "crew": CrewMember.objects.get(name=slug).id,
                    "user": UserMember.objects.get(name=slug).id,
                    "fan": FanMember.objects.get(pk=1).id,
                    "member": Member.objects.get(name=slug).id,
                    "fan_club": FanClubMember.objects.get(nickname=slug).id,
                })
        """,
    })
    people = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(f.code, f.location.line, f.message) for f in people.findings] == [
        ("IDL001", line, f"Serial `{model}.id` reaches the client (JsonResponse body) unprotected")
        for line, model in ((13, "BandMember"), (14, "ChoirMember"), (15, "CrewMember"),
                            (16, "UserMember"), (17, "FanMember"), (18, "Member"),
                            (19, "FanClubMember"))]
    every = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    assert [(f.message.split("`")[1], f.subject) for f in every.findings
            if f.subject == "object"] == [("StageMember.id", "object"), ("GigPlayer.id", "object")]


def test_groups_places_and_things_are_not_people(tmp_path: Path) -> None:
    # a squad's account with an e-mail and a password, a hall with an e-mail and an address,
    # a squad's mailbox, a photo book "of a user": named for a group, a place or a thing,
    # so neither their keys nor foreign keys to them (known or not) are a person's; a role
    # in a group (`SquadMember` -> `TeamMember`) and a user model are still people
    _write(tmp_path, {
        "club/__init__.py": "",
        "club/models.py": """
            from django.contrib.auth.models import AbstractUser
            from django.db import models


            class Account(AbstractUser):
                pass


            class Teams(models.Model):
                email = models.CharField(max_length=80)
                password = models.CharField(max_length=80)


            class Venue(models.Model):
                email = models.CharField(max_length=80)
                address = models.CharField(max_length=80)


            class TeamContact(models.Model):
                email = models.CharField(max_length=80)
                full_name = models.CharField(max_length=80)


            class AlbumUser(models.Model):
                title = models.CharField(max_length=80)
                owner = models.ForeignKey(Account, on_delete=models.CASCADE)


            class TeamMember(models.Model):
                team = models.ForeignKey(Teams, on_delete=models.CASCADE)
                email = models.CharField(max_length=80)


            class Seat(models.Model):
                venue = models.ForeignKey(Venue, on_delete=models.CASCADE)
        """,
        "club/tables.py": """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()


            class Award(Base):
                __tablename__ = "award"
                id = Column(Integer, primary_key=True)
                team_id = Column(Integer, ForeignKey("squads.id"))
                team_contact_id = Column(Integer, ForeignKey("mailboxes.id"))
                team_owner_id = Column(Integer, ForeignKey("owners.id"))
        """,
        "club/views.py": """
            from django.http import JsonResponse

            from .models import AlbumUser, Seat, TeamContact, TeamMember, Teams, Venue
            from .tables import Award


            def show(request, slug):
                seat = Seat.objects.get(label=slug)
                return JsonResponse({
                    "team": Teams.objects.get(email=slug).id,
                    "venue": Venue.objects.get(email=slug).id,
                    "seat_venue": seat.venue_id,
                    "contact": TeamContact.objects.get(email=slug).id,
                    "album": AlbumUser.objects.get(title=slug).id,
                    "album_owner": AlbumUser.objects.get(title=slug).owner_id,
                    "member": TeamMember.objects.get(email=slug).id,
                })


            def award(request, db, slug):
                a = db.query(Award).filter(Award.id == 1).first()
                return JsonResponse({"team": a.team_id, "contact": a.team_contact_id,
                                     "owner": a.team_owner_id})
        """,
    })
    report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(f.location.line, f.message.split("`")[1], f.subject) for f in report.findings] == [
        (15, "AlbumUser.owner_id", "person"),
        (16, "TeamMember.id", "person"),
        (23, "Award.team_owner_id", "person"),
    ]


def test_a_project_user_with_a_uuid_key_overrides_the_base_and_the_library_user(
        tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/models.py": """
            import uuid

            from sqlalchemy import Column, Integer, Uuid
            from sqlalchemy.orm import DeclarativeBase


            class Base(DeclarativeBase):
                id = Column(Integer, primary_key=True)


            class User(Base):
                __tablename__ = "users"
                id = Column(Uuid, primary_key=True, default=uuid.uuid4)
        """,
        "app/views.py": """
            from fastapi import APIRouter

            router = APIRouter()


            @router.get("/me")
            def me(user=None):
                return {"id": user.id}
        """,
    }
    _write(tmp_path, files)
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    assert [f.code for f in report.findings] == []


def test_of_the_library_models_only_the_user_is_a_person(tmp_path: Path) -> None:
    _write(tmp_path, {
        "app/__init__.py": "",
        "app/views.py": """
            from django.contrib.auth.models import Group, User
            from django.http import JsonResponse


            def show(request, name):
                return JsonResponse({"user": User.objects.get(username=name).id,
                                     "group": Group.objects.get(name=name).id})
        """,
    })
    report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(f.location.line, f.location.column, f.code, f.subject, f.message)
            for f in report.findings] == [
        (6, 34, "IDL001", "person",
         "Serial `User.id` reaches the client (JsonResponse body) unprotected")]


FLASK_GUARDS = """
from flask import jsonify
from flask.views import MethodView

from .guards import admin_required, gate, login_required, roles_required
from .models import Member

IsAdmin = gate.has("admin")
IsMember = gate.has("member")


class AdminPanel(MethodView):
    decorators = [gate.requires(IsAdmin, on_fail="back")]

    def get(self):
        return jsonify(id=Member.query.first().id)


class MemberPanel(MethodView):
    decorators = [gate.requires(IsMember)]

    def get(self):
        return jsonify(id=Member.query.first().id)


@admin_required
def admin_view():
    return jsonify(id=Member.query.first().id)


@roles_required("staff")
def staff_view():
    return jsonify(id=Member.query.first().id)


@roles_required("member")
def member_view():
    return jsonify(id=Member.query.first().id)


@login_required
def login_view():
    return jsonify(id=Member.query.first().id)
"""

FLASK_MEMBER = """
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String)
"""


def test_guards_that_require_an_admin_are_staff_only(tmp_path: Path) -> None:
    # Recognised by the words of the guard and of its requirement, wherever they come from:
    # a MethodView's `decorators`, `@admin_required`, `@roles_required("staff")`.
    _write(tmp_path, {"app/__init__.py": "", "app/models.py": FLASK_MEMBER,
                      "app/guards.py": "", "app/views.py": FLASK_GUARDS})
    report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(f.location.path, f.location.line, f.code) for f in report.findings] == [
        ("app/views.py", 22, "IDL001"), ("app/views.py", 37, "IDL001"),
        ("app/views.py", 42, "IDL001")]


ONE_HELPER = {
    "app/__init__.py": "",
    "app/models.py": FLASK_MEMBER,
    "app/views.py": """
from flask import jsonify

from .models import Member


def card(member):
    return {"member": member.id, "mail": "hidden"}


def first():
    return jsonify(card(Member.query.first()))


def second():
    return jsonify([card(m) for m in Member.query.all()])


def third():
    return jsonify(owner=card(Member.query.first()))
""",
}


def test_one_cause_is_one_finding_with_its_sinks(tmp_path: Path) -> None:
    # The helper reads the serial; three routes send it. One finding where the fix goes,
    # naming the other sinks, each with its own trace.
    from idlint.catalog import load_catalog
    from idlint.report.sarif import render_sarif

    _write(tmp_path, ONE_HELPER)
    report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(f.location.path, f.location.line, f.code, f.message) for f in report.findings] == [
        ("app/views.py", 7, "IDL001", "Serial `Member.id` reaches the client (Flask response "
                                      "body) unprotected; and 2 more sinks")]
    finding = report.findings[0]
    assert [t[-1].location.line for t in (finding.trace, *finding.more_sinks)] == [11, 15, 19]
    sarif = json.loads(render_sarif(report, load_catalog())[0])
    result = sarif["runs"][0]["results"][0]
    assert len(result["codeFlows"]) == 3
    assert [r["physicalLocation"]["region"]["startLine"] for r in result["relatedLocations"]] \
        == [7, 15, 19]


def test_a_foreign_key_to_a_model_with_a_uuid_key_is_no_serial(tmp_path: Path) -> None:
    # The target lives in a module read after the one declaring the key: its UUID key still
    # decides. The order's own id is a serial (an object's, under IDL009).
    _write(tmp_path, {
        "app/__init__.py": "",
        "app/orders.py": """
from django.db import models
from django.http import JsonResponse


class Order(models.Model):
    buyer = models.ForeignKey("app.Visitor", on_delete=models.CASCADE)


def show(request):
    order = Order.objects.get(pk=1)
    return JsonResponse({"buyer": order.buyer_id, "order": order.id})
""",
        "app/visitors.py": """
import uuid

from django.db import models


class Visitor(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    email = models.EmailField()
""",
    })
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    assert [(f.location.line, f.code, f.message) for f in report.findings] == [
        (11, "IDL001", "Serial `Order.id` reaches the client (JsonResponse body) unprotected")]


SCHEMA_USES = {
    "crew/__init__.py": "",
    "crew/models.py": """
        from flask_login import UserMixin
        from flask_marshmallow import Marshmallow
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        ma = Marshmallow()


        class Rower(db.Model, UserMixin):
            id = db.Column(db.Integer, primary_key=True)
            alias = db.Column(db.String(40))


        class Lap(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            rower_id = db.Column(db.Integer, db.ForeignKey("rower.id"))
            coach_id = db.Column(db.Integer, db.ForeignKey("rower.id"))
            seconds = db.Column(db.Integer)


        class Remark(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            writer_id = db.Column(db.Integer, db.ForeignKey("rower.id"))
    """,
    "crew/schemas.py": """
        from marshmallow import fields

        from .models import Lap, Remark, Rower, ma


        class LapSchema(ma.ModelSchema):
            class Meta:
                model = Lap
                include_fk = True

            shown = {
                "public": ["seconds"],
                "coach": ["seconds", "coach_id"],
                "admin": ["id", "seconds", "rower_id", "coach_id"],
            }

            def __init__(self, view=None, *args, **kwargs):
                if view:
                    kwargs["only"] = self.shown[view]
                super(LapSchema, self).__init__(*args, **kwargs)


        class RemarkSchema(ma.ModelSchema):
            writer = fields.Nested("RowerSchema", only=["alias"])

            class Meta:
                model = Remark
                include_fk = True


        class RowerSchema(ma.ModelSchema):
            class Meta:
                model = Rower


        class LapExportSchema(ma.ModelSchema):
            class Meta:
                model = Lap
                include_fk = True
    """,
    "crew/export.py": """
        from .schemas import LapExportSchema


        def export_laps(laps):
            return LapExportSchema(only=["seconds"], many=True).dump(laps)


        def export_class():
            return LapExportSchema
    """,
    "crew/views.py": """
        from flask import Flask

        from .models import Lap, Remark, Rower
        from .schemas import LapSchema, RemarkSchema, RowerSchema

        app = Flask(__name__)


        def admins_only(f):
            return f


        @app.route("/laps")
        def laps():
            return LapSchema(view="public", many=True).dump(Lap.query.all())


        @app.route("/laps/as/<view>")
        def laps_as(view):
            return LapSchema(view, many=True).dump(Lap.query.all())


        @app.route("/admin/laps")
        @admins_only
        def admin_laps():
            return LapSchema(view="admin", many=True).dump(Lap.query.all())


        @app.route("/admin/remarks")
        @admins_only
        def remarks():
            return RemarkSchema(many=True).dump(Remark.query.all())


        @app.route("/rowers")
        def rowers():
            return {"names": RowerSchema(only=["alias"], many=True).dump(Rower.query.all()),
                    "more": RowerSchema(exclude=("id",), many=True).dump(Rower.query.all())}
    """,
}


def test_a_schema_field_counts_only_where_an_instance_for_a_client_dumps_it(
        tmp_path: Path) -> None:
    # Every instantiation of a schema is known: `only=`, `exclude=` and a view of the class's
    # views mapping (applied by its constructor) choose the fields each dumps; the admin view
    # and instances in staff-only routes reach no client. A view chosen at run time may be any
    # non-admin view: `coach_id` is reported, `rower_id` (admin view only), the remark's
    # writer (admin route only) and the rower's id (left out by both instances) are not. A
    # schema also named otherwise (returned as a class) may be used in any way: all its fields.
    _write(tmp_path, SCHEMA_USES)
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",)), jobs=1, use_cache=False)
    assert [(f.location.path, f.location.line, f.code, f.message) for f in report.findings] == [
        ("crew/schemas.py", 13, "IDL001", "Serial `Lap.coach_id` reaches the client "
         "(marshmallow-sqlalchemy schema field) unprotected"),
        ("crew/schemas.py", 38, "IDL001", "Serial `Lap.coach_id` reaches the client "
         "(marshmallow-sqlalchemy schema field) unprotected")]


def test_things_named_in_long_and_short_form_and_businesses_are_not_people(
        tmp_path: Path) -> None:
    # a language and a licence have a full name and a short one; a gym, a warehouse, an
    # event and a support queue an e-mail, a phone or an address: none is a person, nor is a
    # foreign key to one. A model with a full name and no short name is still one, and so
    # are a gym's customer and a registration for an event (a person's record in one).
    _write(tmp_path, {
        "fit/__init__.py": "",
        "fit/models.py": """
            from django.db import models


            class Language(models.Model):
                short_name = models.CharField(max_length=2)
                full_name = models.CharField(max_length=40)


            class Licence(models.Model):
                full_name = models.CharField(max_length=80)
                abbreviation = models.CharField(max_length=12)


            class Gym(models.Model):
                email = models.EmailField()
                phone = models.CharField(max_length=20)
                street = models.CharField(max_length=80)


            class Trainer(models.Model):
                full_name = models.CharField(max_length=80)


            class Event(models.Model):
                email = models.EmailField()


            class SupportQueue(models.Model):
                email_address = models.EmailField()


            class GymCustomer(models.Model):
                gym = models.ForeignKey(Gym, on_delete=models.CASCADE)
                phone = models.CharField(max_length=20)


            class EventRegistration(models.Model):
                event = models.ForeignKey("Event", on_delete=models.CASCADE)
                email = models.EmailField()


            class Plan(models.Model):
                language = models.ForeignKey(Language, on_delete=models.CASCADE)
                licence = models.ForeignKey(Licence, on_delete=models.CASCADE)
                gym = models.ForeignKey(Gym, on_delete=models.CASCADE)
                trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE)
                event = models.ForeignKey(Event, on_delete=models.CASCADE)
                queue = models.ForeignKey(SupportQueue, on_delete=models.CASCADE)
        """,
        "fit/views.py": """
            from django.http import JsonResponse

            from .models import EventRegistration, GymCustomer, Plan


            def show(request, slug):
                plan = Plan.objects.get(title=slug)
                return JsonResponse({
                    "language": plan.language_id,
                    "licence": plan.licence_id,
                    "gym": plan.gym_id,
                    "trainer": plan.trainer_id,
                    "event": plan.event_id,
                    "queue": plan.queue_id,
                    "customer": GymCustomer.objects.get(phone=slug).id,
                    "registration": EventRegistration.objects.get(email=slug).id,
                })
        """,
    })
    report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
    assert [(f.location.line, f.message.split("`")[1], f.subject) for f in report.findings] == [
        (12, "Plan.trainer_id", "person"),
        (15, "GymCustomer.id", "person"),
        (16, "EventRegistration.id", "person"),
    ]


def test_the_relation_every_view_selects_the_requester_by_is_their_own(
        tmp_path: Path) -> None:
    # every view of the serializer selects the readings by `owner=request.user`: the owner
    # rendered is the requester (low, not reported by default); who checked a reading is
    # someone else. A view that selects through the owner (`owner__team`) does not count.
    models = """
        from django.conf import settings
        from django.db import models


        class Reading(models.Model):
            owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                      related_name="readings")
            checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                           related_name="checks")
            value = models.IntegerField()
    """
    views = """
        from rest_framework import serializers, viewsets

        from .models import Reading


        class ReadingSerializer(serializers.ModelSerializer):
            class Meta:
                model = Reading
                fields = ["owner", "checked_by", "value"]


        class Mine(viewsets.ModelViewSet):
            serializer_class = ReadingSerializer

            def get_queryset(self):
                return Reading.objects.filter(owner_id=self.request.user.pk)
    """
    _write(tmp_path, {"lab/__init__.py": "", "lab/models.py": models, "lab/views.py": views})
    report = scan([tmp_path], Config(root=tmp_path, min_severity="low"), jobs=1,
                  use_cache=False)
    assert [(f.location.line, f.message.split("`")[1], band(f.security_severity))
            for f in report.findings] == [
        (9, "Reading.owner_id", "low"),
        (9, "Reading.checked_by_id", "medium"),
    ]
    team = views + """

        class Team(viewsets.ModelViewSet):
            serializer_class = ReadingSerializer

            def get_queryset(self):
                return Reading.objects.filter(owner__team=self.request.user.team)
    """
    _write(tmp_path, {"lab/views.py": team})
    report = scan([tmp_path], Config(root=tmp_path, min_severity="low"), jobs=1,
                  use_cache=False)
    assert [(f.location.line, f.message.split("`")[1], band(f.security_severity))
            for f in report.findings] == [
        (9, "Reading.owner_id", "medium"),
        (9, "Reading.checked_by_id", "medium"),
    ]


def test_a_queued_task_answers_with_its_handle_not_its_arguments(tmp_path: Path) -> None:
    # the task is a library's (idlint cannot follow it): the handle's id is the queue's, not
    # the member's serial the task was given
    _write(tmp_path, {
        "jobs/__init__.py": "",
        "jobs/models.py": MODELS,
        "jobs/views.py": """
            from django.http import JsonResponse
            from django.shortcuts import redirect
            from reports.tasks import build_report

            from .models import Member


            def start(request, nick):
                m = Member.objects.get(nickname=nick)
                queued = build_report.apply_async(kwargs={"member_id": m.id})
                return redirect(f"/wait?task={queued.id}")


            def start_now(request, nick):
                m = Member.objects.get(nickname=nick)
                return JsonResponse({"task": build_report.delay(m.id).id})


            def echo(request, nick):
                m = Member.objects.get(nickname=nick)
                return JsonResponse({"ref": build_report.describe(m.id)})
        """,
    })
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",), min_severity="low"),
                  jobs=1, use_cache=False)
    assert [(f.location.line, f.code, f.message.split("`")[1]) for f in report.findings] == [
        (21, "IDL001", "Member.id"),
    ]
