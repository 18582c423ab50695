"""idlint: finds internal serial numbers that reach clients raw, composed or only obfuscated."""

from __future__ import annotations

from typing import Any

from idlint.findings import Finding, Location, Report, TraceStep

__version__ = "0.1.0"

__all__ = ["Finding", "Location", "Report", "TraceStep", "__version__", "scan"]


def __getattr__(name: str) -> Any:
    # `idlint.scan` is loaded on first use so that worker processes and `--version` stay light.
    if name == "scan":
        from idlint.api import scan

        return scan
    raise AttributeError(name)
