"""A scanned repository that tries to hide findings or make idlint read or write outside it:
suppressions in string literals, settings and ignore files reached through symlinks."""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from idlint import files, globs
from idlint import templates as templates_module
from idlint.api import scan
from idlint.cli import main
from idlint.config import Config, ConfigError, load_config
from idlint.templates import TemplateSource

LEAK_HEAD = (
    "from django.db import models\n"
    "from django.http import JsonResponse\n"
    "class Member(models.Model):\n"
    "    nickname = models.CharField(max_length=9)\n"
    "def v(request):\n"
    "    m = Member.objects.get(nickname='x')\n"
)


def _scan(root: Path, config: Config | None = None) -> list[tuple[str, int, str, bool]]:
    report = scan([root], config or Config(root=root), jobs=1, use_cache=False)
    return [(f.location.path, f.location.line, f.code, f.suppression is not None)
            for f in report.findings]


def test_a_suppression_inside_a_string_literal_hides_nothing(tmp_path: Path) -> None:
    # Before Python 3.12, tokenize ends `f"{f"` at the inner quote and reads the rest of the
    # line as a comment; libcst (and Python 3.12) read one string. A real comment after it
    # still counts.
    (tmp_path / "in_string.py").write_text(
        LEAK_HEAD + "    return JsonResponse({'id': m.id, 'n': f\"{f\"# idlint: ignore[IDL001] "
                    "ok\"}\"})\n", encoding="utf-8")
    (tmp_path / "real.py").write_text(
        LEAK_HEAD + "    return JsonResponse({'id': m.id, 'n': f\"{f\"x\"}\"})  "
                    "# idlint: ignore[IDL001] reviewed\n", encoding="utf-8")
    (tmp_path / "plain_string.py").write_text(
        LEAK_HEAD + "    return JsonResponse({'id': m.id, 'n': '# idlint: ignore[IDL001] x'})\n",
        encoding="utf-8")
    assert _scan(tmp_path) == [
        ("in_string.py", 7, "IDL001", False),
        ("plain_string.py", 7, "IDL001", False),
        ("real.py", 7, "IDL001", True),
    ]


def test_a_suppression_in_one_file_does_not_reach_another(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(LEAK_HEAD + "    return JsonResponse({'id': m.id})\n",
                                   encoding="utf-8")
    (tmp_path / "b.py").write_text("\n" * 6 + "x = 1  # idlint: ignore[IDL001] elsewhere\n",
                                   encoding="utf-8")
    assert _scan(tmp_path) == [("a.py", 7, "IDL001", False), ("b.py", 7, "IDL905", False)]


def test_a_pyproject_symlinked_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pyproject.toml").write_text('[tool.idlint]\nignore = ["IDL"]\n',
                                              encoding="utf-8")
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "leak.py").write_text(LEAK_HEAD + "    return JsonResponse({'id': m.id})\n",
                                             encoding="utf-8")
    (project / "pyproject.toml").symlink_to("../elsewhere/pyproject.toml")
    with pytest.raises(ConfigError, match=r"pyproject.toml: a symbolic link to a file outside "
                                          r"its folder \(.*elsewhere/pyproject.toml\); not read"):
        load_config([project / "app"])
    result = CliRunner().invoke(main, ["--no-cache", str(project / "app")])
    assert result.exit_code == 2
    assert "a symbolic link to a file outside its folder" in result.output


def test_a_pyproject_symlinked_inside_its_folder_keeps_the_root(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "pyproject.toml").write_text('[tool.idlint]\nignore = ["IDL002"]\n',
                                                      encoding="utf-8")
    (tmp_path / "pyproject.toml").symlink_to("conf/pyproject.toml")
    (tmp_path / "app").mkdir()
    config = load_config([tmp_path / "app"])
    assert (config.root, config.ignore) == (tmp_path.resolve(), ("IDL002",))


def _leaky_app(root: Path) -> None:
    (root / "app").mkdir(parents=True)
    (root / "app" / "leak.py").write_text(LEAK_HEAD + "    return JsonResponse({'id': m.id})\n",
                                          encoding="utf-8")


def test_a_gitignore_is_never_read_through_a_symlink(tmp_path: Path) -> None:
    # git opens .gitignore without following symlinks; a link out of the project would make
    # idlint read any file (its lines taken as patterns that hide files from the scan).
    outside = tmp_path / "outside"
    outside.write_text("app/\n", encoding="utf-8")
    project = tmp_path / "project"
    _leaky_app(project)
    (project / ".gitignore").symlink_to(outside)
    assert _scan(project) == [("app/leak.py", 7, "IDL001", False)]
    (project / ".gitignore").unlink()
    (project / ".gitignore").write_text("app/\n", encoding="utf-8")
    assert _scan(project) == []


