"""Every flag/clean example of every rule in rules/ runs through the real engine.

An example lists the exact `path:line:col` of each finding of its rule; a clean example lists
none. Findings of other rules in the same files are not this test's business (each rule's own
examples cover them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from idlint.api import scan
from idlint.catalog import RuleExample, load_catalog
from idlint.config import Config

CATALOG = load_catalog()
CASES = [
    pytest.param(spec.code, ex, id=f"{spec.code}-{i}-{'flag' if ex.expect else 'clean'}")
    for spec in CATALOG.values()
    for i, ex in enumerate(spec.examples)
]


def run_example(tmp_path: Path, code: str, example: RuleExample) -> list[str]:
    for name, source in example.files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    config = Config(root=tmp_path, select=("ALL",))
    report = scan([tmp_path], config, jobs=1)
    extends = CATALOG[code].extends
    return sorted(
        f"{f.location.path}:{f.location.line}:{f.location.column}"
        for f in report.findings
        if (f.code == code or (f.code in extends and f.subject == "object"))
        and f.suppression is None
    )


@pytest.mark.parametrize(("code", "example"), CASES)
def test_rule_example(tmp_path: Path, code: str, example: RuleExample) -> None:
    assert run_example(tmp_path, code, example) == sorted(example.expect)


def test_every_rule_has_flag_and_clean_examples() -> None:
    for spec in CATALOG.values():
        if spec.code in ("IDL902", "IDL903"):
            continue  # need I/O failures or crashes: covered by CLI tests
        assert any(ex.expect for ex in spec.examples), spec.code
        if not spec.is_diagnostic:
            assert any(not ex.expect for ex in spec.examples), spec.code
