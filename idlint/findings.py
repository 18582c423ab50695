"""The value types every part of idlint exchanges: locations, trace steps, findings, reports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A source range. Lines and columns are 1-based; the end column is exclusive."""

    path: str  # POSIX path relative to the scan root (or as given, if outside it)
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of a flow: where the serial came from, what changed it, where it left."""

    kind: str  # "source" | "transform" | "call" | "return" | "sink"
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Suppression:
    """An in-source `# idlint: ignore[...]` that matched a finding."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # e.g. "IDL001"
    name: str  # e.g. "serial-exposed"
    severity: str  # "error" | "warning" | "note"
    confidence: str  # "high" | "medium" | "low"
    location: Location
    message: str
    trace: tuple[TraceStep, ...] = ()
    fingerprint: str = ""
    suppression: Suppression | None = None
    # Whose serial an exposure finding carries: "person" or "object" (see rules/IDL009.toml);
    # empty for findings about client input and diagnostics.
    subject: str = ""
    # 0.1-10.0 (see idlint/severity.py); 0.0 for diagnostics, which have no security impact.
    security_severity: float = 0.0
    # One cause, several sinks: the finding sits where the serial is read and these are the
    # other sinks it reaches, each with its own trace (the finding's own trace is the first).
    more_sinks: tuple[tuple[TraceStep, ...], ...] = ()
    # First and last line of the statement that holds the finding: a suppression comment on
    # any of them applies. Not part of the finding's identity.
    statement_lines: tuple[int, int] = field(default=(0, 0), compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)


@dataclass(frozen=True, slots=True)
class FileFailure:
    """A file that could not be analysed; also reported as an IDL9xx finding."""

    path: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    findings: tuple[Finding, ...]  # sorted; suppressed findings included, marked
    files_scanned: int
    failures: tuple[FileFailure, ...] = ()
    root: str = "."  # absolute path that relative locations are relative to
    stats: dict[str, float] = field(default_factory=dict, compare=False)
    # Things the user should know that are not about a file: a cache that was not used, and
    # why (the CLI prints them on stderr).
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings that are not suppressed: these decide the exit code."""
        return tuple(f for f in self.findings if f.suppression is None)
