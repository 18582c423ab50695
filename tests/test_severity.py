"""Severity follows from whose serial, its protection, who sees it and the confidence; the
`--min-severity` option and `min-severity` setting filter by its band."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from idlint.cli import main
from idlint.severity import band, level, score

MODELS = """
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    pass


class Shelf(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE)
"""

VIEWS = """
from django.core.mail import send_mail
from django.http import JsonResponse

from .models import Shelf, User


def me(request):
    return JsonResponse({"id": request.user.id})


def tell_friend(request):
    send_mail("hi", f"your friend is user {request.user.id}", "a@example.com", ["b@x.org"])


def shelf(request):
    s = Shelf.objects.get(pk=1)
    return JsonResponse({"owner": s.owner_id, "shelf": s.id})


def profile(request, pk):
    u = User.objects.get(pk=pk)
    return JsonResponse({"mail": u.email})
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in {"app/__init__.py": "", "app/models.py": MODELS,
                       "app/views.py": VIEWS}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def scores(*args: str) -> list[tuple[int, str, str, float | None, str | None]]:
    result = CliRunner().invoke(main, ["--format", "json", "--no-cache", *args, "app"],
                                catch_exceptions=False)
    doc = json.loads(result.stdout)
    return [(f["range"]["start"]["line"], f["code"], f["severity"], f["security_severity"],
             f["severity_band"]) for f in doc["findings"]]


def test_whose_serial_and_who_sees_it_set_the_severity(project: Path) -> None:
    # The user's own id returned to them is low; the same id e-mailed to someone else keeps
    # the rule's score; a person's foreign key (Django's implicit `_id`, medium confidence)
    # is medium; the shelf's own id (an object, opted in with IDL009) is low; a lookup that
    # returns a person's e-mail is high.
    assert scores("--select", "ALL") == [
        (8, "IDL001", "note", 2.0, "low"),
        (12, "IDL001", "error", 6.5, "medium"),
        (17, "IDL001", "error", 6.0, "medium"),
        (17, "IDL001", "note", 3.1, "low"),
        (22, "IDL006", "error", 8.2, "high"),
    ]


def test_min_severity_keeps_the_bands_at_or_above(project: Path) -> None:
    assert [s[:2] for s in scores("--select", "ALL", "--min-severity", "medium")] == [
        (12, "IDL001"), (17, "IDL001"), (22, "IDL006")]
    assert [s[:2] for s in scores("--min-severity", "high")] == [(22, "IDL006")]


