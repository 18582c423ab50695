"""Making attacker-controlled text (file names and source lines of the scanned repository)
safe to print: a control character reaching a terminal or a CI log can move the cursor,
rewrite earlier lines, or start a line that CI runners read as a command."""

from __future__ import annotations

# C0, DEL and C1 controls, the Unicode line and paragraph separators (which some viewers
# and str.splitlines treat as line breaks), and the bidirectional formatting characters,
# which make a terminal show text in another order than it has ("Trojan Source",
# CVE-2021-42574): a file name or a source line in a code frame would read as something else.
BIDI_CODES = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
CONTROL_CODES = frozenset([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029,
                           *BIDI_CODES])

_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _escape(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


_PRINTABLE = {code: _escape(code) for code in CONTROL_CODES}


def printable(text: str) -> str:
    """`text` with every control character shown as a backslash escape (`\\x1b`, `\\n`,
    `\\u2028`); other characters, backslashes included, are unchanged."""
    return text.translate(_PRINTABLE)
