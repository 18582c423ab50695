"""The JSON report: stable keys, documented in docs/formats.md."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping

from idlint import __version__
from idlint.catalog import RuleSpec
from idlint.findings import Finding, Report, TraceStep
from idlint.severity import band


def _steps(trace: tuple[TraceStep, ...]) -> list[dict]:
    return [{"kind": s.kind, "path": s.location.path, "line": s.location.line,
             "column": s.location.column, "message": s.message} for s in trace]


def finding_dict(f: Finding) -> dict:
    loc = f.location
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "security_severity": f.security_severity or None,
        "severity_band": band(f.security_severity) if f.security_severity else None,
        "confidence": f.confidence,
        "subject": f.subject or None,
        "path": loc.path,
        "range": {
            "start": {"line": loc.line, "column": loc.column},
            "end": {"line": loc.end_line, "column": loc.end_column},
        },
        "message": f.message,
        "trace": _steps(f.trace),
        "more_sinks": [_steps(t) for t in f.more_sinks],
        "fingerprint": f.fingerprint,
        "suppressed": f.suppression is not None,
        "suppression_reason": f.suppression.reason if f.suppression else None,
    }


def render_json(report: Report, catalog: Mapping[str, RuleSpec]) -> str:
    doc = {
        "version": __version__,
        "files_scanned": report.files_scanned,
        "findings": [finding_dict(f) for f in report.findings],
        "failures": [{"path": x.path, "code": x.code, "reason": x.reason}
                     for x in report.failures],
        "summary": dict(sorted(Counter(f.code for f in report.active).items())),
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"
