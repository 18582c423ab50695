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

# RE2 compiles all the patterns of a file into one set within a memory budget, which a few
# thousand patterns exceed (and it then logs thousands of lines on stderr before failing).
# Real .gitignore files hold tens to a few hundred patterns.
MAX_PATTERNS = 2000


class PatternError(ValueError):
    """Patterns that cannot be compiled: invalid, or too many for RE2's budget."""


def gitignore_spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    lines = list(lines)
    count = sum(1 for line in lines if line.strip() and not line.startswith("#"))
    if count > MAX_PATTERNS:
        raise PatternError(f"{count} patterns, more than the {MAX_PATTERNS} idlint compiles")
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=_BACKEND)
    except Exception as exc:  # re2.Error, re.error, ValueError: it varies by backend
        raise PatternError(f"the patterns cannot be compiled ({exc})") from None
