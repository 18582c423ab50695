"""Mutation fuzzing: random line deletions, duplications and swaps over the example app and
the corpus, each mutant scanned in full. Any internal error (IDL903) or exception is a bug.

    python benchmarks/fuzz.py [--programs N] [--seed S] [--incremental]

With --incremental, each seed project is scanned with a cache first, then the mutant is
scanned again with that cache (so the solver starts from the earlier run's state) and
without; any difference between the two reports is a bug.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from idlint.api import scan  # noqa: E402
from idlint.config import Config  # noqa: E402

SEEDS = [HERE.parent / "examples" / "messenger",
         *sorted((HERE.parent / "tests" / "corpus").glob("*/*"))]


def mutate(text: str, rng: random.Random, body_only: bool = False) -> str:
    """With body_only, only lines other than definitions and imports change, and they are
    not truncated: the edits a developer makes most, which keep the definitions (a comment
    line inserted shifts positions but no facts; a module-level statement added at the end
    changes one global)."""
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        body = [i for i, line in enumerate(lines) if line.strip() and not
                line.lstrip().startswith(("def ", "async def ", "class ", "@", "import ",
                                          "from "))] \
            if body_only else list(range(len(lines)))
        if not body:
            break
        i = rng.choice(body)
        op = rng.choice(("delete", "duplicate", "swap", "comment", "global") if body_only else
                        ("delete", "duplicate", "swap", "truncate"))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "global":  # a module-level statement that reads what is already there
            names = [line.split("=")[0].strip() for line in lines
                     if not line[:1].isspace() and "=" in line and
                     line.split("=")[0].strip().isidentifier()]
            value = rng.choice(names) if names else "1"
            lines.append(f"\nFUZZ_{len(lines)} = {value}\n")
        elif op == "comment":
            lines.insert(i, "# a comment added by the fuzzer\n")
        elif op == "swap":
            j = rng.choice(body)
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return "".join(lines)


def _view(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(f.code, f.location, f.message, f.trace) for f in report.findings]


def fuzz_one(seed_dir: Path, rng: random.Random, incremental: bool = False,
             stats: dict[str, int] | None = None) -> str | None:
    """Scan a mutated copy of `seed_dir`; the problem found, or None."""
    stats = stats if stats is not None else {"incremental": 0}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = sorted(p for p in seed_dir.rglob("*.py"))
        victim = rng.choice(files)
        for f in files:
            target = root / f.relative_to(seed_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_text(encoding="utf-8")
            target.write_text(mutate(text, rng) if f == victim else text, encoding="utf-8")
        try:
            config = Config(root=root, select=("ALL",), cache_dir=root / ".cache")
            if incremental:
                for f in files:
                    (root / f.relative_to(seed_dir)).write_text(f.read_text(encoding="utf-8"),
                                                                encoding="utf-8")
                scan([root], config, jobs=1)
                (root / victim.relative_to(seed_dir)).write_text(
                    mutate(victim.read_text(encoding="utf-8"), rng, body_only=True),
                    encoding="utf-8")
                warm = scan([root], config, jobs=1)
                if warm.stats.get("incremental"):
                    stats["incremental"] += 1
            report = scan([root], config, jobs=1, use_cache=False)
            if incremental and _view(warm) != _view(report):
                return (f"{seed_dir.name}/{victim.name}: incremental differs\n"
                        f"  cached: {_view(warm)}\n  fresh:  {_view(report)}")
        except Exception:
            return f"{seed_dir.name}/{victim.name}: exception\n{traceback.format_exc()}"
        broken = [f for f in report.findings if f.code == "IDL903"]
        if broken:
            return f"{seed_dir.name}/{victim.name}: {broken[0].message}"
    return None


def run(programs: int, seed: int, incremental: bool = False,
        stats: dict[str, int] | None = None) -> list[str]:
    rng = random.Random(seed)
    problems = []
    for _ in range(programs):
        problem = fuzz_one(rng.choice(SEEDS), rng, incremental, stats)
        if problem is not None:
            problems.append(problem)
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--incremental", action="store_true")
    args = parser.parse_args()
    stats = {"incremental": 0}
    problems = run(args.programs, args.seed, args.incremental, stats)
    extra = f" ({stats['incremental']} solved incrementally)" if args.incremental else ""
    print(f"{args.programs} mutated programs{extra}, {len(problems)} problems")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
