"""How serious a finding is: a CVSS-like score from whose serial it is, how it is protected
(the rule), who sees it and how sure idlint is; the level and band follow from the score.

The bands are GitHub code scanning's, so `--min-severity high` keeps what GitHub shows as
high or critical."""

from __future__ import annotations

BANDS = ("low", "medium", "high", "critical")
_BAND_FLOOR = {"low": 0.0, "medium": 4.0, "high": 7.0, "critical": 9.0}

# idlint is less sure of a flow through code it cannot see or a guessed type.
_CONFIDENCE_PENALTY = {"high": 0.0, "medium": 0.5, "low": 1.5}
# A user's own serial shown to that user (`/me`) tells them nothing new.
OWN_SERIAL_CAP = 2.0
# A person's key rendered with the object record that refers to them (a task's `owner`, the
# ids of its watchers, a membership's `user`): whoever may see the task may see who owns and
# watches it, but not their serial, the key that joins them to every other record and lookup
# of theirs (a public project's members, a public photo's owner). A medium warning, reported
# by default, below a person's own representation (an error): idlint does not know who may
# see the record.
RELATION_CAP = 4.5
# An oracle that decodes what the client could read anyway (base64, a signed but readable
# payload, a JWT, a relay id) saves them a step, nothing more: the plaintext was never hidden.
READABLE_ORACLE_CAP = 3.0


def score(rule_score: float, subject: str, confidence: str, own: bool = False,
          object_score: float = 3.1, relation: bool = False,
          readable: bool = False) -> float:
    """The finding's security severity from 0.1 to 10.0. `rule_score` is the rule's, which
    states the protection (raw, composed, encoded, hashed, in a URL); an object's serial is
    scored no higher than `object_score` (IDL009's)."""
    value = rule_score - _CONFIDENCE_PENALTY.get(confidence, 0.0)
    if subject == "object":
        value = min(value, object_score)
    if relation:
        value = min(value, RELATION_CAP)
    if readable:
        value = min(value, READABLE_ORACLE_CAP)
    if own:
        value = min(value, OWN_SERIAL_CAP)
    return round(max(0.1, min(10.0, value)), 1)


def band(value: float) -> str:
    """GitHub's name for a security severity: low, medium, high or critical."""
    return next(b for b in reversed(BANDS) if value >= _BAND_FLOOR[b])


def level(value: float) -> str:
    """The SARIF level: a finding a reviewer must act on is an error; one to look at is a
    warning; the rest (objects' serials, a user's own) are notes."""
    if value >= 6.0:
        return "error"
    return "warning" if value >= 4.0 else "note"


def at_least(value: float, minimum: str) -> bool:
    return value >= _BAND_FLOOR[minimum]
