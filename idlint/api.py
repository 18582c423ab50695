"""The library entry point: `scan(paths, config) -> Report`. The CLI, the tests and users call this."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from idlint.config import Config
from idlint.findings import Report


def scan(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    stdin: tuple[str, bytes] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
) -> Report:
    """Scan files and directories; `stdin` is (filename, source bytes) to analyse in place of
    that file's content on disk."""
    raise NotImplementedError
