"""GitHub Actions workflow commands: one annotation per finding on the pull request."""

from __future__ import annotations

from collections.abc import Mapping

from idlint.catalog import RuleSpec
from idlint.findings import Report
from idlint.report.escape import CONTROL_CODES

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


# The runner decodes only %25, %0D, %0A (and %3A, %2C in properties). Every other control
# character is percent-encoded the same way (as its UTF-8 bytes) so that an ESC or a line
# separator in a file name or message never reaches the log raw: it shows as `%1B`.
# One translate() pass: an escape is never escaped again.
_DATA = {ord("%"): "%25"} | {code: _percent(chr(code)) for code in CONTROL_CODES}
_PROPERTY = _DATA | {ord(":"): "%3A", ord(","): "%2C"}


def escape_data(text: str) -> str:
    return text.translate(_DATA)


def escape_property(text: str) -> str:
    return text.translate(_PROPERTY)


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
