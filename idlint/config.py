"""Settings: defaults, `[tool.idlint]` discovery in pyproject.toml, validation."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".env", "env",
    "site-packages", "node_modules", "build", "dist", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idlint_cache", ".eggs", "*.egg-info",
    # Test code builds fixtures from serials on purpose; its flows into production helpers
    # would be reported in production files. Scan tests explicitly, or override `exclude`.
    "tests/", "test/", "test_*.py", "*_test.py", "conftest.py",
)


class ConfigError(Exception):
    """A bad configuration file or value; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Config:
    root: Path = field(default_factory=Path.cwd)  # locations are reported relative to this
    config_file: Path | None = None
    select: tuple[str, ...] = ()  # empty = rules enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    respect_gitignore: bool = True
    # Project knowledge, added to the bundled models in rules/models/.
    serial_attributes: tuple[str, ...] = ()  # attribute names that hold serials on any object
    serial_functions: tuple[str, ...] = ()  # qualified names of callables returning serials
    sinks: tuple[str, ...] = ()  # qualified names whose arguments reach the client
    sanitizers: tuple[str, ...] = ()  # qualified names that make a serial safe to show
    encoders: tuple[str, ...] = ()  # qualified names of reversible encodings (IDL003)
    weak_protections: tuple[str, ...] = ()  # qualified names of unkeyed hashes etc. (IDL004)
    anonymous_contexts: tuple[str, ...] = ()  # extra words marking anonymous contexts (IDL007)
    personal_fields: tuple[str, ...] = ()  # extra personal field names (IDL006)
    file_timeout: float = 60.0  # seconds one file's extraction may take
    cache_dir: Path | None = None

    def knowledge_key(self) -> tuple[tuple[str, ...], ...]:
        """The settings that change analysis results (for cache keys)."""
        return (
            self.serial_attributes, self.serial_functions, self.sinks, self.sanitizers,
            self.encoders, self.weak_protections, self.anonymous_contexts, self.personal_fields,
        )


# ------------------------------------------------------------------------- loading

_LIST_KEYS = {
    "select": "select", "extend-select": "extend_select", "ignore": "ignore",
    "exclude": "exclude", "extend-exclude": "extend_exclude",
    "serial-attributes": "serial_attributes", "serial-functions": "serial_functions",
    "sinks": "sinks", "sanitizers": "sanitizers", "encoders": "encoders",
    "weak-protections": "weak_protections", "anonymous-contexts": "anonymous_contexts",
    "personal-fields": "personal_fields",
}
_OTHER_KEYS = ("per-file-ignores", "respect-gitignore", "file-timeout", "cache-dir")
KNOWN_KEYS = tuple(sorted((*_LIST_KEYS, *_OTHER_KEYS)))


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _idlint_table(path: Path, data: dict) -> dict | None:
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("idlint") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data


def find_config_file(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.idlint] table, from `start` upwards."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _idlint_table(candidate, _read_toml(candidate)) is not None:
            return candidate
    return None


def is_project_root(directory: Path) -> bool:
    """A folder that marks a project: a git checkout or a pyproject.toml."""
    return (directory / ".git").exists() or (directory / "pyproject.toml").is_file()


def _project_root(start: Path) -> Path:
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        if is_project_root(directory):
            return directory
    return Path.cwd()


def load_config(paths: Sequence[Path], explicit: Path | None = None) -> Config:
    """Settings for a scan of `paths`: from `explicit`, else the nearest [tool.idlint]."""
    start = Path(paths[0]) if paths else Path.cwd()
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file does not exist")
        path: Path | None = explicit
    else:
        path = find_config_file(start if start.exists() else Path.cwd())
    if path is None:
        return Config(root=_project_root(start if start.exists() else Path.cwd()))
    table = _idlint_table(path, _read_toml(path))
    if table is None:
        raise ConfigError(f"{path}: no [tool.idlint] table")
    return parse_table(table, path)


def parse_table(table: dict, path: Path) -> Config:
    where = f"{path.name}: [tool.idlint]" if path.name == "pyproject.toml" else f"{path.name}:"
    root = path.resolve().parent
    values: dict[str, object] = {}
    for key, value in table.items():
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where} '{key}' must be a list of strings")
            values[_LIST_KEYS[key]] = tuple(value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(c, str) for c in v)
                for v in value.values()
            ):
                raise ConfigError(f"{where} 'per-file-ignores' must map patterns to lists of "
                                  "codes")
            values["per_file_ignores"] = tuple(
                (str(k), tuple(v)) for k, v in sorted(value.items()))
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} 'respect-gitignore' must be true or false")
            values["respect_gitignore"] = value
        elif key == "file-timeout":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"{where} 'file-timeout' must be a positive number, got "
                                  f"{value!r}")
            values["file_timeout"] = float(value)
        elif key == "cache-dir":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where} 'cache-dir' must be a path string")
            values["cache_dir"] = (root / value).resolve()
        else:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where} unknown key '{key}'{hint}")
    if "exclude" not in values:
        values["exclude"] = DEFAULT_EXCLUDES
    return Config(root=root, config_file=path.resolve(), **values)  # type: ignore[arg-type]


def codes_ignored_for(relpath: str, config: Config) -> frozenset[str]:
    """Codes or prefixes that per-file-ignores switches off for a root-relative POSIX path."""
    out: set[str] = set()
    for pattern, codes in config.per_file_ignores:
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relpath):
            out.update(c.upper() for c in codes)
    return frozenset(out)
