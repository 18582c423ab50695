"""What the solve computes and keeps between runs: function summaries (where each parameter
goes, what a function returns) and flows, the serials that reach a client, with the one rule
each flow is reported under."""

from __future__ import annotations

import operator
from dataclasses import dataclass

from idlint.analysis.compact import Compact
from idlint.analysis.values import (
    COMPOSITE,
    EMPTY,
    ENCODED,
    PSEUDONYM,
    RAW,
    RULE_OF_LABEL,
    WEAK,
    NodeRef,
    Step,
    Taint,
    Value,
    kind_of,
)

LABEL_WORDS = {
    RAW: "raw",
    COMPOSITE: "composed into an identifier",
    ENCODED: "only reversibly encoded",
    WEAK: "only weakly protected",
}


@dataclass(frozen=True, slots=True, order=True)
class ParamSink(Compact):
    param: int
    label: int
    how: str
    steps: tuple[Step, ...]  # from the parameter to the sink, sink step last
    sink_at: NodeRef
    sink_what: str
    function: str
    anonymous: bool = False  # the sink sits in an anonymous context
    in_url: bool = False
    field: str = ""  # what the parameter's field holds reaches it (Taint.param_field)


@dataclass(frozen=True, slots=True, order=True)
class ParamStore(Compact):
    """The parameter is stored on an attribute of a project class (`self.url = url` in a
    constructor, a dataclass built with it), with what the function did to it on the way."""
    param: int
    cls: str
    attr: str
    label: int = 0
    how: str = ""
    steps: tuple[Step, ...] = ()
    in_url: bool = False
    field: str = ""  # what the parameter's field holds is stored (Taint.param_field)


# What tells two parameter sinks or stores apart: every field but the trace (and, for a
# store, what was done to it on the way), those added later included.
_SINK_KEY = operator.attrgetter(*(f for f in ParamSink.__slots__ if f != "steps"))
_STORE_KEY = operator.attrgetter(*(f for f in ParamStore.__slots__
                                   if f not in ("steps", "how")))


def shortest_stores(stores: set[ParamStore] | frozenset[ParamStore]) -> frozenset[ParamStore]:
    """One store per (parameter, class, attribute, label, in a URL or not): the one with the
    shortest trace, as `normalize` keeps taints. The steps are what a finding shows, not what
    the store is: a recursive function passing its parameter on to itself through several
    calls (`cleanse(k, v)` for each item of a dict, a list, a tuple) otherwise gained a store
    per path each time it was evaluated, without end."""
    best: dict[tuple, ParamStore] = {}
    for st in stores:
        key = _STORE_KEY(st)
        cur = best.get(key)
        if cur is None or (len(st.steps), st) < (len(cur.steps), cur):
            best[key] = st
    return frozenset(best.values())


def shortest_sinks(sinks: set[ParamSink]) -> frozenset[ParamSink]:
    """One parameter sink per everything but its trace: the one with the shortest trace (see
    shortest_stores). A recursive function that passes its parameter to itself
    (`resolve(value)` for each item of `value`) otherwise gained a sink one step longer at
    each evaluation, and its callers were evaluated again each time, to the wave limit."""
    best: dict[tuple, ParamSink] = {}
    for ps in sinks:
        key = _SINK_KEY(ps)
        cur = best.get(key)
        if cur is None or (len(ps.steps), ps) < (len(cur.steps), cur):
            best[key] = ps
    return frozenset(best.values())


@dataclass(frozen=True, slots=True)
class Summary(Compact):
    ret: Value = EMPTY
    param_sinks: frozenset[ParamSink] = frozenset()
    # the parameters stored on attributes (`self.url = url` in a constructor or a builder
    # method)
    param_stores: frozenset[ParamStore] = frozenset()
    # serials in the exceptions it raises, or that functions it calls raise (carried to the
    # raise): a GraphQL resolver that calls it sends them to the client
    raised: frozenset[Taint] = frozenset()
    # For a function that defines functions: its variables, which those read as closures
    # (`m = ...` then `def pack(): return {"id": m.id}`), by name
    closure: tuple[tuple[str, Value], ...] = ()


