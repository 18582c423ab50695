"""SARIF (validated against the OASIS schema), GitHub annotations, JSON and text rendering."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
from rich.console import Console

from idlint.catalog import load_catalog
from idlint.findings import FileFailure, Finding, Location, Report, Suppression, TraceStep
from idlint.report.github import render_github
from idlint.report.json_format import render_json
from idlint.report.sarif import render_sarif
from idlint.report.text import render_text

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
CATALOG = load_catalog()


def report(root: Path) -> Report:
    trace = (
        TraceStep("source", Location("app/views.py", 3, 9, 3, 13), "serial read here"),
        TraceStep("transform", Location("app/ids.py", 5, 12, 5, 40), "encoded with base64"),
        TraceStep("sink", Location("app/views.py", 4, 32, 4, 36), "reaches the client"),
    )
    return Report(
        findings=(
            Finding("IDL003", "reversible-encoding", "error", "high",
                    Location("app/views.py", 4, 32, 4, 36), "Serial `Member.id` is encoded",
                    trace, "f" * 32),
            Finding("IDL001", "serial-exposed", "error", "medium",
                    Location("app/views.py", 5, 20, 5, 24), "Serial `Member.id`, 50% \"raw\"",
                    (), "e" * 32, Suppression(5, "admin only")),
            Finding("IDL901", "parse-error", "error", "high",
                    Location("app/bad, file.py", 1, 7, 1, 7), "File not analysed: x:\ny"),
        ),
        files_scanned=3,
        failures=(FileFailure("app/bad, file.py", "IDL901", "syntax error: invalid syntax"),),
        root=str(root),
    )


def test_sarif_validates_and_carries_flows_fingerprints_suppressions(tmp_path: Path) -> None:
    text, cut = render_sarif(report(tmp_path), CATALOG, category="idlint/backend")
    assert cut == 0
    doc = json.loads(text)
    jsonschema.Draft7Validator(SCHEMA).validate(doc)
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "idlint"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CATALOG)
    idl003 = rules[list(CATALOG).index("IDL003")]
    assert idl003["properties"]["security-severity"] == "6.5"
    assert "external/cwe/cwe-200" in idl003["properties"]["tags"]
    assert idl003["help"]["markdown"].startswith("# IDL003 reversible-encoding")
    first, second, third = run["results"]
    assert first["ruleId"] == "IDL003"
    assert first["ruleIndex"] == list(CATALOG).index("IDL003")
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app/views.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 32, "endLine": 4, "endColumn": 36},
    }
    assert first["partialFingerprints"] == {"idlint/v1": "f" * 32}
    flow = first["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [loc["kinds"] for loc in flow] == [["source"], ["transform"], ["sink"]]
    assert first["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert second["suppressions"] == [{"kind": "inSource", "justification": "admin only"}]
    assert third["ruleId"] == "IDL901"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == "IDL901: syntax error: invalid syntax"
    assert run["automationDetails"] == {"id": "idlint/backend"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_is_deterministic_and_cut_at_the_limit(tmp_path: Path) -> None:
    r = report(tmp_path)
    assert render_sarif(r, CATALOG)[0] == render_sarif(r, CATALOG)[0]
    text, cut = render_sarif(r, CATALOG, max_results=1)
    assert cut == 2
    assert len(json.loads(text)["runs"][0]["results"]) == 1


def test_real_scan_sarif_validates(tmp_path: Path) -> None:
    from idlint.api import scan
    from idlint.config import Config

    example = Path(__file__).parent.parent / "examples" / "messenger"
    result = scan([example], Config(root=example), jobs=1, use_cache=False)
    doc = json.loads(render_sarif(result, CATALOG)[0])
    jsonschema.Draft7Validator(SCHEMA).validate(doc)
    assert len(doc["runs"][0]["results"]) == len(result.findings) == 9


def test_github_annotations_escape(tmp_path: Path) -> None:
    lines = render_github(report(tmp_path), CATALOG).splitlines()
    assert lines == [
        "::error file=app/views.py,line=4,endLine=4,col=32,endColumn=36,"
        "title=IDL003 reversible-encoding::Serial `Member.id` is encoded",
        "::error file=app/bad%2C file.py,line=1,endLine=1,col=7,endColumn=7,"
        "title=IDL901 parse-error::File not analysed: x:%0Ay",
    ]


def test_json_keys(tmp_path: Path) -> None:
    doc = json.loads(render_json(report(tmp_path), CATALOG))
    assert sorted(doc) == ["failures", "files_scanned", "findings", "summary", "version"]
    assert doc["summary"] == {"IDL003": 1, "IDL901": 1}
    f = doc["findings"][1]
    assert (f["code"], f["suppressed"], f["suppression_reason"]) == ("IDL001", True, "admin only")
    assert f["range"] == {"start": {"line": 5, "column": 20}, "end": {"line": 5, "column": 24}}


def test_text_frame_and_trace(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(
        "def v(request):\n    x = 1\n    m = Member.objects.first()\n"
        "    return JsonResponse({\"id\": m.id})\n")
    buf = io.StringIO()
    console = Console(file=buf, width=100, color_system=None, force_terminal=False)
    r = report(tmp_path)
    render_text(Report(r.findings[:1], 1, (), str(tmp_path)), CATALOG, console,
                lambda p: (tmp_path / p).read_text() if (tmp_path / p).exists() else None)
    lines = buf.getvalue().splitlines()
    assert lines[0] == ("app/views.py:4:32 IDL003 [reversible-encoding] Serial `Member.id` is "
                        "encoded")
    assert lines[2] == '  > 4 |     return JsonResponse({"id": m.id})'
    assert lines[3] == "      |                                ^^^^"
    assert lines[4].split() == ["source", "app/views.py:3", "serial", "read", "here"]
    assert lines[-1] == "Found 1 finding in 1 file."
