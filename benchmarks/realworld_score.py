#!/usr/bin/env python3
"""Score idlint on the hand-labelled real-world benchmark (benchmarks/realworld/).

usage: realworld_score.py DIR [--labels FILE ...] [--only owner/name,...] [--idlint CMD]
                          [--keep DIR] [--default-run]

DIR holds one extracted tree per labelled repository, named <owner>__<name> (see
benchmarks/realworld/README.md). By default every benchmarks/realworld/labels-*.jsonl is read.
For each repository `idlint --no-cache --format json --select ALL <tree>` runs inside the tree.
With --default-run, idlint runs as users run it (default rules and --min-severity) and only the
flag labels of people's serials (`why` starting "person:") count: how many of the person leaks
the default run reports.

Rule (the same as the shared development-set scorer):
- a rule belongs to a family: IDL001-IDL004, IDL007, IDL008 are serial exposure (categories raw,
  composite, reversible-encoding, unkeyed-hash), IDL005 is a decryption oracle, IDL006 enumeration;
- a `flag` label is found when a finding of its family has its primary location (start..end line,
  capped at 10 lines) or one of its trace steps on the labelled line or on one of its `also` lines;
  `exact_category` counts the found labels whose rule also names the labelled category (IDL007 and
  IDL008 count as raw);
- a finding of IDL001-IDL008 whose primary location covers a `clean` line is a clean-line hit
  (unless the same finding found a flag label of its family); every such finding counts once.
Prints per repository what was found, missed and which clean lines were hit, then the totals
`recall` (found / flag labels) and `clean_precision` (found / (found + clean-line hits)).
"""

import argparse
import json
import shlex
import subprocess
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABEL_DIR = HERE / "realworld"

RULE_CATEGORY = {
    "IDL001": "raw",
    "IDL002": "composite",
    "IDL003": "encoding",
    "IDL004": "weakhash",
    "IDL005": "oracle",
    "IDL006": "enumeration",
    "IDL007": "linkage",
    "IDL008": "url",
}
FAMILY = {
    "raw": "exposure",
    "composite": "exposure",
    "encoding": "exposure",
    "weakhash": "exposure",
    "linkage": "exposure",
    "url": "exposure",
    "oracle": "oracle",
    "enumeration": "enumeration",
}
LABEL_CATEGORY = {
    "reversible-encoding": "encoding",
    "unkeyed-hash": "weakhash",
    "decrypt-oracle": "oracle",
}
MAX_SPAN = 10  # lines of a primary location that count


def load_labels(files, people_only=False):
    """repo -> {"flags": {key: {"cats", "lines", "where"}}, "clean": set((path, line))}"""
    repos = defaultdict(lambda: {"flags": {}, "clean": set(), "commit": None})
    for f in files:
        for i, text in enumerate(Path(f).read_text().splitlines(), 1):
            if not text.strip():
                continue
            d = json.loads(text)
            r = repos[d["repo"]]
            r["commit"] = r["commit"] or d.get("commit")
            loc = (d["path"], int(d["line"]))
            if d["expect"] == "flag":
                if people_only and not d.get("why", "").startswith("person:"):
                    continue
                cats = {LABEL_CATEGORY.get(c, c) for c in d["category"].split("|")}
                lines = {loc} | {(d["path"], int(n)) for n in d.get("also", [])}
                r["flags"][f"{Path(f).name}:{i}"] = {"cats": cats, "lines": lines, "where": loc}
            elif d["expect"] == "clean":
                r["clean"].add(loc)
            else:
                raise SystemExit(f"{f}:{i}: expect must be flag or clean, got {d['expect']!r}")
    return repos


def normalise(path, tree, root_guess):
    """A finding path as a POSIX path relative to the tree, whatever root idlint chose."""
    p = Path(path)
    if p.is_absolute():
        candidates = [p]
    else:
        candidates = [tree / p, root_guess / p] + [a / p for a in tree.parents]
    for c in candidates:
        try:
            rel = c.resolve().relative_to(tree.resolve())
        except (ValueError, OSError):
            continue
        if (tree / rel).exists():
            return rel.as_posix()
    rel = Path(path).as_posix()
    while rel.startswith("./"):
        rel = rel[2:]
    return rel


def findings_of(report, tree):
    out = []
    for f in report.get("findings", []):
        rng = f.get("range") or {}
        start = int((rng.get("start") or {}).get("line", 1))
        end = int((rng.get("end") or {}).get("line", start))
        end = max(start, min(end, start + MAX_SPAN - 1))
        path = normalise(f.get("path", ""), tree, tree)
        trace = {
            (normalise(s.get("path", f.get("path", "")), tree, tree), int(s.get("line", 0)))
            for s in [*(f.get("trace") or []),
                      *(step for t in f.get("more_sinks") or [] for step in t)]
            if s.get("line")
        }
        out.append(
            {
                "rule": f.get("code", ""),
                "path": path,
                "start": start,
                "end": end,
                "trace": trace,
                "message": f.get("message", ""),
            }
        )
    return out


