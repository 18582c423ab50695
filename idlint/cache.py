"""A cache of per-file facts and project-wide state, so a warm run only re-parses what changed.

The cache folder usually lies inside the scanned repository, and that repository may be
hostile (a pull request can commit `.idlint_cache/` or point `cache-dir` anywhere). So:

- every entry carries an HMAC-SHA256 under a per-user key kept outside every project
  (`keys.py`), over the entry's name and content: an entry that this user's idlint did not
  write, or a corrupted one, is a miss, and nothing is unpickled before it is verified;
- a cache folder that is reached through a symlink, not owned by the user, or tracked by git
  is not used at all (`open_cache` says why); one the repository chose (its `cache-dir`, or
  the default `.idlint_cache`) must moreover be a folder of the cache's own strictly inside
  the project, not under `.git`, holding nothing the cache would not have made;
- `.gitignore` and `CACHEDIR.TAG` are only made where nothing has their name: no existing
  file is overwritten;
- entries are only read from, written to and deleted in real subfolders (never through a
  symlink), and opened without following symlinks or blocking on special files; pruning
  deletes only files named like entries.

A per-file entry is keyed by the file's content hash, its path and module name (relative
imports and trace locations depend on them), the format and the idlint version; the facts do
not depend on any setting, so configuration changes never invalidate it. Entries are written
atomically; concurrent runs at worst both write the same entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import re
import stat
import subprocess
import time
from pathlib import Path

from idlint import __version__
from idlint.analysis.perfile import FileResult
from idlint.diffmode import GIT, git_environment
from idlint.keys import KeyFileError, load_key
from idlint.safeio import UnsafeFileError, read_regular, write_atomic

# Bump when the IR changes shape without a version bump (development builds).
FORMAT = 80
_DAY = 24 * 3600
_PRUNE_AFTER_SECONDS = 14 * _DAY
_MAGIC = b"idlint\x00" + bytes([FORMAT])
_MAC_BYTES = 32
_HEADER = len(_MAGIC) + _MAC_BYTES
_SUFFIX = ".entry"
# What pruning may delete: entries of this and earlier formats, nothing else.
_OWN_ENTRY = re.compile(r"[0-9a-f]{2,64}(-[0-9a-f]{64})?\.(entry|pickle|latest)")
_SUBFOLDER = re.compile(r"[0-9a-f]{2}|reports|solver|positions|latest")


class CacheRefused(Exception):
    """The cache folder cannot be trusted; the message says why (one line for stderr)."""


class Cache:
    """Entries under `directory`, authenticated with `key`. Use `open_cache` to get one for a
    folder that may come from a repository; a worker process that is handed an already
    checked folder and key constructs it directly.

    `markers`: whether to add `.gitignore` and CACHEDIR.TAG, which are for a folder of the
    cache's own: a folder of other files the user chose for the cache (`--cache-dir .`)
    would be hidden from git and from backups with it."""

    def __init__(self, directory: Path, key: bytes, markers: bool = True) -> None:
        self.directory = directory
        self.markers = markers
        self.hits = 0
        self.misses = 0
        self._key = key
        self._ready = False
        self._subfolders: dict[str, Path | None] = {}
        self._uid = os.geteuid() if hasattr(os, "geteuid") else None

    @property
    def key(self) -> bytes:
        return self._key

    # ------------------------------------------------------------------ per-file facts

    def _entry(self, digest: str, relpath: str, module: str) -> tuple[str, str]:
        key = hashlib.sha256(
            f"{FORMAT}\x1f{__version__}\x1f{digest}\x1f{relpath}\x1f{module}".encode()
        ).hexdigest()
        return key[:2], f"{key}{_SUFFIX}"

    def peek(self, digest: str, relpath: str, module: str) -> FileResult | None:
        """Like get, but not counted: for an earlier version of a file."""
        hits, misses = self.hits, self.misses
        try:
            return self.get(digest, relpath, module)
        finally:
            self.hits, self.misses = hits, misses

    def get(self, digest: str, relpath: str, module: str) -> FileResult | None:
        sub, name = self._entry(digest, relpath, module)
        found = self._load(sub, name)
        if found is None:
            self.misses += 1
            return None
        result, age = found
        if not isinstance(result, FileResult) or result.digest != digest:
            self.misses += 1
            return None
        self.hits += 1
        if age > _DAY:
            self._touch(sub, name)  # pruning keeps what is still read
        return result

    def put(self, result: FileResult, relpath: str, module: str) -> None:
        self.put_pickled(result, dumps(result), relpath, module)

    def put_pickled(self, result: FileResult, data: bytes, relpath: str, module: str) -> None:
        """Store `result`, already pickled as `data` (workers pickle their result once, for
        the cache and for the trip back)."""
        if result.failure is not None and result.failure.code in ("IDL902", "IDL903"):
            return  # unreadable or cut short now (a time or memory limit), maybe not next time
        sub, name = self._entry(result.digest, relpath, module)
        self._store(sub, name, data)

    # ------------------------------------------------------------------ project state

    def get_state(self, kind: str, key: str) -> object | None:
        """A project-wide entry (a whole report, the solver's state); None when absent or
        not verified."""
        found = self._load(kind, f"{key}{_SUFFIX}")
        return found[0] if found is not None else None

    def put_state(self, kind: str, key: str, value: object) -> None:
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (RecursionError, pickle.PicklingError):
            return
        self._store(kind, f"{key}{_SUFFIX}", data)

    # Solver states are large (megabytes for a big project) and one is kept per content of
    # the project, so that going back to an earlier content (a revert, a branch switch)
    # still finds the state it was solved in; only the newest few per settings are kept.
    KEEP_SOLVER_STATES = 4

    def put_solver_state(self, settings_key: str, report_key: str, state: object) -> None:
        self.put_state("solver", f"{settings_key[:16]}-{report_key}", state)
        self.use_solver_state(settings_key, report_key)
        folder = self._subfolder("solver", create=False)
        if folder is None:
            return
        prefix = f"{settings_key[:16]}-"
        states = []
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(_SUFFIX) and \
                        entry.is_file(follow_symlinks=False):
                    states.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
        states.sort(reverse=True)
        for _, old in states[self.KEEP_SOLVER_STATES:]:
            with contextlib.suppress(OSError):
                os.unlink(old)

    def use_solver_state(self, settings_key: str, report_key: str) -> None:
        """Point the next run of these settings at the state solved for `report_key`."""
        name = f"{settings_key[:16]}-{report_key}{_SUFFIX}"
        folder = self._subfolder("solver", create=False)
        if folder is None or not _is_file(folder / name):
            return
        self._touch("solver", name)
        self.put_state("latest", settings_key[:16], report_key)

    def latest_solver_state(self, settings_key: str) -> object | None:
        latest = self.get_state("latest", settings_key[:16])
        if not isinstance(latest, str):
            return None
        return self.get_state("solver", f"{settings_key[:16]}-{latest}")

    # ------------------------------------------------------------------ storage

    def _mac(self, sub: str, name: str, payload: bytes | memoryview) -> bytes:
        # The entry's name is part of what is signed: an entry cannot be passed off as
        # another one, even one this user wrote.
        mac = hmac.new(self._key, f"{FORMAT}/{sub}/{name}\x00".encode(), hashlib.sha256)
        mac.update(payload)
        return mac.digest()

    def _load(self, sub: str, name: str) -> tuple[object, float] | None:
        """The verified, unpickled entry and its age in seconds; None for a miss."""
        folder = self._subfolder(sub, create=False)
        if folder is None:
            return None
        raw = self._read(folder / name)
        if raw is None:
            return None
        data, mtime = raw
        if len(data) < _HEADER or not data.startswith(_MAGIC):
            return None
        view = memoryview(data)
        if not hmac.compare_digest(view[len(_MAGIC):_HEADER], self._mac(sub, name,
                                                                      view[_HEADER:])):
            return None
        try:
            value = pickle.loads(view[_HEADER:])
        except Exception:  # written by another Python or idlint build: a miss
            return None
        return value, time.time() - mtime

    def _read(self, path: Path) -> tuple[bytes, float] | None:
        # Never follow a symlink, never block on a FIFO or device, only regular files of ours.
        try:
            data, st = read_regular(path, follow_symlinks=False, owner=self._uid)
        except (OSError, UnsafeFileError):
            return None
        return data, st.st_mtime

    def _store(self, sub: str, name: str, payload: bytes) -> None:
        try:
            self._prepare()
            folder = self._subfolder(sub, create=True)
            if folder is None:
                return
            write_atomic(folder / name, _MAGIC + self._mac(sub, name, payload) + payload,
                         durable=False)
        except OSError:
            pass  # a read-only checkout still gets its scan, just no cache

    def _subfolder(self, sub: str, create: bool) -> Path | None:
        """`directory/sub` if it is a real folder of ours (created when asked); None if it
        is missing, a symlink or someone else's."""
        known = self._subfolders.get(sub)
        if known is not None:
            return known
        path = self.directory / sub
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            if not create:
                return None
            try:
                os.mkdir(path, 0o700)
                st = os.lstat(path)
            except OSError:
                return None
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or (self._uid is not None and st.st_uid != self._uid):
            return None
        self._subfolders[sub] = path
        return path

    def _prepare(self) -> None:
        if self._ready:
            return
        with contextlib.suppress(FileExistsError):
            os.makedirs(self.directory, 0o700)
        if not self.markers:
            self._ready = True
            return
        # Only made where nothing has the name yet (not even a symlink): an existing file,
        # whoever made it, is never overwritten.
        _create_new(self.directory / ".gitignore", b"# created by idlint\n*\n")
        _create_new(self.directory / "CACHEDIR.TAG",
                    b"Signature: 8a477f597d28d172789f06886806bc55\n"
                    b"# This file is a cache directory tag created by idlint.\n")
        self._ready = True

    def _touch(self, sub: str, name: str) -> None:
        """Mark an entry as used so pruning keeps it."""
        folder = self._subfolder(sub, create=False)
        if folder is not None:
            with contextlib.suppress(OSError, NotImplementedError):
                os.utime(folder / name, follow_symlinks=False)

    def prune(self, max_age: float = _PRUNE_AFTER_SECONDS) -> int:
        """Delete entries not read or written for `max_age` seconds; returns how many. Only
        files named like entries, in real subfolders, are ever deleted."""
        removed = 0
        cutoff = time.time() - max_age
        try:
            subs = [e.name for e in os.scandir(self.directory)
                    if _SUBFOLDER.fullmatch(e.name)]
        except OSError:
            return 0
        for sub in subs:
            folder = self._subfolder(sub, create=False)
            if folder is None:
                continue
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                try:
                    if not _OWN_ENTRY.fullmatch(entry.name) or \
                            not entry.is_file(follow_symlinks=False):
                        continue
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    continue
        return removed

    def maybe_prune(self) -> None:
        """Prune at most once a day, so most runs pay nothing for it."""
        stamp = self.directory / "pruned"
        try:
            if time.time() - os.lstat(stamp).st_mtime < _DAY:
                return
        except OSError:
            pass
        with contextlib.suppress(OSError):
            self._prepare()
            if _is_file(stamp):
                os.utime(stamp, follow_symlinks=False)  # its content is not ours to change
            else:
                # Written by rename: a symlink planted under this name is replaced, not
                # followed.
                write_atomic(stamp, b"", durable=False)
            self.prune()


def open_cache(directory: Path, root: Path, chosen_by_user: bool = False) -> Cache:
    """A cache in `directory` for the project at `root`, or CacheRefused saying why the
    folder cannot be trusted (the scan then goes on without a cache).

    `chosen_by_user`: the user named the folder (--cache-dir, IDLINT_CACHE_DIR, the API),
    which may then be anywhere. Otherwise the repository chose it (its settings' cache-dir,
    or .idlint_cache by default), and it must be a folder of the cache's own inside the
    project: the cache writes `.gitignore` (ignoring everything beside it), CACHEDIR.TAG
    (backup tools skip the folder) and entries there, and prunes it, so a project folder
    that holds anything else (the project itself, `src`, `.git`) would be hidden from git or
    from backups, or written into."""
    directory = Path(os.path.abspath(directory))
    root = Path(os.path.abspath(root))
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        inside: Path | None = directory.relative_to(root)
    except ValueError:
        inside = None
    if not chosen_by_user:
        _check_place(directory, root, inside)
    # Inside the project every step from the root down is the repository's to choose: none
    # may be a symlink (which could lead the cache's writes and deletions anywhere).
    steps = [root.joinpath(*inside.parts[:i + 1]) for i in range(len(inside.parts))] \
        if inside is not None else [directory]
    for step in steps:
        try:
            st = os.lstat(step)
        except FileNotFoundError:
            break
        except OSError as exc:
            raise CacheRefused(f"cache folder {directory} cannot be checked: "
                               f"{exc.strerror or exc}") from None
        if stat.S_ISLNK(st.st_mode) and inside is not None:
            raise CacheRefused(f"cache folder {directory} is reached through a symlink "
                               f"({step.name})")
        if not stat.S_ISDIR(os.stat(step).st_mode):
            raise CacheRefused(f"cache folder {directory}: {step} is not a folder")
    if os.path.isdir(directory):
        st = os.stat(directory)
        if uid is not None and st.st_uid != uid:
            raise CacheRefused(f"cache folder {directory} is not owned by the current user")
        if inside is not None and _tracked_by_git(directory, root):
            raise CacheRefused(f"cache folder {directory} is tracked by git (committed to "
                               "the repository)")
        foreign = _foreign_file(directory)
        if foreign is not None and not chosen_by_user:
            raise CacheRefused(
                f"cache folder {directory} holds {foreign!r}, which is not the cache's: "
                "the cache needs a folder of its own (a new or empty one)")
        markers = foreign is None
    else:
        markers = True  # the cache makes the folder: its own
    try:
        key = load_key(root)
    except KeyFileError as exc:
        raise CacheRefused(str(exc)) from None
    return Cache(directory, key, markers)


def _check_place(directory: Path, root: Path, inside: Path | None) -> None:
    """Where a cache folder the repository chose may lie: strictly inside the project, not in
    its .git folder (by name alone, so also on a case-insensitive file system)."""
    if inside is None:
        raise CacheRefused(
            f"cache folder {directory} is outside the project ({root}); a cache folder "
            "outside the project can only be set on the command line (--cache-dir) or with "
            "the environment variable IDLINT_CACHE_DIR")
    if not inside.parts:
        raise CacheRefused(f"cache folder {directory} is the project folder itself; the "
                           "cache needs a folder of its own")
    if any(part.casefold() == ".git" for part in inside.parts):
        raise CacheRefused(f"cache folder {directory} is inside the project's .git folder")


# What a folder of the cache's own holds: these at the top, entries in the subfolders, and
# the temporary files of an interrupted write (safeio.write_atomic's names).
_OWN_TOP = frozenset({".gitignore", "CACHEDIR.TAG", "pruned"})
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}\.tmp", re.DOTALL)


