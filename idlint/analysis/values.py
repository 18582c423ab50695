"""Abstract values of the dataflow solver: what a variable may hold (types) and which serials,
in which protection state, it carries (taints)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from idlint.analysis.compact import Compact

# Protection labels, ordered: a later transform never lowers the label of a flow.
# Serials climb RAW..PSEUDONYM; client input is CLIENT until decoded: DECODED when the client
# could read it anyway (base64, a signed or JWT payload, a relay id), DECRYPTED when the
# plaintext was hidden from them (a cipher, a salted hashids); personal fields of a record the
# client selected are PII. The kinds never mix: a transform only
# moves a taint within its own kind (see Taint.transformed).
SAME = 0  # only on symbolic parameter taints: "whatever the argument was"
RAW = 1
COMPOSITE = 2
ENCODED = 3
WEAK = 4
PSEUDONYM = 5  # keyed, so safe in general, but one value per person across contexts
CLIENT = 10
DECODED = 11
DECRYPTED = 12
PII = 20
LABEL_OF = {"keep": SAME, "composite": COMPOSITE, "encoded": ENCODED, "weak": WEAK,
            "decode": DECODED, "decrypt": DECRYPTED}
RULE_OF_LABEL = {RAW: "IDL001", COMPOSITE: "IDL002", ENCODED: "IDL003", WEAK: "IDL004",
                 PSEUDONYM: "IDL007", DECODED: "IDL005", DECRYPTED: "IDL005",
                 PII: "IDL006"}


def kind_of(label: int) -> str:
    if label >= PII:
        return "pii"
    if label >= CLIENT:
        return "client"
    return "serial" if label > SAME else "any"

MAX_TAINTS = 12  # per value; keeps pathological code from blowing up the solve


class NodeRef(NamedTuple):
    """An expression: the file and the extractor's number of the node. A tuple, not a
    dataclass: node references are hashed and compared in every set of taints and at every
    expression evaluated, and a tuple does both without a call into Python code."""

    path: str
    node: int


@dataclass(frozen=True, slots=True, order=True)
class Step(Compact):
    kind: str  # "source" | "transform" | "call" | "return" | "sink"
    at: NodeRef
    message: str


@dataclass(frozen=True, slots=True, order=True)
class Taint(Compact):
    """A serial (or, symbolically, a parameter) flowing through the program.

    `origin` is "Member.id" for a serial, "param:N" for the function's N-th parameter while
    a summary is computed. `at` is the narrowest expression that carries the taint within the
    expression being evaluated: the finding's location when it hits a sink."""

    origin: str
    label: int
    confidence: str
    how: str  # the transform that decided the label, for the message
    # Not hashed: taints are hashed into a set at almost every expression, and the trace
    # (a Step and a NodeRef per step) was most of that cost. Taints that differ only in
    # their trace are few in one value (normalize keeps the shortest per carrier).
    steps: tuple[Step, ...] = field(hash=False)
    at: NodeRef | None = None
    in_url: bool = False  # placed in a URL on the way (IDL008 when still raw)
    # On an object a project class's constructor built (see BUILT): the fields that hold
    # this serial ("a|b" when several do: `normalize` joins them, so that an object counts
    # its taints as any value does), so that a read of one field does not see what the
    # others hold. Moving the object keeps it; anything computed from the object (a
    # transform, a library call) is no longer the object, and its taints have none.
    field: str = ""

    @property
    def param(self) -> int | None:
        # (asked of most taints at most expressions: operators, not method calls, where
        # they will do)
        origin = self.origin
        if not origin.startswith("param:"):
            return None
        return int(origin[6:]) if "." not in origin else int(origin[6:origin.index(".")])

    @property
    def param_field(self) -> str:
        """"x" for a symbolic `param:0.x`: what field `x` of the parameter holds (a read of
        `self.x` in a method of a built class, see BUILT); "" for a parameter itself."""
        origin = self.origin
        if "." not in origin or not origin.startswith("param:"):
            return ""
        return origin[origin.index(".") + 1:]

    def moved(self, at: NodeRef | None) -> Taint:
        # (the constructor, not dataclasses.replace: every expression evaluated moves the
        # taints it carries, and replace costs several times more)
        if at == self.at:
            return self
        return Taint(self.origin, self.label, self.confidence, self.how, self.steps, at,
                     self.in_url, self.field)

    def holds(self, field: str) -> bool:
        """Whether an object's field `field` holds this taint (see `field`)."""
        return field == self.field or (field in self.field.split("|") if self.field else False)

    def held(self, field: str) -> Taint:
        """This taint as held by (field != "") or read from (field == "") an object's field."""
        if field == self.field:
            return self
        return Taint(self.origin, self.label, self.confidence, self.how, self.steps, self.at,
                     self.in_url, field)

    def transformed(self, label: int, how: str, step: Step | None, at: NodeRef | None,
                    in_url: bool = False) -> Taint:
        new_label, new_how = self.label, self.how
        if label > self.label and applies(label, self.label):
            new_label, new_how = label, how
        elif not applies(label, self.label):
            step = None
        steps = (*self.steps, step) if step is not None else self.steps
        return Taint(self.origin, new_label, self.confidence, new_how, steps, at,
                     self.in_url or in_url)


