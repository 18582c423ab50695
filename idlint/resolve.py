"""Turns solver flows into findings: locations, messages, traces and fingerprints."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace

from idlint.analysis.flows import EXPOSURE_CODES, template_line
from idlint.analysis.locate import NodeLocation, locate
from idlint.analysis.solve import Flow
from idlint.analysis.values import OWN_NOTE, RELATION_NOTE, NodeRef, Step
from idlint.catalog import CONFIDENCES, RuleSpec
from idlint.files import SourceFile
from idlint.findings import Finding, Location, TraceStep
from idlint.severity import level, score

MESSAGES = {
    "IDL001": "Serial {origin} reaches the client ({sink}) unprotected",
    "IDL002": "Serial {origin} is composed into an identifier that reaches the client ({sink});"
              " composition hides nothing",
    "IDL003": "Serial {origin} reaches the client ({sink}) only reversibly encoded by {how}",
    "IDL004": "Serial {origin} reaches the client ({sink}) only weakly protected by {how}",
    "IDL005": "Client input decrypted by {how} is sent back to the client ({sink}):"
              " a decryption oracle",
    "IDL006": "Personal field {origin} of a record selected by a client-chosen serial reaches"
              " the client ({sink})",
    "IDL007": "Serial {origin} identifies the same person in every context and reaches the"
              " client ({sink}) in an anonymous context",
    "IDL008": "Serial {origin} is placed in a URL ({sink})",
}


def message_for(flow: Flow) -> str:
    names = ", ".join(f"`{o}`" for o in flow.origin.split(", "))
    text = MESSAGES[flow.code]
    if ", " in flow.origin:
        text = text.replace("Serial {origin} reaches", "Serials {origin} reach").replace(
            "Serial {origin} is", "Serials {origin} are")
    how = flow.how or "a transform"
    if flow.code == "IDL005":
        names = flow.origin.removeprefix("client:")
        # the transform's own words ("(decryption)") repeat what the message says
        how = how.removesuffix(" (decryption)").removesuffix(" (decoding)")
        if flow.readable:
            text = ("Client input decoded by {how} is sent back to the client ({sink}): an"
                    " oracle of a value the client could read without the server")
    return text.format(origin=names, sink=flow.sink_what, how=how)


# What locating the nodes of one file needs: source, path, module, is_package, node indices.
LocateRequest = tuple[bytes, str, str, bool, frozenset[int]]


def locate_serially(requests: list[LocateRequest]) -> dict[str, dict[int, NodeLocation]]:
    return {r[1]: locate(*r) for r in requests}


def _own(flow: Flow, others_see: frozenset[str]) -> bool:
    """The requesting user's own serial, shown only to them: not in an anonymous context
    (IDL007 is about what others see) and not through a sink that reaches others."""
    return bool(flow.steps) and flow.steps[0].message.endswith(OWN_NOTE) and \
        flow.code != "IDL007" and flow.sink_what not in others_see


def _relation(flow: Flow, others_see: frozenset[str]) -> bool:
    """A person's foreign key rendered with the object record that refers to them (marked on
    the sink step where the representation is declared): raw, not in an anonymous context
    (that is IDL007) and not through a sink that reaches others."""
    return bool(flow.steps) and flow.steps[-1].message.endswith(RELATION_NOTE) and \
        flow.code == "IDL001" and flow.sink_what not in others_see


def _joined_steps(group: list[Flow]) -> tuple[Step, ...]:
    """One trace for several serials that reach a sink as one finding: the first flow's
    steps, with each other serial's own steps (from where it is read to where it joins that
    path) placed before the step where it joins, so that every serial's source is shown."""
    steps = list(group[0].steps)
    shown = set(steps)
    for other in group[1:]:
        if other.origin == group[0].origin:
            continue
        own: list[Step] = []
        for step in other.steps:
            if step in shown:
                break
            own.append(step)
        else:  # it joins at no step: its own path up to the common sink
            own = own[:-1]
        if not own:
            continue
        joined = other.steps[len(own)] if len(own) < len(other.steps) else steps[-1]
        at = steps.index(joined) if joined in shown else len(steps) - 1
        steps[at:at] = own
        shown.update(own)
    return tuple(steps)


