"""Which files to scan: discovery under the given paths, excludes, .gitignore, symlinks."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from idlint.config import Config
from idlint.globs import gitignore_spec
from idlint.safeio import UnsafeFileError, read_bounded, read_regular

# libcst needs some tens of times a file's size in memory: files this large are IDL903 under
# any `file-memory-limit` idlint allows a parse by default, and the biggest real ones (generated
# tables) are a few MiB.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
# Real .gitignore files are a few kB (generated ones for many languages some tens of kB).
MAX_GITIGNORE_BYTES = 1024 * 1024


class DiscoveryError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path  # absolute
    relpath: str  # POSIX, relative to the config root (absolute if outside it)
    module: str  # dotted module name guessed from relpath


def module_name(relpath: str) -> str:
    parts = relpath.removesuffix(".py").split("/")
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(p for p in parts if p) or "__init__"


def relpath(path: Path, root: Path) -> str:
    """POSIX path relative to `root`, or the absolute path of a file outside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def source_file(path: Path, root: Path) -> SourceFile:
    """The SourceFile for the absolute `path`, named relative to `root`."""
    rel = relpath(path, root)
    return SourceFile(path, rel, module_name(rel))


def read_source(path: Path) -> bytes:
    """The bytes of a Python file of the scanned tree. Discovery keeps only regular files,
    but one can be replaced by a FIFO (which would block the read forever) before it is
    read; and a file far beyond what a parse within `file-memory-limit` can take is not read
    into memory at all. OSError or UnsafeFileError (the file becomes IDL902)."""
    return read_bounded(path, MAX_SOURCE_BYTES)


class _Ignorer:
    """Excludes from settings plus .gitignore files, matched relative to their own folders."""

    def __init__(self, config: Config) -> None:
        self.root = config.root
        patterns = (*config.exclude, *config.extend_exclude)
        self.names = {p for p in patterns if "/" not in p and not any(c in p for c in "*?[")}
        self.spec = gitignore_spec(patterns)
        self.respect_gitignore = config.respect_gitignore
        self._gitignores: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        self._chains: dict[str, tuple[tuple[str, pathspec.GitIgnoreSpec], ...]] = {}
        # folders whose listing has no .gitignore: nothing to open there (a failed open per
        # folder was a tenth of a warm run on Django's package, most of it locale folders)
        self.without_gitignore: set[str] = set()

    def _gitignore(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._gitignores:
            spec = None
            if self.respect_gitignore:
                # Like git (2.32+), never through a symlink: a committed link would make
                # idlint read a file outside the project (or /proc/kcore, which never ends).
                # A FIFO or device is refused too, and an oversized file is not read.
                try:
                    data, _ = read_regular(directory / ".gitignore", MAX_GITIGNORE_BYTES + 1,
                                           follow_symlinks=False)
                    if len(data) <= MAX_GITIGNORE_BYTES:
                        text = data.decode("utf-8", errors="replace")
                        spec = gitignore_spec(text.splitlines())
                except (OSError, UnsafeFileError, ValueError):
                    spec = None
            self._gitignores[directory] = spec
        return self._gitignores[directory]

    def ignored(self, path: str, name: str, folder: str, is_dir: bool) -> bool:
        """Whether the entry `name` of `folder` (its path `path`; strings, not Paths: this
        is asked for every entry of every folder walked, and pathlib's parsing was most of
        the time of a discovery) is excluded."""
        if name in self.names:
            return True
        if path.startswith(self._root_prefix):  # else outside the root: no exclude applies
            rel = path[len(self._root_prefix):]
            if self.spec.match_file(f"{rel}/" if is_dir else rel):
                return True
        if self.respect_gitignore:
            for prefix, spec in self._folder_chain(folder):
                sub = path[len(prefix):]
                if spec.match_file(f"{sub}/" if is_dir else sub):
                    return True
        return False

    @functools.cached_property
    def _root_prefix(self) -> str:
        root = Path(self.root).as_posix()
        return root if root.endswith("/") else root + "/"

    def _folder_chain(self, folder: str) -> tuple[tuple[str, pathspec.GitIgnoreSpec], ...]:
        """The .gitignore files that apply inside `folder`: its own and its parents' up to the
        root or the enclosing repository's top (a folder holding .git), nearest first, each
        with its folder as a path prefix. Worked out once per folder, not once per file."""
        chain = self._chains.get(folder)
        if chain is None:
            directory = Path(folder)
            spec = None if folder in self.without_gitignore else self._gitignore(directory)
            own = ((folder if folder.endswith("/") else folder + "/", spec),) \
                if spec is not None else ()
            parent = directory.parent
            stop = (directory == self.root or parent == directory
                    or (directory / ".git").exists())
            chain = own if stop else own + self._folder_chain(parent.as_posix())
            self._chains[folder] = chain
        return chain


def discover(paths: Sequence[Path], config: Config) -> list[SourceFile]:
    """Python files under `paths`, sorted by relative path, each once."""
    ignorer = _Ignorer(config)
    found: dict[str, SourceFile] = {}
    roots: list[Path] = []
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise DiscoveryError(f"path does not exist: {given}")
        absolute = given.absolute()
        roots.append(absolute.resolve())
        if absolute.is_file():
            rel = relpath(absolute, config.root)
            found.setdefault(rel, SourceFile(absolute, rel, module_name(rel)))
    visited: set[tuple[int, int]] = set()
    for given in paths:
        absolute = Path(given).absolute()
        if absolute.is_dir():
            _walk(absolute, config, ignorer, roots, visited, found)
    return [found[k] for k in sorted(found)]


def _within(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _walk(directory: Path, config: Config, ignorer: _Ignorer, roots: list[Path],
          visited: set[tuple[int, int]], found: dict[str, SourceFile]) -> None:
    # Folders are told apart by device and inode (one stat each); only a folder reached
    # through a symlink needs the costlier resolve, to check it stays inside the roots.
    stack = [(directory, True)]
    while stack:
        current, linked = stack.pop()
        try:
            st = current.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in visited:
            continue  # a symlink loop, or a folder already walked
        if linked and not _within(current.resolve(), roots):
            continue  # a link out of the scanned roots
        visited.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        folder = current.as_posix()
        if not any(e.name == ".gitignore" for e in entries):
            ignorer.without_gitignore.add(folder)
        for entry in entries:
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            entry_path = entry.path if os.sep == "/" else entry.path.replace(os.sep, "/")
            if is_dir:
                if not ignorer.ignored(entry_path, entry.name, folder, True):
                    stack.append((Path(entry.path), entry.is_symlink()))
            elif is_file and entry.name.endswith(".py"):
                if ignorer.ignored(entry_path, entry.name, folder, False):
                    continue
                path = Path(entry.path)
                if entry.is_symlink() and not _within(path.resolve(), roots):
                    continue  # a link to a file outside the scanned roots
                rel = relpath(path, config.root)
                found.setdefault(rel, SourceFile(path, rel, module_name(rel)))
