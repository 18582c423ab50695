"""Baselines: record today's findings so that only new ones fail the build.

Entries are matched by fingerprint (stable across unrelated edits) with a count, so two
identical new findings are not hidden by one old entry. Entries that match nothing any more
are stale: the code was fixed, and the baseline can shrink."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from idlint import __version__
from idlint.findings import Report

FORMAT = 1


class BaselineError(Exception):
    pass


def baseline_text(report: Report) -> str:
    counts = Counter((f.fingerprint, f.code, f.location.path) for f in report.active)
    entries = [{"fingerprint": fp, "code": code, "path": path, "count": n}
               for (fp, code, path), n in sorted(counts.items(), key=lambda kv: (kv[0][2],
                                                                                   kv[0][1],
                                                                                   kv[0][0]))]
    doc = {"idlint_baseline": FORMAT, "version": __version__, "findings": entries}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def load_baseline(path: Path) -> Counter[str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline file: {exc.msg} at line {exc.lineno}") \
            from None
    if not isinstance(doc, dict) or doc.get("idlint_baseline") != FORMAT or not isinstance(
            doc.get("findings"), list):
        raise BaselineError(f"{path}: not an idlint baseline (write one with --write-baseline)")
    counts: Counter[str] = Counter()
    for entry in doc["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise BaselineError(f"{path}: malformed entry {entry!r}")
        count = entry.get("count", 1)
        counts[entry["fingerprint"]] += count if isinstance(count, int) and count > 0 else 1
    return counts


def apply_baseline(report: Report, counts: Counter[str]) -> tuple[Report, int, int]:
    """The report without baselined findings, how many were hidden, how many baseline
    entries (counted with multiplicity) matched nothing."""
    remaining = Counter(counts)
    kept = []
    hidden = 0
    for f in report.findings:
        if f.suppression is None and remaining[f.fingerprint] > 0:
            remaining[f.fingerprint] -= 1
            hidden += 1
            continue
        kept.append(f)
    stale = sum(n for n in remaining.values() if n > 0)
    return replace(report, findings=tuple(kept)), hidden, stale