def applies(new: int, current: int) -> bool:
    """Whether a transform producing `new` changes a taint that is `current`: encodings act on
    serials, decoding on client input; a symbolic parameter (SAME) takes any."""
    if current == SAME:
        return True
    if new in (DECODED, DECRYPTED):
        return kind_of(current) == "client"
    return kind_of(current) == "serial" and new < CLIENT


def combine(actual: int, callee: int) -> int:
    """The label of an argument that went through a callee which applied `callee`."""
    if callee == SAME or not applies(callee, actual):
        return actual
    return max(actual, callee)


# A type is a (kind, qualified name) pair:
#   ("instance", C) ("class", C) ("collection", C) for models and project classes,
#   ("func", F) for project functions, ("ext", Q) for anything outside the project
#   (a library class, its instances, module attributes), ("response", Q) for response objects,
#   ("literal_key", Q) marks an object built from a key written in the source.
Type = tuple[str, str]
# A type ("own", "Model"): the record of the logged-in user; a serial read from it is marked
# with OWN_NOTE in its source step (the user's own serial, low severity when only they see it).
OWN = "own"
OWN_NOTE = " (the requesting user's own)"
# Marks the sink step of a person's foreign key rendered under a relation field of an object
# record's representation (a task's `owner`): shown with the record, low severity.
RELATION_NOTE = " (a person the rendered record refers to)"
# A type ("own_field", "Model|attr"): records of Model whose `attr` (a foreign key) is the
# requester's, as they were created or selected for them (`Rating(user_id=me.id)`,
# `filter(owner=request.user)`); their other serials are not the requester's.
OWN_FIELD = "own_field"
# A type ("own_if", "N|Model|attr"): records of Model picked (or built) by the value of the
# function's parameter N as `attr`; its caller decides whether that was the requester's
# (a service's `get_settings(user_id)` called with `current_user.id`).
OWN_IF = "own_if"
# A type ("rendered", "Model") on `self` in a method of a declared type of Model (a
# strawberry type's field resolver): the record the type renders; ("rendered_key", "Model") on
# its primary key (`self.id`). Records picked by it (`filter(owner_id=self.id)`) are
# ("own_if", "self|M|attr"): the requester's when the type renders only theirs (see
# Scheduler._requester_types).
RENDERED = "rendered"
RENDERED_KEY = "rendered_key"
RENDERED_PARAM = "self"
# Methods that give an object's text (`str(obj)`): in them `self` stands for what the object
# holds, and its attributes carry it (Calls._rendered_by_dunder).
RENDERS_SELF = frozenset({"__str__", "__repr__"})
# A type ("own_key", ""): what identifies the requester without being their serial (their
# e-mail, an item of the session): a person record looked up by it is theirs.
OWN_KEY = "own_key"
# A type ("own_only", "") on a function's summary: every record it returns is the
# requester's (a GraphQL `me` resolver); callers do not see it.
OWN_ONLY = "own_only"
# A type ("wrapped", "W|M") on a value annotated `W[M]`, W a project generic class: its
# attributes annotated with W's type variable (`node: N`) hold records of M.
WRAPPED = "wrapped"
# A type ("session", ""): where the server keeps the requester's key (`flask.session`).
SESSION = "session"

# A type ("built", "C") on an object that project class C's constructor built, C being no
# database record and defining no `__init__` (a dataclass, attrs, a named tuple): the
# object's serials are its taints, each with the field that holds it (Taint.field). In C's
# methods `self.x` is symbolic (`param:0.x`), and a call on the object substitutes what its
# field holds. Constructor arguments are kept per class too, under BUILT_STORE + field, for
# objects whose construction idlint did not see.
BUILT = "built"
BUILT_STORE = "<built>"  # (no dot: "attr:C.<built>x" names class C)

