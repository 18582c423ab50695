"""A nested function reads its enclosing function's variables; what stands there for the
enclosing function's own parameters is not the nested function's parameters."""

from __future__ import annotations

import textwrap
from pathlib import Path

from idlint.api import scan
from idlint.config import Config

MODELS = """
from django.contrib.auth.models import User
from django.db import models


class Ticket(models.Model):
    title = models.CharField(max_length=80)
    assigned_to = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)

    def notify(self, roles):
        def send(role, recipient):
            template, body = roles[role]
            mail(template, body, recipient)

        send("assignee", self.assigned_to.email)

    def notify_with_address(self, roles):
        def send(role, recipient):
            template, body = roles[role]
            mail(template, f"{body} for {recipient}", "desk@example.com")

        send("assignee", self.assigned_to.email)


def mail(subject, body, to):
    from django.core.mail import send_mail
    send_mail(subject, body, "desk@example.com", [to])
"""

VIEWS = """
from django.contrib.auth.models import User
from django.http import HttpResponseRedirect

from .models import Ticket


def assign(request):
    user = User.objects.get(id=request.POST["user"])
    ticket = Ticket.objects.get(title=request.POST["title"])
    ticket.assigned_to = user
    ticket.notify({"assignee": ("Assigned", "a ticket")})
    ticket.notify_with_address({"assignee": ("Assigned", "a ticket")})
    return HttpResponseRedirect("/")
"""


TRACE = [
    ("source", 8, "client input: `request.POST`"),
    ("transform", 8, "selects a `User` record by this serial"),
    ("source", 21, "personal field `User.email` of a record the client chose"),
    ("call", 21, "passed to send() as `recipient`"),
    ("call", 19, "passed to mail() as `body`"),
    ("sink", 26, "reaches the client: e-mail"),
]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, source in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")


def test_the_enclosing_functions_parameters_are_not_the_nested_functions(
        tmp_path: Path) -> None:
    # `roles[role]` reads the enclosing method's parameter `roles`: it holds nothing of the
    # nested `send`'s `recipient`, which goes only to the address (not content). The same
    # address written into the body is the chosen user's e-mail in the message.
    _write(tmp_path, {"desk/__init__.py": "", "desk/models.py": MODELS,
                      "desk/views.py": VIEWS})
    report = scan([tmp_path], Config(root=tmp_path, select=("ALL",), min_severity="low"),
                  jobs=1, use_cache=False)
    assert [(f.location.path, f.location.line, f.code, f.message.split("`")[1])
            for f in report.findings] == [
        ("desk/models.py", 26, "IDL006", "User.email"),
    ]
    assert [(s.kind, s.location.line, s.message) for s in report.findings[0].trace] == TRACE
