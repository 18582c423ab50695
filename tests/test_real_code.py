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


@pytest.mark.parametrize("annotation", [
    "int", "int | None", "Optional[int]", "Union[int, None]", "PrimaryKey", "PrimaryKey | None",
    "Optional[PrimaryKey]", "ContactId",
])
def test_response_model_integer_id_in_every_spelling(tmp_path: Path, annotation: str) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS + f"""

class ContactRead(BaseModel):
    name: str
    id: {annotation} = None
""",
        "app/views.py": """
            from fastapi import APIRouter

            from .models import Contact, ContactRead

            router = APIRouter()


            @router.get("/contacts/{name}", response_model=ContactRead)
            def get_contact(db, name: str):
                return db.query(Contact).filter(Contact.name == name).first()
        """,
    })
    assert brief(findings) == [
        "app/models.py:20:5 IDL001 Serial `ContactRead.id` reaches the client (response model "
        "field) unprotected"]


@pytest.mark.parametrize("annotation", ["str", "list[int]", "Optional[str]", "UUID",
                                        "Annotated[str, Field(max_length=9)]"])
def test_response_model_id_that_is_not_an_integer_is_quiet(tmp_path: Path,
                                                           annotation: str) -> None:
    findings = run(tmp_path, {
        "app/models.py": SQLA_MODELS + f"""
from uuid import UUID


class ContactRead(BaseModel):
    name: str
    id: {annotation} = None
""",
        "app/views.py": """
            from fastapi import APIRouter

            from .models import Contact, ContactRead

            router = APIRouter()


            @router.get("/contacts/{name}", response_model=ContactRead)
            def get_contact(db, name: str):
                return db.query(Contact).filter(Contact.name == name).first()
        """,
    })
    assert brief(findings) == []


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
