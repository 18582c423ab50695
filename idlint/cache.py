"""A cache of per-file facts, so a warm run only re-parses files that changed.

An entry is keyed by the file's content hash, its path and module name (relative imports and
trace locations depend on them) and the idlint version; the facts do not depend on any
setting, so configuration changes never invalidate it (the global phase re-runs every time).
Entries are pickles written atomically; a corrupt or unreadable entry is a miss. Concurrent
runs at worst both write the same entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from pathlib import Path

from idlint import __version__
from idlint.analysis.perfile import FileResult
from idlint.safeio import write_atomic

# Bump when the IR changes shape without a version bump (development builds).
FORMAT = 8
_DAY = 24 * 3600
_PRUNE_AFTER_SECONDS = 14 * _DAY


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._ready = False

    def _entry(self, digest: str, relpath: str, module: str) -> Path:
        key = hashlib.sha256(
            f"{FORMAT}\x1f{__version__}\x1f{digest}\x1f{relpath}\x1f{module}".encode()
        ).hexdigest()
        return self.directory / key[:2] / f"{key}.pickle"

    def peek(self, digest: str, relpath: str, module: str) -> FileResult | None:
        """Like get, but not counted: for an earlier version of a file."""
        hits, misses = self.hits, self.misses
        try:
            return self.get(digest, relpath, module)
        finally:
            self.hits, self.misses = hits, misses

    def get(self, digest: str, relpath: str, module: str) -> FileResult | None:
        path = self._entry(digest, relpath, module)
        try:
            with path.open("rb") as fh:
                result = pickle.load(fh)
                age = time.time() - os.fstat(fh.fileno()).st_mtime
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # corrupt, truncated, from another Python: treat as a miss
            self.misses += 1
            return None
        if not isinstance(result, FileResult) or result.digest != digest:
            self.misses += 1
            return None
        self.hits += 1
        if age > _DAY:
            self.touch(digest, relpath, module)  # pruning keeps what is still read
        return result

    def put(self, result: FileResult, relpath: str, module: str) -> None:
        self.put_pickled(result, dumps(result), relpath, module)

    def put_pickled(self, result: FileResult, data: bytes, relpath: str, module: str) -> None:
        """Store `result`, already pickled as `data` (process-pool workers pickle their
        result once, for the cache and for the trip back)."""
        if result.failure is not None and result.failure.code == "IDL902":
            return  # unreadable now, maybe readable next time
        try:
            self._prepare()
            write_atomic(self._entry(result.digest, relpath, module), data, durable=False)
        except OSError:
            pass  # a read-only checkout still gets its scan, just no cache

    def get_state(self, kind: str, key: str) -> object | None:
        """A project-wide entry (a whole report, the solver's state); None when absent or
        unreadable."""
        path = self.directory / kind / f"{key}.pickle"
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:
            return None

    def put_state(self, kind: str, key: str, value: object) -> None:
        try:
            self._prepare()
            write_atomic(self.directory / kind / f"{key}.pickle",
                         pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        except (OSError, RecursionError, pickle.PicklingError):
            pass

    # Solver states are large (megabytes for a big project) and one is kept per content of
    # the project, so that going back to an earlier content (a revert, a branch switch)
    # still finds the state it was solved in; only the newest few per settings are kept.
    KEEP_SOLVER_STATES = 4

    def put_solver_state(self, settings_key: str, report_key: str, state: object) -> None:
        self.put_state("solver", f"{settings_key[:16]}-{report_key}", state)
        self.use_solver_state(settings_key, report_key)
        states = sorted(self.directory.glob(f"solver/{settings_key[:16]}-*.pickle"),
                        key=_mtime, reverse=True)
        for old in states[self.KEEP_SOLVER_STATES:]:
            with contextlib.suppress(OSError):
                old.unlink()

    def use_solver_state(self, settings_key: str, report_key: str) -> None:
        """Point the next run of these settings at the state solved for `report_key`."""
        state = self.directory / "solver" / f"{settings_key[:16]}-{report_key}.pickle"
        if not state.is_file():
            return
        with contextlib.suppress(OSError):
            os.utime(state)
            write_atomic(self.directory / "solver" / f"{settings_key[:16]}.latest",
                         report_key, durable=False)

    def latest_solver_state(self, settings_key: str) -> object | None:
        try:
            latest = (self.directory / "solver" / f"{settings_key[:16]}.latest").read_text()
        except (OSError, UnicodeDecodeError):
            return None
        return self.get_state("solver", f"{settings_key[:16]}-{latest.strip()}")

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, "# created by idlint\n*\n")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            write_atomic(tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
                              "# This file is a cache directory tag created by idlint.\n")
        self._ready = True

    def prune(self, max_age: float = _PRUNE_AFTER_SECONDS) -> int:
        """Delete entries not read or written for `max_age` seconds; returns how many."""
        removed = 0
        cutoff = time.time() - max_age
        if not self.directory.is_dir():
            return 0
        for sub in self.directory.iterdir():
            if not sub.is_dir():
                continue
            for entry in sub.glob("*.pickle"):
                try:
                    if entry.stat().st_mtime < cutoff:
                        entry.unlink()
                        removed += 1
                except OSError:
                    continue
        return removed

    def maybe_prune(self) -> None:
        """Prune at most once a day, so most runs pay nothing for it."""
        stamp = self.directory / "pruned"
        try:
            if time.time() - stamp.stat().st_mtime < _DAY:
                return
        except OSError:
            pass
        with contextlib.suppress(OSError):
            self._prepare()
            stamp.write_bytes(b"")
            self.prune()

    def touch(self, digest: str, relpath: str, module: str) -> None:
        """Mark an entry as used so pruning keeps it."""
        with contextlib.suppress(OSError):
            os.utime(self._entry(digest, relpath, module))


def dumps(result: FileResult) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
