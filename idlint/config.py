"""Settings: defaults, `[tool.idlint]` discovery in pyproject.toml, validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".env", "env",
    "site-packages", "node_modules", "build", "dist", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idlint_cache", ".eggs", "*.egg-info",
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
