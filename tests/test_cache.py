"""The cache must never change an answer: every test compares a cached run with what a run
without cache reports, after the kind of change that could leave something stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import idlint
from idlint.api import scan
from idlint.config import Config

MODELS = """
from django.db import models


class Member(models.Model):
    nickname = models.CharField(max_length=40)
"""
HELPERS = """
import base64


def public_ref(member):
    return base64.b64encode(str(member.id).encode()).decode()
"""
VIEWS = """
from django.http import JsonResponse

from .helpers import public_ref
from .models import Member


def me(request):
    m = Member.objects.get(nickname="x")
    return JsonResponse({"ref": public_ref(m)})


def raw(request):
    m = Member.objects.get(nickname="y")
    return JsonResponse({"id": m.id})
"""


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, "app/__init__.py", "")
    write(tmp_path, "app/models.py", MODELS)
    write(tmp_path, "app/helpers.py", HELPERS)
    write(tmp_path, "app/views.py", VIEWS)
    return tmp_path


def run(root: Path, use_cache: bool = True, **settings: object):  # type: ignore[no-untyped-def]
    report = scan([root / "app"], Config(root=root, **settings), jobs=1,  # type: ignore[arg-type]
                  use_cache=use_cache)
    return report, [(f.location.path, f.location.line, f.code, f.message)
                    for f in report.findings]


def test_unchanged_project_reuses_the_whole_report(project: Path) -> None:
    first, cold = run(project)
    second, warm = run(project)
    assert warm == cold == run(project, use_cache=False)[1]
    assert [c for _, _, c, _ in cold] == ["IDL003", "IDL001"]
    assert first.stats["cache_misses"] == 4.0
    assert second.stats["report_cache"] == 1.0
    assert (project / ".idlint_cache" / ".gitignore").read_text() == "# created by idlint\n*\n"


def test_changed_file_is_extracted_again_and_others_come_from_the_cache(project: Path) -> None:
    run(project)
    write(project, "app/helpers.py", HELPERS.replace("base64.b64encode(str(member.id)"
                                                     ".encode()).decode()", "member.nickname"))
    report, findings = run(project)
    assert report.stats["cache_hits"] == 3.0
    assert report.stats["cache_misses"] == 1.0
    assert findings == run(project, use_cache=False)[1]
    assert [(p, c) for p, _, c, _ in findings] == [("app/views.py", "IDL001")]


def test_changed_settings_give_a_new_report_from_cached_facts(project: Path) -> None:
    run(project)
    report, findings = run(project, ignore=("IDL003",))
    assert [c for _, _, c, _ in findings] == ["IDL001"]
    assert report.stats["cache_hits"] == 4.0
    assert "report_cache" not in report.stats
    report, findings = run(project, sinks=("app.helpers.public_ref",))
    assert findings == run(project, use_cache=False, sinks=("app.helpers.public_ref",))[1]


def test_new_idlint_version_ignores_old_entries(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _, before = run(project)
    monkeypatch.setattr("idlint.cache.__version__", "99.0")
    monkeypatch.setattr("idlint.api.__version__", "99.0")
    report, after = run(project)
    assert report.stats["cache_hits"] == 0.0
    assert after == before


def test_deleted_file_leaves_no_stale_flow(project: Path) -> None:
    run(project)
    write(project, "app/views.py", VIEWS.replace("from .helpers import public_ref\n", "")
          .replace("public_ref(m)", "m.nickname"))
    (project / "app" / "helpers.py").unlink()
    _report, findings = run(project)
    assert findings == run(project, use_cache=False)[1]
    assert [c for _, _, c, _ in findings] == ["IDL001"]


def test_corrupt_entries_are_misses(project: Path) -> None:
    _, before = run(project)
    entries = list((project / ".idlint_cache").rglob("*.entry"))
    assert len(entries) >= 5  # four files and the report
    for i, entry in enumerate(entries):
        entry.write_bytes(b"" if i % 2 else b"\x80\x05garbage")
    report, after = run(project)
    assert after == before
    assert report.stats["cache_misses"] == 4.0


def test_two_concurrent_runs_agree_and_leave_a_usable_cache(project: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [
        str(Path(idlint.__file__).resolve().parent.parent), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "idlint", "check", "--format", "json", "app"]
    procs = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    docs = [json.loads(out) for out, _ in outputs]
    assert [p.returncode for p in procs] == [1, 1]
    assert docs[0]["findings"] == docs[1]["findings"]
    assert not list((project / ".idlint_cache").rglob("*.tmp"))
    report, findings = run(project)
    assert report.stats["report_cache"] == 1.0
    assert [(p, c) for p, _, c, _ in findings] == [
        (f["path"], f["code"]) for f in docs[0]["findings"]]


def test_body_edit_is_solved_incrementally_with_the_same_answer(project: Path) -> None:
    run(project)
    # `raw` stops leaking; definitions stay the same, so only dependents are evaluated again
    write(project, "app/views.py", VIEWS.replace('{"id": m.id}', '{"nick": m.nickname}'))
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert findings == run(project, use_cache=False)[1]
    assert [(p, c) for p, _, c, _ in findings] == [("app/views.py", "IDL003")]
    # the helper now leaks the raw serial: its caller in views.py is evaluated again
    write(project, "app/helpers.py", HELPERS.replace(
        "base64.b64encode(str(member.id).encode()).decode()", "member.id"))
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert findings == run(project, use_cache=False)[1]
    assert [(p, line, c) for p, line, c, _ in findings] == [("app/views.py", 9, "IDL001")]


def test_comment_edit_evaluates_nothing_and_moves_the_findings(project: Path) -> None:
    full, _ = run(project)
    assert full.stats["evaluated"] > 0
    # the facts stay the same; only positions move
    write(project, "app/views.py", "# a new first line\n" + textwrap.dedent(VIEWS).lstrip())
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert report.stats["evaluated"] == 0.0
    assert findings == run(project, use_cache=False)[1]
    assert [(p, line, c) for p, line, c, _ in findings] == [
        ("app/views.py", 10, "IDL003"), ("app/views.py", 15, "IDL001")]


def test_edit_to_one_function_evaluates_that_function_and_what_depends_on_it(
        project: Path) -> None:
    full, _ = run(project)
    # `raw` is the last function of views.py: `me` and the module body keep their facts
    write(project, "app/views.py", VIEWS.replace('{"id": m.id}', '{"id": m.id, "n": 1}'))
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert report.stats["evaluated"] == 1.0
    assert full.stats["evaluated"] > 1.0
    assert findings == run(project, use_cache=False)[1]


GLOBAL_VIEWS = """
from django.http import JsonResponse

