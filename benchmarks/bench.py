"""Speed and memory of idlint against the libcst parse floor, on a pinned Django sdist.

    python benchmarks/bench.py [--jobs N] [--repeat N] [--corpus DIR] [--django-version 5.2]
                               [--package django]

Downloads the sdist with pip (once, into benchmarks/.corpus/), then in one run measures, at
the same process count: parsing every file with libcst.parse_module (the floor for any
libcst tool), idlint cold (empty cache), warm (nothing changed), warm after touching one
file, and idlint's peak RSS. Prints the figures and the ratios the performance issue targets.
When bandit or semgrep are installed, their times on the same corpus are printed too (bandit
with its default plugins; semgrep with one taint rule from request data to a response).
With --repeat N the floor and the cold run are measured N times, alternately, and the best
of each is kept: on a shared machine a single run can be off by a fifth either way.
idlint is byte-compiled first, as `pip install` does: a checkout run with
PYTHONDONTWRITEBYTECODE set would otherwise compile its modules again in every measured run
(about 0.2 s), which no installed copy does and the floor's libcst never does.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def fetch_django(version: str) -> Path:
    target = HERE / ".corpus" / f"Django-{version}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", f"django=={version}", "-d", tmp],
            check=True,
        )
        archive = next(Path(tmp).glob("*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(target.parent, filter="data")
    extracted = next(p for p in target.parent.iterdir()
                     if p.name.lower() == f"django-{version}".lower())
    if extracted != target:
        extracted.rename(target)
    return target


def _parse(path: str) -> int:
    import libcst

    from idlint.analysis.perfile import decode

    data = Path(path).read_bytes()
    try:
        libcst.parse_module(decode(data))
    except Exception:
        return 0
    return data.count(b"\n")


def parse_floor(files: list[Path], jobs: int) -> tuple[float, int]:
    started = time.perf_counter()
    if jobs <= 1:
        lines = sum(_parse(str(f)) for f in files)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            lines = sum(pool.map(_parse, [str(f) for f in files], chunksize=16))
    return time.perf_counter() - started, lines


def run_idlint(corpus: Path, cache: Path, jobs: int, target: Path | None = None
               ) -> tuple[float, int]:
    """One idlint run in a fresh process; returns (seconds, peak RSS in KiB of the tree)."""
    code = (
        "import sys, resource\n"
        "from pathlib import Path\n"
        "from idlint.api import scan\n"
        "from idlint.config import Config, DEFAULT_EXCLUDES\n"
        "excl = tuple(e for e in DEFAULT_EXCLUDES if 'test' not in e)\n"
        f"cfg = Config(root=Path({str(corpus)!r}), exclude=excl, cache_dir=Path({str(cache)!r}))\n"
        f"r = scan([Path({str(target or corpus)!r})], cfg, jobs={jobs})\n"
        "print(r.files_scanned, len(r.findings))\n"
    )
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=HERE.parent, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return elapsed, peak


SEMGREP_RULE = """
rules:
  - id: request-to-response
    mode: taint
    languages: [python]
    severity: WARNING
    message: request data reaches a response
    pattern-sources:
      - pattern: request.$ATTR
    pattern-sinks:
      - pattern: JsonResponse(...)
"""


def run_peer(name: str, corpus: Path, jobs: int) -> float | None:
    """Seconds for a peer tool over the corpus, None when it is not installed."""
    exe = shutil.which(name)
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        if name == "bandit":
            command = [exe, "-q", "-r", str(corpus), "-f", "json", "-o",
                       str(Path(tmp) / "out.json")]
        else:
            rule = Path(tmp) / "rule.yaml"
            rule.write_text(SEMGREP_RULE)
            command = [exe, "scan", "--quiet", "--metrics=off", "--jobs", str(jobs),
                       "--config", str(rule), "--json", "--output", str(Path(tmp) / "out.json"),
                       str(corpus)]
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        return time.perf_counter() - started


def byte_compile() -> None:
    import compileall

    compileall.compile_dir(str(HERE.parent / "idlint"), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a folder to measure instead of the Django sdist")
    parser.add_argument("--django-version", default="5.2")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure the floor and the cold run this many times; keep the best")
    parser.add_argument("--package", default=None, metavar="DIR",
                        help="measure only this folder of the corpus (e.g. django: the "
                             "production code of the sdist, no tests); target 2.0x the floor")
    args = parser.parse_args()
    corpus = args.corpus or fetch_django(args.django_version)
    target = corpus / args.package if args.package else corpus
    files = sorted(p for p in target.rglob("*.py") if p.is_file())
    print(f"corpus: {target} ({len(files)} files), jobs: {args.jobs}, "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    cold_target = 2.0 if args.package else 1.6
    byte_compile()

    floors: list[float] = []
    colds: list[float] = []
    rss_cold = 0
    cache = Path(tempfile.mkdtemp(prefix="idlint-bench-cache-"))
    try:
        for _ in range(max(1, args.repeat)):
            floor, lines = parse_floor(files, args.jobs)
            floors.append(floor)
            shutil.rmtree(cache, ignore_errors=True)
            seconds, rss = run_idlint(corpus, cache, args.jobs, target)
            colds.append(seconds)
            rss_cold = max(rss_cold, rss)
        floor, cold = min(floors), min(colds)
        print(f"libcst parse floor  {floor:8.2f} s   ({lines} lines, {lines / floor:,.0f} lines/s)"
              + (f"   runs: {', '.join(f'{x:.1f}' for x in floors)}" if len(floors) > 1 else ""))
        if len(colds) > 1:
            print(f"idlint cold runs: {', '.join(f'{x:.1f}' for x in colds)}")
        warm, _ = run_idlint(corpus, cache, args.jobs, target)
        # One file that much of the project depends on, and one views module, each edited
        # twice: a comment (no facts change) and a statement added to the module body (its
        # globals change, so everything that reads them is evaluated again).
        touched = []
        for victim in (corpus / "django" / "apps" / "config.py",
                       corpus / "django" / "contrib" / "auth" / "views.py"):
            if not victim.is_file():
                victim = max(files, key=lambda f: f.stat().st_size)
            original = victim.read_bytes()
            for what, text in (("a comment", f"\n# touched by the benchmark {time.time()}\n"),
                               ("a statement", f"\nBENCHMARK_EDIT = {time.time()!r}\n")):
                victim.write_bytes(original + text.encode())
                try:
                    seconds, _ = run_idlint(corpus, cache, args.jobs, target)
                    touched.append((f"{what} added to {victim.relative_to(corpus).as_posix()}",
                                    seconds))
                finally:
                    victim.write_bytes(original)
                run_idlint(corpus, cache, args.jobs, target)  # back to the original state
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"idlint cold         {cold:8.2f} s   {cold / floor:5.2f}x the parse floor"
          f"   (target <= {cold_target}x)")
    print(f"idlint warm         {warm:8.2f} s   {100 * warm / cold:5.1f}% of cold"
          "   (target <= 5%)")
    for name, seconds in touched:
        print(f"idlint warm, 1 file {seconds:8.2f} s   {100 * seconds / cold:5.1f}% of cold"
              f"   (target <= 10%; {name})")
    print(f"idlint peak RSS     {rss_cold / 1024:8.0f} MiB  (target <= 1024 MiB;"
          " largest process of the run)")
    for peer in ("bandit", "semgrep"):
        seconds = run_peer(peer, corpus, args.jobs)
        if seconds is None:
            print(f"{peer:<19} not installed")
        else:
            print(f"{peer:<19} {seconds:8.2f} s   {seconds / floor:5.2f}x the parse floor")


if __name__ == "__main__":
    main()
