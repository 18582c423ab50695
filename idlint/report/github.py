"""GitHub Actions workflow commands: one annotation per finding on the pull request."""

from __future__ import annotations

from collections.abc import Mapping

from idlint.catalog import RuleSpec
from idlint.findings import Report

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, catalog: Mapping[str, RuleSpec]) -> str:
    lines = []
    for f in report.active:
        loc = f.location
        props = [
            f"file={escape_property(loc.path)}",
            f"line={loc.line}",
            f"endLine={loc.end_line}",
            f"col={loc.column}",
            f"endColumn={loc.end_column}",
            f"title={escape_property(f'{f.code} {f.name}')}",
        ]
        command = COMMANDS.get(f.severity, "warning")
        lines.append(f"::{command} {','.join(props)}::{escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)
