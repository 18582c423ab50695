"""A scanned repository is hostile: its file names and source lines must not reach a terminal
or a CI log as control characters or workflow commands, nor break the URIs of SARIF."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from rich.console import Console

from idlint.api import scan
from idlint.catalog import load_catalog
from idlint.cli import main
from idlint.config import Config
from idlint.findings import FileFailure, Finding, Location, Report, TraceStep
from idlint.report.github import render_github
from idlint.report.sarif import render_sarif
from idlint.report.text import render_text

CATALOG = load_catalog()
LEAK = (
    "from django.db import models\n"
    "from django.http import JsonResponse\n"
    "class Member(models.Model):\n"
    "    nickname = models.CharField(max_length=9)\n"
    "def v(request):\n"
    "    m = Member.objects.get(nickname='x')\n"
    "    return JsonResponse({'id': m.id})\n"
)
IDL001 = ("IDL001 [serial-exposed] Serial `Member.id` reaches the client (JsonResponse body) "
          "unprotected (medium severity)")
FRAME = [
    "    6 |     m = Member.objects.get(nickname='x')",
    "  > 7 |     return JsonResponse({'id': m.id})",
    "      |                                ^^^^",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.idlint]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--no-cache", *args], input=input, catch_exceptions=False)


def text_of(report: Report) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=100, color_system=None, force_terminal=False)
    render_text(report, CATALOG, console, lambda path: None)
    return buf.getvalue()


def test_printable_escapes_every_control_character() -> None:
    from idlint.report.escape import printable

    assert printable("a\tb\nc\rd\x00\x1b[2J\x7f\x85\x9f\u2028\u2029\\x é😀") == (
        "a\\tb\\nc\\rd\\x00\\x1b[2J\\x7f\\x85\\x9f\\u2028\\u2029\\x é😀")


def test_hostile_file_names_are_escaped_and_start_no_workflow_command(project: Path) -> None:
    for name in ("a\n::error file=README.md::x.py", "::warning::y.py", " ::notice::z.py"):
        (project / name).write_text(LEAK, encoding="utf-8")
    result = invoke(".")
    assert result.exit_code == 1
    shown = [" ::notice::z.py", "./::warning::y.py", "a\\n::error file=README.md::x.py"]
    expected: list[str] = []
    for name in [f"./{shown[0]}", *shown[1:]]:
        expected += [f"{name}:7:32 {IDL001}", *FRAME,
                     f"    source  {name}:7  serial primary key `Member.id` is read here",
                     f"    sink    {name}:7  reaches the client: JsonResponse body",
                     ""]
    expected += ["rule    name            count",
                 "IDL001  serial-exposed      3",
                 "Found 3 findings in 3 files."]
    assert result.stdout.split("\n") == [*expected, ""]
    # what the GitHub Actions runner would read as a command, after trimming white space
    assert not [line for line in result.stdout.splitlines() if line.strip().startswith("::")]


def test_code_frame_escapes_control_characters_and_keeps_python_lines(project: Path) -> None:
    # U+2028, form feed and NEL do not end a line for Python: the frame must not split there.
    source = LEAK.replace("nickname='x')", "nickname='x')  # \u2028\x0c\x85").replace(
        "{'id': m.id}", "{'\x1b[2J\t\x7f': m.id}")
    (project / "leak.py").write_bytes(source.encode("utf-8"))
    result = invoke("leak.py")
    lines = result.stdout.split("\n")
    assert lines[:4] == [
        f"leak.py:7:36 {IDL001}",
        "    6 |     m = Member.objects.get(nickname='x')  # \\u2028\\x0c\\x85",
        "  > 7 |     return JsonResponse({'\\x1b[2J \\x7f': m.id})",
        "      |                                          ^^^^",
    ]
    assert "\x1b" not in result.stdout


def test_bidi_controls_cannot_reorder_a_name_or_a_frame(project: Path) -> None:
    # "Trojan Source": U+202E shows `v\u202eyp.x` as `vx.py` and reorders a source line
    name = "v\u202eyp.x\u2066.py"
    source = LEAK.replace("nickname='x')", "nickname='x')  # \u202e\u2067)di.m")
    (project / name).write_text(source, encoding="utf-8")
    result = invoke(name)
    lines = result.stdout.split("\n")
    assert lines[:3] == [
        f"v\\u202eyp.x\\u2066.py:7:32 {IDL001}",
        "    6 |     m = Member.objects.get(nickname='x')  # \\u202e\\u2067)di.m",
        "  > 7 |     return JsonResponse({'id': m.id})",
    ]
    assert not {"\u202e", "\u2066", "\u2067"} & set(result.stdout)
    github = invoke("--format", "github", name).stdout
    assert github.startswith("::error file=v%E2%80%AEyp.x%E2%81%A6.py,line=7,")


def test_messages_and_trace_steps_are_escaped() -> None:
    trace = (TraceStep("source", Location("x\x1b]0;pwned\x07.py", 3, 1, 3, 2), "read\r\n::x"),
             TraceStep("sink", Location("::y.py", 4, 1, 4, 2), "sent\u2029"))
    finding = Finding("IDL001", "serial-exposed", "error", "high",
                      Location("::y.py", 4, 1, 4, 2), "Serial `a\x9bb` [bold]x[/bold]", trace)
    assert text_of(Report((finding,), 1)).split("\n") == [
        "./::y.py:4:1 IDL001 [serial-exposed] Serial `a\\x9bb` [bold]x[/bold]",
        "    source  x\\x1b]0;pwned\\x07.py:3  read\\r\\n::x",
        "    sink    ./::y.py:4  sent\\u2029",
        "",
        "rule    name            count",
        "IDL001  serial-exposed      1",
        "Found 1 finding in 1 file.",
        "",
    ]


def test_errors_on_stderr_escape_paths(project: Path) -> None:
    result = CliRunner().invoke(main, ["--config", "c\x1b[2J\n::error::x.toml", "."])
    assert result.exit_code == 2
    assert result.stderr == (
        "idlint: error: c\\x1b[2J\\n::error::x.toml: config file does not exist\n")


def test_github_annotations_percent_encode_control_characters() -> None:
    finding = Finding("IDL001", "serial-exposed", "error", "high",
                      Location("a\x1b[31m,\x7f.py", 7, 32, 7, 36),
                      "Serial\x1b[2J 100%\r\n::x\x00\x85\u2028\t")
    assert render_github(Report((finding,), 1), CATALOG) == (
        "::error file=a%1B[31m%2C%7F.py,line=7,endLine=7,col=32,endColumn=36,"
        "title=IDL001 serial-exposed::Serial%1B[2J 100%25%0D%0A::x%00%C2%85%E2%80%A8%09\n")


NAMES = ["a b.py", "100%.py", "vïews.py", "q#x?.py", "::c.py", "d[1]@e.py"]
# RFC 3986 URI-reference characters, with `%` only as the start of an escape
URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*")


def test_sarif_uris_are_percent_encoded_and_round_trip(project: Path) -> None:
    for name in NAMES:
        (project / "app" / name).parent.mkdir(exist_ok=True)
        (project / "app" / name).write_text(LEAK, encoding="utf-8")
    (project / "app" / "bad #1?.py").write_text("def f(:\n", encoding="utf-8")
    report = scan([project], Config(root=project), jobs=1, use_cache=False)
    doc = json.loads(render_sarif(report, CATALOG)[0])
    run = doc["runs"][0]
    artifacts = [loc["physicalLocation"]["artifactLocation"]
                 for result in run["results"] for loc in result["locations"]]
    assert [unquote(a["uri"]) for a in artifacts] == sorted(
        ["app/bad #1?.py", *(f"app/{name}" for name in NAMES)])
    note = run["invocations"][0]["toolExecutionNotifications"][0]
    artifacts.append(note["locations"][0]["physicalLocation"]["artifactLocation"])
    assert artifacts[-1] == {"uri": "app/bad%20%231%3F.py", "uriBaseId": "%SRCROOT%"}
    for artifact in artifacts:
        assert URI.fullmatch(artifact["uri"]), artifact
        assert artifact["uriBaseId"] == "%SRCROOT%"
    assert {a["uri"] for a in artifacts} >= {
        "app/a%20b.py", "app/100%25.py", "app/v%C3%AFews.py", "app/q%23x%3F.py", "app/%3A%3Ac.py"}


def test_sarif_absolute_paths_become_file_uris(tmp_path: Path) -> None:
    path = (tmp_path / "out side" / "q#x?é.py").as_posix()
    finding = Finding("IDL001", "serial-exposed", "error", "high", Location(path, 7, 32, 7, 36),
                      "m")
    report = Report((finding,), 1, (FileFailure(path, "IDL902", "unreadable"),), str(tmp_path))
    run = json.loads(render_sarif(report, CATALOG)[0])["runs"][0]
    for artifact in (run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
                     run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0][
                         "physicalLocation"]["artifactLocation"]):
        assert list(artifact) == ["uri"]
        assert URI.fullmatch(artifact["uri"])
        parsed = urlparse(artifact["uri"])
        assert (parsed.scheme, parsed.netloc, unquote(parsed.path)) == ("file", "", path)


@pytest.mark.parametrize("on_disk", [True, False])
def test_stdin_filename_frame_shows_the_stdin_source(project: Path, on_disk: bool) -> None:
    (project / "app").mkdir()
    if on_disk:
        (project / "app" / "views.py").write_text("# on disk\n" * 9, encoding="utf-8")
    source = LEAK.replace("nickname='x')", "nickname='stdin\x1b')")
    result = invoke("--stdin-filename", "app/views.py", input=source.encode("utf-8"))
    assert result.exit_code == 1
    assert result.stdout.split("\n")[:4] == [
        f"app/views.py:7:32 {IDL001}",
        "    6 |     m = Member.objects.get(nickname='stdin\\x1b')",
        *FRAME[1:],
    ]


def test_code_frame_decodes_like_the_analyser(project: Path) -> None:
    source = "# -*- coding: latin-1 -*-\n" + LEAK.replace("nickname='x'", "nickname='café'")
    (project / "leak.py").write_bytes(source.encode("latin-1"))
    result = invoke("leak.py")
    assert result.stdout.split("\n")[:3] == [
        f"leak.py:8:32 {IDL001}",
        "    7 |     m = Member.objects.get(nickname='café')",
        "  > 8 |     return JsonResponse({'id': m.id})",
    ]
