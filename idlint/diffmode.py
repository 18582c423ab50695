"""`--diff REF`: keep only findings whose sink or trace touches lines changed since a git ref.

The whole project is still analysed (a flow into a changed line may start in an unchanged
file); only the report is narrowed, which is what a pull-request check wants.

The scanned repository may be hostile (a pull request from a stranger, or a whole checkout
with its `.git` from anywhere), so git is run such that its config and its `.git` folder
cannot make it start a program (hooks included), REF can only ever be a revision, git
compares the files idlint scanned (the folder holding `.git`, whatever `core.worktree`
says), and no changed file can be hidden from the report by an odd name, an unreadable patch,
flags in the repository's index or its exclude files."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from idlint.findings import Finding, Report

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@")
_COMMIT_ID = re.compile(rb"(?:[0-9a-f]{40}|[0-9a-f]{64})\n")  # SHA-1 or SHA-256
# git quotes a name in patch headers when it has odd bytes: "b/v\303\257ews.py" (C-style
# escapes, octal for the rest); git ends the header with a tab when the name has a space
_QUOTED = re.compile(rb'"((?:[^"\\]|\\(?:[abtnvfr"\\]|[0-3][0-7]{2}))*)"\t?')
_ESCAPE = re.compile(rb'\\([abtnvfr"\\]|[0-3][0-7]{2})')
_ESCAPES = {b"a": b"\a", b"b": b"\b", b"t": b"\t", b"n": b"\n", b"v": b"\v", b"f": b"\f",
            b"r": b"\r", b'"': b'"', b"\\": b"\\"}
# core.fsmonitor may name a hook program; --no-ext-diff and --no-textconv keep diff drivers and
# external diff commands from running; --ignore-submodules=all keeps git out of submodules
# (it would run `git status` or a diff inside one, under the submodule's own config, hooks and
# filter drivers, which the settings here do not reach); the prefixes and --no-renames
# undo config that would change the header format; --diff-filter=d leaves out deleted files
GIT = ("git", "--no-pager", "-c", "core.fsmonitor=false")
_DIFF = ("diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames",
         "--ignore-submodules=all", "--diff-filter=d", "--src-prefix=a/", "--dst-prefix=b/")
# Settings of the repository that decide which files git compares, or where it writes, all
# undone on the command line (which outranks every config file, included ones too). The
# index git uses is a private one built from REF (see _Repo), so these are about that index:
# a sparse checkout would mark files in it skip-worktree (never compared), ignoreStat
# assume-unchanged, and a split index would write its shared part into `.git`.
_SETTINGS = ("core.sparseCheckout=false", "core.sparseCheckoutCone=false", "index.sparse=false",
             "core.splitIndex=false", "core.ignoreStat=false", "core.untrackedCache=false")
# Environment that would choose another repository, work tree or index than the ones found
# here (git sets some of them for the hooks it runs, pre-commit among them).
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR",
                         "GIT_NAMESPACE", "GIT_PREFIX")


class DiffError(Exception):
    pass


def git_environment() -> dict[str, str]:
    """The environment git runs in, for every git command idlint runs in a scanned
    repository (also the cache's question whether git tracks its folder). A partial clone
    fetches missing objects from its promisor remote when a diff needs them, and the
    repository's config chooses that remote's URL (`ext::` runs a command), its SSH command
    and its credential helper: an empty GIT_ALLOW_PROTOCOL allows no transport at all
    (overriding any `protocol.*.allow`), and GIT_NO_LAZY_FETCH (git 2.44) stops the fetch
    before it starts."""
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env["GIT_ALLOW_PROTOCOL"] = ""
    env["GIT_NO_LAZY_FETCH"] = "1"
    return env


def _run(cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, check=False, timeout=120,
                              env=env, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DiffError(f"--diff: cannot run git: {exc}") from None


def _no_filters(cwd: Path) -> tuple[str, ...]:
    """`-c` settings that switch off every filter driver the config defines: comparing the
    working tree runs a driver's clean (or process) command on the files whose attributes
    name it, and the repository chooses both. `git config` itself runs nothing, and reads
    included files as every other command does."""
    proc = _run(cwd, [*GIT, "config", "-z", "--get-regexp", r"^filter\."], git_environment())
    drivers: set[str] = set()
    for record in proc.stdout.split(b"\0"):
        key = os.fsdecode(record.split(b"\n", 1)[0])
        if key.count(".") >= 2:
            drivers.add(key[len("filter."):key.rindex(".")])
    out: list[str] = []
    for name in sorted(drivers):
        if "=" in name:  # `-c` would cut the key at the `=`: the driver could not be undone
            raise DiffError(f"--diff: the git config defines a filter driver that cannot be "
                            f"switched off: {name!r}")
        for key, value in (("clean", ""), ("smudge", ""), ("process", ""),
                           ("required", "false")):
            out += ["-c", f"filter.{name}.{key}={value}"]
    return tuple(out)


def _work_tree(root: Path) -> Path:
    """The folder holding the `.git` (a folder, or a file naming one) nearest above `root`:
    where git itself finds the repository, and the files idlint scans. The repository's
    `core.worktree` could name any other folder (a copy of the old files, somewhere outside)
    for git to compare instead; the work tree is always given to git explicitly."""
    for folder in (root, *root.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    raise DiffError(f"--diff: {root} is not in a git work tree")


@dataclass(frozen=True)
class _Repo:
    """How git is run on the scanned repository. `scratch` is a private temporary folder:
    the index git uses is built there from REF, never the repository's own, whose entries can
    be flagged assume-unchanged or skip-worktree (git then takes the file as unchanged), or
    carry stat data made to match a changed file; and hooks are looked for in a folder there
    that does not exist (writing an index runs `post-index-change` from `.git/hooks` or
    `core.hooksPath`)."""

    top: Path
    scratch: Path
    filters: tuple[str, ...]

    def git(self, *args: str, error: str | None = None) -> bytes:
        """git's standard output as bytes; file names in it are decoded by the caller."""
        options = [f"--work-tree={self.top}", "-c",
                   f"core.hooksPath={self.scratch / 'no-hooks'}"]
        for setting in _SETTINGS:
            options += ["-c", setting]
        env = git_environment()
        env["GIT_INDEX_FILE"] = str(self.scratch / "index")
        proc = _run(self.top, [*GIT, *options, *self.filters, *args], env)
        if proc.returncode != 0:
            if error is None:
                lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                fatal = [line for line in lines if line.startswith(("fatal: ", "error: "))]
                error = (fatal or lines or ["git failed"])[0 if fatal else -1]
            raise DiffError(f"--diff: {error}")
        return proc.stdout


def _commit(repo: _Repo, ref: str) -> str:
    """The commit id REF names; REF is never read as an option (`--output=FILE`)."""
    if not ref or ref.startswith("-"):
        raise DiffError(f"--diff: not a git revision: {ref!r}")
    not_found = f"not a commit in this repository: {ref!r}"
    # --end-of-options (git 2.24) as well: the check above is what older gits rely on
    out = repo.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                   error=not_found)
    if not _COMMIT_ID.fullmatch(out):
        raise DiffError(f"--diff: {not_found}")
    return out.decode("ascii").strip()


