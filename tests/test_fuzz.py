"""Bounded fuzzing for CI: generated and mutated programs never crash the analysis.

Longer runs: `python benchmarks/fuzz.py --programs 5000`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings

from idlint.analysis.perfile import analyse
from idlint.analysis.solve import solve
from idlint.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = load_knowledge()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(hypothesmith.from_grammar())
def test_generated_programs_never_crash(source: str) -> None:
    result = analyse(source.encode("utf-8"), "gen.py", "gen", False)
    assert result.failure is None or result.failure.code == "IDL901", result.failure
    if result.module is not None:
        broken = solve([result.module], KNOWLEDGE).broken
        assert broken == []


def test_mutated_apps_never_crash() -> None:
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules["fuzz"] = fuzz
    spec.loader.exec_module(fuzz)
    assert fuzz.run(programs=40, seed=20261122) == []
