"""Settings: defaults, `[tool.idlint]` discovery in pyproject.toml, validation.

The settings come from the scanned repository, which may be hostile: whatever a file holds,
loading it either gives valid settings or raises ConfigError naming the file and the key."""

from __future__ import annotations

import difflib
import functools
import math
import os
import re
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from idlint.globs import MAX_PATTERNS, PatternError, gitignore_spec
from idlint.safeio import UnsafeFileError, read_bounded
from idlint.severity import BANDS

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
    # The project's own models files, in the vocabulary of rules/models/*.toml.
    models: tuple[Path, ...] = ()
    file_timeout: float = 60.0  # seconds one file's extraction may take
    file_memory_limit: int = 2048  # MiB one file's parse may use
    # The cache folder the user chose (--cache-dir, IDLINT_CACHE_DIR, or the API): anywhere.
    cache_dir: Path | None = None
    # The cache folder the settings file names (`cache-dir`), as written (made absolute, not
    # resolved): the repository chooses it, so open_cache only accepts a folder of the
    # cache's own inside the project, and says why not otherwise (the scan then goes on
    # without a cache). Used only when cache_dir is not set.
    project_cache_dir: Path | None = None
    # Report findings of this band and above (idlint/severity.py); unset: medium, or low when
    # IDL009 (objects' serials, which are low) is selected.
    min_severity: str = ""

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
_OTHER_KEYS = ("per-file-ignores", "respect-gitignore", "file-timeout", "file-memory-limit",
               "cache-dir", "models", "min-severity")
KNOWN_KEYS = tuple(sorted((*_LIST_KEYS, *_OTHER_KEYS)))
_CODE_KEYS = ("select", "extend-select", "ignore")
_PATTERN_KEYS = ("exclude", "extend-exclude")

# Timers and waits reject absurd timeouts (OverflowError); a day is far beyond any one file.
MAX_FILE_TIMEOUT = 86400
MIN_FILE_MEMORY_LIMIT, MAX_FILE_MEMORY_LIMIT = 64, 1024 * 1024  # MiB: 64 MiB to 1 TiB
# pyproject.toml files are a few kB (the largest in wide use well under 100 kB). Every one
# from the scanned folder upwards is read, so a huge one must not cost much.
MAX_CONFIG_BYTES = 1024 * 1024