def _unquote(quoted: bytes) -> bytes | None:
    """The name git quoted (`"b/v\\303\\257ews.py"`), or None if it is not git's quoting."""
    m = _QUOTED.fullmatch(quoted)
    if m is None:
        return None
    return _ESCAPE.sub(lambda e: _ESCAPES.get(e[1]) or bytes([int(e[1], 8)]), m[1])


def _header_name(field: bytes) -> bytes | None:
    """The file of a `+++ b/NAME` patch header; None for /dev/null or what is not understood."""
    name = _unquote(field) if field.startswith(b'"') else field.removesuffix(b"\t")
    if name is None or not name.startswith(b"b/"):
        return None
    return name[2:]


def _changed_tracked(repo: _Repo, commit: str) -> dict[bytes, set[int] | None]:
    """Changed tracked files (git's names, relative to `top`) -> changed lines (None: all)."""
    out: dict[bytes, set[int] | None] = {}
    # The NUL-separated list alone decides which files changed, names verbatim; a file whose
    # lines cannot be read from the patch (binary, or a header not understood) counts as
    # changed as a whole, so no file is ever lost.
    for record in repo.git(*_DIFF, "--numstat", "-z", commit, "--").split(b"\0"):
        if not record:
            continue
        fields = record.split(b"\t", 2)
        if len(fields) != 3:
            raise DiffError("--diff: unexpected output from git diff --numstat")
        added, deleted, name = fields
        # 0 0: only the mode changed (or a new empty file): no line changed
        out[name] = set() if added == deleted == b"0" else None
    current: bytes | None = None
    in_header = False
    for line in repo.git(*_DIFF, "--unified=0", commit, "--").split(b"\n"):
        if line.startswith(b"diff --git "):
            current, in_header = None, True
        elif in_header and line.startswith(b"+++ "):
            # only in the header: an added line `++ b/x` shows as `+++ b/x` in the hunks
            header = _header_name(line[4:])
            current = header if header is not None and header in out else None
            if current is not None:
                out[current] = set()
        elif line.startswith(b"@@"):
            in_header = False
            if current is None:
                continue
            lines = out[current]
            m = _HUNK.match(line)
            if m is None or lines is None:
                # a hunk header not understood: the whole file counts as changed
                out[current], current = None, None
                continue
            start, count = int(m.group("start")), int(m.group("count") or b"1")
            if count:
                lines.update(range(start, start + count))
            else:
                # a pure deletion comes after line `start` (0: the top of the file); it
                # touches the lines either side of it
                lines.update(n for n in (start, start + 1) if n > 0)
    return out


