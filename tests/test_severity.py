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
    assert score(6.5, "person", "high", relation=True) == 3.5
    assert score(6.5, "person", "high", own=True, relation=True) == 2.0
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


def test_a_person_the_rendered_record_refers_to_is_low(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # A task's owner and assignee rendered with the task (foreign keys, or the owner's key
    # through the relation) are what whoever sees the task sees anyway: low, hidden by
    # default. A list of people (a many-to-many), a person's key served as the `id` of a
    # representation, a person's own representation and an anonymous context keep theirs.
    for name, text in TASKS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert scores("--min-severity", "low") == [
        (9, "IDL007", "error", 6.6, "medium"),
        (7, "IDL001", "note", 3.5, "low"),
        (11, "IDL001", "note", 3.5, "low"),
        (11, "IDL001", "note", 3.5, "low"),
        (15, "IDL001", "error", 6.5, "medium"),
        (23, "IDL001", "error", 6.0, "medium"),
        (33, "IDL001", "error", 6.5, "medium"),
    ]
    assert [s[:2] for s in scores()] == [
        (9, "IDL007"), (15, "IDL001"), (23, "IDL001"), (33, "IDL001")]
