"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from idlint import __version__
from idlint.catalog import RuleSpec
from idlint.findings import Finding, Location, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/idlint/idlint"
MAX_RESULTS = 25_000  # GitHub code scanning's limit per run
LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def _region(loc: Location) -> dict:
    region = {"startLine": loc.line, "startColumn": loc.column}
    if loc.end_line >= loc.line:
        region["endLine"] = loc.end_line
        region["endColumn"] = max(loc.end_column, loc.column + 1) if loc.end_line == loc.line \
            else loc.end_column
    return region


def _artifact(path: str) -> dict:
    """An artifactLocation: `uri` must be an RFC 3986 URI reference, so everything but
    unreserved characters and `/` is percent-encoded (UTF-8; the original bytes of a name that
    is not UTF-8). A `:` in a relative path is encoded too, or its first segment would read as
    a URI scheme."""
    if Path(path).is_absolute():  # a file outside the project root
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/", errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}


def _physical(loc: Location) -> dict:
    return {"artifactLocation": _artifact(loc.path), "region": _region(loc)}


def _rule(spec: RuleSpec) -> dict:
    tags = ["security"] + [f"external/cwe/cwe-{c}" for c in spec.cwe]
    if spec.is_diagnostic:
        tags = ["maintainability"]
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": spec.doc("what").strip()},
        "help": {"text": spec.markdown(), "markdown": spec.markdown()},
        "helpUri": f"{INFORMATION_URI}/blob/main/rules/{spec.code}.toml",
        "defaultConfiguration": {"level": LEVELS[spec.severity],
                                 "enabled": spec.enabled_by_default},
        "properties": {
            "tags": tags,
            "precision": {"high": "high", "medium": "medium", "low": "low"}[spec.confidence],
            "problem.severity": spec.severity if spec.severity != "note" else "recommendation",
            "security-severity": f"{spec.security_severity:.1f}",
        },
    }


def _result(f: Finding, index: dict[str, int]) -> dict:
    result: dict = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical(f.location)}],
        "partialFingerprints": {"idlint/v1": f.fingerprint},
        "properties": {"confidence": f.confidence},
    }
    if f.subject:
        result["properties"]["serial"] = f.subject
    if f.security_severity:
        # GitHub ranks alerts by the rule's security-severity; the finding's own score is
        # kept for other consumers and for --min-severity.
        result["properties"]["security-severity"] = f"{f.security_severity:.1f}"
    if f.trace:
        # one code flow per sink the cause reaches; the related locations are the sources,
        # then the other sinks
        result["codeFlows"] = [{"threadFlows": [{"locations": [
            {"location": {"physicalLocation": _physical(step.location),
                          "message": {"text": f"{step.kind}: {step.message}"}},
             "kinds": [step.kind]}
            for step in trace
        ]}]} for trace in (f.trace, *f.more_sinks)]
        related = [s for s in f.trace if s.kind == "source"]
        related += [t[-1] for t in f.more_sinks if t]
        if related:
            result["relatedLocations"] = [
                {"id": i + 1, "physicalLocation": _physical(s.location),
                 "message": {"text": s.message}}
                for i, s in enumerate(related)
            ]
    if f.suppression is not None:
        result["suppressions"] = [{"kind": "inSource",
                                   "justification": f.suppression.reason or "suppressed"}]
    return result


def render_sarif(report: Report, catalog: Mapping[str, RuleSpec], *,
                 category: str | None = None, max_results: int = MAX_RESULTS) -> tuple[str, int]:
    """The SARIF document and how many results were left out to stay within max_results."""
    specs = list(catalog.values())
    index = {spec.code: i for i, spec in enumerate(specs)}
    findings = list(report.findings)
    cut = max(0, len(findings) - max_results)
    findings = findings[:max_results]
    notifications = [
        {"level": "error" if failure.code in ("IDL901", "IDL902", "IDL903") else "warning",
         "message": {"text": f"{failure.code}: {failure.reason}"},
         "locations": [{"physicalLocation": {"artifactLocation": _artifact(failure.path)}}]}
        for failure in report.failures
    ]
    run: dict = {
        "tool": {"driver": {
            "name": "idlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule(spec) for spec in specs],
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(report.root).absolute().as_uri() + "/"}},
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": notifications}],
        "results": [_result(f, index) for f in findings],
        "columnKind": "unicodeCodePoints",
    }
    if category:
        run["automationDetails"] = {"id": category}
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n", cut
