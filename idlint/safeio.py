"""Atomic file writes: a reader never sees half a report, baseline or cache entry. Bounded
reads of files the scanned repository controls."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


class UnsafeFileError(Exception):
    """A file that is not a regular file, or larger than the caller allows."""


# O_NONBLOCK: opening a FIFO would otherwise wait for a writer; for a regular file the flag
# changes nothing.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | \
    getattr(os, "O_CLOEXEC", 0)


def read_regular(path: Path, most: int | None = None, *, follow_symlinks: bool = True,
                 owner: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes (at most `most`, all when None) and the status of the regular file `path`.
    A repository can hold a symbolic link to /dev/zero or a FIFO where a file is expected:
    those would never end (or never start), so anything but a regular file raises
    UnsafeFileError, as does a file whose owner is not `owner` (when given). Without
    `follow_symlinks` a symbolic link is an OSError. I/O errors raise OSError."""
    flags = _READ_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(os.open(path, flags), "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFileError("not a regular file")
        if owner is not None and st.st_uid != owner:
            raise UnsafeFileError("not owned by the current user")
        return (fh.read() if most is None else fh.read(most)), st


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path` (see read_regular); a file over `limit` bytes
    raises UnsafeFileError."""
    data, _ = read_regular(path, limit + 1)
    if len(data) > limit:
        mib, rest = divmod(limit, 1024 * 1024)
        raise UnsafeFileError(f"larger than {mib} MiB" if mib and not rest
                              else f"larger than {limit} bytes")
    return data


def _umask() -> int:
    """The process's umask. Linux shows it in /proc/self/status; elsewhere it can only be read
    by setting it, which is harmless in the single-threaded CLI that asks for it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _usual_mode(path: Path) -> int:
    """The permissions a user expects `path` to get: those of the file it replaces, else what
    open() would give a new file (0666 minus the umask)."""
    try:
        # Through a symbolic link: its target is the file the user knows by this name.
        return os.stat(path).st_mode & 0o777
    except (OSError, ValueError):
        return 0o666 & ~_umask()


def write_atomic(path: Path, data: str | bytes, durable: bool = True,
                 usual_mode: bool = False) -> None:
    """Write via a temporary file and a rename. `durable=False` skips the fsync: right for
    cache entries, which only need to be whole, not to survive a power cut. The temporary
    file is private (0600), and so is the result unless `usual_mode`, which gives it
    the mode of the file it replaces, else 0666 minus the umask (reports and baselines,
    which other users and tools read like any file the user writes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _usual_mode(path) if usual_mode else None
    # The temporary name is chosen before the file is made, so that an interrupt (Ctrl-C, or
    # SIGTERM, which the CLI turns into an exception) arriving at any point after the file
    # exists still finds its name to remove; `tempfile.mkstemp` returns the name only after
    # making the file, which left a window where it could not be cleaned up.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o600)
            with os.fdopen(fd, "wb") as fh:
                if mode is not None:
                    if hasattr(os, "fchmod"):
                        os.fchmod(fh.fileno(), mode)
                    else:  # pragma: no cover - Windows has only the read-only bit
                        os.chmod(tmp, mode)
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            os.replace(tmp, path)
            return
        except FileExistsError:
            continue  # the name is someone else's file: never ours to remove
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
