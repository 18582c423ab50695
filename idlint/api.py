"""The library entry point: `scan(paths, config) -> Report`, which the CLI, tests and users call."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from idlint import __version__
from idlint.analysis import ir
from idlint.analysis.locate import NodeLocation, locate
from idlint.analysis.perfile import Failure, FileResult, analyse, digest, trust_parser
from idlint.cache import FORMAT as CACHE_FORMAT
from idlint.cache import Cache, CacheRefused, open_cache
from idlint.cache import dumps as cache_dumps
from idlint.catalog import RuleSpec, expand_selectors, load_catalog, rules_dir
from idlint.config import Config, is_project_root, load_config
from idlint.files import SourceFile, discover, read_source, source_file
from idlint.findings import FileFailure, Finding, Location, Report
from idlint.knowledge import load_knowledge
from idlint.safeio import UnsafeFileError
from idlint.suppressions import apply_suppressions
from idlint.templates import TemplateSource
from idlint.workers import Outcome, Workers

if TYPE_CHECKING:  # the solver and resolver are imported only when a report is computed
    from idlint.resolve import LocateRequest

_GC_THRESHOLDS = (100_000, 50, 100)
_MIB = 1024 * 1024
# Locating the nodes of one file costs about three parses of it.
LOCATE_TIME_FACTOR = 3


def scan(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    stdin: tuple[str, bytes] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Scan files and directories.

    `stdin` is (filename, source bytes): that file is analysed with this content instead of
    what is on disk (editors and `--stdin-filename`). `progress(done, total)` is called as
    files are parsed. Raises ConfigError, DiscoveryError or
    CatalogError for problems the user must fix; never raises for problems in scanned files.
    """
    with _fewer_collections(), contextlib.ExitStack() as stack:
        return _scan(paths, config, stdin, jobs, use_cache, progress, stack)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """A scan holds millions of small objects (facts, values) that live to its end, and
    Python's cyclic collector walks all of them at every full collection: with its default
    thresholds that cost a quarter of the solve. Almost nothing a scan builds is cyclic
    (frozen dataclasses, tuples), so collections can be far rarer."""
    previous = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _scan(paths: Sequence[str | Path], config: Config | None,
          stdin: tuple[str, bytes] | None, jobs: int | None, use_cache: bool,
          progress: Callable[[int, int], None] | None, stack: contextlib.ExitStack) -> Report:
    started = time.perf_counter()
    path_list = [Path(p) for p in paths] or [Path(".")]
    if config is None:
        config = load_config(path_list)
    catalog = load_catalog()
    enabled = enabled_codes(config, catalog)
    knowledge = load_knowledge(config)

    # A named path that leads out of the project (a committed symlink to /proc/self/environ)
    # is never read: it is reported as not scanned.
    path_list, refused = _outside_project(path_list, config)
    # One set of workers parses the files and then locates the nodes of the findings: they
    # are started (and import the parser) once, and are ended when the scan is. When every
    # file will be parsed (no cache, or one that never held a report), they start now and
    # warm up while the files are found and read.
    pool = stack.enter_context(Workers(_work, workers=_workers(jobs),
                                       memory_limit=config.file_memory_limit * _MIB,
                                       warm_up=_warm_up))
    if _likely_cold(config, use_cache):
        # (a folder: files for every worker; named files: a worker each at most)
        named = sum(1 for p in path_list if not p.is_dir())
        pool.start(named + (stdin is not None) if named == len(path_list) else _workers(jobs))
    stdin_file: SourceFile | None = None
    if stdin is not None:
        stdin_path = Path(stdin[0])
        files = discover([p for p in path_list if p.exists()], config) if path_list else []
        stdin_file = discover([stdin_path], config)[0] if stdin_path.exists() else \
            _virtual_file(stdin_path, config)
        files = [f for f in files if f.relpath != stdin_file.relpath] + [stdin_file]
    else:
        files = discover(path_list, config)
    files += refused
    # Named files (a pre-commit run, an editor): the rest of the project is analysed too
    # (from the cache where it is unchanged), so flows that cross into them are found, and
    # only findings in the named files are reported.
    targets: set[str] | None = None
    if stdin is None and _with_project_context(path_list, config):
        targets = {f.relpath for f in files}
        known = set(targets)
        for f in discover([Path(config.root)], config):
            if f.relpath not in known:
                files.append(f)
                known.add(f.relpath)
    files.sort(key=lambda f: f.relpath)

    sources: dict[str, bytes] = {}
    if stdin is not None and stdin_file is not None:
        sources[stdin_file.relpath] = stdin[1]
    unreadable: dict[str, str] = {f.relpath: _OUTSIDE for f in refused}
    for f in files:
        if f.relpath not in sources and f.relpath not in unreadable:
            try:
                sources[f.relpath] = read_source(f.path)
            except OSError as exc:
                unreadable[f.relpath] = f"cannot read file: {exc.strerror or exc}"
            except UnsafeFileError as exc:
                unreadable[f.relpath] = f"cannot read file: {exc}"
    digests = {rel: digest(data) for rel, data in sources.items()}

    cache: Cache | None = None
    notices: list[str] = []
    settings_key = report_key = ""
    if use_cache:
        try:
            directory, chosen_by_user = _cache_folder(config)
            cache = open_cache(directory, Path(config.root), chosen_by_user=chosen_by_user)
        except CacheRefused as exc:
            notices.append(f"{exc}; scanning without cache")
    if cache is not None:
        # Nothing changed since a run with the same settings: its report still holds.
        settings_key = _settings_key(config)
        # a report for named files holds only their findings: keyed apart from the full one
        scope = "" if targets is None else hashlib.sha256(
            "\0".join(sorted(targets)).encode()).hexdigest()
        report_key = _report_key(settings_key + scope, files, digests, unreadable)
        cached = _cached_report(cache.get_state("reports", report_key), config)
        if cached is not None:
            # The next run after an edit starts from the solver state of this content.
            cache.use_solver_state(settings_key, report_key)
            stats = {"files": float(len(files)), "report_cache": 1.0,
                     "total_seconds": time.perf_counter() - started}
            return replace(cached, stats=stats)
        # Something changed: a file will be parsed, or a finding located. A worker started
        # now imports the parser while the cached facts are loaded, not after them.
        pool.start(1)
    results = _extract_all(files, sources, digests, unreadable, pool, cache,
                           config.file_timeout, progress, config.file_memory_limit * _MIB)
    t_extract = time.perf_counter()

    from idlint.analysis.solve import SolverState, solve

    modules = [r.module for r in results if r.module is not None]
    by_path = {f.relpath: f for f in files}
    previous = cache.latest_solver_state(settings_key) if cache is not None else None

    def old_module(path: str, old_digest: str) -> ir.Module | None:
        if cache is None or path not in by_path:
            return None
        hit = cache.peek(old_digest, path, by_path[path].module)
        return hit.module if hit is not None else None

    templates = TemplateSource(Path(config.root))
    solved = solve(
        modules, knowledge, digests=digests if cache is not None else None,
        previous=previous if isinstance(previous, SolverState) else None,
        old_module=old_module, templates=templates)
    flows, broken, state = solved.flows, solved.broken, solved.state
    t_solve = time.perf_counter()
    if cache is not None and state is not None and not unreadable:
        cache.put_solver_state(settings_key, report_key, state)

    def read(relpath: str) -> bytes | None:
        if relpath in sources:
            return sources[relpath]
        f = by_path.get(relpath)
        if f is None:
            return None
        try:
            return read_source(f.path)
        except (OSError, UnsafeFileError):
            return None

    # Positions cost a re-parse: only work them out for rules that will be reported.
    flows = [f for f in flows if f.code in enabled and (
        f.subject != "object" or OBJECT_SERIALS in enabled)]
    from idlint.resolve import build_findings

    findings = build_findings(flows, catalog, by_path, read,
                              _locator(cache, digests, pool,
                                       config.file_timeout * LOCATE_TIME_FACTOR),
                              others_see=knowledge.own_reaches_others)
    failures: list[FileFailure] = []
    for r in results:
        if r.failure is not None:
            failures.append(FileFailure(r.path, r.failure.code, r.failure.reason))
    findings += _failure_findings(results, catalog)
    for path, message in broken:
        spec = catalog["IDL903"]
        failures.append(FileFailure(path, "IDL903", message))
        findings.append(Finding(spec.code, spec.name, spec.severity, "high",
                                Location(path, 1, 1, 1, 1),
                                f"Part of this file was not analysed: {message} (please report "
                                "this)", fingerprint=f"IDL903:{path}:{message}"))
    findings = apply_suppressions(findings, results, catalog, enabled)
    findings = [f for f in findings if _selected(f, enabled, config)]
    if targets is not None:
        findings = [f for f in findings if f.location.path in targets]
        failures = [f for f in failures if f.path in targets]
    findings.sort(key=lambda f: f.sort_key)
    stats = {
        "files": float(len(files)),
        "extract_seconds": t_extract - started,
        "solve_seconds": t_solve - t_extract,
        "incremental": 1.0 if solved.mode == "incremental" else 0.0,
        "evaluated": float(solved.evaluated),
        "total_seconds": time.perf_counter() - started,
        "cache_hits": float(cache.hits if cache else 0),
        "cache_misses": float(cache.misses if cache else 0),
    }
    if targets is not None:
        stats["context_files"] = float(len(files) - len(targets))
    scanned = len(targets) if targets is not None else len(files)
    if templates.truncated is not None:
        notices.append(templates.truncated)
    report = Report(tuple(findings), scanned, tuple(failures), str(config.root), stats,
                    notices=tuple(notices))
    if cache is not None and not unreadable:
        # with what the templates it read were: the report holds while they are unchanged
        cache.put_state("reports", report_key,
                        (replace(report, stats={}), dict(templates.fingerprints)))
        cache.maybe_prune()
    return report