def test_a_gitignore_that_is_a_fifo_or_oversized_is_not_read(tmp_path: Path) -> None:
    _leaky_app(tmp_path)
    os.mkfifo(tmp_path / "app" / ".gitignore")  # opening it for reading would wait forever
    (tmp_path / ".gitignore").write_bytes(b"app/\n" + b"#" * files.MAX_GITIGNORE_BYTES)
    assert _scan(tmp_path) == [("app/leak.py", 7, "IDL001", False)]


def _failures(root: Path) -> list[tuple[str, str, str]]:
    report = scan([root], Config(root=root), jobs=1, use_cache=False)
    return [(f.location.path, f.code, f.message) for f in report.findings]


def test_an_oversized_python_file_is_not_read(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_SOURCE_BYTES", 1024 * 1024)
    (tmp_path / "huge.py").write_bytes(b"x = 1\n" * 200_000)
    assert _failures(tmp_path) == [
        ("huge.py", "IDL902", "File not analysed: cannot read file: larger than 1 MiB")]


def test_a_python_file_replaced_by_a_fifo_after_discovery_does_not_block(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    found = files.discover([tmp_path], Config(root=tmp_path))
    (tmp_path / "app.py").unlink()
    os.mkfifo(tmp_path / "app.py")  # opening it for reading would wait for a writer
    monkeypatch.setattr("idlint.api.discover", lambda paths, config: list(found))

    def give_up(signum: int, frame: object) -> None:
        raise TimeoutError("the read blocked")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(20)
    try:
        assert _failures(tmp_path) == [
            ("app.py", "IDL902", "File not analysed: cannot read file: not a regular file")]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_isolated_scans_with_none_of_the_trees_settings(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # The tree's settings and .gitignore choose what is scanned and reported (as ruff's and
    # bandit's do): a pull request can use them to hide its own findings from its check.
    _leaky_app(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.idlint]\nignore = ["IDL"]\nexclude = ["app"]\nmin-severity = "critical"\n',
        encoding="utf-8")
    (tmp_path / ".gitignore").write_text("app/\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    hidden = runner.invoke(main, ["--no-cache", "."])
    assert (hidden.exit_code, hidden.output) == (0, "No findings in 0 files.\n")
    shown = runner.invoke(main, ["--no-cache", "--isolated", "--format", "json", "."])
    assert shown.exit_code == 1
    assert [(f["path"], f["range"]["start"]["line"], f["code"])
            for f in json.loads(shown.output)["findings"]] == [("app/leak.py", 7, "IDL001")]
    both = runner.invoke(main, ["--no-cache", "--isolated", "--config", "pyproject.toml", "."])
    assert (both.exit_code, both.output) == (
        2, "idlint: error: --isolated and --config cannot be used together\n")


@pytest.mark.parametrize(("value", "problem"), [
    ("ABSOLUTE", "is outside the project"),
    ("link/x.toml", "is outside the project"),  # a folder symlinked out of the project
    ("zero.toml", "is outside the project"),  # a symlink to /dev/zero
    ("fifo.toml", "is not a file"),
    ("~/x.toml", "is not a file"),  # no ~ or $VAR expansion: a path under the project
    ("$HOME/x.toml", "is not a file"),
])
def test_a_models_file_is_a_regular_file_inside_the_project(tmp_path: Path, value: str,
                                                             problem: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.toml").write_text("", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "link").symlink_to(outside)
    (project / "zero.toml").symlink_to("/dev/zero")
    os.mkfifo(project / "fifo.toml")
    value = value.replace("ABSOLUTE", str(outside / "x.toml"))
    (project / "pyproject.toml").write_text(f'[tool.idlint]\nmodels = ["{value}"]\n',
                                            encoding="utf-8")
    with pytest.raises(ConfigError, match=f"'models' '{re.escape(value)}' {problem}"):
        load_config([project])


def test_a_report_or_baseline_name_symlinked_out_of_the_project_writes_nothing_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    precious = tmp_path / "precious"
    precious.write_text("keep\n", encoding="utf-8")
    project = tmp_path / "project"
    _leaky_app(project)
    for name in ("report.sarif", "baseline.json"):
        (project / name).symlink_to(precious)
    monkeypatch.chdir(project)
    runner = CliRunner()
    assert runner.invoke(main, ["--no-cache", "--format", "sarif", "-o", "report.sarif",
                                "app"]).exit_code == 1
    assert runner.invoke(main, ["--no-cache", "--write-baseline", "baseline.json",
                                "app"]).exit_code == 0
    assert precious.read_text(encoding="utf-8") == "keep\n"
    for name in ("report.sarif", "baseline.json"):  # the links were replaced, not followed
        assert not (project / name).is_symlink()
        assert (project / name).read_text(encoding="utf-8").startswith("{")


def test_a_gitignore_with_too_many_patterns_is_not_applied(tmp_path: Path) -> None:
    # RE2 fails to compile a few thousand patterns as one set (after logging thousands of
    # lines): the scan stopped with an internal error. Such a file is now left out, so the
    # files it would hide are scanned.
    _leaky_app(tmp_path)
    lines = [f"generated/dir{i}/file_{i}.txt" for i in range(3 * globs.MAX_PATTERNS)]
    (tmp_path / ".gitignore").write_text("\n".join([*lines, "app/"]) + "\n", encoding="utf-8")
    assert _scan(tmp_path) == [("app/leak.py", 7, "IDL001", False)]
    below = lines[:globs.MAX_PATTERNS - 1]
    (tmp_path / ".gitignore").write_text("\n".join([*below, "app/"]) + "\n", encoding="utf-8")
    assert _scan(tmp_path) == []


@pytest.mark.parametrize(("table", "message"), [
    ("extend-exclude = [ALL]", "'extend-exclude' has 2001 patterns, more than the 2000 idlint "
                               "compiles"),
    ("exclude = [HALF]\nextend-exclude = [HALF]", "'exclude' and 'extend-exclude': 2002 "
                                                  "patterns, more than the 2000 idlint compiles"),
])
def test_too_many_exclude_patterns_are_a_settings_error(tmp_path: Path, table: str,
                                                        message: str) -> None:
    def patterns(n: int) -> str:
        return ", ".join(f'"dir{i}/name_{i}.py"' for i in range(n))

    table = table.replace("ALL", patterns(globs.MAX_PATTERNS + 1)).replace(
        "HALF", patterns(globs.MAX_PATTERNS // 2 + 1))
    (tmp_path / "pyproject.toml").write_text(f"[tool.idlint]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config([tmp_path])
    assert str(caught.value) == f"pyproject.toml: [tool.idlint] {message}"


def test_templates_are_never_read_through_a_symlinked_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "templates").mkdir(parents=True)
    for path in (outside / "page.html", outside / "templates" / "page.html"):
        path.write_text("{{ m.id }}", encoding="utf-8")
    root = tmp_path / "project"
    (root / "app" / "templates").mkdir(parents=True)
    (root / "app" / "templates" / "sub").symlink_to(outside)  # a folder in the name
    (root / "web").symlink_to(outside / "templates")  # a templates folder elsewhere
    (root / "lib").mkdir()
    (root / "lib" / "templates").symlink_to(outside / "templates")  # named templates
    (root / "app" / "templates" / "zero.html").symlink_to("/dev/zero")
    source = TemplateSource(root)
    assert source.folders() == [root / "app" / "templates"]
    for name in ("sub/page.html", "sub/templates/page.html", "page.html", "zero.html"):
        assert source.uses(name) == [], name
    assert source.fingerprints == dict.fromkeys(
        ("sub/page.html", "sub/templates/page.html", "page.html", "zero.html"), "")


FLASK_VIEW = """from flask import render_template
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    nick = db.Column(db.String(40))


def members():
    return render_template("members.html", people=Member.query.all())
"""


def test_templates_past_the_folder_limit_are_missed_only_with_a_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Folders that sort before the real templates/ use up the walk; the findings in that
    # template are gone, and the scan says so.
    monkeypatch.setattr(templates_module, "MAX_FOLDERS", 5)
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "views.py").write_text(FLASK_VIEW, encoding="utf-8")
    (tmp_path / "app" / "templates" / "members.html").write_text(
        "{% for m in people %}{{ m.id }}{% endfor %}\n", encoding="utf-8")

    def run() -> tuple[list[tuple[str, int, str]], tuple[str, ...]]:
        report = scan([tmp_path], Config(root=tmp_path), jobs=1, use_cache=False)
        return [(f.location.path, f.location.line, f.code) for f in report.findings], \
            report.notices

    assert run() == ([("app/views.py", 13, "IDL001")], ())
    for i in range(5):
        (tmp_path / "aaa" / f"d{i}").mkdir(parents=True)
    assert run() == ([], (
        "more than 5 folders in the project: templates were looked for in the first 5 only, "
        "and what templates elsewhere print is not reported",))