# A type ("signed", "f") on what signer `f` returned (a transform with `signature_last`): the
# value, a separator and its signature. Split at the separator it is ("signed_parts", "-1|1"):
# the indexes that pick its last part, the signature, which carries nothing of the value.
SIGNED = "signed"
SIGNED_PARTS = "signed_parts"

# A type ("keyed", "Model"): a dict of Model's records keyed by their serials (`in_bulk(ids)`).
KEYED = "keyed"

# A type ("selected_by", "N|Model"): records of Model picked by the serial parameter N holds.
SELECTED_BY = "selected_by"

# Types on a function's summary, for the records of an argument the caller knows and the
# function does not (`def fetch(queryset, **kw): return get_object_or_404(queryset, **kw)`):
# ("arg_records", "N|collection"/"N|instance"): it returns records of whatever model the
# argument for parameter N holds; ("arg_selected", "N|K|keyword"): picked by the value of
# parameter K given as `keyword` ("" positionally, "**" the caller's own keywords).
ARG_RECORDS = "arg_records"
ARG_SELECTED = "arg_selected"

# A type ("linked", "Model|relation|Person|node|path"): a record of Model whose to-many
# `relation` had a record of Person the client selected linked into it, by the call at node
# of path (`album.shared_to.add(member)`).
LINKED = "linked"


# Callables held as values, called later (`get = lambda m: m.id`, `{"user": User.query.search}`
# then `get(m)`, `TABLE[k](q)`): ("lambda", "path|node") is the lambda written at that node,
# ("bound", "path|node") the bound method `obj.method` (not called) there. Calling the value
# evaluates the lambda's body with its parameters bound to the arguments, or the method call
# on what `obj` is where it was written (see Calls._call_held). In a container they are
# ("registry", "lambda#path|node") like the project's functions (see Expressions._registered).
LAMBDA = "lambda"
BOUND = "bound"
HELD = (LAMBDA, BOUND)
# A type ("calls_param", "N|a,b") on a function's summary: it returns what calling its
# parameter N returns, called with arguments that carry its parameters a, b ("-" for none):
# `def each(fn, rows): return [fn(r) for r in rows]`. Its callers call what they give for N
# (a lambda, a bound method, a project function) with what they give for a, b.
CALLS_PARAM = "calls_param"


@dataclass(frozen=True, slots=True)
class Value(Compact):
    types: frozenset[Type] = frozenset()
    taints: frozenset[Taint] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.types or self.taints)

    def with_taints(self, taints: Iterable[Taint]) -> Value:
        return Value(self.types, normalize(taints))

    def moved(self, at: NodeRef | None) -> Value:
        if not self.taints:
            return self
        return Value(self.types, frozenset(t.moved(at) for t in self.taints))

    def types_of(self, kind: str) -> list[str]:
        if not self.types:
            return []
        return sorted(q for k, q in self.types if k == kind)


EMPTY = Value()


def normalize(taints: Iterable[Taint]) -> frozenset[Taint]:
    """Keep one taint per (origin, label, carrier, in a URL or not): the one with the
    shortest trace, held by every field of an object that holds one of them. A serial also
    placed in a URL is another finding (IDL008)."""
    best: dict[tuple[str, int, NodeRef | None, bool], Taint] = {}
    for t in taints:
        key = (t.origin, t.label, t.at, t.in_url)
        cur = best.get(key)
        if cur is None:
            best[key] = t
            continue
        shortest = t if (len(t.steps), t) < (len(cur.steps), cur) else cur
        if t.field != cur.field:
            shortest = shortest.held(_fields(t.field, cur.field))
        best[key] = shortest
    if len(best) > MAX_TAINTS:
        kept = sorted(best.values(), key=lambda t: (len(t.steps), t))[:MAX_TAINTS]
        return frozenset(kept)
    return frozenset(best.values())


def _fields(a: str, b: str) -> str:
    """The fields that hold a serial two taints of it are held by (see Taint.field)."""
    if not a or not b:
        return a or b
    return "|".join(sorted(set(a.split("|")) | set(b.split("|"))))


def join(*values: Value) -> Value:
    if len(values) == 1:
        return values[0]
    types: set[Type] = set()
    taints: list[Taint] = []
    for v in values:
        types |= v.types
        taints.extend(v.taints)
    return Value(frozenset(types), normalize(taints))
