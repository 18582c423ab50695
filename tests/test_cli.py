"""The command-line contract: exit codes, options, errors as one line, formats."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from idlint.cli import main

VIEW = """
from django.db import models
from django.http import JsonResponse


class Member(models.Model):
    nickname = models.CharField(max_length=40)


def me(request):
    m = Member.objects.get(nickname="x")
    return JsonResponse({"id": m.id})
"""
CLEAN = """
def add(a, b):
    return a + b
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.idlint]\n", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(textwrap.dedent(VIEW).lstrip(), encoding="utf-8")
    (tmp_path / "app" / "util.py").write_text(textwrap.dedent(CLEAN).lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def findings_of(output: str) -> list[tuple[str, int, int, str]]:
    doc = json.loads(output)
    return [(f["path"], f["range"]["start"]["line"], f["range"]["start"]["column"], f["code"])
            for f in doc["findings"] if not f["suppressed"]]


def test_findings_exit_1_and_json_locations(project: Path) -> None:
    result = invoke("--format", "json", "--no-cache", "app")
    assert result.exit_code == 1
    assert findings_of(result.stdout) == [("app/views.py", 11, 32, "IDL001")]
    doc = json.loads(result.stdout)
    assert doc["files_scanned"] == 2
    assert doc["summary"] == {"IDL001": 1}
    first = doc["findings"][0]
    assert first["message"] == (
        "Serial `Member.id` reaches the client (JsonResponse body) unprotected")
    assert [s["kind"] for s in first["trace"]] == ["source", "sink"]
    assert len(first["fingerprint"]) == 32


def test_clean_exit_0(project: Path) -> None:
    result = invoke("--no-cache", "app/util.py")
    assert result.exit_code == 0
    assert result.output.strip() == "No findings in 1 file."


def test_default_path_is_current_directory(project: Path) -> None:
    result = invoke("--format", "json", "--no-cache")
    assert result.exit_code == 1
    assert findings_of(result.stdout) == [("app/views.py", 11, 32, "IDL001")]


def test_exit_zero(project: Path) -> None:
    assert invoke("--exit-zero", "--no-cache", "app").exit_code == 0


def test_select_and_ignore(project: Path) -> None:
    assert invoke("--ignore", "IDL001", "--no-cache", "app").exit_code == 0
    assert invoke("--select", "IDL003,IDL004", "--no-cache", "app").exit_code == 0
    assert invoke("--select", "IDL00", "--no-cache", "app").exit_code == 1
    assert invoke("--select", "ALL", "--ignore", "IDL0", "--no-cache", "app").exit_code == 0


def test_unknown_code_is_usage_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["--select", "IDL777", "app"])
    assert result.exit_code == 2
    assert result.output.strip() == "idlint: error: unknown rule code or prefix: 'IDL777'"


def test_missing_path_is_usage_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["nope"])
    assert result.exit_code == 2
    assert result.output.strip() == "idlint: error: path does not exist: nope"


