"""Phase one, run once per file (in a worker process for large scans): bytes -> facts.

Everything a file can do wrong (bad encoding, syntax errors, absurd nesting, a crash in the
extractor) ends here as a `FileResult` with a failure instead of an exception, so one bad file
never stops the scan of the others."""

from __future__ import annotations

import ast
import hashlib
import io
import os
import queue
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from idlint.analysis import ir

if TYPE_CHECKING:
    import libcst as cst

# libcst (and the extractor built on it) is imported where a file is parsed: a warm run that
# takes every file from the cache never pays for importing it.

_SUPPRESSION = re.compile(
    r"#\s*idlint\s*:\s*ignore(?P<brackets>\[(?P<codes>[^\]]*)\])?(?P<reason>.*)$", re.IGNORECASE
)
# libcst's parser and our converter recurse once per nesting level.
_RECURSION_LIMIT = 20000


@dataclass(frozen=True, slots=True)
class Failure:
    code: str  # IDL901 parse error, IDL902 unreadable, IDL903 internal error
    reason: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    digest: str
    module: ir.Module | None
    failure: Failure | None = None


def digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def decode(source: bytes) -> str:
    """Decode like Python does: BOM, then a PEP 263 coding cookie, then UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    return source.decode(encoding)


def scan_suppressions(text: str, tree: cst.Module | None = None
                      ) -> tuple[ir.SuppressionComment, ...]:
    """The suppression comments of a file. With its `tree`, only what libcst parsed as
    comments counts: tokenize before Python 3.12 ends an f-string at a nested one in the same
    quotes (`f"{f"# idlint: ignore[...]"}"`, which libcst reads as PEP 701 strings), and the
    line scan below reads `#` in any string, so either could take text in a string literal for
    a comment that hides a finding."""
    if "idlint" not in text:
        return ()
    found = _scan_text(text)
    if found and tree is not None:
        return _tree_suppressions(tree)
    return found


def _tree_suppressions(tree: cst.Module) -> tuple[ir.SuppressionComment, ...]:
    """The suppression comments among the comments of the CST, at their positions (worked
    out only for files that seem to hold one: it costs about another parse)."""
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    positions = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    found: list[ir.SuppressionComment] = []
    for node, where in positions.items():
        if isinstance(node, libcst.Comment):
            _add_suppression(found, node.value, where.start.line, where.start.column)
    found.sort(key=lambda c: (c.line, c.column))
    return tuple(found)


def _scan_text(text: str) -> tuple[ir.SuppressionComment, ...]:
    found: list[ir.SuppressionComment] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                _add_suppression(found, tok.string, tok.start[0], tok.start[1])
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Tokenize disagrees with libcst on a few odd files; fall back to a line scan.
        found = []
        for lineno, line in enumerate(text.splitlines(), 1):
            idx = line.find("#")
            while idx >= 0:
                if _add_suppression(found, line[idx:], lineno, idx):
                    break
                idx = line.find("#", idx + 1)
    return tuple(found)


def _add_suppression(found: list[ir.SuppressionComment], comment: str, line: int,
                     col: int) -> bool:
    m = _SUPPRESSION.match(comment)
    if m is None:
        return False
    codes: tuple[str, ...] = ()
    if m.group("brackets"):
        codes = tuple(c.strip().upper() for c in m.group("codes").split(",") if c.strip())
    found.append(ir.SuppressionComment(line, col + 1, codes, m.group("reason").strip()))
    return True


def trust_parser(node_class: type | None = None) -> bool:
    """Stop libcst from validating the nodes its own parser builds; for processes that only
    parse and read trees (the scan's workers), never for a process that may build nodes.

    Every libcst node checks itself when made (`CSTNode.__post_init__` calls `_validate`),
    and nodes made by the parser are valid by construction: on Django's package the checks
    are a sixth of a parse (libcst's own comment there says as much). Only the plain
    `self._validate()` hook is replaced; a libcst whose hook does more keeps it. Returns
    whether it was replaced."""
    if node_class is None:
        from libcst._nodes.base import CSTNode

        node_class = CSTNode
    hook = node_class.__dict__.get("__post_init__")
    code = getattr(hook, "__code__", None)
    if hook is _trusted or code is None or code.co_names != ("_validate",) or \
            code.co_argcount != 1:
        return hook is _trusted
    node_class.__post_init__ = _trusted  # type: ignore[attr-defined]
    return True


def _trusted(self: object) -> None:
    return None


def parse(source: bytes) -> tuple[cst.Module, str]:
    import libcst

    text = decode(source)
    return libcst.parse_module(text), text


_EXPECTED = re.compile(r"expected one of (?P<tokens>.*)$")


def _syntax_failure(exc: cst.ParserSyntaxError) -> Failure:
    message = (getattr(exc, "message", "") or "invalid syntax").strip()
    message = re.sub(r"^parser error: error at \d+:\d+: ", "", message)
    m = _EXPECTED.search(message)
    if m is not None:  # the native parser lists every token it could have taken
        tokens = m.group("tokens").split(", ")
        shown = ", ".join(tokens[:6]) + (", ..." if len(tokens) > 6 else "")
        message = message[: m.start()] + f"expected one of {shown}"
    return Failure("IDL901", f"syntax error: {message}", exc.raw_line, exc.raw_column + 1)


def _python_syntax_error(source: bytes) -> Failure | None:
    """CPython's own message and position, which users know from tracebacks; only asked
    after libcst failed, so its cost does not matter. None if CPython accepts the code."""
    try:
        with warnings.catch_warnings():  # the scanned code's warnings are not ours to print
            warnings.simplefilter("ignore")
            compile(source, "<idlint>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        return Failure("IDL901", f"syntax error: {exc.msg}", exc.lineno or 1,
                       max(1, exc.offset or 1))
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


_BRACKETS = re.compile(rb"[()\[\]{}]")
# CPython refuses more than 200 nested brackets; libcst's native parser overflows its stack
# (a segfault, not an exception) somewhere past a thousand.
_MAX_NESTING = 200
_STACK_BYTES = 512 * 1024 * 1024  # virtual: only the pages a deep file touches are used


def max_nesting(source: bytes) -> int:
    depth = deepest = 0
    for m in _BRACKETS.finditer(source):
        if m.group() in b"([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


def analyse(source: bytes, path: str, module: str, is_package: bool) -> FileResult:
    """Facts for one file. Runs on a thread with a large stack, so that deeply nested code
    cannot overflow the native parser's stack and take the whole scan down with it. Time and
    memory limits are the caller's: scans run this in worker processes (idlint.workers)
    that are killed past them."""
    if source.count(b"(") + source.count(b"[") + source.count(b"{") > _MAX_NESTING and \
            max_nesting(source) > _MAX_NESTING:
        failure = _python_syntax_error(source)
        if failure is not None:
            return FileResult(path, digest(source), None, failure)
    return _RUNNER.run(lambda: _analyse(source, path, module, is_package), path, digest(source))


class _BigStackRunner:
    """One long-lived thread with a large stack per process, reused for every file: starting
    a thread with such a stack costs about a millisecond, a noticeable share of a small
    file's analysis."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], FileResult], queue.SimpleQueue]] | \
            None = None
        self._pid = 0

    def run(self, job: Callable[[], FileResult], path: str, dig: str) -> FileResult:
        if self._jobs is None or self._pid != os.getpid():  # a forked worker has no thread
            self._jobs = queue.SimpleQueue()
            self._pid = os.getpid()
            previous = threading.stack_size()
            try:
                threading.stack_size(_STACK_BYTES)
                threading.Thread(target=_serve, args=(self._jobs,), name="idlint-parse",
                                 daemon=True).start()
            finally:
                threading.stack_size(previous)
        answer: queue.SimpleQueue[FileResult | None] = queue.SimpleQueue()
        self._jobs.put((job, answer))
        result = answer.get()
        if result is None:  # the job raised: never expected, never fatal
            return FileResult(path, dig, None, Failure(
                "IDL903", "internal error: the analysis of this file stopped unexpectedly"))
        return result


def _serve(jobs: queue.SimpleQueue) -> None:
    while True:
        job, answer = jobs.get()
        try:
            answer.put(job())
        except BaseException:
            answer.put(None)


_RUNNER = _BigStackRunner()


def _analyse(source: bytes, path: str, module: str, is_package: bool) -> FileResult:
    import libcst

    dig = digest(source)
    old_limit = sys.getrecursionlimit()
    if old_limit < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        try:
            tree, text = parse(source)
        except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
            return FileResult(path, dig, None, Failure("IDL901", f"cannot decode: {exc}"))
        except libcst.ParserSyntaxError as exc:
            return FileResult(path, dig, None, _python_syntax_error(source) or
                              _syntax_failure(exc))
        from idlint.analysis.extract import extract

        facts = extract(tree, path, module, is_package, text.count("\n") + 1,
                        scan_suppressions(text, tree))
        return FileResult(path, dig, ir.pack_bodies(facts))
    except RecursionError:
        return FileResult(path, dig, None, Failure(
            "IDL903", "internal error: the file is nested too deeply to analyse"))
    except MemoryError:  # the worker's memory limit (file-memory-limit)
        return FileResult(path, dig, None, Failure(
            "IDL903", "internal error: the analysis of this file ran out of memory "
                      "(file-memory-limit); the file was skipped"))
    except Exception as exc:  # one file's crash must not stop the scan
        return FileResult(path, dig, None, Failure(
            "IDL903", f"internal error: {type(exc).__name__}: {exc}"))
    finally:
        sys.setrecursionlimit(old_limit)
