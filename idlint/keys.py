"""The per-user key that authenticates cache entries.

It lives outside every project (`$XDG_CONFIG_HOME/idlint/cache-key`, else
`~/.config/idlint/cache-key`), is created on first use with mode 0600 from the system's
random source, and is only used when it is a regular file of the current user that nobody
else can read and that no scanned project contains: a key a repository could supply or read
would let it forge entries."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from idlint.safeio import UnsafeFileError, read_regular

KEY_BYTES = 32


class KeyFileError(Exception):
    """No trustworthy key: the message says why (one line for stderr)."""


def key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "idlint" / "cache-key"


_loaded: dict[Path, bytes] = {}


def load_key(project_root: Path) -> bytes:
    """The key, created if missing. Raises KeyFileError when it cannot be trusted."""
    path = key_path()
    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(project_root))
    if real == root or root in real.parents:
        raise KeyFileError(f"cache key {path} lies inside the scanned project; cache not used")
    if path in _loaded:
        return _loaded[path]
    key = _read(path)
    if key is None:
        _create(path)
        key = _read(path)
    if key is None:  # pragma: no cover - created and then gone
        raise KeyFileError(f"cache key {path} cannot be read; cache not used")
    _loaded[path] = key
    return key


def _read(path: Path) -> bytes | None:
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        data, st = read_regular(path, KEY_BYTES + 1, follow_symlinks=False, owner=uid)
    except FileNotFoundError:
        return None
    except UnsafeFileError as exc:
        raise KeyFileError(f"cache key {path} is {exc}; cache not used") from None
    except OSError as exc:
        raise KeyFileError(f"cache key {path} cannot be read ({exc.strerror or exc}; a "
                           "symlink is never used); cache not used") from None
    if st.st_mode & 0o077:
        raise KeyFileError(f"cache key {path} can be read by others (mode "
                           f"{stat.S_IMODE(st.st_mode):o}; it must be 600); cache not used")
    if len(data) != KEY_BYTES:
        raise KeyFileError(f"cache key {path} is not a key of {KEY_BYTES} bytes (delete it "
                           "to have a new one made); cache not used")
    return data


def _create(path: Path) -> None:
    """Write a new key so that a concurrent run never sees half of one: to a temporary file
    first, then linked into place, where the first run to link wins."""
    try:
        os.makedirs(path.parent, 0o700, exist_ok=True)
        tmp = path.parent / f".cache-key.{os.getpid()}.{secrets.token_hex(4)}"
        # O_EXCL: a file (or symlink) planted under the temporary name is never opened
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(KEY_BYTES))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not os.path.lexists(path):
                    os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError as exc:
        raise KeyFileError(f"cache key {path} cannot be created ({exc.strerror or exc}); "
                           "cache not used") from None
