"""The rule catalog: one TOML file per rule under rules/, loaded into typed specs."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SEVERITIES = ("error", "warning", "note")
CONFIDENCES = ("high", "medium", "low")
DOC_SECTIONS = ("what", "why", "example", "use_instead", "references")
DOC_TITLES = {
    "what": "What it does",
    "why": "Why is this bad",
    "example": "Example",
    "use_instead": "Use instead",
    "references": "References",
}


@dataclass(frozen=True, slots=True)
class RuleExample:
    """A tested example: `files` maps relative paths to source; `expect` lists
    "path:line:col" of every finding of this rule the engine must report (empty = clean)."""

    title: str
    files: tuple[tuple[str, str], ...]
    expect: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    code: str
    name: str
    summary: str
    severity: str
    security_severity: float
    confidence: str
    cwe: tuple[int, ...]
    enabled_by_default: bool
    docs: tuple[tuple[str, str], ...]  # (section key, markdown) in DOC_SECTIONS order
    examples: tuple[RuleExample, ...]
    # A scope rule reports nothing under its own code: selecting it widens these rules (IDL009
    # adds serials of objects to the exposure rules). Its examples list their findings.
    extends: tuple[str, ...] = ()

    @property
    def is_diagnostic(self) -> bool:
        return self.code.startswith("IDL9")

    def doc(self, section: str) -> str:
        return dict(self.docs).get(section, "")

    def markdown(self) -> str:
        parts = [f"# {self.code} {self.name}", "", self.summary, ""]
        for key, text in self.docs:
            parts += [f"## {DOC_TITLES[key]}", "", text.strip(), ""]
        return "\n".join(parts).rstrip() + "\n"


class CatalogError(Exception):
    pass


def rules_dir() -> Path:
    """rules/ ships inside the wheel as idlint/_rules; a source checkout has it at the top."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise CatalogError(f"rule catalog not found next to {here}")


def _require(data: dict, key: str, kind: type, where: str) -> object:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise CatalogError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def _parse_rule(path: Path) -> RuleSpec:
    where = str(path)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    code = str(_require(data, "code", str, where))
    if path.stem != code:
        raise CatalogError(f"{where}: file name must match code {code}")
    severity = str(_require(data, "severity", str, where))
    confidence = str(_require(data, "confidence", str, where))
    if severity not in SEVERITIES or confidence not in CONFIDENCES:
        raise CatalogError(f"{where}: bad severity or confidence")
    docs_raw = _require(data, "docs", dict, where)
    assert isinstance(docs_raw, dict)
    missing = [s for s in DOC_SECTIONS if not isinstance(docs_raw.get(s), str)]
    if missing:
        raise CatalogError(f"{where}: docs lack sections {', '.join(missing)}")
    examples = []
    for i, ex in enumerate(data.get("examples", [])):
        ex_where = f"{where}: examples[{i}]"
        files = _require(ex, "files", dict, ex_where)
        expect = _require(ex, "expect", list, ex_where)
        assert isinstance(files, dict) and isinstance(expect, list)
        examples.append(
            RuleExample(
                title=str(ex.get("title", f"example {i}")),
                files=tuple(sorted((str(k), str(v)) for k, v in files.items())),
                expect=tuple(str(e) for e in expect),
            )
        )
    return RuleSpec(
        code=code,
        name=str(_require(data, "name", str, where)),
        summary=str(_require(data, "summary", str, where)),
        severity=severity,
        security_severity=float(data.get("security_severity", 0.0)),
        confidence=confidence,
        cwe=tuple(int(c) for c in data.get("cwe", [])),
        enabled_by_default=bool(data.get("default", True)),
        docs=tuple((s, str(docs_raw[s])) for s in DOC_SECTIONS),
        examples=tuple(examples),
        extends=tuple(str(c) for c in data.get("extends", [])),
    )


@functools.cache
def load_catalog(directory: Path | None = None) -> dict[str, RuleSpec]:
    """All rules keyed by code, in code order."""
    directory = directory or rules_dir()
    specs = [_parse_rule(p) for p in sorted(directory.glob("IDL*.toml"))]
    return {spec.code: spec for spec in specs}


def expand_selectors(
    selectors: list[str] | tuple[str, ...], catalog: dict[str, RuleSpec]
) -> set[str]:
    """Turn codes, prefixes (IDL00, IDL9) and ALL into rule codes; unknown ones raise."""
    out: set[str] = set()
    for raw in selectors:
        sel = raw.strip().upper()
        if sel == "ALL":
            out.update(catalog)
            continue
        matched = {code for code in catalog if code.startswith(sel)} if sel else set()
        if not matched:
            raise CatalogError(f"unknown rule code or prefix: {raw!r}")
        out.update(matched)
    return out
