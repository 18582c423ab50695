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
from idlint.safeio import UnsafeFileError, read_bounded

FORMAT = 1
# A baseline of a large project holds a few thousand entries (a few hundred kB); far larger
# files are not baselines, and a hostile one must not exhaust memory.
MAX_BASELINE_BYTES = 64 * 1024 * 1024
MAX_COUNT = 1_000_000  # identical findings one entry may stand for


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
    """Fingerprint -> how many findings with it are known. The file comes from the repository
    and may be hostile: anything that is not a well-formed baseline raises BaselineError with
    the file and what is wrong."""
    try:
        raw = read_bounded(path, MAX_BASELINE_BYTES)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except UnsafeFileError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    if b"\0" in raw:
        raise BaselineError(f"{path}: not a baseline file: contains NUL bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline file: not UTF-8 (invalid byte at offset "
                            f"{exc.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline file: {exc.msg} at line {exc.lineno}") \
            from None
    except RecursionError:
        raise BaselineError(f"{path}: not a baseline file: nested too deeply") from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise BaselineError(f"{path}: not a baseline file: a number has too many digits") \
            from None
    if not isinstance(doc, dict) or doc.get("idlint_baseline") != FORMAT or not isinstance(
            doc.get("findings"), list):
        raise BaselineError(f"{path}: not an idlint baseline (write one with --write-baseline)")
    counts: Counter[str] = Counter()
    for i, entry in enumerate(doc["findings"]):
        where = f"{path}: findings[{i}]"
        if not isinstance(entry, dict):
            raise BaselineError(f"{where} must be an object, got {_show(entry)}")
        fingerprint = entry.get("fingerprint")
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{where}: 'fingerprint' must be a non-empty string, got "
                                f"{_show(fingerprint)}")
        if "\0" in fingerprint:
            raise BaselineError(f"{where}: 'fingerprint' contains a NUL character")
        count = entry.get("count", 1)
        # true is an int in Python; idlint writes counts from 1 up, so anything else (zero,
        # negative, absurdly large) is a file it did not write.
        if isinstance(count, bool) or not isinstance(count, int) or not \
                1 <= count <= MAX_COUNT:
            raise BaselineError(f"{where}: 'count' must be a whole number from 1 to "
                                f"{MAX_COUNT}, got {_show(count)}")
        counts[fingerprint] += count
    return counts


def _show(value: object) -> str:
    """A short JSON-like rendering of a value from the file, for a one-line message."""
    if isinstance(value, (list, dict)):
        return "an array" if isinstance(value, list) else "an object"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 12:
        return "a number too large"
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