def _cached_report(cached: object, config: Config) -> Report | None:
    """A report cached for the same files and settings, if the templates it read (see
    idlint/templates.py) still are what they were."""
    if not (isinstance(cached, tuple) and len(cached) == 2 and
            isinstance(cached[0], Report) and isinstance(cached[1], dict)):
        return None
    report, fingerprints = cached
    if fingerprints and not TemplateSource(Path(config.root)).unchanged(fingerprints):
        return None
    return report


_OUTSIDE = "not read: the path leads outside the project (through a symlink or '..')"


def _outside_project(paths: list[Path], config: Config) -> tuple[list[Path], list[SourceFile]]:
    """The named paths that stay inside the project once symlinks are resolved, and a
    SourceFile for each one that does not (reported, never read)."""
    root = Path(config.root).resolve()
    kept: list[Path] = []
    refused: list[SourceFile] = []
    for p in paths:
        if not os.path.lexists(p):
            kept.append(p)  # discovery reports it
            continue
        resolved = p.resolve()
        if resolved == root or root in resolved.parents:
            kept.append(p)
            continue
        refused.append(source_file(p.absolute(), Path(config.root)))
    return kept, refused


def _with_project_context(paths: list[Path], config: Config) -> bool:
    """Whether named files are analysed within their project: when some of the paths are
    files inside a recognisable project root (a configuration file, a git checkout or a
    pyproject.toml), never a home folder that merely happens to be the working directory."""
    root = Path(config.root).resolve()
    if config.config_file is None and not is_project_root(root):
        return False
    for p in paths:
        if p.is_file():
            try:
                p.resolve().relative_to(root)
            except ValueError:
                continue
            return True
    return False


