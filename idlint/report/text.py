"""The terminal report: a header, a code frame with the expression underlined and the trace
per finding, then a summary table per rule."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

from rich.console import Console
from rich.table import Table
from rich.text import Text

from idlint.catalog import RuleSpec
from idlint.findings import Finding, Location, Report, TraceStep
from idlint.report.escape import printable
from idlint.severity import band

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold cyan"}
CONTEXT_LINES = 1
# Python's own line breaks: form feeds, U+2028 and the like inside a line do not end it, so
# str.splitlines would shift the frame away from the reported line.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _source_lines(source: str) -> list[str]:
    lines = _LINE_BREAK.split(source)
    if lines[-1] == "":
        lines.pop()
    return lines


def _path(path: str) -> str:
    """A path as printed: escaped, and never opening a line with `::`, which the GitHub
    Actions runner (after trimming white space) would read as a workflow command."""
    shown = printable(path)
    return "./" + shown if shown.lstrip().startswith("::") else shown


def _grown(raw: str) -> int:
    """How many characters escaping adds to `raw`: the caret moves right by as many."""
    return len(printable(raw)) - len(raw)


def _frame(finding: Finding, source: str) -> Text:
    lines = _source_lines(source)
    loc = finding.location
    first = max(1, loc.line - CONTEXT_LINES)
    last = min(len(lines), loc.line + CONTEXT_LINES)
    width = len(str(last))
    out = Text()
    for n in range(first, last + 1):
        raw = lines[n - 1].expandtabs(1) if n - 1 < len(lines) else ""
        marker = ">" if n == loc.line else " "
        out.append(f"  {marker} {n:>{width}} | ", style="dim")
        out.append(printable(raw) + "\n")
        if n == loc.line:
            end = loc.end_column if loc.end_line == loc.line else len(raw) + 1
            start = loc.column - 1 + _grown(raw[:loc.column - 1])
            count = max(1, end - loc.column + _grown(raw[loc.column - 1:end - 1]))
            out.append(f"    {' ' * width} | ", style="dim")
            out.append(" " * start + "^" * count + "\n", style="bold red")
    return out


def _header(finding: Finding) -> Text:
    loc = finding.location
    text = Text()
    text.append(f"{_path(loc.path)}:{loc.line}:{loc.column}", style="bold")
    text.append(" ")
    text.append(printable(finding.code), style=SEVERITY_STYLE.get(finding.severity, "bold"))
    text.append(f" [{printable(finding.name)}] ")
    text.append(printable(finding.message))
    notes = [f"{band(finding.security_severity)} severity"] if finding.security_severity else []
    if finding.confidence != "high":
        notes.append(f"confidence: {finding.confidence}")
    if notes:
        text.append(f" ({', '.join(notes)})", style="dim")
    return text


def _trace(finding: Finding) -> Text:
    out = Text()
    # the trace, then the other sinks the same cause reaches
    lines = [(s.kind, s) for s in finding.trace]
    shown = {finding.trace[-1].location} if finding.trace else set()
    for t in finding.more_sinks:
        if t:
            lines.append(("also", _where_else(t, finding.trace, shown)))
            shown.add(t[-1].location)
    width = max((len(kind) for kind, _ in lines), default=0)
    for kind, step in lines:
        out.append(f"    {kind:<{width}}  ", style="cyan")
        out.append(f"{_path(step.location.path)}:{step.location.line}", style="dim")
        out.append(f"  {printable(step.message)}\n")
    return out


def _where_else(steps: tuple[TraceStep, ...], trace: tuple[TraceStep, ...],
                shown: set[Location]) -> TraceStep:
    """What tells another way of the same cause apart: its sink, or, when that sink is shown
    already (a shared helper's sink reached through another of its calls), the first step
    where it leaves the finding's trace."""
    if steps[-1].location not in shown:
        return steps[-1]
    for step, other in zip(steps, trace, strict=False):
        if step != other:
            return step
    return steps[-1]


def render_text(report: Report, catalog: Mapping[str, RuleSpec], console: Console,
                read_source: Callable[[str], str | None]) -> None:
    cache: dict[str, str | None] = {}
    active = report.active
    for finding in active:
        path = finding.location.path
        if path not in cache:
            cache[path] = read_source(path)
        console.print(_header(finding), soft_wrap=True)
        source = cache[path]
        if source is not None and finding.location.line > 0:
            console.print(_frame(finding, source), end="", soft_wrap=True)
        if finding.trace:
            console.print(_trace(finding), end="", soft_wrap=True)
        console.print()
    counts = Counter(f.code for f in active)
    if counts:
        table = Table(title=None, show_edge=False, pad_edge=False, box=None)
        table.add_column("rule", style="bold")
        table.add_column("name")
        table.add_column("count", justify="right")
        for code in sorted(counts):
            spec = catalog.get(code)
            # Text cells: a string cell would be read as console markup.
            table.add_row(Text(printable(code)), Text(spec.name if spec else ""),
                          str(counts[code]))
        console.print(table)
    suppressed = len(report.findings) - len(active)
    files = f"{report.files_scanned} file{'s' if report.files_scanned != 1 else ''}"
    note = f" ({suppressed} suppressed)" if suppressed else ""
    if active:
        plural = "s" if len(active) != 1 else ""
        console.print(f"Found {len(active)} finding{plural}{note} in {files}.")
    else:
        console.print(f"No findings{note} in {files}.")
