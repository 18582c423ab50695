"""Precision and recall per rule on the labelled corpus under tests/corpus/.

    python benchmarks/corpus_metrics.py [--corpus DIR] [--rules IDL001,IDL002] [--json]

A case is a folder holding an `app/` package; expected findings are marked on the reported
line with a trailing `# expect: IDL001[, IDL003]` comment. Every reported finding of
IDL001-IDL008 is matched to the markers by (file, line, code); unmatched findings are false
positives, unmatched markers false negatives. A finding about an object's serial (subject
`object`, reported only because IDL009 is selected) counts as IDL009, whatever rule found it,
so an object's serial is marked `# expect: IDL009` and a person's keeps its rule's code.
Prints a table per rule, then every FP and FN.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from idlint.api import scan  # noqa: E402
from idlint.config import Config  # noqa: E402

CORPUS = HERE.parent / "tests" / "corpus"
OBJECT_SERIALS = "IDL009"
RULES = tuple(f"IDL00{i}" for i in range(1, 10))
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>IDL\d{3}(?:\s*,\s*IDL\d{3})*)\s*$")

Key = tuple[str, int, str]  # (path relative to the case, line, code)


def expected_in(source: str, path: str) -> set[Key]:
    """Markers in real comments only (tokenize skips `# expect:` inside strings)."""
    out: set[Key] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            m = _EXPECT.search(tok.string)
            if m:
                for code in m.group("codes").split(","):
                    out.add((path, tok.start[0], code.strip()))
    return out


def _counted_as(code: str, subject: str) -> str:
    """The code a finding is scored under: IDL009 for an object's serial (see above)."""
    return OBJECT_SERIALS if subject == "object" else code


def cases(corpus: Path) -> list[Path]:
    return sorted(p.parent for p in corpus.glob("*/*/app"))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def measure(corpus: Path, rules: tuple[str, ...] = RULES) -> tuple[dict[str, Tally], Counter]:
    tallies = {code: Tally() for code in rules}
    frameworks: Counter = Counter()
    for case in cases(corpus):
        frameworks[case.parent.name] += 1
        expected: set[Key] = set()
        for f in sorted(case.rglob("*.py")):
            rel = f.relative_to(case).as_posix()
            expected |= expected_in(f.read_text(encoding="utf-8"), rel)
        report = scan([case], Config(root=case, select=("ALL",)), jobs=1, use_cache=False)
        reported = {(f.location.path, f.location.line, _counted_as(f.code, f.subject))
                    for f in report.findings if f.suppression is None}
        reported = {k for k in reported if k[2] in rules}
        expected = {k for k in expected if k[2] in rules}
        name = case.relative_to(corpus).as_posix()
        for key in reported & expected:
            tallies[key[2]].tp += 1
        for key in reported - expected:
            tallies[key[2]].fp += 1
            tallies[key[2]].misses.append(f"{name}/{key[0]}:{key[1]} {key[2]} (fp)")
        for key in expected - reported:
            tallies[key[2]].fn += 1
            tallies[key[2]].misses.append(f"{name}/{key[0]}:{key[1]} {key[2]} (fn)")
    return tallies, frameworks


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rules = tuple(r.strip() for r in args.rules.split(",") if r.strip())
    tallies, frameworks = measure(args.corpus, rules)
    if args.json:
        print(json.dumps({code: {"tp": t.tp, "fp": t.fp, "fn": t.fn,
                                 "precision": t.precision(), "recall": t.recall()}
                          for code, t in tallies.items()}, indent=2))
        return
    total = sum(frameworks.values())
    print(f"{total} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(frameworks.items())))
    print(f"{'rule':8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for code, t in tallies.items():
        print(f"{code:8} {t.tp:4} {t.fp:4} {t.fn:4} {_fmt(t.precision()):>10} "
              f"{_fmt(t.recall()):>8}")
    groups = {"IDL001-IDL004": RULES[:4], "IDL005-IDL008": RULES[4:8]}
    for label, codes in groups.items():
        tp = sum(tallies[c].tp for c in codes if c in tallies)
        fp = sum(tallies[c].fp for c in codes if c in tallies)
        fn = sum(tallies[c].fn for c in codes if c in tallies)
        p = tp / (tp + fp) if tp + fp else None
        r = tp / (tp + fn) if tp + fn else None
        print(f"{label:13} TP {tp} FP {fp} FN {fn} precision {_fmt(p)} recall {_fmt(r)}")
    misses = [m for t in tallies.values() for m in t.misses]
    if misses:
        print("\nfalse positives and negatives:")
        for m in sorted(misses):
            print("  " + m)


if __name__ == "__main__":
    main()