def changed_lines(root: Path, ref: str) -> dict[str, set[int] | None]:
    """Root-relative path -> changed line numbers (None: the whole file is new; a path
    ending in `/`: every file under that folder is new)."""
    root_path = root.resolve()
    top = _work_tree(root_path)
    changed = _changes(top, ref, 0)

    def rel(name: bytes) -> str:
        # as discovery names files: by the path under the root, not by a symlink's target
        absolute = top / os.fsdecode(name)
        try:
            path = absolute.relative_to(root_path).as_posix()
        except ValueError:
            path = absolute.as_posix()
        return path + "/" if name.endswith(b"/") else path

    return {rel(name): lines for name, lines in changed.items()}


# Submodules inside submodules are followed this deep; a deeper one counts as wholly new.
_MAX_SUBMODULE_DEPTH = 8


def _changes(top: Path, ref: str, depth: int) -> dict[bytes, set[int] | None]:
    """Changed files of the work tree `top` since `ref`, by git's names relative to `top`
    (`name/`: a folder whose files are all new)."""
    with tempfile.TemporaryDirectory(prefix="idlint-diff-") as scratch:
        repo = _Repo(top, Path(scratch), _no_filters(top))
        repo.git("rev-parse", "--git-dir")  # git's own message if it refuses the repository
        commit = _commit(repo, ref)
        # The private index holds REF's files: the diff compares each with the file on
        # disk (all are read, the index knowing nothing of them), and every other file is
        # untracked, that is new.
        repo.git("read-tree", commit)
        out = _changed_tracked(repo, commit)
        # Only the .gitignore files exclude (as in discovery): not .git/info/exclude nor
        # core.excludesFile, which the repository's .git could use to hide a new file. A
        # folder (`nested/`) is a repository of its own: git lists it, not its files.
        untracked = repo.git("ls-files", "-z", "--others", "--exclude-per-directory=.gitignore")
        staged = repo.git("ls-files", "-z", "--stage")
    for name in untracked.split(b"\0"):
        if name:
            out[name] = None
    # A submodule's files are compared in the submodule, the same way, with the commit REF
    # records for it: git's own look into a submodule would run under its config and hooks.
    for record in staged.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        fields = meta.split(b" ")
        if len(fields) != 3 or fields[0] != b"160000" or not _real_folder(top, name):
            continue  # not a submodule, or one not checked out (none of its files scanned)
        try:
            if depth >= _MAX_SUBMODULE_DEPTH:
                raise DiffError("submodules nested too deep")
            inner = _changes(top / os.fsdecode(name), fields[1].decode("ascii"), depth + 1)
        except (DiffError, UnicodeDecodeError):
            # its recorded commit is not there (or git refuses it): every file is new
            out[name + b"/"] = None
            continue
        out.update({name + b"/" + path: lines for path, lines in inner.items()})
    return out


def _real_folder(top: Path, name: bytes) -> bool:
    """Whether `top/name` is a checked-out repository reached through real folders only:
    never follow a symlink (a submodule's path replaced by a link) out of the project."""
    path = top
    for part in os.fsdecode(name).split("/"):
        path = path / part
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return False
        except (OSError, ValueError):
            return False
    return os.path.lexists(path / ".git")


def _touches(f: Finding, changed: dict[str, set[int] | None], new_folders: tuple[str, ...]
             ) -> bool:
    spots = [(f.location.path, f.location.line, f.location.end_line)]
    spots += [(s.location.path, s.location.line, s.location.end_line) for s in f.trace]
    spots += [(s.location.path, s.location.line, s.location.end_line)
              for t in f.more_sinks for s in t]
    for path, first, last in spots:
        if path not in changed:
            if path.startswith(new_folders):
                return True
            continue
        lines = changed[path]
        if lines is None or any(n in lines for n in range(first, max(first, last) + 1)):
            return True
    return False


def only_changed(report: Report, changed: dict[str, set[int] | None]) -> Report:
    new_folders = tuple(path for path, lines in changed.items()
                        if path.endswith("/") and lines is None)
    return replace(report, findings=tuple(f for f in report.findings
                                          if _touches(f, changed, new_folders)))
