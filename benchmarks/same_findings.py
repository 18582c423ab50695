#!/usr/bin/env python3
"""Check that a change leaves idlint's findings as they were, on real applications.

usage: same_findings.py BASE TREE [TREE ...] [--python PY]

BASE is a git revision of this repository (for example `HEAD` or `main`). Its source is
checked out into a temporary worktree; then, in each tree, both it and the working copy of
this repository run `--no-cache --format json --select ALL --min-severity low .` (every rule,
every severity) with PY. Prints per tree the number of findings and whether they are the same,
and for a tree that differs the findings only one side has. Exits 1 when any tree differs.

Meant for refactoring commits ("Review: ..."), whose claim is that nothing a user sees moved.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--no-cache", "--format", "json", "--select", "ALL", "--min-severity", "low", "."]


def findings(source: Path, tree: Path, python: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([python, "-m", "idlint", *ARGS], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree} ({source}): idlint exited {done.returncode}: "
                         f"{done.stderr[-500:]}")
    return json.loads(done.stdout)["findings"]


def key(f: dict) -> str:
    return json.dumps(f, sort_keys=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base")
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter for both runs (default: this one; a tree's own "
                         ".python-version must not choose it)")
    a = ap.parse_args()
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(base),
                        a.base], check=True)
        try:
            for tree in a.trees:
                old = findings(base, tree.resolve(), a.python)
                new = findings(REPO, tree.resolve(), a.python)
                same = old == new
                print(f"{tree.name:<40} {len(old):>5} {len(new):>5}  "
                      f"{'same' if same else 'DIFFERENT'}")
                if not same:
                    differ += 1
                    gone = {key(f) for f in old} - {key(f) for f in new}
                    came = {key(f) for f in new} - {key(f) for f in old}
                    for label, items in (("only before", gone), ("only after", came)):
                        for item in sorted(items)[:10]:
                            f = json.loads(item)
                            line = f.get("range", {}).get("start", {}).get("line", "?")
                            print(f"    {label}: {f['code']} {f['path']}:{line} "
                                  f"{f['message'][:100]}")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)],
                           check=False)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