def build_findings(
    flows: list[Flow],
    catalog: Mapping[str, RuleSpec],
    files: Mapping[str, SourceFile],
    read: Callable[[str], bytes | None],
    locate_many: Callable[[list[LocateRequest]], dict[str, dict[int, NodeLocation]]] =
        locate_serially,
    others_see: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Findings from flows; `others_see` names the sinks (by description) that reach people
    other than the requesting user, where a user's own serial still matters."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for flow in flows:
        wanted[flow.sink_at.path].add(flow.sink_at.node)
        for step in (*flow.steps, *(s for steps in flow.others for s in steps)):
            wanted[step.at.path].add(step.at.node)
    requests: list[LocateRequest] = []
    lines: dict[str, list[str]] = {}
    for path in sorted(wanted):
        source = read(path)
        f = files.get(path)
        if source is None or f is None:
            continue
        requests.append((source, path, f.module, path.endswith("__init__.py"),
                         frozenset(wanted[path])))
        lines[path] = source.decode("utf-8", "replace").splitlines()
    located = locate_many(requests)

    def loc(ref: NodeRef) -> tuple[Location, NodeLocation | None]:
        nl = located.get(ref.path, {}).get(ref.node)
        if nl is None:
            return Location(ref.path, 1, 1, 1, 1), None
        return Location(ref.path, nl.line, nl.column, nl.end_line, nl.end_column), nl

    def located_steps(steps: tuple[Step, ...]) -> tuple[TraceStep, ...]:
        return tuple(TraceStep(s.kind, loc(s.at)[0], s.message) for s in steps)

    # Several serials composed into one value reach a sink as one flow for the user:
    # `f"{room.id}:{member.id}"` is one finding that names both; serials that reach a shared
    # helper's sink through different calls of it are not composed with each other (each
    # is reported with its own cause, below; client input is reported by its sink).
    merged: dict[tuple[str, NodeRef, NodeRef | None], list[Flow]] = defaultdict(list)
    for flow in flows:
        entered = flow.entered if flow.code in EXPOSURE_CODES else None
        merged[(flow.code, flow.sink_at, entered)].append(flow)
    prepared: list[tuple[Flow, list[Flow]]] = []
    for _, group in sorted(merged.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                            kv[0][2] or NodeRef("", -1))):
        # The trace follows a person's serial when one is among them: the finding is
        # reported as a person's, so its trace shows that flow.
        group.sort(key=lambda f: (f.subject != "person", len(f.steps), f.origin))
        flow = group[0]
        origins = sorted({f.origin for f in group})
        if len(origins) > 1:
            flow = replace(flow, origin=", ".join(origins), steps=_joined_steps(group))
        if any(f.subject == "person" for f in group):
            flow = replace(flow, subject="person")
        prepared.append((flow, group))
    # One cause, one finding: a serial read at one place (a helper's `{"id": u.id}`) that
    # reaches several sinks is reported once where it is read, which is where a fix clears
    # every sink; the sinks are listed with the finding.
    causes: dict[tuple, list[tuple[Flow, list[Flow]]]] = defaultdict(list)
    for flow, group in prepared:
        first = flow.steps[0] if flow.steps else None
        printed = template_line(flow.sink_what)
        cause_key: tuple
        if printed is not None and flow.code in EXPOSURE_CODES:
            # a template line that prints the serial, whichever views render it
            cause_key = (flow.code, printed, flow.origin)
        elif first is not None and first.kind == "source" and flow.code in EXPOSURE_CODES:
            cause_key = (flow.code, first.at, first.message, flow.origin)
        else:
            cause_key = (flow.code, flow.sink_at)
        causes[cause_key].append((flow, group))
    findings: list[Finding] = []
    seen: dict[tuple[str, ...], int] = defaultdict(int)
    for cause in causes.values():
        flow, group = cause[0]
        spec = catalog[flow.code]
        location, nl = loc(flow.sink_at)
        trace = located_steps(flow.steps)
        more: tuple[tuple[TraceStep, ...], ...] = ()
        message = message_for(flow)
        # the other ways each flow's serial entered a shared helper holding its sink
        other_ways = tuple(located_steps(steps)
                           for _, g in cause for member in g for steps in member.others)
        if len(cause) > 1:
            location, nl = loc(flow.steps[0].at)
            more = tuple(located_steps(f.steps) for f, _ in cause[1:])
            # (the same sink reached through other calls of a shared helper is no more sinks)
            n = len({f.sink_at for f, _ in cause}) - 1
            if n:
                message += f"; and {n} more sink{'s' if n > 1 else ''}"
            group = [f for _, g in cause for f in g]
            flow = replace(flow, confidence=min(  # the surest of them (CONFIDENCES: high first)
                (f.confidence for f, _ in cause), key=CONFIDENCES.index))
        more += other_ways
        text = ""
        file_lines = lines.get(location.path, [])
        if 0 < location.line <= len(file_lines):
            text = " ".join(file_lines[location.line - 1].split())
        key = (flow.code, location.path, flow.function, flow.origin, text)
        seen[key] += 1
        fingerprint = hashlib.sha256(
            "\x1f".join((*key, str(seen[key]))).encode()
        ).hexdigest()[:32]
        value = score(spec.security_severity, flow.subject, flow.confidence,
                      own=all(_own(f, others_see) for f in group),
                      object_score=catalog["IDL009"].security_severity
                      if "IDL009" in catalog else 3.1,
                      # each serial the user's own or referred to by the record shown
                      relation=all(_own(f, others_see) or _relation(f, others_see)
                                   for f in group),
                      readable=all(f.readable for f in group))
        findings.append(Finding(
            code=flow.code, name=spec.name, severity=level(value),
            security_severity=value, confidence=flow.confidence,
            location=location, message=message, trace=trace, more_sinks=more,
            fingerprint=fingerprint, subject=flow.subject,
            statement_lines=(nl.stmt_first, nl.stmt_last) if nl else (location.line,
                                                                      location.line),
        ))
    return findings