def _locate_job(request: LocateRequest) -> bytes:
    return pickle.dumps(locate(*request), protocol=pickle.HIGHEST_PROTOCOL)


def _locator(cache: Cache | None, digests: dict[str, str], pool: Workers, timeout: float
             ) -> Callable[[list[LocateRequest]], dict[str, dict[int, NodeLocation]]]:
    """Positions cost a parse of the file (about three times a plain parse, with libcst's
    PositionProvider): kept in the cache for the file's content and nodes, and worked out in
    worker processes (a parse never runs in this process: it could not be stopped). A file
    whose positions cannot be worked out in time keeps its findings, at line 1."""

    def key(request: LocateRequest) -> str:
        source, path, module, _, wanted = request
        return hashlib.sha256(f"{digests.get(path) or digest(source)}\x00{path}\x00{module}"
                              f"\x00{sorted(wanted)}".encode()).hexdigest()

    def locate_many(requests: list[LocateRequest]) -> dict[str, dict[int, NodeLocation]]:
        out: dict[str, dict[int, NodeLocation]] = {}
        missing: list[LocateRequest] = []
        for request in requests:
            hit = cache.get_state("positions", key(request)) if cache is not None else None
            if isinstance(hit, dict):
                out[request[1]] = hit
            else:
                missing.append(request)
        outcomes = pool.run([("locate", r) for r in missing], timeout=timeout)
        for request, outcome in zip(missing, outcomes, strict=True):
            located = pickle.loads(outcome.data) if outcome.data is not None else None
            if not isinstance(located, dict):
                out[request[1]] = {}
                continue
            out[request[1]] = located
            if cache is not None:
                cache.put_state("positions", key(request), located)
        return out

    return locate_many


