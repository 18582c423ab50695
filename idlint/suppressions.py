"""`# idlint: ignore[CODE] reason` comments: matching them to findings, and reporting the
ones that are blanket, unknown or unused."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from idlint.analysis.perfile import FileResult
from idlint.catalog import RuleSpec
from idlint.findings import Finding, Location, Suppression


def _covers(code: str, selector: str) -> bool:
    return code.startswith(selector)


def apply_suppressions(findings: Iterable[Finding], results: Iterable[FileResult],
                       catalog: Mapping[str, RuleSpec], enabled: frozenset[str]) -> list[Finding]:
    comments = {r.path: r.module.suppressions for r in results
                if r.module is not None and r.module.suppressions}
    out: list[Finding] = []
    used: set[tuple[str, int, str]] = set()
    for f in findings:
        file_comments = comments.get(f.location.path, ())
        first, last = f.statement_lines if f.statement_lines != (0, 0) else (
            f.location.line, f.location.line)
        first, last = min(first, f.location.line), max(last, f.location.line)
        match = None
        for c in file_comments:
            if first <= c.line <= last and c.codes:
                hit = next((s for s in c.codes if _covers(f.code, s)), None)
                if hit is not None:
                    used.add((f.location.path, c.line, hit))
                    match = c
                    break
        if match is not None:
            f = replace(f, suppression=Suppression(match.line, match.reason))
        out.append(f)
    for path, file_comments in sorted(comments.items()):
        for c in file_comments:
            out.extend(_diagnose(path, c, used, catalog, enabled))
    return out


def _diagnose(path: str, c, used: set[tuple[str, int, str]], catalog: Mapping[str, RuleSpec],
              enabled: frozenset[str]) -> list[Finding]:
    def finding(code: str, message: str) -> Finding:
        spec = catalog[code]
        loc = Location(path, c.line, c.column, c.line, c.column + 1)
        return Finding(code, spec.name, spec.severity, "high", loc, message,
                       fingerprint=f"{code}:{path}:{message}",
                       statement_lines=(c.line, c.line))

    if not c.codes:
        return [finding("IDL904", "Blanket `# idlint: ignore` suppresses nothing: name the codes,"
                                  " e.g. `# idlint: ignore[IDL001] reason`")]
    out = []
    for sel in c.codes:
        if not any(_covers(code, sel) for code in catalog):
            out.append(finding("IDL906", f"Unknown rule code `{sel}` in suppression"))
        elif (path, c.line, sel) not in used and any(
            _covers(code, sel) for code in enabled if not code.startswith("IDL9")
        ):
            out.append(finding("IDL905", f"Unused suppression `{sel}`: no such finding here"))
    return out
