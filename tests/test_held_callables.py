"""Callables held as values and called later: lambdas and bound methods in containers and
names, callbacks passed to a helper that calls them, and lambdas a declared GraphQL type
gives its fields as resolvers. Calling one applies it to the arguments of that call; one
that is never called sends nothing."""

from __future__ import annotations

from pathlib import Path

from tests.test_real_code import brief, run

MODELS = """
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class Member(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        nickname = db.Column(db.String(40))
        email = db.Column(db.String(80))
    """

TABLE = {
    "app/models.py": MODELS,
    "app/views.py": """
        from flask import Blueprint, jsonify, request

        from .models import Member

        bp = Blueprint("api", __name__)

        FIELDS = {"no": lambda m: m.id, "nick": lambda m: m.nickname}
        FIND = {"nick": Member.query.filter_by}


        @bp.get("/one/<nick>")
        def one(nick):
            m = Member.query.filter_by(nickname=nick).first_or_404()
            return jsonify({k: get(m) for k, get in FIELDS.items()})


        @bp.get("/find")
        def find():
            found = FIND["nick"](nickname=request.args["q"]).first_or_404()
            return jsonify({"mail": found.nickname, "n": found.id})


        @bp.get("/sorted")
        def ordered():
            rows = sorted(Member.query.all(), key=lambda m: m.id)
            return jsonify([m.nickname for m in rows])
        """,
}


def test_lambdas_and_bound_methods_held_in_tables(tmp_path: Path) -> None:
    # The lambda table's `m.id` reaches the response through the call `get(m)`; the query
    # method held in a dict returns the query's records; the sort key is never sent.
    findings = run(tmp_path, TABLE)
    assert brief(findings) == [
        "app/views.py:14:24 IDL001 Serial `Member.id` reaches the client (Flask response body) "
        "unprotected",
        "app/views.py:20:50 IDL001 Serial `Member.id` reaches the client (Flask response body) "
        "unprotected"]
    assert [(s.kind, s.location.line, s.message) for s in findings[0].trace] == [
        ("source", 7, "serial primary key `Member.id` is read here"),
        ("call", 14, "returned by the lambda"),
        ("sink", 14, "reaches the client: Flask response body")]


CALLBACK = {
    "app/models.py": MODELS,
    "app/helpers.py": """
        def collect(rows, pick):
            return [pick(row) for row in rows]


        def collect_again(pick, rows):
            return collect(rows, pick)
        """,
    "app/views.py": """
        from flask import Blueprint, jsonify

        from .helpers import collect, collect_again
        from .models import Member

        bp = Blueprint("api", __name__)


        @bp.get("/refs")
        def refs():
            return jsonify(collect_again(lambda m: m.id, Member.query.all()))


        @bp.get("/nicks")
        def nicks():
            return jsonify(collect(Member.query.all(), lambda m: m.nickname))
        """,
}


def test_a_callback_passed_to_a_helper_is_called_with_its_arguments(tmp_path: Path) -> None:
    findings = run(tmp_path, CALLBACK)
    assert brief(findings) == [
        "app/views.py:11:20 IDL001 Serial `Member.id` reaches the client (Flask response body) "
        "unprotected"]


RESOLVER = {
    "app/models.py": """
        from django.db import models


        class Member(models.Model):
            nickname = models.CharField(max_length=40)
            email = models.EmailField()
        """,
    "app/schema.py": """
        import base64

        import strawberry
        import strawberry_django

        from .models import Member


        @strawberry_django.type(Member)
        class MemberNode:
            ref: str = strawberry_django.field(
                resolver=lambda root: base64.b64encode(str(root.pk).encode()).decode())
            loud: str = strawberry_django.field(resolver=lambda root: root.nickname.upper())
        """,
}


def test_a_lambda_resolver_of_a_declared_type_gets_the_record(tmp_path: Path) -> None:
    findings = run(tmp_path, RESOLVER)
    assert brief(findings) == [
        "app/schema.py:12:31 IDL003 Serial `Member.pk` reaches the client (GraphQL object type "
        "field `ref`) only reversibly encoded by base64.b64encode() (reversible encoding)"]
