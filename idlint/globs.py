"""Gitignore-style patterns, which come from the scanned repository (its .gitignore files and
its `exclude` settings) and so are hostile input: a pattern like `*a*a*a*a*a*a*ab` makes a
backtracking regex engine run for hours on one file name. They are matched with RE2, which
takes linear time whatever the pattern."""

from __future__ import annotations

from collections.abc import Iterable

import pathspec

try:
    import re2  # noqa: F401  (pathspec's "re2" backend uses it)

    _BACKEND = "re2"
except ImportError:  # pragma: no cover - google-re2 is a dependency; a platform without it
    _BACKEND = "simple"


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines, backend=_BACKEND)