def test_bad_option_is_usage_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["--format", "xml", "app"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_bad_config_names_file_and_key(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.idlint]\nselct = ['IDL001']\n")
    result = CliRunner().invoke(main, ["app"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "idlint: error: pyproject.toml: [tool.idlint] unknown key 'selct' (did you mean "
        "'select'?)"
    )
    (project / "pyproject.toml").write_text("[tool.idlint]\nfile-timeout = -1\n")
    result = CliRunner().invoke(main, ["app"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "idlint: error: pyproject.toml: [tool.idlint] 'file-timeout' must be a positive "
        "number, got -1"
    )


def test_config_select_ignore_and_per_file_ignores(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.idlint]\nper-file-ignores = { "app/views.py" = ["IDL001"] }\n')
    assert invoke("--no-cache", "app").exit_code == 0
    (project / "pyproject.toml").write_text('[tool.idlint]\nignore = ["IDL001"]\n')
    assert invoke("--no-cache", "app").exit_code == 0
    (project / "pyproject.toml").write_text('[tool.idlint]\nextend-exclude = ["app/views.py"]\n')
    assert invoke("--no-cache", "app").exit_code == 0
    # a file named explicitly is scanned even when excluded
    assert invoke("--no-cache", "app/views.py").exit_code == 1


def test_stdin_filename(project: Path) -> None:
    source = textwrap.dedent(VIEW).lstrip().replace("m.id", "m.nickname").encode()
    result = invoke("--format", "json", "--no-cache", "--stdin-filename", "app/views.py",
                    input=source)
    assert result.exit_code == 0
    assert findings_of(result.stdout) == []
    result = invoke("--format", "json", "--no-cache", "--stdin-filename", "app/views.py",
                    input=textwrap.dedent(VIEW).lstrip().encode())
    assert result.exit_code == 1
    assert findings_of(result.stdout) == [("app/views.py", 11, 32, "IDL001")]


def test_suppression_comment(project: Path) -> None:
    path = project / "app" / "views.py"
    text = path.read_text().replace(
        'return JsonResponse({"id": m.id})',
        'return JsonResponse({"id": m.id})  # idlint: ignore[IDL001] admin only')
    path.write_text(text)
    result = invoke("--format", "json", "--no-cache", "app")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [(f["code"], f["suppressed"], f["suppression_reason"]) for f in doc["findings"]] == [
        ("IDL001", True, "admin only")]


def test_parse_error_is_reported_and_other_files_still_scanned(project: Path) -> None:
    (project / "app" / "broken.py").write_text("def f(:\n    pass\n")
    (project / "app" / "latin.py").write_bytes(b"x = '\xff\xfe'\n")
    result = invoke("--format", "json", "--no-cache", "app")
    assert result.exit_code == 1
    assert findings_of(result.stdout) == [
        ("app/broken.py", 1, 7, "IDL901"),
        ("app/latin.py", 1, 1, "IDL901"),
        ("app/views.py", 11, 32, "IDL001"),
    ]
    doc = json.loads(result.stdout)
    assert [f["path"] for f in doc["failures"]] == ["app/broken.py", "app/latin.py"]


def test_output_file_written(project: Path) -> None:
    result = invoke("--format", "json", "--no-cache", "-o", "out/report.json", "app")
    assert result.exit_code == 1
    assert result.output == ""
    assert findings_of((project / "out" / "report.json").read_text()) == [
        ("app/views.py", 11, 32, "IDL001")]


def test_text_output(project: Path) -> None:
    result = invoke("--no-cache", "app")
    lines = result.output.splitlines()
    assert lines[0] == ("app/views.py:11:32 IDL001 [serial-exposed] Serial `Member.id` reaches "
                        "the client (JsonResponse body) unprotected (medium severity)")
    assert "  > 11 |     return JsonResponse({\"id\": m.id})" in lines
    caret = next(line for line in lines if "^" in line)
    assert caret.index("^") == lines[lines.index(caret) - 1].index("m.id")
    assert caret.count("^") == 4
    assert lines[-1] == "Found 1 finding in 2 files."


def test_rules_and_explain() -> None:
    result = invoke("rules", "--format", "json")
    codes = [r["code"] for r in json.loads(result.stdout)]
    assert codes[:8] == [f"IDL00{i}" for i in range(1, 9)]
    assert "IDL901" in codes
    result = invoke("explain", "idl003")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "# IDL003 reversible-encoding"
    assert "## Use instead" in result.output
    bad = CliRunner().invoke(main, ["explain", "IDL999"])
    assert bad.exit_code == 2
    assert bad.output.strip() == "idlint: error: unknown rule code: 'IDL999' (see `idlint rules`)"


def test_version() -> None:
    from idlint import __version__

    result = invoke("--version")
    assert result.output.strip() == f"idlint {__version__}"


def test_baseline_hides_known_findings_and_counts(project: Path) -> None:
    assert invoke("--no-cache", "--write-baseline", "base.json", "app").exit_code == 0
    doc = json.loads((project / "base.json").read_text())
    assert [(e["code"], e["path"], e["count"]) for e in doc["findings"]] == [
        ("IDL001", "app/views.py", 1)]
    assert invoke("--no-cache", "--baseline", "base.json", "app").exit_code == 0
    # a second, new leak of the same kind is not hidden by the one entry
    views = project / "app" / "views.py"
    views.write_text(views.read_text() + "\n\ndef other(request):\n"
                     "    m = Member.objects.get(nickname='y')\n"
                     "    return JsonResponse({'id': m.id})\n")
    result = invoke("--no-cache", "--format", "json", "--baseline", "base.json", "app")
    assert result.exit_code == 1
    assert findings_of(result.stdout) == [("app/views.py", 16, 32, "IDL001")]
    # once the code is fixed, the entry is stale
    views.write_text("def ok():\n    return 1\n")
    result = CliRunner().invoke(main, ["--no-cache", "--baseline", "base.json", "app"])
    assert result.exit_code == 0
    assert "1 baseline entries no longer match" in result.output


def test_bad_baseline_is_usage_error(project: Path) -> None:
    (project / "base.json").write_text("{}")
    result = CliRunner().invoke(main, ["--no-cache", "--baseline", "base.json", "app"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "idlint: error: base.json: not an idlint baseline (write one with --write-baseline)")


def _git(cwd: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(cwd), "PATH": __import__("os").environ["PATH"]})


def test_diff_mode_reports_only_findings_touching_changed_lines(project: Path) -> None:
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "old leak")
    assert invoke("--no-cache", "--diff", "HEAD", "app").exit_code == 0
    # a new leak in a new function of the old file, and a new file
    views = project / "app" / "views.py"
    views.write_text(views.read_text() + "\n\ndef other(request):\n"
                     "    m = Member.objects.get(nickname='y')\n"
                     "    return JsonResponse({'id': m.id})\n")
    (project / "app" / "new.py").write_text(textwrap.dedent(VIEW).lstrip().replace(
        "class Member", "class Customer").replace("Member.objects", "Customer.objects"))
    result = invoke("--no-cache", "--format", "json", "--diff", "HEAD", "app")
    assert result.exit_code == 1
    assert findings_of(result.stdout) == [("app/new.py", 11, 32, "IDL001"),
                                          ("app/views.py", 16, 32, "IDL001")]


def test_diff_mode_bad_ref(project: Path) -> None:
    _git(project, "init", "-q")
    result = CliRunner().invoke(main, ["--no-cache", "--diff", "nope", "app"])
    assert result.exit_code == 2
    assert result.output.startswith("idlint: error: --diff: ")


HELPER = """
def serial_of(member):
    return member.id
"""
VIEW_WITH_HELPER = """
from django.db import models
from django.http import JsonResponse

from app.helpers import serial_of


class Member(models.Model):
    nickname = models.CharField(max_length=40)


def me(request):
    m = Member.objects.get(nickname="x")
    return JsonResponse({"id": serial_of(m)})
"""


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_named_files_are_analysed_within_their_project(project: Path, cache: list[str]) -> None:
    (project / "app" / "views.py").write_text(textwrap.dedent(VIEW_WITH_HELPER).lstrip(),
                                              encoding="utf-8")
    (project / "app" / "helpers.py").write_text(textwrap.dedent(HELPER).lstrip(),
                                                encoding="utf-8")
    (project / "app" / "broken.py").write_text("def oops(:\n", encoding="utf-8")
    whole = invoke("--format", "json", *cache, ".")
    assert [c for _, _, _, c in findings_of(whole.stdout)] == ["IDL901", "IDL001"]
    # a pre-commit run on the view alone still follows the call into helpers.py, and the
    # syntax error elsewhere is not this commit's business
    named = invoke("--format", "json", *cache, "app/views.py")
    assert named.exit_code == 1
    assert findings_of(named.stdout) == [("app/views.py", 13, 32, "IDL001")]
    assert json.loads(named.stdout)["files_scanned"] == 1
    # the flow's sink is in views.py: naming only helpers.py reports nothing
    helper = invoke("--format", "json", *cache, "app/helpers.py", "app/util.py")
    assert helper.exit_code == 0
    assert findings_of(helper.stdout) == []
    assert json.loads(helper.stdout)["files_scanned"] == 2
    # and the full run after them is still the full report
    again = invoke("--format", "json", *cache, ".")
    assert findings_of(again.stdout) == findings_of(whole.stdout)


def test_cache_dir_option(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    where = tmp_path_factory.mktemp("elsewhere") / "cache"
    first = invoke("--format", "json", "--cache-dir", str(where), "app")
    assert findings_of(first.stdout) == [("app/views.py", 11, 32, "IDL001")]
    assert (where / ".gitignore").read_text() == "# created by idlint\n*\n"
    assert len(list(where.glob("[0-9a-f][0-9a-f]/*.entry"))) == 2  # one per file
    assert not (project / ".idlint_cache").exists()
    again = invoke("--format", "json", "--cache-dir", str(where), "app")
    assert again.stdout == first.stdout


def test_positions_worked_out_in_a_pool_match_the_serial_ones(project: Path) -> None:
    for i in range(4):  # enough files with findings for the locate pool
        (project / "app" / f"views{i}.py").write_text(
            "\n" * i + textwrap.dedent(VIEW).lstrip(), encoding="utf-8")
    serial = invoke("--format", "json", "--no-cache", "--jobs", "1", "app")
    pooled = invoke("--format", "json", "--no-cache", "--jobs", "2", "app")
    assert pooled.stdout == serial.stdout
    assert findings_of(pooled.stdout) == [("app/views.py", 11, 32, "IDL001")] + [
        (f"app/views{i}.py", 11 + i, 32, "IDL001") for i in range(4)]