from .models import Member


def me(request):
    return JsonResponse({"id": FALLBACK.id})


def count(request):
    return JsonResponse({"limit": LIMIT})


LIMIT = 10
FALLBACK = Member.objects.first()
"""


def test_module_level_edit_evaluates_only_readers_of_the_globals_it_changes(
        project: Path) -> None:
    write(project, "app/views.py", GLOBAL_VIEWS)
    run(project)
    # a new global nobody reads: only the module body is evaluated again
    write(project, "app/views.py", GLOBAL_VIEWS + "\nEXTRA = LIMIT\n")
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert report.stats["evaluated"] == 1.0
    assert findings == run(project, use_cache=False)[1]
    assert [(p, line, c) for p, line, c, _ in findings] == [("app/views.py", 7, "IDL001")]
    # the global `me` reads no longer holds a record: `me` is evaluated again, `count` not
    write(project, "app/views.py", GLOBAL_VIEWS.replace("Member.objects.first()", "None"))
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert report.stats["evaluated"] == 2.0
    assert findings == run(project, use_cache=False)[1] == []


def test_new_definition_needs_a_full_solve(project: Path) -> None:
    run(project)
    write(project, "app/helpers.py", HELPERS + "\n\ndef extra(member):\n    return member.id\n")
    report, findings = run(project)
    assert report.stats["incremental"] == 0.0
    assert findings == run(project, use_cache=False)[1]


def test_going_back_to_earlier_content_reuses_its_report_and_state(project: Path) -> None:
    run(project)
    original = (project / "app" / "views.py").read_text()
    write(project, "app/views.py", VIEWS.replace('{"id": m.id}', '{"nick": m.nickname}'))
    run(project)
    (project / "app" / "views.py").write_text(original)
    report, _ = run(project)
    assert report.stats["report_cache"] == 1.0
    write(project, "app/helpers.py", HELPERS.replace("member.id", "member.pk"))
    report, findings = run(project)
    assert report.stats["incremental"] == 1.0
    assert findings == run(project, use_cache=False)[1]


def test_scan_restores_the_garbage_collection_thresholds(project: Path) -> None:
    import gc

    before = gc.get_threshold()
    report, _ = run(project)
    assert gc.get_threshold() == before
    assert report.stats["evaluated"] > 0
