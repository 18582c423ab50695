#!/usr/bin/env python3
"""List what the default run (no --select, default --min-severity) reports on real applications,
as the skeleton of a triage table.

usage: default_run.py TREE [TREE ...] [--idlint CMD] [--markdown FILE] [--verdicts FILE]

For each tree, `CMD --no-cache --format json .` runs inside it (CMD defaults to this
Python's `-m idlint check`: a tree's own `.python-version` must not choose the interpreter).
Prints per tree the number of findings by rule and by severity band, then the total.

With --markdown, writes one table per tree (rule, location, severity, message, verdict), ready
to be filled in by reading the code. With --verdicts, an earlier triage (markdown rows
`| application | rule | path:line | verdict | ...`, the application named as the tree's part
after `__`, or the tables --markdown writes, with a verdict column filled in) fills in the
verdicts it already has, and the share of `act` verdicts is printed.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path


def run(tree: Path, command: str) -> list[dict]:
    argv = [*shlex.split(command), "--no-cache", "--format", "json", "."]
    done = subprocess.run(argv, cwd=tree, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: idlint exited {done.returncode}: {done.stderr[-500:]}")
    return [f for f in json.loads(done.stdout)["findings"] if not f.get("suppressed")]


def read_verdicts(path: Path) -> dict[tuple[str, ...], str]:
    """(application, rule, path:line) -> verdict, from an earlier triage: either rows
    `| application | rule | path:line | verdict | ...` or the tables --markdown writes (a
    `## <owner>__<name>` heading, then rows `| rule | path:line | severity | message |
    verdict |`). The tables also give (application, rule, path:line, message) -> verdict,
    for two findings of one rule at one place."""
    verdicts: dict[tuple[str, ...], str] = {}
    app = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            app = line[3:].strip().split("__", 1)[-1].lower()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].startswith("IDL") and app:
            verdicts.setdefault((app, cells[0], cells[1]), cells[-1])
            message = line.strip().strip("|").rsplit("|", 1)[0].split("|", 3)[-1].strip()
            verdicts.setdefault((app, cells[0], cells[1], message), cells[-1])
        elif len(cells) >= 4 and cells[1].startswith("IDL"):
            location = cells[2].split(" ", 1)[0]
            verdicts.setdefault((cells[0].lower(), cells[1], location), cells[3])
    return verdicts


def location(finding: dict) -> str:
    return f"{finding['path']}:{finding['range']['start']['line']}"


def verdict_of(tree: Path, finding: dict, verdicts: dict[tuple[str, ...], str]) -> str:
    app = tree.name.split("__", 1)[-1].lower()
    message = finding["message"].replace("|", "\\|")
    return verdicts.get((app, finding["code"], location(finding), message)) or \
        verdicts.get((app, finding["code"], location(finding)), "")


def table(tree: Path, findings: list[dict], verdicts: dict[tuple[str, ...], str]) -> str:
    rows = [f"## {tree.name}", "", "| rule | location | severity | message | verdict |",
            "|---|---|---|---|---|"]
    for f in sorted(findings, key=lambda f: (f["path"], f["range"]["start"]["line"])):
        message = f["message"].replace("|", "\\|")
        rows.append(f"| {f['code']} | {location(f)} | {f['severity_band']} "
                    f"{f['security_severity']} | {message} | {verdict_of(tree, f, verdicts)} |")
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--idlint", default=f"{shlex.quote(sys.executable)} -m idlint check")
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--verdicts", type=Path)
    args = parser.parse_args()
    verdicts = read_verdicts(args.verdicts) if args.verdicts else {}
    total = acted = 0
    sections = []
    for tree in args.trees:
        findings = run(tree.resolve(), args.idlint)
        total += len(findings)
        rules = Counter(f["code"] for f in findings)
        bands = Counter(f["severity_band"] for f in findings)
        known = [verdict_of(tree, f, verdicts) for f in findings]
        act = sum(v.startswith("act") for v in known)
        acted += act
        judged = f"  act {act}, other {sum(bool(v) for v in known) - act}, " \
                 f"unjudged {known.count('')}" if verdicts else ""
        print(f"{tree.name:40} {len(findings):4}  "
              f"{' '.join(f'{k}:{v}' for k, v in sorted(rules.items()))}  "
              f"[{' '.join(f'{k}:{v}' for k, v in sorted(bands.items()))}]{judged}")
        sections.append(table(tree, findings, verdicts))
    share = f" ({100 * acted / total:.0f} %)" if total else ""
    print(f"{'total':40} {total:4}" + (f"  act {acted}{share}" if verdicts else ""))
    if args.markdown:
        args.markdown.write_text("\n".join(sections), encoding="utf-8")


if __name__ == "__main__":
    main()