def test_min_severity_from_the_configuration(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.idlint]\nmin-severity = "high"\n',
                                            encoding="utf-8")
    assert [s[:2] for s in scores()] == [(22, "IDL006")]
    (project / "pyproject.toml").write_text('[tool.idlint]\nmin-severity = "severe"\n',
                                            encoding="utf-8")
    result = CliRunner().invoke(main, ["--no-cache", "app"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "'min-severity' must be one of low, medium, high, critical, got 'severe'" in \
        result.stderr


def test_the_score_scheme() -> None:
    assert score(6.5, "person", "high") == 6.5
    assert score(6.5, "person", "medium") == 6.0
    assert score(6.5, "person", "low") == 5.0
    assert score(8.2, "object", "high") == 3.1
    assert score(7.1, "person", "high", own=True) == 2.0
    assert score(6.5, "person", "high", relation=True) == 4.5
    assert score(6.5, "person", "high", own=True, relation=True) == 2.0
    assert score(7.5, "", "high", readable=True) == 3.0
    assert [band(v) for v in (0.1, 3.9, 4.0, 6.9, 7.0, 9.0)] == [
        "low", "low", "medium", "medium", "high", "critical"]
    assert [level(v) for v in (3.9, 4.0, 5.9, 6.0)] == ["note", "warning", "warning", "error"]


def test_low_findings_are_shown_only_when_asked(project: Path) -> None:
    # By default the user's own id (low) is left out; `--min-severity low` or selecting
    # IDL009 (whose objects' serials are low) shows it.
    assert [s[:2] for s in scores()] == [(12, "IDL001"), (17, "IDL001"), (22, "IDL006")]
    assert [s[:2] for s in scores("--min-severity", "low")] == [
        (8, "IDL001"), (12, "IDL001"), (17, "IDL001"), (22, "IDL006")]
    assert [s[:2] for s in scores("--extend-select", "IDL009")] == [
        (8, "IDL001"), (12, "IDL001"), (17, "IDL001"), (17, "IDL001"), (22, "IDL006")]


FASTAPI_ME = {
    "app/__init__.py": "",
    "app/models.py": """
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Account(Base):
    __tablename__ = "account"
    id = Column(Integer, primary_key=True)
    email = Column(String)
""",
    "app/views.py": """
from typing import Annotated

from fastapi import APIRouter, Depends

from .models import Account


def get_current_user() -> Account:
    ...


CurrentUser = Annotated[Account, Depends(get_current_user)]
router = APIRouter()


@router.get("/me")
def me(user: CurrentUser):
    return {"id": user.id}


@router.get("/me/plain")
def me_plain(me: Account = Depends(get_current_user)):
    return {"id": me.id}


@router.get("/peer")
def peer(other: Account):
    return {"id": other.id}
""",
}


def test_the_requester_from_a_dependency_is_their_own(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A FastAPI dependency that names the current user gives the requester: their own id is
    # low; any other account's id keeps its score.
    for name, text in FASTAPI_ME.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert scores("--select", "ALL") == [
        (18, "IDL001", "note", 2.0, "low"),
        (23, "IDL001", "note", 2.0, "low"),
        (28, "IDL001", "error", 6.5, "medium"),
    ]


TASKS = {
    "app/__init__.py": "",
    "app/models.py": """
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    pass


class Task(models.Model):
    title = models.CharField(max_length=80)
    owner = models.ForeignKey(User, on_delete=models.CASCADE)
    assignee = models.ForeignKey(User, on_delete=models.CASCADE)
    watchers = models.ManyToManyField(User)
""",
    "app/serializers.py": """
from rest_framework import serializers

from .models import Task, User


class TaskSerializer(serializers.ModelSerializer):
    author = serializers.IntegerField(source="owner.id")

    class Meta:
        model = Task
        fields = ["title", "owner", "assignee"]


class WatchersSerializer(serializers.ModelSerializer):
    watchers = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all())

    class Meta:
        model = Task
        fields = ["watchers"]


class AssigneeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="assignee_id")

    class Meta:
        model = Task
        fields = ["title"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email"]
""",
    "app/anonymous.py": """
from rest_framework import serializers

from .models import Task


class BoardTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["owner"]
""",
}


def test_a_person_the_rendered_record_refers_to_is_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A task's owner, assignee and watchers rendered with the task (foreign keys, the
    # owner's key through the relation, a many-to-many's keys): whoever sees the task may
    # see who they are, but their serial is the key to everything else of theirs. A medium
    # warning (4.5), reported by default, below a person's key served as the `id` of a
    # representation, a person's own representation and an anonymous context (errors).
    for name, text in TASKS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert scores("--min-severity", "low") == [
        (9, "IDL007", "error", 6.6, "medium"),
        (7, "IDL001", "warning", 4.5, "medium"),
        (11, "IDL001", "warning", 4.5, "medium"),
        (11, "IDL001", "warning", 4.5, "medium"),
        (15, "IDL001", "warning", 4.5, "medium"),
        (23, "IDL001", "error", 6.0, "medium"),
        (33, "IDL001", "error", 6.5, "medium"),
    ]
    assert [s[:2] for s in scores()] == [(9, "IDL007"), (7, "IDL001"), (11, "IDL001"),
                                         (11, "IDL001"), (15, "IDL001"), (23, "IDL001"),
                                         (33, "IDL001")]


def write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


FLASK_REQUESTER = {
    "app/__init__.py": "",
    "app/models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class Account(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            email = db.Column(db.String(128))
            team_id = db.Column(db.Integer, db.ForeignKey("team.id"))
            team = db.relationship("Team", foreign_keys=[team_id])


        class Team(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            captain_id = db.Column(db.Integer, db.ForeignKey("account.id"))


        class Vote(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            voter_id = db.Column(db.Integer, db.ForeignKey("account.id"))
            score = db.Column(db.Integer)
        """,
    "app/auth.py": """
        from flask import session

        from .models import Account, Vote


        def logged_in_account():
            if "uid" not in session:
                return None
            return Account.query.filter_by(id=session["uid"]).first()


        def account_by_key(key):
            return Account.query.filter_by(id=key).first()


        def votes_by(voter):
            return Vote.query.filter(Vote.voter_id == voter).all()
        """,
    "app/views.py": """
        from flask import Blueprint, jsonify, request

        from .auth import account_by_key, logged_in_account, votes_by
        from .models import Account, Vote, db

        bp = Blueprint("votes", __name__)


        @bp.route("/whoami")
        def whoami():
            me = logged_in_account()
            return jsonify({"id": me.id})


        @bp.route("/vote", methods=["POST"])
        def vote():
            me = logged_in_account()
            v = Vote(voter_id=me.id, score=request.json["score"])
            db.session.add(v)
            return jsonify({"voter": v.voter_id, "vote": v.id})


        @bp.route("/my-votes")
        def my_votes():
            me = logged_in_account()
            return jsonify([{"voter": v.voter_id} for v in
                            Vote.query.filter_by(voter_id=me.id).all()])


        @bp.route("/by-mail")
        def by_mail():
            again = Account.query.filter_by(email=logged_in_account().email).first()
            return jsonify({"id": again.id})


        @bp.route("/votes")
        def votes():
            return jsonify([{"voter": v.voter_id} for v in Vote.query.all()])


        @bp.route("/account")
        def account():
            return jsonify({"id": account_by_key(request.args["key"]).id})


        @bp.route("/my-team")
        def my_team():
            team = logged_in_account().team
            return jsonify({"team": team.id, "captain": team.captain_id})


        @bp.route("/my-votes/again")
        def my_votes_again():
            return jsonify([{"voter": v.voter_id} for v in votes_by(logged_in_account().id)])


        @bp.route("/votes/of")
        def votes_of():
            return jsonify([{"voter": v.voter_id} for v in votes_by(request.args["voter"])])
        """,
}


def test_the_requester_from_a_project_helper_and_their_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A helper that looks the account up by the session's key returns the requester: their
    # id is low. So is the foreign key of a vote made for them or selected by them, the
    # account looked up by their e-mail and the key of their team, also when a helper
    # selects the votes by the voter it is given and is given the requester; the vote's own
    # id is an object's (low), and any other account's id, any vote's voter or their team's
    # captain keeps its score.
    write(tmp_path, FLASK_REQUESTER)
    monkeypatch.chdir(tmp_path)
    assert scores("--select", "ALL") == [
        (12, "IDL001", "note", 2.0, "low"),
        (20, "IDL001", "note", 2.0, "low"),
        (20, "IDL001", "note", 3.1, "low"),
        (26, "IDL001", "note", 2.0, "low"),
        (33, "IDL001", "note", 2.0, "low"),
        (38, "IDL001", "error", 6.5, "medium"),
        (43, "IDL001", "error", 6.5, "medium"),
        (49, "IDL001", "note", 2.0, "low"),
        (49, "IDL001", "error", 6.5, "medium"),
        (54, "IDL001", "note", 2.0, "low"),
        (59, "IDL001", "error", 6.5, "medium"),
    ]


GRAPHQL_ME = {
    "app/__init__.py": "",
    "app/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models


        class User(AbstractUser):
            pass


        class Ticket(models.Model):
            holder = models.ForeignKey(User, on_delete=models.CASCADE)
        """,
    "app/types.py": """
        import strawberry
        import strawberry_django

        from . import models


        @strawberry_django.type(models.User)
        class User:
            id: strawberry.auto
            email: strawberry.auto


        @strawberry_django.type(models.Ticket)
        class Ticket:
            id: strawberry.auto
            holder_id: strawberry.auto
        """,
    "app/queries.py": """
        import strawberry
        import strawberry_django
        from django.contrib.auth import authenticate

        from . import models
        from .types import Ticket, User


        @strawberry_django.field
        def viewer(info) -> User:
            return info.context.request.user


        @strawberry.type
        class SignedIn:
            user: User


        @strawberry.type
        class BadPassword:
            message: str = "wrong"


        @strawberry.mutation
        def sign_in(info, email: str, password: str) -> SignedIn | BadPassword:
            user = authenticate(email=email, password=password)
            if user is None:
                return BadPassword()
            return SignedIn(user=user)


        @strawberry_django.field
        def my_tickets(info) -> list[Ticket]:
            return models.Ticket.objects.filter(holder=info.context.request.user)
        """,
}

PUBLIC_QUERIES = """

@strawberry_django.field
def person(info, id: int) -> User:
    return models.User.objects.get(pk=id)


@strawberry_django.field
def tickets(info) -> list[Ticket]:
    return models.Ticket.objects.all()
"""


def test_a_graphql_type_rendered_only_for_the_requester_is_their_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `viewer` returns the requester and `sign_in` the user who just signed in: the only
    # ways to the `User` type, so its id is the requester's own (low); the tickets are
    # selected by their holder, the requester, so `holder_id` is theirs too. Once another
    # type renders any ticket's holder (`holder: strawberry.auto`), or a public query the
    # same types, their ids keep their scores.
    write(tmp_path, GRAPHQL_ME)
    monkeypatch.chdir(tmp_path)
    assert [s for s in scores("--select", "ALL") if s[0] in (9, 16)] == [
        (9, "IDL001", "note", 2.0, "low"),
        (16, "IDL001", "note", 2.0, "low"),
    ]
    with (tmp_path / "app/types.py").open("a", encoding="utf-8") as f:
        f.write("\n\n@strawberry_django.type(models.Ticket)\nclass TicketHolder:\n"
                "    holder: strawberry.auto\n")
    assert [s for s in scores("--select", "ALL") if s[0] == 9] == [
        (9, "IDL001", "error", 6.5, "medium")]
    write(tmp_path, {"app/types.py": GRAPHQL_ME["app/types.py"]})
    with (tmp_path / "app/queries.py").open("a", encoding="utf-8") as f:
        f.write(PUBLIC_QUERIES)
    # (`holder_id` is then a person the rendered ticket refers to: a medium warning)
    assert [s for s in scores("--select", "ALL") if s[0] in (9, 16)] == [
        (9, "IDL001", "error", 6.5, "medium"),
        (16, "IDL001", "warning", 4.5, "medium"),
    ]


FASTAPI_SETTINGS = {
    "app/__init__.py": "",
    "app/models.py": """
        from pydantic import BaseModel
        from sqlalchemy import Column, ForeignKey, Integer, String
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()


        class Account(Base):
            __tablename__ = "account"
            id = Column(Integer, primary_key=True)
            email = Column(String)


        class Prefs(Base):
            __tablename__ = "prefs"
            id = Column(Integer, primary_key=True)
            account_id = Column(Integer, ForeignKey("account.id"))


        class PrefsRead(BaseModel):
            id: int
            account_id: int
        """,
    "app/service.py": """
        from .models import Prefs


        def get_prefs(*, db_session, account_id: int):
            return db_session.query(Prefs).filter(Prefs.account_id == account_id).one_or_none()


        def save_prefs(*, db_session, prefs: Prefs) -> Prefs:
            db_session.add(prefs)
            return prefs
        """,
    "app/views.py": """
        from typing import Annotated

        from fastapi import APIRouter, Depends

        from .models import Account, PrefsRead
        from .service import get_prefs, save_prefs


        def get_current_user() -> Account:
            ...


        CurrentUser = Annotated[Account, Depends(get_current_user)]
        router = APIRouter()


        @router.get("/me/prefs", response_model=PrefsRead)
        def my_prefs(db_session, current_user: CurrentUser):
            return get_prefs(db_session=db_session, account_id=current_user.id)


        @router.put("/me/prefs", response_model=PrefsRead)
        def update_my_prefs(db_session, current_user: CurrentUser):
            prefs = get_prefs(db_session=db_session, account_id=int(current_user.id))
            return save_prefs(db_session=db_session, prefs=prefs)
        """,
}

OTHERS_PREFS = """

@router.get("/prefs/{account_id}", response_model=PrefsRead)
def prefs_of(db_session, account_id: int):
    return get_prefs(db_session=db_session, account_id=account_id)
"""


def test_a_response_model_served_only_from_the_requesters_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A service selects the preferences by the account it is given; both routes that
    # declare the response model give it the requester's, so its `account_id` is theirs
    # (low, 2.0); its `id` is an object's. Another model that nests it, or a route that
    # serves anyone's, makes it count again: as a person the rendered record refers to (4.5).
    write(tmp_path, FASTAPI_SETTINGS)
    monkeypatch.chdir(tmp_path)
    assert [s for s in scores("--select", "ALL") if s[0] == 22] == [
        (22, "IDL001", "note", 2.0, "low")]
    with (tmp_path / "app/models.py").open("a", encoding="utf-8") as f:
        f.write('\n\nclass AccountRead(BaseModel):\n    prefs: "PrefsRead | None" = None\n')
    assert [s for s in scores("--select", "ALL") if s[0] == 22] == [
        (22, "IDL001", "warning", 4.5, "medium")]
    write(tmp_path, {"app/models.py": FASTAPI_SETTINGS["app/models.py"]})
    with (tmp_path / "app/views.py").open("a", encoding="utf-8") as f:
        f.write(OTHERS_PREFS)
    assert [s for s in scores("--select", "ALL") if s[0] == 22] == [
        (22, "IDL001", "warning", 4.5, "medium")]


SHARED_RECORDS = {
    "app/__init__.py": "",
    "app/models.py": """
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    pass


class Board(models.Model):
    title = models.CharField(max_length=80)


class Seat(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    board = models.ForeignKey(Board, on_delete=models.CASCADE)
    email = models.EmailField()


class Card(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE)
    followers = models.ManyToManyField(User)


class Contact(models.Model):
    name = models.CharField(max_length=80)
    owner = models.ForeignKey(User, on_delete=models.CASCADE)
""",
    "app/serializers.py": """
from rest_framework import serializers

from .models import Card, Contact, Seat, User


class PersonBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class CardSerializer(serializers.ModelSerializer):
    follower_ids = serializers.SerializerMethodField()
    followers = PersonBriefSerializer(many=True)
    watching = serializers.PrimaryKeyRelatedField(many=True, source="followers", read_only=True)

    class Meta:
        model = Card
        fields = ["board", "follower_ids", "followers", "watching"]

    def get_follower_ids(self, obj):
        return [user.id for user in obj.followers.all()]


class SeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Seat
        fields = ["id", "user", "board"]


class ContactSerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "key"]

    def get_key(self, obj):
        return obj.id


class ContactCardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name"]


class ContactRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name"]
""",
    "app/views.py": """
from django.db.models import Prefetch
from rest_framework import generics, viewsets
from rest_framework.response import Response

from .models import Card, Contact, Seat, User
from .ranking import ranked
from .serializers import (
    CardSerializer,
    ContactCardSerializer,
    ContactRowSerializer,
    ContactSerializer,
    ProfileSerializer,
    SeatSerializer,
)


class Cards(generics.ListAPIView):
    queryset = Card.objects.all()
    serializer_class = CardSerializer


class Seats(generics.ListAPIView):
    queryset = Seat.objects.all()
    serializer_class = SeatSerializer


class Profiles(generics.ListAPIView):
    queryset = User.objects.all()
    serializer_class = ProfileSerializer


class MyContacts(viewsets.ModelViewSet):
    serializer_class = ContactSerializer

    def get_queryset(self):
        return Contact.objects.filter(owner=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return Response(ContactSerializer(page, many=True).data)


class RankedContacts(generics.ListAPIView):
    serializer_class = ContactCardSerializer

    def get_queryset(self):
        return ranked(Contact.objects.all(), viewer=self.request.user)


class ContactsWithMySeats(generics.ListAPIView):
    serializer_class = ContactRowSerializer

    def get_queryset(self):
        return Contact.objects.prefetch_related(
            Prefetch("owner__seat_set", queryset=Seat.objects.filter(user=self.request.user)))
""",
    "app/ranking.py": """
def ranked(queryset, viewer):
    return queryset.order_by("name")
""",
}


def test_people_listed_on_a_record_and_the_requesters_own_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # People a record refers to are a medium warning whatever the shape: a many-to-many of
    # primary keys (also through `source=`), a method field's list of ids, a person serializer
    # nested only in object records' serializers, a join record's (a board seat's) key of its
    # user. A person serializer a view serves and a join record's own `id` keep their score.
    # A serializer whose every view filters its queryset by the requester renders the
    # requester's own records: their key is low, also from a method field. A queryset only
    # given the requester by some other call, or by a prefetch of other records, is not.
    write(tmp_path, SHARED_RECORDS)
    monkeypatch.chdir(tmp_path)
    assert scores("--select", "ALL", "--min-severity", "low") == [
        (9, "IDL001", "warning", 4.5, "medium"),
        (15, "IDL001", "error", 6.5, "medium"),
        (21, "IDL001", "warning", 4.5, "medium"),
        (25, "IDL001", "note", 3.1, "low"),
        (28, "IDL001", "warning", 4.5, "medium"),
        (34, "IDL001", "error", 6.5, "medium"),
        (34, "IDL001", "warning", 4.5, "medium"),
        (34, "IDL001", "note", 3.1, "low"),
        (42, "IDL001", "note", 2.0, "low"),
        (45, "IDL001", "note", 2.0, "low"),
        (51, "IDL001", "error", 6.5, "medium"),
        (57, "IDL001", "error", 6.5, "medium"),
    ]
    result = CliRunner().invoke(main, ["--format", "json", "--no-cache", "--select", "ALL",
                                       "--min-severity", "low", "app"], catch_exceptions=False)
    messages = {(f["range"]["start"]["line"], f["trace"][-1]["message"], f["trace"][0]["message"])
                for f in json.loads(result.stdout)["findings"]}
    # (`obj.followers.all()` are User records: no guess from the name `user`)
    assert (28, "reaches the client: serializer field `follower_ids` (a person the rendered "
            "record refers to)", "serial primary key `User.id` is read here") in messages
    assert (45, "reaches the client: serializer field `key`", "serial primary key `Contact.id` "
            "is read here (the requesting user's own)") in messages
    assert [s[:2] for s in scores()] == [(9, "IDL001"), (15, "IDL001"), (21, "IDL001"),
                                         (28, "IDL001"), (34, "IDL001"), (34, "IDL001"),
                                         (51, "IDL001"), (57, "IDL001")]


def test_a_persons_response_model_keeps_its_score(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # A response model is declared by routes, not nested in other classes' fields: a
    # person's model served by a route is their own representation (this once crashed the
    # check of where a person's representation is nested).
    write(tmp_path, {
        "app/__init__.py": "",
        "app/routes.py": """
            from fastapi import APIRouter
            from pydantic import BaseModel


            class MemberRead(BaseModel):
                id: int
                email: str


            router = APIRouter()


            @router.get("/members/{member_id}", response_model=MemberRead)
            def read_member(member_id: int):
                return {"id": member_id, "email": "a@example.com"}
            """,
    })
    monkeypatch.chdir(tmp_path)
    assert scores("--select", "ALL", "--min-severity", "low") == [
        (6, "IDL001", "error", 6.0, "medium")]


ORACLES = {
    "app/__init__.py": "",
    "app/views.py": """
from cryptography.fernet import Fernet
from django.core import signing
from django.http import JsonResponse

BOX = Fernet(b"k" * 44)


def open_ticket(request):
    return JsonResponse({"seat": BOX.decrypt(request.GET["t"].encode()).decode()})


def read_pass(request):
    return JsonResponse({"pass": signing.loads(request.GET["p"])})
""",
}


def test_an_oracle_of_a_readable_value_is_low(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Decrypting gives away plaintext the client could not see: high. The payload of a
    # signed token was readable before the server decoded it: low, and left out by default.
    for name, text in ORACLES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert scores("--select", "ALL") == [
        (9, "IDL005", "error", 7.5, "high"),
        (13, "IDL005", "note", 3.0, "low"),
    ]
    assert scores() == [(9, "IDL005", "error", 7.5, "high")]
    found = json.loads(CliRunner().invoke(
        main, ["--no-cache", "--format", "json", "--min-severity", "low", "."]).stdout)
    assert [f["message"] for f in found["findings"]] == [
        "Client input decrypted by cryptography.fernet.Fernet.decrypt() is sent back to the "
        "client (JsonResponse body): a decryption oracle",
        "Client input decoded by django.core.signing.loads() is sent back to the client "
        "(JsonResponse body): an oracle of a value the client could read without the "
        "server"]

GRAPHQL_MINE = {
    "app/__init__.py": "",
    "app/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models


        class User(AbstractUser):
            pass


        class Enrollment(models.Model):
            member = models.ForeignKey(User, on_delete=models.CASCADE)
            full_name = models.CharField(max_length=80)


        class BadgeQuerySet(models.QuerySet):
            def held_by(self, person):
                return self.filter(holder=person)


        class Badge(models.Model):
            holder = models.ForeignKey(User, on_delete=models.CASCADE)
            full_name = models.CharField(max_length=80)
            objects = BadgeQuerySet.as_manager()
        """,
    "app/types.py": """
        import strawberry
        import strawberry_django

        from . import models


        @strawberry_django.type(models.Enrollment)
        class Enrollment:
            id: strawberry.auto


        @strawberry_django.type(models.Badge)
        class Badge:
            id: strawberry.auto


        @strawberry_django.type(models.User)
        class Viewer:
            email: strawberry.auto

            @strawberry_django.field
            def enrollment(self) -> Enrollment | None:
                return models.Enrollment.objects.filter(member_id=self.id).first()

            @strawberry_django.field
            def badges(self) -> list[Badge]:
                return models.Badge.objects.held_by(self.id)
        """,
    "app/queries.py": """
        import strawberry
        import strawberry_django

        from . import models
        from .types import Enrollment, Viewer


        @strawberry_django.field
        def viewer(info) -> Viewer:
            return info.context.request.user


        @strawberry.type
        class Refused:
            reason: str


        @strawberry.mutation
        def enroll(info, full_name: str) -> Enrollment | Refused:
            if not full_name:
                return Refused(reason="empty")
            return models.Enrollment.objects.create(member=info.context.request.user,
                                                    full_name=full_name)
        """,
}


def test_records_made_for_or_picked_by_the_requester_are_their_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An enrollment is rendered by the mutation that creates it for the requester (beside an
    # error type) and by a field of the `Viewer` type, which renders only the requester, that
    # picks it by the viewer's key (`filter(member_id=self.id)`); badges by a custom queryset
    # method that filters by its parameter (`held_by(self.id)`). Their ids are the
    # requester's own (low). A public query of enrollments makes the enrollment's id count
    # again; one of viewers, the badge's (the viewer's key is then anyone's).
    write(tmp_path, GRAPHQL_MINE)
    monkeypatch.chdir(tmp_path)
    assert scores("--min-severity", "low") == [
        (9, "IDL001", "note", 2.0, "low"),
        (14, "IDL001", "note", 2.0, "low"),
    ]
    with (tmp_path / "app/queries.py").open("a", encoding="utf-8") as f:
        f.write("\n\n@strawberry_django.field\ndef enrollment(info, id: int) -> Enrollment:\n"
                "    return models.Enrollment.objects.get(pk=id)\n")
    assert scores("--min-severity", "low") == [
        (9, "IDL001", "error", 6.5, "medium"),
        (14, "IDL001", "note", 2.0, "low"),
    ]
    write(tmp_path, {"app/queries.py": GRAPHQL_MINE["app/queries.py"]})
    with (tmp_path / "app/queries.py").open("a", encoding="utf-8") as f:
        f.write("\n\n@strawberry_django.field\ndef member(info, id: int) -> Viewer:\n"
                "    return models.User.objects.get(pk=id)\n")
    assert scores("--min-severity", "low") == [
        (28, "IDL006", "error", 8.2, "high"),  # (the member's e-mail, in queries.py)
        (9, "IDL001", "error", 6.5, "medium"),
        (14, "IDL001", "error", 6.5, "medium"),
    ]


GALLERY = {
    "app/__init__.py": "",
    "app/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models


        class Member(AbstractUser):
            pass


        class Gallery(models.Model):
            title = models.CharField(max_length=80)
            curator = models.ForeignKey(Member, on_delete=models.CASCADE)
            viewers = models.ManyToManyField(Member, related_name="viewable")
    """,
    "app/serializers.py": """
        from rest_framework import serializers

        from .models import Gallery, Member


        class GallerySerializer(serializers.ModelSerializer):
            viewers = serializers.PrimaryKeyRelatedField(many=True,
                                                         queryset=Member.objects.all())
            edited_by = serializers.IntegerField(source="curator_id")

            class Meta:
                model = Gallery
                fields = ["title", "viewers", "edited_by"]
    """,
    "app/views.py": """
        from rest_framework import generics

        from .models import Gallery
        from .serializers import GallerySerializer


        class GalleryList(generics.ListAPIView):
            queryset = Gallery.objects.all()
            serializer_class = GallerySerializer
    """,
}


def test_people_a_shared_record_lists_are_reported_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A gallery's viewers (a many-to-many of members) and its curator's foreign key, rendered
    # with every gallery: the members' serials reach whoever lists galleries. Medium
    # warnings (4.5): in the default run, below a person's own representation.
    write(tmp_path, GALLERY)
    monkeypatch.chdir(tmp_path)
    assert scores() == [
        (7, "IDL001", "warning", 4.5, "medium"),
        (9, "IDL001", "warning", 4.5, "medium"),
    ]
    result = CliRunner().invoke(main, ["--format", "json", "--no-cache", "app"],
                                catch_exceptions=False)
    found = [(f["range"]["start"]["line"], f["message"], f["trace"][-1]["message"])
             for f in json.loads(result.stdout)["findings"]]
    assert found == [
        (7, "Serial `Member.id` reaches the client (DRF ModelSerializer field) unprotected",
         "reaches the client: DRF ModelSerializer field `id` (a person the rendered "
         "record refers to)"),
        (9, "Serial `Gallery.curator_id` reaches the client (DRF ModelSerializer field) "
         "unprotected",
         "reaches the client: DRF ModelSerializer field `curator_id` (a person the rendered "
         "record refers to)"),
    ]
    assert [s[:2] for s in scores("--min-severity", "high")] == []
