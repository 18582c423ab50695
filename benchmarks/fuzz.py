"""Mutation fuzzing: random line deletions, duplications and swaps over the example app and
the corpus, each mutant scanned in full. Any internal error (IDL903) or exception is a bug.

    python benchmarks/fuzz.py [--programs N] [--seed S]
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


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.choice(("delete", "duplicate", "swap", "truncate"))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return "".join(lines)


def fuzz_one(seed_dir: Path, rng: random.Random) -> str | None:
    """Scan a mutated copy of `seed_dir`; the problem found, or None."""
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
            report = scan([root], Config(root=root, select=("ALL",)), jobs=1, use_cache=False)
        except Exception:
            return f"{seed_dir.name}/{victim.name}: exception\n{traceback.format_exc()}"
        broken = [f for f in report.findings if f.code == "IDL903"]
        if broken:
            return f"{seed_dir.name}/{victim.name}: {broken[0].message}"
    return None


def run(programs: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    problems = []
    for _ in range(programs):
        problem = fuzz_one(rng.choice(SEEDS), rng)
        if problem is not None:
            problems.append(problem)
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    problems = run(args.programs, args.seed)
    print(f"{args.programs} mutated programs, {len(problems)} problems")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