def score(flags, clean, findings):
    by_line = defaultdict(list)
    for key, g in flags.items():
        for loc in g["lines"]:
            by_line[loc].append(key)
    hit, exact, hits_on_clean = set(), set(), []
    for r in findings:
        cat = RULE_CATEGORY.get(r["rule"])
        if cat is None:  # IDL9xx (unreadable file, timeouts) and anything unknown
            continue
        cats = {cat, "raw"} if cat in ("linkage", "url") else {cat}
        fam = FAMILY[cat]
        primary = [(r["path"], n) for n in range(r["start"], r["end"] + 1)]
        keys = {k for loc in primary + sorted(r["trace"]) for k in by_line.get(loc, [])}
        good = {k for k in keys if fam in {FAMILY.get(c) for c in flags[k]["cats"]}}
        if good:
            hit |= good
            exact |= {k for k in good if cats & flags[k]["cats"]}
        elif any(loc in clean for loc in primary):
            hits_on_clean.append(r)
    missed = [(k, g) for k, g in flags.items() if k not in hit]
    return {
        "tp": len(hit),
        "exact": len(exact),
        "expected": len(flags),
        "fp": len(hits_on_clean),
        "missed": missed,
        "clean_hits": hits_on_clean,
    }


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "corpus", type=Path, help="folder with one extracted tree per repository, <owner>__<name>"
    )
    ap.add_argument(
        "--labels",
        type=Path,
        nargs="+",
        action="extend",
        help="JSONL label files (default: benchmarks/realworld/labels-*.jsonl)",
    )
    ap.add_argument("--only", help="comma-separated owner/name list")
    ap.add_argument("--idlint", default="idlint", help="idlint command (default: idlint on PATH)")
    ap.add_argument(
        "--keep", type=Path, help="write each repository's JSON report to DIR/<owner>__<name>.json"
    )
    ap.add_argument(
        "--default-run", action="store_true",
        help="run idlint with its defaults and count only the person flag labels"
    )
    a = ap.parse_args()

    files = a.labels or sorted(LABEL_DIR.glob("labels-*.jsonl"))
    if not files:
        raise SystemExit(f"no label files (looked for {LABEL_DIR}/labels-*.jsonl)")
    labels = load_labels(files, people_only=a.default_run)
    repos = sorted(labels)
    if a.only:
        wanted = {x.strip() for x in a.only.split(",")}
        repos = [r for r in repos if r in wanted]

    total = {"tp": 0, "exact": 0, "expected": 0, "fp": 0, "results": 0}
    for repo in repos:
        tree = (a.corpus / repo.replace("/", "__")).resolve()
        if not tree.is_dir():
            print(f"{repo}: not extracted at {tree}")
            continue
        started = time.time()
        cmd = [
            *shlex.split(a.idlint),
            "--no-cache",
            "--format",
            "json",
            *(() if a.default_run else ("--select", "ALL")),
            str(tree),
        ]
        p = subprocess.run(cmd, cwd=tree, capture_output=True, text=True)
        try:
            report = json.loads(p.stdout)
        except json.JSONDecodeError:
            print(f"{repo}: no JSON report (exit {p.returncode}) {p.stderr.strip()[-300:]}")
            continue
        if a.keep:
            a.keep.mkdir(parents=True, exist_ok=True)
            (a.keep / (repo.replace("/", "__") + ".json")).write_text(p.stdout)
        findings = findings_of(report, tree)
        s = score(labels[repo]["flags"], labels[repo]["clean"], findings)
        s["results"] = len(findings)
        for k in total:
            total[k] += s[k]
        print(
            f"{repo}: found {s['tp']}/{s['expected']} clean_lines_hit={s['fp']} "
            f"results={s['results']} {time.time() - started:.1f}s"
        )
        for _key, g in sorted(s["missed"], key=lambda kg: kg[1]["where"]):
            path, line = g["where"]
            print(f"   missed {'|'.join(sorted(g['cats']))} {path}:{line}")
        for r in s["clean_hits"]:
            print(f"   clean line hit: {r['path']}:{r['start']} {r['rule']} {r['message'][:90]}")
    t = total
    prec = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
    rec = t["tp"] / t["expected"] if t["expected"] else 0.0
    print(
        f"realworld recall={rec:.3f} clean_precision={prec:.3f} found={t['tp']} "
        f"exact_category={t['exact']} clean_lines_hit={t['fp']} expected={t['expected']} "
        f"results={t['results']}"
    )


if __name__ == "__main__":
    main()