def read_toml(path: Path) -> dict:
    try:
        raw = read_bounded(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnsafeFileError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (invalid byte at offset "
                          f"{exc.start})") from None
    if _dotted_key_cost(text) > _DOTTED_KEY_BUDGET:
        raise ConfigError(f"{path}: invalid TOML: dotted keys too long to parse safely")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if len(message) > 200:  # some messages quote whole keys; the position is at the end
            message = f"{message[:120]} ... {message[-60:]}"
        raise ConfigError(f"{path}: invalid TOML: {message}") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise ConfigError(f"{path}: invalid TOML: a number has too many digits") from None
    except Exception as exc:  # the file is hostile input: no parser failure may escape
        raise ConfigError(f"{path}: invalid TOML ({type(exc).__name__})") from None


# tomllib builds a dotted key part by part and, under a table header, remembers every prefix
# of every dotted key: its time and memory grow with the square of a key's length, and with
# a header's length times the keys under it. A 200 kB line of `a.a.a...` takes minutes or all
# the memory. _dotted_key_cost bounds that work from the text (the longest chain of dots
# times all dots, outside strings and comments): real files score a few hundred at most.
_DOTTED_KEY_BUDGET = 1_000_000
_TOML_TOKEN = re.compile(r"""
    (?P<space>[ \t\r]+|\#[^\n]*)
  | (?P<part>[A-Za-z0-9_-]+)
  | (?P<dot>\.)
  | (?P<quote>["'])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
# What follows a string's opening quote(s), up to its end, as TOML reads it. A closing """
# or ''' may be followed by up to two more quotes, which belong to the string.
_STRING_REST = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*""""{0,2}', re.DOTALL),
    "'''": re.compile(r"(?:[^']|'(?!''))*''''{0,2}"),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"[^'\n]*'"),
}


def _dotted_key_cost(text: str) -> int:
    longest = total = dots = 0
    after_part = after_dot = False
    pos = 0
    while pos < len(text):
        token = _TOML_TOKEN.match(text, pos)
        assert token is not None  # `other` matches any character
        kind = token.lastgroup
        pos = token.end()
        if kind == "space":
            continue
        if kind == "quote":  # a quoted key part, or a string value: skip its contents
            opener = text[token.start():token.start() + 3]
            if opener not in _STRING_REST:
                opener = token.group()
            rest = _STRING_REST[opener].match(text, token.start() + len(opener))
            if rest is None:
                break  # unterminated: tomllib stops with an error here, nothing after counts
            pos = rest.end()
            kind = "part"
        if kind == "part" and after_dot:
            after_part, after_dot = True, False
            continue
        if kind == "dot" and after_part:
            dots += 1
            after_part, after_dot = False, True
            if max(longest, dots) * (total + dots) > _DOTTED_KEY_BUDGET:
                break  # already too much: no need to read on
            continue
        longest, total, dots = max(longest, dots), total + dots, 0
        after_part, after_dot = kind == "part", False
    return max(longest, dots) * (total + dots)


def _idlint_table(path: Path, data: dict) -> dict | None:
    """The idlint settings in a parsed file; None when a pyproject.toml has none."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    if not isinstance(tool, dict) or "idlint" not in tool:
        return None
    table = tool["idlint"]
    if not isinstance(table, dict):
        # Skipping it would scan with settings the project did not ask for.
        raise ConfigError(f"{path}: [tool.idlint] must be a table, got {_kind(table)}")
    return table


def _search_start(start: Path) -> Path:
    """The folder to look for a project from. A named file, or a named folder that is a
    symlink, is looked up from the folder holding it: following the link could lead the
    search into another project (whose settings and root would then apply)."""
    here = Path(os.path.abspath(start))
    if here.is_symlink() or not here.is_dir():
        here = here.parent
    return here.resolve()


def find_config_file(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.idlint] table, from `start` upwards."""
    here = _search_start(start)
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            _check_inside(candidate, directory)
            if _idlint_table(candidate, read_toml(candidate)) is not None:
                return candidate
    return None


def _check_inside(candidate: Path, directory: Path) -> None:
    """A pyproject.toml found by the search must be a file of the folder that holds it (its
    project): a committed symlink to a file elsewhere would make idlint read it and take
    its settings, and its folder as the project root, for the scanned repository."""
    try:
        real = Path(os.path.realpath(candidate))
    except (OSError, ValueError):
        real = candidate
    if real.parent != directory and directory not in real.parents:
        raise ConfigError(f"{candidate}: a symbolic link to a file outside its folder "
                          f"({real}); not read (name a settings file you trust with --config)")


def is_project_root(directory: Path) -> bool:
    """A folder that marks a project: a git checkout or a pyproject.toml."""
    return (directory / ".git").exists() or (directory / "pyproject.toml").is_file()


def _project_root(start: Path) -> Path:
    here = _search_start(start)
    for directory in (here, *here.parents):
        if is_project_root(directory):
            return directory
    # No project marker: the working directory when the scan lies under it, else the
    # scanned folder itself (paths outside the root are never read).
    cwd = Path.cwd().resolve()
    return cwd if here == cwd or cwd in here.parents else here


def load_config(paths: Sequence[Path], explicit: Path | None = None,
                isolated: bool = False) -> Config:
    """Settings for a scan of `paths`: from `explicit`, else the nearest [tool.idlint].
    `isolated`: the defaults, whatever files the tree holds (no settings file is read and
    no .gitignore applies), for a scan whose findings the tree must not choose."""
    start = Path(paths[0]) if paths else Path.cwd()
    if isolated:
        return Config(root=_project_root(start if start.exists() else Path.cwd()),
                      respect_gitignore=False)
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file does not exist")
        path: Path | None = explicit
    else:
        path = find_config_file(start if start.exists() else Path.cwd())
    if path is None:
        return Config(root=_project_root(start if start.exists() else Path.cwd()))
    table = _idlint_table(path, read_toml(path))
    if table is None:
        raise ConfigError(f"{path}: no [tool.idlint] table")
    # A file found by the search is the project's, at the root it was found in (a symlink
    # to a file in a subfolder does not move the root); a file named on the command line is
    # the user's, and its real folder is the root.
    return parse_table(table, path, None if explicit is not None else path.parent)


def parse_table(table: dict, path: Path, root: Path | None = None) -> Config:
    from idlint.catalog import load_catalog

    where = f"{path.name}: [tool.idlint]" if path.name == "pyproject.toml" else f"{path.name}:"
    root = path.resolve().parent if root is None else root
    catalog = load_catalog()
    values: dict[str, object] = {}
    for key, value in table.items():
        if "\0" in key:
            raise ConfigError(f"{where} key {_quote(key)} contains a NUL character")
        if _holds_nul(value):
            # No path, pattern or name holds one; os calls would fail on it mid-scan.
            raise ConfigError(f"{where} '{key}' contains a NUL character")
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where} '{key}' must be a list of strings")
            if key in _CODE_KEYS:
                _check_codes(where, key, value, catalog)
            elif key in _PATTERN_KEYS:
                _check_patterns(where, key, value)
            values[_LIST_KEYS[key]] = tuple(value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(c, str) for c in v)
                for v in value.values()
            ):
                raise ConfigError(f"{where} 'per-file-ignores' must map patterns to lists of "
                                  "codes")
            _check_patterns(where, key, list(value))
            for pattern, codes in value.items():
                _check_codes(where, key, codes, catalog, f" (for {_quote(pattern)})")
            # Stripped like the codes of select and ignore, which match after stripping.
            values["per_file_ignores"] = tuple(
                (str(k), tuple(c.strip() for c in v)) for k, v in sorted(value.items()))
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} 'respect-gitignore' must be true or false")
            values["respect_gitignore"] = value
        elif key == "file-timeout":
            values["file_timeout"] = _file_timeout(where, value)
        elif key == "file-memory-limit":
            if isinstance(value, bool) or not isinstance(value, int) or not (
                    MIN_FILE_MEMORY_LIMIT <= value <= MAX_FILE_MEMORY_LIMIT):
                raise ConfigError(f"{where} 'file-memory-limit' must be a whole number of MiB "
                                  f"from {MIN_FILE_MEMORY_LIMIT} to {MAX_FILE_MEMORY_LIMIT}, "
                                  f"got {_quote(value)}")
            values["file_memory_limit"] = value
        elif key == "cache-dir":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where} 'cache-dir' must be a path string")
            values["project_cache_dir"] = _cache_dir(root, value)
        elif key == "min-severity":
            if value not in BANDS:
                raise ConfigError(f"{where} 'min-severity' must be one of {', '.join(BANDS)}, "
                                  f"got {_quote(value)}")
            values["min_severity"] = value
        elif key == "models":
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f"{where} 'models' must be a list of paths to TOML files")
            values["models"] = tuple(_models_file(where, root, v) for v in value)
        else:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where} unknown key {_quote(key)}{hint}")
    if "exclude" not in values:
        values["exclude"] = DEFAULT_EXCLUDES
    try:  # each pattern compiles (checked above), but they are matched as one set
        gitignore_spec((*values["exclude"], *values.get("extend_exclude", ())))  # type: ignore[misc]
    except PatternError as exc:
        raise ConfigError(f"{where} 'exclude' and 'extend-exclude': {exc}") from None
    return Config(root=root, config_file=path.resolve(), **values)  # type: ignore[arg-type]


def _quote(value: object, limit: int = 60) -> str:
    """A value from the file for a one-line message: repr (control characters escaped),
    cut short."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 12:
        return "a number too large"  # and repr of a huge int is slow
    if not isinstance(value, (str, int, float, bool)):
        return _kind(value)
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _kind(value: object) -> str:
    names = {dict: "a table", list: "an array", str: "a string", bool: "a boolean",
             int: "an integer", float: "a float"}
    return names.get(type(value), f"a {type(value).__name__}")


def _holds_nul(value: object) -> bool:
    """Whether any string in `value`, a key or a value at any depth, contains NUL. A loop,
    not recursion: the table may be nested as deep as the parser allows."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\0" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _check_codes(where: str, key: str, codes: list[str], catalog: dict,
                 context: str = "") -> None:
    """Every code must select a rule: a misspelt one would silently select or ignore nothing."""
    from idlint.catalog import CatalogError, expand_selectors

    for code in codes:
        try:
            expand_selectors([code], catalog)
        except CatalogError:
            raise ConfigError(f"{where} '{key}' has an unknown rule code or prefix "
                              f"{_quote(code)}{context}") from None


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> pathspec.GitIgnoreSpec:
    # pathspec compiles a pattern such as `[[:alpha:]]` into a regex that makes `re` warn;
    # the warning would only add lines of noise to the output.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gitignore_spec([pattern])


def _check_patterns(where: str, key: str, patterns: list[str]) -> None:
    """Compile each pattern now, so a bad one is a settings error, not a crash mid-scan."""
    if len(patterns) > MAX_PATTERNS:  # before compiling any: each takes a while
        raise ConfigError(f"{where} '{key}' has {len(patterns)} patterns, more than the "
                          f"{MAX_PATTERNS} idlint compiles")
    for pattern in patterns:
        try:
            _compiled(pattern)
        except Exception:  # re.error, ValueError, TypeError: it varies by pathspec version
            raise ConfigError(f"{where} '{key}' has an invalid pattern {_quote(pattern)}") \
                from None


def _file_timeout(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigError(f"{where} 'file-timeout' must be a positive number, got "
                          f"{_quote(value)}")
    if value > MAX_FILE_TIMEOUT or (isinstance(value, float) and not math.isfinite(value)):
        raise ConfigError(f"{where} 'file-timeout' must be at most {MAX_FILE_TIMEOUT} seconds "
                          f"(one day), got {_quote(value)}")
    return float(value)


def _cache_dir(root: Path, value: str) -> Path:
    """The cache folder a config file names, made absolute but not resolved: where it lies
    (outside the project, through a symlink, on a folder of other files) is checked when
    the cache is opened (cache.open_cache), which refuses it with a notice rather than
    failing the scan, and checks the very path it will write to. `..` is folded away here,
    so that path is also the one checked."""
    return Path(os.path.normpath(root / value))


def _models_file(where: str, root: Path, value: str) -> Path:
    """A models file the project names: inside the project (its content is the project's
    to supply, like its code; a path elsewhere could make idlint read the user's files)."""
    try:
        resolved = (root / value).resolve()
    except (OSError, RuntimeError, ValueError):
        raise ConfigError(f"{where} 'models' {_quote(value, 300)} cannot be resolved") from None
    if not resolved.is_relative_to(root):
        raise ConfigError(f"{where} 'models' {_quote(value, 300)} is outside the project "
                          f"({root})")
    if not resolved.is_file():
        raise ConfigError(f"{where} 'models' {_quote(value, 300)} is not a file")
    return resolved


def codes_ignored_for(relpath: str, config: Config) -> frozenset[str]:
    """Codes or prefixes that per-file-ignores switches off for a root-relative POSIX path."""
    out: set[str] = set()
    for pattern, codes in config.per_file_ignores:
        if _compiled(pattern).match_file(relpath):
            out.update(c.upper() for c in codes)
    return frozenset(out)