def _foreign_file(directory: Path) -> str | None:
    """The first name under `directory` (relative to it) that the cache would not have
    made there, or None when it holds only the cache's names. Subfolders that are symlinks
    are not looked into: the cache never reads or writes through them."""
    try:
        with os.scandir(directory) as entries:
            top = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
    except OSError as exc:
        return f"<unreadable: {exc.strerror or exc}>"
    for name, is_dir in top:
        if _SUBFOLDER.fullmatch(name):
            if not is_dir:
                continue  # never used as a folder (Cache._subfolder)
            try:
                with os.scandir(directory / name) as entries:
                    inner = sorted(e.name for e in entries)
            except OSError as exc:
                return f"{name}/<unreadable: {exc.strerror or exc}>"
            for entry in inner:
                if not _OWN_ENTRY.fullmatch(entry) and not _TEMPORARY.fullmatch(entry):
                    return f"{name}/{entry}"
        elif name not in _OWN_TOP and not _TEMPORARY.fullmatch(name):
            return name
    return None


def _tracked_by_git(directory: Path, root: Path) -> bool:
    """Whether git tracks anything in `directory`. git is asked with the repository's
    command-running settings off, and about the folder holding `.git` as the work tree (the
    repository's `core.worktree` would make the folder look outside it, so untracked); no
    git, or no repository, means not tracked."""
    top = next((p for p in (root, *root.parents) if os.path.lexists(p / ".git")), None)
    if top is None:
        return False
    try:
        proc = subprocess.run(
            [*GIT, f"--work-tree={top}", "ls-files", "-z", "--cached", "--", str(directory)],
            cwd=top, capture_output=True, timeout=30, check=False, env=git_environment(),
            stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and bool(proc.stdout.strip(b"\0"))


def dumps(result: FileResult) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _create_new(path: Path, data: bytes) -> None:
    """Write `data` to `path` if nothing has that name yet; else leave what is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
