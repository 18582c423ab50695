"""Templates that views render: what a template prints of the records in its context
(idlint/templates.py, idlint/analysis/rendered_templates.py)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from idlint.api import scan
from idlint.config import Config
from idlint.templates import MAX_BYTES, TemplateSource, parse


def chains(text: str) -> list[tuple[str, str, int, bool]]:
    """(root, steps, line, in a URL) of what a template prints."""
    out = []
    for use in parse(textwrap.dedent(text).lstrip("\n")).uses:
        steps = "".join(f".{n}" if k == "attr" else f".{n}()" if k == "call" else
                        f"['{n}']" if k == "key" else "[]" for k, n in use.steps)
        out.append((use.root, steps, use.line, use.in_url))
    return out


# ------------------------------------------------------------------ reading templates


def test_loops_over_a_page_and_a_query_bind_their_element() -> None:
    assert chains("""
        {% for user in users.items %}
          <td>{{ user.id }}</td><td>{{ user.name|title }}</td>
        {% endfor %}
        {% for m in result['member'].all() %}{{ m.id|string }}{% endfor %}
        {{ user.id }}
        {% for board, reads in boards %}{{ board.pk }}{% endfor %}
    """) == [("users", ".items[].id", 2, False), ("users", ".items[].name", 2, False),
             ("result", "['member'].all()[].id", 4, False), ("user", ".id", 5, False),
             ("boards", "[].pk", 6, False)]


def test_with_set_and_filters_keep_the_chain() -> None:
    assert chains("""
        {% with who=members|first %}{{ who.pk }}{% endwith %}
        {% with members.0 as lead %}{{ lead.nick }}{% endwith %}
        {% set owner = order.buyer %}{{ owner.id }}
        {% for o in orders|sort(attribute='when') %}{{ o.buyer_id }}{% endfor %}
    """) == [("members", "[].pk", 1, False), ("members", "[].nick", 2, False),
             ("order", ".buyer.id", 3, False), ("orders", "[].buyer_id", 4, False)]


def test_tests_macro_parameters_and_bare_names_are_not_printed_chains() -> None:
    assert chains("""
        {% if user.id == me.id %}yes{% endif %}
        {{ 'mine' if user.id == me.id else '' }}
        {% macro row(user) %}{{ user.id }}{% endmacro %}
        {{ user_id }} {{ users|length }} {{ loop.index }}
        {# {{ secret.id }} #}
    """) == [("loop", ".index", 4, False)]


def test_url_builders_mark_what_they_are_given() -> None:
    assert chains("""
        <a href="{{ url_for('profile', member_id=m.id) }}">{{ m.nick }}</a>
        <a href="{% url 'member' m.pk %}">x</a>
    """) == [("m", ".id", 1, True), ("m", ".nick", 1, False), ("m", ".pk", 2, True)]


def test_include_and_extends_are_followed(tmp_path: Path) -> None:
    folder = tmp_path / "app" / "templates"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text('{% extends "base.html" %}{% include "row.html" %}'
                                      '{% include theme("card.html") %}')
    (folder / "base.html").write_text("{{ member.nick }}")
    (folder / "row.html").write_text("\n{{ member.id }}")
    (folder / "card.html").write_text("{{ member.pk }}")  # through a theme helper
    uses = TemplateSource(tmp_path).uses("page.html")
    assert [(u.template, u.line, u.text) for u in uses] == [
        ("base.html", 1, "member.nick"), ("row.html", 2, "member.id"),
        ("card.html", 1, "member.pk")]


def test_templates_are_read_as_bounded_text_inside_the_root(tmp_path: Path) -> None:
    folder = tmp_path / "app" / "templates"
    folder.mkdir(parents=True)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.html").write_text("{{ m.id }}")
    (folder / "linked.html").symlink_to(outside / "secret.html")
    (tmp_path / "app" / "away").symlink_to(outside)  # a folder link out of the root
    os.mkfifo(folder / "fifo.html")
    (folder / "big.html").write_bytes(b"{{ m.id }}" + b" " * MAX_BYTES)
    (folder / "latin.html").write_bytes("{{ m.id }} caf\xe9".encode("latin-1"))
    source = TemplateSource(tmp_path)
    for name in ("linked.html", "fifo.html", "big.html", "../templates/latin.html",
                 "/etc/passwd", "away/secret.html", "missing.html"):
        assert source.uses(name) == [], name
    assert [u.text for u in source.uses("latin.html")] == ["m.id"]


def test_a_name_in_two_template_folders_is_ambiguous(tmp_path: Path) -> None:
    for theme in ("one", "two"):
        folder = tmp_path / theme / "templates"
        folder.mkdir(parents=True)
        (folder / "page.html").write_text("{{ m.id }}")
    source = TemplateSource(tmp_path)
    assert source.uses("page.html") == []
    assert source.fingerprints == {"page.html": "ambiguous"}


# ------------------------------------------------------------------ views that render them

FLASK_MODELS = """
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    nick = db.Column(db.String(40))
"""

FLASK_HELPERS = """
from flask_themes2 import render_theme_template


def render_page(template, **context):
    return render_theme_template("plain", template, **context)
"""

FLASK_FORMS = """
from .models import Member


class FindForm:
    def results(self):
        return Member.query.filter_by(nick="x")
"""

FLASK_VIEWS = """
from flask import Blueprint, render_template
from flask.views import MethodView

from .forms import FindForm
from .helpers import render_page
from .models import Member, db

bp = Blueprint("members", __name__)


@bp.route("/members")
def members():
    page = db.paginate(db.select(Member).order_by(Member.nick), page=1)
    return render_page("members.html", people=page)


@bp.route("/nicks")
def nicks():
    return render_template("nicks.html", people=Member.query.all())


class Search(MethodView):
    form = FindForm

    def post(self):
        found = self.form().results().paginate(page=1)
        return render_template("members.html", people=found)
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def findings(root: Path, use_cache: bool = False) -> list[str]:
    report = scan([root], Config(root=root, select=("ALL",)), jobs=1, use_cache=use_cache)
    return [f"{f.location.path}:{f.location.line}:{f.location.column} {f.code} {f.message}"
            for f in report.findings if not f.code.startswith("IDL9")]


@pytest.fixture
def flask_app(tmp_path: Path) -> Path:
    write(tmp_path, {
        "app/__init__.py": "", "app/models.py": FLASK_MODELS, "app/helpers.py": FLASK_HELPERS,
        "app/forms.py": FLASK_FORMS, "app/views.py": FLASK_VIEWS,
        "app/templates/members.html": """
            {% for m in people.items %}
              <td>{{ m.id }}</td><td>{{ m.nick }}</td>
            {% endfor %}
        """,
        "app/templates/nicks.html": """
            {% for m in people %}{% if m.id %}{{ m.nick }}{% endif %}{% endfor %}
        """,
    })
    return tmp_path


def test_serial_a_flask_template_prints_is_reported_at_the_context_argument(
        flask_app: Path) -> None:
    # Two views render members.html: one cause (its line 2), fixed in the template, so one
    # finding at the first context argument with the other view's as a further sink.
    report = scan([flask_app], Config(root=flask_app, select=("ALL",)), jobs=1,
                  use_cache=False)
    assert findings(flask_app) == [
        "app/views.py:14:47 IDL001 Serial `Member.id` reaches the client "
        "(template `members.html` line 2) unprotected; and 1 more sink",
    ]
    [finding] = [f for f in report.findings if f.code == "IDL001"]
    assert [(s.location.path, s.location.line, s.message) for s in finding.more_sinks[0]
            if s.kind == "sink"] == [
        ("app/views.py", 27, "reaches the client: template `members.html` line 2")]


def test_a_template_that_prints_no_serial_is_quiet(flask_app: Path) -> None:
    (flask_app / "app/templates/members.html").write_text(
        "{% for m in people.items %}{{ m.nick }}{% endfor %}")
    assert findings(flask_app) == []


def test_a_changed_template_changes_the_cached_findings(flask_app: Path) -> None:
    cold = findings(flask_app, use_cache=True)
    assert len(cold) == 1
    assert findings(flask_app, use_cache=True) == cold
    template = flask_app / "app/templates/members.html"
    template.write_text("{% for m in people.items %}{{ m.nick }}{% endfor %}")
    assert findings(flask_app, use_cache=True) == []
    template.write_text("{% for m in people.items %}\n\n{{ m.id }}{% endfor %}")
    assert findings(flask_app, use_cache=True) == [
        line.replace("line 2", "line 3") for line in cold]
    # a template added where the name found none before counts too
    view = flask_app / "app/views.py"
    view.write_text(view.read_text().replace('"nicks.html"', '"new.html"'))
    assert len(findings(flask_app, use_cache=True)) == 1
    (flask_app / "app/templates/new.html").write_text(
        "{% for m in people %}{{ m.id }}{% endfor %}")
    assert len(findings(flask_app, use_cache=True)) == 2


DJANGO_MODELS = """
from django.contrib.auth.models import AbstractUser
from django.db import models


class Customer(AbstractUser):
    nick = models.CharField(max_length=40)


class Order(models.Model):
    buyer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    note = models.CharField(max_length=40)
"""

DJANGO_VIEWS = """
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.template.response import TemplateResponse

from .models import Customer, Order


def people(request):
    return render(request, "shop/people.html", {"people": Customer.objects.all()})


def orders(request):
    context = {"title": "Orders"}
    context["orders"] = Order.objects.filter(note="x")
    return TemplateResponse(request, "shop/orders.html", context)


@staff_member_required
def audit(request):
    return render(request, "shop/orders.html", {"orders": Order.objects.all()})
"""


def test_django_templates_with_dict_contexts(tmp_path: Path) -> None:
    write(tmp_path, {
        "shop/__init__.py": "", "shop/models.py": DJANGO_MODELS, "shop/views.py": DJANGO_VIEWS,
        "shop/templates/shop/people.html": """
            {% extends "shop/base.html" %}
            {% block body %}{% for p in people %}{% with who=p %}
              <a href="{% url 'profile' who.pk %}">{{ who.nick }}</a>
            {% endwith %}{% endfor %}{% endblock %}
        """,
        "shop/templates/shop/base.html": "<html>{% block body %}{% endblock %}</html>",
        "shop/templates/shop/orders.html": """
            {% for o in orders %}
              {% if o.buyer_id == request.user.id %}mine{% endif %}
              {{ o.note }} by {{ o.buyer_id|stringformat:"d" }}
            {% endfor %}
        """,
    })
    assert findings(tmp_path) == [
        "shop/views.py:9:59 IDL008 Serial `Customer.pk` is placed in a URL "
        "(template `shop/people.html` line 3)",
        "shop/views.py:14:25 IDL001 Serial `Order.buyer_id` reaches the client "
        "(template `shop/orders.html` line 3) unprotected",
    ]


def test_hostile_template_text_is_read_in_linear_time() -> None:
    import time

    started = time.perf_counter()
    parse("{{" * 200_000)
    parse("{% for a in b %}" * 20_000 + "{{ " + "a.b(" * 5_000 + " }}")
    parse("{{ " + "x." * 100_000 + "id }}")
    assert time.perf_counter() - started < 5
    started = time.perf_counter()
    parse("{{ " + "a.b(" * 400 + ")" * 400 + " }}")
    assert time.perf_counter() - started < 5
