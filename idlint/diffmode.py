"""`--diff REF`: keep only findings whose sink or trace touches lines changed since a git ref.

The whole project is still analysed (a flow into a changed line may start in an unchanged
file); only the report is narrowed, which is what a pull-request check wants."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

from idlint.findings import Finding, Report

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@")


class DiffError(Exception):
    pass


def _git(cwd: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DiffError(f"--diff: cannot run git: {exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed"
        raise DiffError(f"--diff: {message}")
    return proc.stdout


def changed_lines(root: Path, ref: str) -> dict[str, set[int] | None]:
    """Root-relative path -> changed line numbers (None: the whole file is new)."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    out: dict[str, set[int] | None] = {}

    def rel(path: str) -> str:
        absolute = (top / path).resolve()
        try:
            return absolute.relative_to(root.resolve()).as_posix()
        except ValueError:
            return absolute.as_posix()

    current: str | None = None
    diff = _git(top, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames",
                ref, "--")
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            current = rel(target[2:]) if target.startswith("b/") else None
            if current is not None:
                out.setdefault(current, set())
        elif current is not None and (m := _HUNK.match(line)):
            start, count = int(m.group("start")), int(m.group("count") or "1")
            lines = out[current]
            if lines is not None:
                # a pure deletion touches the line after it
                lines.update(range(start, start + max(count, 1)))
    for path in _git(top, "ls-files", "--others", "--exclude-standard").splitlines():
        out[rel(path)] = None
    return out


def _touches(f: Finding, changed: dict[str, set[int] | None]) -> bool:
    spots = [(f.location.path, f.location.line, f.location.end_line)]
    spots += [(s.location.path, s.location.line, s.location.end_line) for s in f.trace]
    for path, first, last in spots:
        if path not in changed:
            continue
        lines = changed[path]
        if lines is None or any(n in lines for n in range(first, max(first, last) + 1)):
            return True
    return False


def only_changed(report: Report, changed: dict[str, set[int] | None]) -> Report:
    return replace(report, findings=tuple(f for f in report.findings if _touches(f, changed)))
