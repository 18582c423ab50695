"""The `idlint` command: parses options, calls `idlint.scan`, renders the report."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # rich is imported only when a bar is shown
    from rich.progress import Progress, TaskID

from idlint import __version__
from idlint.severity import BANDS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")


class _DefaultGroup(click.Group):
    """`idlint PATHS...` means `idlint check PATHS...`; `rules` and `explain` are commands.
    (To scan a directory called `rules`, write `idlint ./rules`.)"""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in
                        ("--version", "--help", "-h")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _fail(message: str) -> None:
    from idlint.report.escape import printable

    # Messages quote paths and file contents of the scanned repository: no control character
    # of theirs reaches the terminal, and the message stays on this one line.
    click.echo(f"idlint: error: {printable(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _warn(message: str) -> None:
    from idlint.report.escape import printable

    click.echo(f"idlint: warning: {printable(message)}", err=True)


def _write(path: str | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from idlint.safeio import write_atomic

    try:
        # A report or baseline is the user's file like any other: the mode of the file it
        # replaces, else what the umask gives, not the private mode of the temporary file.
        write_atomic(Path(path), text, usual_mode=True)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="idlint", message="%(prog)s %(version)s")
def main() -> None:
    """idlint finds internal serial numbers (auto-increment IDs, primary and foreign keys)
    that reach clients raw, composed into other IDs, or only obfuscated."""


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (or ALL); "
              "replaces the configured selection.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable too.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read settings from this TOML file instead of the nearest pyproject.toml.")
@click.option("--isolated", is_flag=True,
              help="Ignore the settings files and .gitignore files of the scanned tree: "
                   "default settings and these options only.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing (default: CPU count).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              envvar="IDLINT_CACHE_DIR", show_envvar=True,
              help="Keep the cache in DIR instead of .idlint_cache at the project root.")
@click.option("--stdin-filename", default=None,
              help="Read the source of this file from standard input.")
@click.option("--sarif-category", default=None,
              help="automationDetails.id for SARIF (one per analysis in code scanning).")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Hide findings recorded in this baseline file; report stale entries.")
@click.option("--write-baseline", "write_baseline", type=click.Path(path_type=Path,
              dir_okay=False), help="Record the current findings in FILE and exit 0.")
@click.option("--diff", "diff_ref", default=None, metavar="REF",
              help="Report only findings whose sink or trace touches lines changed since the "
                   "git ref REF (the whole project is still analysed).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing for a clean text report.")
@click.option("--min-severity", type=click.Choice(BANDS), default=None,
              help="Report only findings of this severity band or above (default: medium; "
                   "low when IDL009 is selected).")
def check(paths: tuple[Path, ...], fmt: str, output: str | None, select: tuple[str, ...],
          extend_select: tuple[str, ...], ignore: tuple[str, ...], exit_zero: bool,
          config_file: Path | None, isolated: bool, jobs: int | None, no_cache: bool,
          cache_dir: Path | None, stdin_filename: str | None, sarif_category: str | None,
          baseline_file: Path | None, write_baseline: Path | None, diff_ref: str | None,
          quiet: bool, min_severity: str | None) -> None:
    """Scan PATHS (default: the current directory) and report findings."""
    # SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so atomic writes remove their
    # temporary files and no partial report, baseline or cache entry is left behind.
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        _check(paths, fmt, output, select, extend_select, ignore, exit_zero, config_file,
               isolated, jobs, no_cache, cache_dir, stdin_filename, sarif_category, baseline_file,
               write_baseline, diff_ref, quiet, min_severity)
    except _Terminated:
        click.echo("idlint: terminated", err=True)
        sys.exit(128 + signal.SIGTERM)
    except KeyboardInterrupt:
        click.echo("idlint: interrupted", err=True)
        sys.exit(128 + signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Terminated(KeyboardInterrupt):
    pass


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _check(paths: tuple[Path, ...], fmt: str, output: str | None, select: tuple[str, ...],
           extend_select: tuple[str, ...], ignore: tuple[str, ...], exit_zero: bool,
           config_file: Path | None, isolated: bool, jobs: int | None, no_cache: bool,
           cache_dir: Path | None, stdin_filename: str | None, sarif_category: str | None,
           baseline_file: Path | None, write_baseline: Path | None, diff_ref: str | None,
           quiet: bool, min_severity: str | None) -> None:
    from idlint.api import scan
    from idlint.catalog import CatalogError, load_catalog
    from idlint.config import ConfigError, load_config
    from idlint.files import DiscoveryError
    from idlint.knowledge import KnowledgeError

    try:
        config_paths = list(paths) or ([Path(stdin_filename)] if stdin_filename else [Path(".")])
        if isolated and config_file is not None:
            raise ConfigError("--isolated and --config cannot be used together")
        config = load_config(config_paths, config_file, isolated)
        config = dataclasses.replace(
            config,
            select=_split(select) or config.select,
            extend_select=config.extend_select + _split(extend_select),
            ignore=config.ignore + _split(ignore),
            cache_dir=cache_dir.resolve() if cache_dir is not None else config.cache_dir,
        )
        stdin = None
        scan_paths: list[Path] = list(paths)
        if stdin_filename is not None:
            stdin = (stdin_filename, sys.stdin.buffer.read())
        elif not scan_paths:
            scan_paths = [Path(".")]
        with _progress_bar() as progress:
            report = scan(scan_paths, config, stdin=stdin, jobs=jobs, use_cache=not no_cache,
                          progress=progress)
        catalog = load_catalog()
        for notice in report.notices:
            _warn(notice)
    except (ConfigError, DiscoveryError, CatalogError, KnowledgeError) as exc:
        _fail(str(exc))
        return
    except Exception as exc:  # pragma: no cover - the last line of defence
        _fail(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return
    from idlint.api import OBJECT_SERIALS, enabled_codes

    report = _at_least(report, catalog, min_severity or config.min_severity or (
        "low" if OBJECT_SERIALS in enabled_codes(config, catalog) else "medium"))
    if stdin_filename is not None:
        report = _only_stdin_file(report, stdin_filename, config.root)
    if diff_ref is not None:
        from idlint.diffmode import DiffError, changed_lines, only_changed

        try:
            report = only_changed(report, changed_lines(Path(config.root), diff_ref))
        except DiffError as exc:
            _fail(str(exc))
            return
    if write_baseline is not None:
        from idlint.baseline import baseline_text

        _write(str(write_baseline), baseline_text(report))
        click.echo(f"idlint: wrote {len(report.active)} findings to {write_baseline}", err=True)
        sys.exit(EXIT_CLEAN)
    if baseline_file is not None:
        from idlint.baseline import BaselineError, apply_baseline, load_baseline

        try:
            report, hidden, stale = apply_baseline(report, load_baseline(baseline_file))
        except BaselineError as exc:
            _fail(str(exc))
            return
        if hidden or stale:
            click.echo(f"idlint: {hidden} findings hidden by the baseline; {stale} baseline "
                       "entries no longer match (fixed: regenerate the baseline)", err=True)
    try:
        _render(report, catalog, fmt, output, quiet, sarif_category, stdin)
    except Exception as exc:  # pragma: no cover - the last line of defence
        _fail(f"internal error while writing the report: {type(exc).__name__}: {exc}")
    sys.exit(EXIT_CLEAN if exit_zero or not report.active else EXIT_FINDINGS)


def _render(report, catalog, fmt: str, output: str | None, quiet: bool,  # type: ignore[no-untyped-def]
            sarif_category: str | None, stdin: tuple[str, bytes] | None = None) -> None:
    if fmt == "text":
        _render_text(report, catalog, output, quiet, stdin)
    elif fmt == "json":
        from idlint.report.json_format import render_json

        _write(output, render_json(report, catalog))
    elif fmt == "sarif":
        from idlint.report.sarif import render_sarif

        text, cut = render_sarif(report, catalog, category=sarif_category)
        if cut:
            click.echo(f"idlint: SARIF limited to 25,000 results; {cut} left out", err=True)
        _write(output, text)
    else:
        from idlint.report.github import render_github

        _write(output, render_github(report, catalog))


class _progress_bar:
    """A progress bar on stderr, only when stderr is a terminal and the scan is long."""

    MIN_FILES = 200

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not sys.stderr.isatty() or os.environ.get("CI"):
            return None
        return self._update

    def _update(self, done: int, total: int) -> None:
        if total < self.MIN_FILES:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("parsing", total=total)
        if self._task is not None:
            self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _stdin_relpath(stdin_filename: str, root: str | Path) -> str:
    """The path findings in the --stdin-filename file carry (as the scan names it)."""
    from idlint.files import relpath

    return relpath(Path(stdin_filename).absolute(), Path(root))


def _at_least(report, catalog, minimum: str):  # type: ignore[no-untyped-def]
    """Findings of the band `minimum` or above; diagnostics about the scan always stay."""
    from idlint.severity import at_least

    kept = tuple(f for f in report.findings if at_least(f.security_severity, minimum) or (
        f.code in catalog and catalog[f.code].is_diagnostic))
    return dataclasses.replace(report, findings=kept)


def _only_stdin_file(report, stdin_filename: str, root: str | Path):  # type: ignore[no-untyped-def]
    rel = _stdin_relpath(stdin_filename, root)
    kept = tuple(f for f in report.findings if f.location.path == rel)
    return dataclasses.replace(report, findings=kept)


def _decode_source(data: bytes) -> str:
    """Decode like the analyser (BOM, coding cookie, UTF-8), so frame columns match; bytes it
    could not decode still get a frame."""
    from idlint.analysis.perfile import decode

    try:
        return decode(data)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


def _render_text(report, catalog, output: str | None, quiet: bool,  # type: ignore[no-untyped-def]
                 stdin: tuple[str, bytes] | None = None) -> None:
    import io

    from rich.console import Console

    from idlint.files import read_source as read_file
    from idlint.report.text import render_text
    from idlint.safeio import UnsafeFileError

    if quiet and not report.active:
        return
    root = Path(report.root)
    # The file given by --stdin-filename was analysed as read from standard input: its frame
    # shows that text, not what is on disk (an editor's unsaved buffer).
    stdin_path = _stdin_relpath(stdin[0], root) if stdin is not None else None

    def read_source(path: str) -> str | None:
        if stdin is not None and path == stdin_path:
            return _decode_source(stdin[1])
        p = Path(path)
        p = p if p.is_absolute() else root / p
        if p.resolve() != p.absolute() and not p.resolve().is_relative_to(root.resolve()):
            return None  # a symlink out of the project: the scan refused to read it too
        try:
            return _decode_source(read_file(p))
        except (OSError, UnsafeFileError):
            return None

    if output is None:
        # Console decides on colour itself: only on a terminal, never with NO_COLOR set.
        console = Console(highlight=False, soft_wrap=False)
        render_text(report, catalog, console, read_source)
        return
    buf = io.StringIO()
    console = Console(file=buf, highlight=False, color_system=None, force_terminal=False,
                      width=120)
    render_text(report, catalog, console, read_source)
    _write(output, buf.getvalue())


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule with its code, name, default state and summary."""
    from idlint.catalog import load_catalog

    catalog = load_catalog()
    if fmt == "json":
        import json

        data = [{"code": s.code, "name": s.name, "summary": s.summary, "severity": s.severity,
                 "default": s.enabled_by_default, "cwe": list(s.cwe)} for s in catalog.values()]
        click.echo(json.dumps(data, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="idlint rules", show_lines=False)
    for col in ("code", "name", "default", "severity", "summary"):
        table.add_column(col, overflow="fold")
    for s in catalog.values():
        table.add_row(s.code, s.name, "on" if s.enabled_by_default else "off", s.severity,
                      s.summary)
    Console(highlight=False).print(table)


@main.command("explain")
@click.argument("code")
def explain_cmd(code: str) -> None:
    """Show the documentation of one rule, e.g. `idlint explain IDL003`."""
    from idlint.catalog import load_catalog

    catalog = load_catalog()
    spec = catalog.get(code.strip().upper())
    if spec is None:
        _fail(f"unknown rule code: {code!r} (see `idlint rules`)")
        return
    text = spec.markdown()
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
