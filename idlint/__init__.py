"""idlint: finds internal serial numbers that reach clients raw, composed or only obfuscated."""

__version__ = "0.1.0"

from idlint.api import scan
from idlint.findings import Finding, Location, Report, TraceStep

__all__ = ["Finding", "Location", "Report", "TraceStep", "__version__", "scan"]