@dataclass(frozen=True, slots=True)
class Flow(Compact):
    """A serial that reaches a sink: one finding once locations are resolved."""

    code: str
    origin: str
    confidence: str
    how: str
    sink_what: str
    sink_at: NodeRef
    steps: tuple[Step, ...]
    function: str  # qualified name of the function holding the sink
    # Whose serial: "person" (a person model's key or a foreign key to one), "object" (any
    # other model's serial), "" for rules about client input (IDL005, IDL006).
    subject: str = ""
    # IDL005: what was decoded was readable by the client anyway (base64, a signed or JWT
    # payload, a relay id): the oracle gives away nothing the client could not decode itself.
    readable: bool = False
    # The call through which the serial entered the function holding the sink (a shared
    # helper's parameter), None when that function read it itself: serials that reach one
    # sink of a helper through different calls are different findings, not one composed
    # identifier (see resolve.build_findings).
    entered: NodeRef | None = None
    # The other ways the same serial reaches the same sink under the same rule, each
    # entering a shared helper through another call of it (see FlowKey): one finding, as
    # before, whose traces show each caller (set once the solve is done).
    others: tuple[tuple[Step, ...], ...] = ()


EXPOSURE_CODES = frozenset({"IDL001", "IDL002", "IDL003", "IDL004", "IDL007", "IDL008"})

# What tells flows apart when the solve keeps the shortest of each: the rule, the sink, the
# serial and, for an exposure, the call through which it entered a shared helper holding the
# sink. Two callers that each send a serial into one helper's sink (an e-mail helper's
# template context) are reported as one finding (the first three), but keeping only the
# shorter lost the other caller's trace, often the one a reader looks for.
FlowKey = tuple[str, NodeRef, str, NodeRef | None]
MAX_OTHER_WAYS = 5  # traces kept per flow besides its own (a helper called from everywhere)


def flow_key(flow: Flow) -> FlowKey:
    entered = flow.entered if flow.code in EXPOSURE_CODES else None
    return (flow.code, flow.sink_at, flow.origin, entered)


def template_sink(template: str, line: int) -> str:
    """The sink of a serial a template prints: the template's line, not the render call
    that fills it (see template_line)."""
    return f"template `{template}` line {line}"


def template_line(sink_what: str) -> str | None:
    """The template line a sink names (template_sink), or None: one line of a template
    rendered by several views is one cause, fixed in the template."""
    return sink_what if sink_what.startswith("template `") and " line " in sink_what \
        else None


def subject_of(code: str, origin: str, object_origins: frozenset[str]) -> str:
    """Whose serial an exposure flow carries; a serial of no known model counts as a
    person's, so that what idlint cannot place is still reported."""
    if code not in EXPOSURE_CODES:
        return ""
    return "object" if origin in object_origins else "person"


def rule_for(label: int, anonymous: bool, in_url: bool) -> str | None:
    """The one rule a flow is reported under: the most specific that applies."""
    label = max(label, RAW) if kind_of(label) in ("serial", "any") else label
    if label == PSEUDONYM and not anonymous:
        return None  # a keyed pseudonym is fine outside anonymous contexts
    if anonymous and label in (RAW, PSEUDONYM):
        # Composed, encoded and hashed serials keep their own, more specific rule there.
        return "IDL007"
    if in_url and label == RAW:
        return "IDL008"
    return RULE_OF_LABEL.get(label)


def shorter(steps: tuple[Step, ...], other: tuple[Step, ...]) -> bool:
    """The trace kept when several reach one place: the shortest, then the first in order,
    so the choice does not depend on the order code is evaluated in."""
    return (len(steps), steps) < (len(other), other)