def _likely_cold(config: Config, use_cache: bool) -> bool:
    """Whether every file of the scan will be parsed: there is no cache, or its folder never
    held a report (a first run). Only decides when the workers start."""
    if not use_cache:
        return True
    return not os.path.isdir(_cache_folder(config)[0] / "reports")


def _cache_folder(config: Config) -> tuple[Path, bool]:
    """The cache folder, and whether the user chose it (else the repository did: its
    settings' cache-dir, or .idlint_cache at its root by default)."""
    if config.cache_dir is not None:
        return Path(config.cache_dir), True
    if config.project_cache_dir is not None:
        return Path(config.project_cache_dir), False
    return Path(config.root) / ".idlint_cache", False


def _workers(jobs: int | None) -> int:
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def _settings_key(config: Config) -> str:
    """idlint itself, the bundled rules and the settings: what the solver's state depends
    on besides the files."""
    h = hashlib.sha256()
    h.update(f"{__version__}\x00{CACHE_FORMAT}\x00{config!r}\x00".encode())
    h.update(_rules_fingerprint().encode())
    for path in config.models:  # the project's own models files count like the bundled ones
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\x00unreadable")
    return h.hexdigest()


def _report_key(settings_key: str, files: list[SourceFile], digests: dict[str, str],
                unreadable: dict[str, str]) -> str:
    """Everything a report depends on: the settings and every file's path, module name and
    content."""
    h = hashlib.sha256(settings_key.encode())
    for f in files:
        h.update(f"{f.relpath}\x00{f.module}\x00{digests.get(f.relpath, '')}\x00"
                 f"{unreadable.get(f.relpath, '')}\x01".encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _rules_fingerprint() -> str:
    h = hashlib.sha256()
    root = rules_dir()
    for path in sorted(root.rglob("*.toml")):
        h.update(path.relative_to(root).as_posix().encode() + b"\x00" + path.read_bytes())
    return h.hexdigest()


# Selecting this code extends the exposure rules to serials of objects (rules/IDL009.toml).
OBJECT_SERIALS = "IDL009"


def enabled_codes(config: Config, catalog: dict[str, RuleSpec]) -> frozenset[str]:
    if config.select:
        codes = expand_selectors(config.select, catalog)
    else:
        codes = {c for c, spec in catalog.items() if spec.enabled_by_default}
    codes |= expand_selectors(config.extend_select, catalog)
    codes -= expand_selectors(config.ignore, catalog)
    return frozenset(codes)


def _selected(finding: Finding, enabled: frozenset[str], config: Config) -> bool:
    if finding.code not in enabled:
        return False
    from idlint.config import codes_ignored_for

    ignored = codes_ignored_for(finding.location.path, config)
    return not any(finding.code.startswith(c.upper()) or c.upper() == "ALL" for c in ignored)


def _virtual_file(path: Path, config: Config) -> SourceFile:
    absolute = path if path.is_absolute() else Path.cwd() / path
    return source_file(absolute, Path(config.root))


_Job = tuple[str, str, bool, bytes, "tuple[Path, bytes, bool] | None"]


def _job(args: _Job) -> bytes:
    """Facts for one file, pickled; run in a worker process, which writes them to the cache
    (when there is one) itself, so the parent only unpickles."""
    relpath, module, is_package, source, cache_at = args
    result = analyse(source, relpath, module, is_package)
    data = cache_dumps(result)
    if cache_at is not None:
        _worker_cache(*cache_at).put_pickled(result, data, relpath, module)
    return data


_WorkItem = tuple[Literal["parse"], _Job] | tuple[Literal["locate"], "LocateRequest"]


def _work(item: _WorkItem) -> bytes:
    """What a worker does with an item: the facts of a file, or the positions of nodes."""
    if item[0] == "locate":
        return _locate_job(item[1])
    return _job(item[1])


def _warm_up() -> None:
    """Set up a parse worker: the scan's collection thresholds (see _fewer_collections), no
    validation of parsed nodes (see trust_parser), and the parse thread with its large stack
    started before the worker's memory limit."""
    gc.set_threshold(*_GC_THRESHOLDS)
    trust_parser()
    analyse(b"x = 1\n", "warm_up.py", "warm_up", False)


@functools.lru_cache(maxsize=4)
def _worker_cache(directory: Path, key: bytes, markers: bool) -> Cache:
    return Cache(directory, key, markers)


def _extract_all(files: list[SourceFile], sources: dict[str, bytes], digests: dict[str, str],
                 unreadable: dict[str, str], pool: Workers, cache: Cache | None,
                 timeout: float = 60.0,
                 progress: Callable[[int, int], None] | None = None,
                 memory_limit: int | None = None) -> list[FileResult]:
    """Facts for every file: from the cache when the content is unchanged, else parsed in
    worker processes that are killed past the time or memory limit."""
    results: dict[str, FileResult] = {}
    work: list[_Job] = []
    cache_at = (cache.directory, cache.key, cache.markers) if cache is not None else None
    for f in files:
        if f.relpath in unreadable:
            results[f.relpath] = FileResult(f.relpath, "", None,
                                            Failure("IDL902", unreadable[f.relpath]))
            continue
        source = sources[f.relpath]
        if cache is not None:
            hit = cache.get(digests[f.relpath], f.relpath, f.module)
            if hit is not None:
                results[f.relpath] = hit
                continue
        work.append((f.relpath, f.module, f.relpath.endswith("__init__.py"), source, cache_at))
    total = len(files)
    done = total - len(work)

    def advance(finished: int) -> None:
        if progress is not None:
            progress(done + finished, total)

    outcomes = pool.run([("parse", job) for job in work], timeout=timeout, progress=advance)
    for job, outcome in zip(work, outcomes, strict=True):
        relpath = job[0]
        results[relpath] = _unpickled(outcome, relpath, digests[relpath], timeout, memory_limit)
    return [results[f.relpath] for f in files if f.relpath in results]


def _unpickled(outcome: Outcome, relpath: str, dig: str, timeout: float,
               memory_limit: int | None) -> FileResult:
    if outcome.data is not None:
        result = pickle.loads(outcome.data)
        if isinstance(result, FileResult):
            return result
    if outcome.failure == "timeout":
        reason = (f"internal error: analysis took longer than {timeout:g} s (file-timeout); "
                  "the file was skipped")
    else:
        limit = f" ({memory_limit // _MIB} MiB, file-memory-limit)" if memory_limit else ""
        reason = (f"internal error: the analysis of this file ran out of memory{limit} or "
                  "crashed; the file was skipped")
    return FileResult(relpath, dig, None, Failure("IDL903", reason))


def _failure_findings(results: list[FileResult], catalog: dict[str, RuleSpec]) -> list[Finding]:
    out = []
    for r in results:
        if r.failure is None:
            continue
        spec = catalog[r.failure.code]
        loc = Location(r.path, r.failure.line, r.failure.column, r.failure.line,
                       r.failure.column)
        out.append(Finding(spec.code, spec.name, spec.severity, "high", loc,
                           f"File not analysed: {r.failure.reason}",
                           fingerprint=f"{spec.code}:{r.path}"))
    return out
