"""The solver's working state, which every layer of it reads and writes (the layers are
listed in solve.py), and the frame one body is evaluated in."""

from __future__ import annotations

from dataclasses import dataclass, field

from idlint.analysis import ir
from idlint.analysis.flows import Flow, FlowKey, ParamSink, ParamStore, Summary
from idlint.analysis.project import FunctionRef, Project
from idlint.analysis.schema import SchemaBuilder
from idlint.analysis.values import (
    BUILT,
    BUILT_STORE,
    EMPTY,
    NodeRef,
    Step,
    Taint,
    Type,
    Value,
    join,
    kind_of,
    normalize,
)
from idlint.knowledge import Knowledge, SinkSpec
from idlint.templates import TemplateSource


@dataclass
class Demand:
    """Which functions the solver evaluates: only those that can matter to a finding (see
    Solver._expand). Module bodies are always evaluated."""

    functions: set[str] = field(default_factory=set)
    # attributes some code read: "name" (stored on any receiver), "C.name" (on `self` in C)
    attributes: set[str] = field(default_factory=set)


@dataclass
class Frame:
    fn: FunctionRef | None
    module: str  # project module name
    path: str
    env: dict[str, Value]
    class_qualname: str | None
    ret: list[Value] = field(default_factory=list)
    param_sinks: set[ParamSink] = field(default_factory=set)
    param_stores: set[ParamStore] = field(default_factory=set)
    is_route: bool = False
    raised_what: str = ""  # where an exception raised here reaches the client, if it does
    raised: list[Taint] = field(default_factory=list)  # serials in exceptions raised here
    anonymous: bool = False
    # a method of a built class (see BUILT) whose `self` is symbolic: `self.x` is `param:0.x`
    symbolic_self: bool = False
    emit: bool = False  # the final pass over the body: flows are recorded
    key: str = ""  # worklist key of what is being evaluated, for dependency recording
    # what a Guard of an if-body (keyed by its test's node) added to and took from the types
    # of the names it checked, undone at the body's end (ir.GuardEnd)
    scoped: dict[int, list[tuple[str, frozenset[Type], frozenset[Type]]]] = field(
        default_factory=dict)


def passed_key(function: str, index: int) -> str:
    """The variable of an enclosing function that holds what it passes to its nested
    function `function` as parameter `index` (no Python name: it cannot clash with one)."""
    return f"<passed>{function}:{index}"


def attr_seen(value: Value) -> Value:
    """What a read of a stored attribute sees of its value (see Expressions._attr): the
    taints moved to one place, the shortest trace of each kept."""
    return Value(value.types, normalize(t.moved(None) for t in value.taints))


class SolverCore:
    """The state of a solve, and the record of which worklist key read what."""

    def __init__(self, project: Project, knowledge: Knowledge) -> None:
        self.project = project
        self.k = knowledge
        self.schemas = SchemaBuilder(project, knowledge)
        self.summaries: dict[str, Summary] = {}
        self.globals: dict[str, dict[str, Value]] = {}
        self.class_attrs: dict[tuple[str, str], Value] = {}
        self._declared_models: dict[str, str | None] = {}  # GraphQL type/serializer -> model
        self._staff: dict[str, bool] = {}  # function -> reached only by staff
        # project class -> derives from a library class with sink methods
        self._sending_classes: dict[str, bool] = {}
        # callee name -> the sink it is (listed, a response subclass, a sending method);
        # asked for every name of every call at every evaluation, and fixed for a solve
        self._callee_sinks: dict[str, SinkSpec | None] = {}
        self._method_sinks: dict[str, SinkSpec | None] = {}  # the same, for _library_method_sink
        # function -> nodes of its returns under `if flag:` tests, with those tests
        self._return_guards: dict[str, dict[int, tuple[tuple[str, bool], ...]]] = {}
        self._method_fields: dict[tuple[str, str], str | None] = {}  # (class, get_x) -> x
        # function -> its flag parameters (false by default) by name, with their index
        self._flag_params: dict[str, dict[str, int]] = {}
        # Fixed for a solve, per function: a route or not; (route, where its exceptions
        # reach the client, anonymous, view); whether it can report a flow itself.
        self._routes: dict[str, bool] = {}
        self._entries: dict[str, tuple[bool, str, bool, bool]] = {}
        self._may_sinks: dict[str, bool] = {}
        # functions that can report, found at the first demand expansion (see _expand)
        self._roots: list[str] | None = None
        # Fixed for a solve, per name: a dotted attribute is client input, or ends like the
        # session; a callable's name says it looks records up.
        self._client_texts: dict[str, bool] = {}
        self._session_texts: dict[str, bool] = {}
        self._lookup_names: dict[str, bool] = {}
        # serializer class -> (the model it renders, a personal field it lists and where)
        self._rendered_personal: dict[str, tuple[str | None, tuple[str, NodeRef] | None]] = {}
        # serializer -> (relation, person model, field, where) of a thing's serializer
        self._rendered_related: dict[str, tuple[str, str, str, NodeRef] | None] = {}
        # Library classes knowledge models, by a method (`slack_sdk.WebClient` for its
        # `api_call` sink) or as a callable object (`slack_bolt.Ack`): a parameter annotated
        # with one is an instance of it.
        modelled = (*knowledge.sink_callables, *knowledge.transform_callables)
        self.modelled_classes = frozenset(
            {name.rsplit(".", 1)[0] for name in modelled} | set(modelled))
        # flows by the worklist key whose final evaluation reported them
        self.emitted: dict[str, dict[FlowKey, Flow]] = {}
        # How client input selected records of a model, for the traces of IDL006.
        self.selections: dict[str, tuple[Step, ...]] = {}
        # Worklist bookkeeping: who read what, so a change re-evaluates only its readers.
        # Keys: a function's qualname, "<module>:M" for module bodies, "globals:M.name",
        # "attr:C.a" for attributes stored on instances of project class C.
        self._readers: dict[str, set[str]] = {}
        self.broken: dict[str, tuple[str, str]] = {}  # key -> (path, message)
        self._dirty: set[str] = set()
        self._callees: dict[str, set[str]] = {}
        # Who stored into what: read keys "attr:C.a" and "selection:M" -> worklist keys.
        # Stores accumulate, so an incremental run must evaluate all of a key's writers.
        self._writers: dict[str, set[str]] = {}
        self.demand = Demand()
        self._added: set[str] = set()  # functions demanded during this run
        self._nesting = 0  # callees being evaluated on first demand, inside their caller
        self.evaluations = 0
        self._previous_globals: dict[str, dict[str, Value]] = {}
        self._enclosing_functions: frozenset[str] | None = None
        # generic view class -> (model, whether the client chooses the record), or None
        self._view_records: dict[str, tuple[str, bool] | None] = {}
        self._mirrors: dict[str, bool] = {}  # project class -> a copy of a generic view
        # (class, attribute) -> the project class a class attribute names (`form = F`)
        self._attribute_classes: dict[tuple[str, str], str | None] = {}
        self._built_classes: dict[str, bool] = {}  # project class -> see _built
        self._calling: set[str] = set()  # held lambdas and bound methods being called
        # the project's templates, read when a render call names one (None: not looked at)
        self.templates: TemplateSource | None = None

    def _enclosing(self) -> frozenset[str]:
        """The functions that define functions (whose variables those may read)."""
        if self._enclosing_functions is None:
            self._enclosing_functions = frozenset(
                q.rpartition(".<locals>.")[0] for q in self.project.functions
                if ".<locals>." in q)
        return self._enclosing_functions

    def _read(self, frame: Frame, key: str) -> None:
        if frame.key:
            self._readers.setdefault(key, set()).add(frame.key)

    def _changed(self, key: str) -> None:
        self._dirty |= self._readers.get(key, set())

    def _store_field(self, frame: Frame, q: str, attr: str, types: frozenset[Type],
                     taints: frozenset[Taint]) -> None:
        """A value stored as attribute `attr` of instances of project class `q`
        (`self.x = v`, a dataclass's constructor argument): a parameter's taints become the
        function's parameter stores, the rest join what the attribute holds."""
        frame.param_stores.update(
            ParamStore(t.param, q, attr, t.label, t.how, t.steps, t.in_url, t.param_field)
            for t in taints if t.param is not None)
        if frame.key:
            self._writers.setdefault(f"attr:{q}.{attr}", set()).add(frame.key)
        self._join_attr((q, attr), Value(types, normalize(
            t for t in taints if t.param is None)))

    def _built(self, q: str) -> bool:
        """Whether objects of project class `q` are built by the constructor of their fields
        (see BUILT): it declares fields (annotated class attributes: a dataclass, attrs, a
        named tuple), has no `__init__` of the project's and is no database record. (Other
        classes without an `__init__`, views and mixins by the thousand in a framework, keep
        what their constructors store per class: their `self` stays a plain instance.)"""
        got = self._built_classes.get(q)
        if got is None:
            got = self._built_classes[q] = q in self.project.classes and \
                q not in self.schemas.schemas and \
                self.project.find_method(q, "__init__") is None and any(
                    a.annotation is not None for c in self.project.mro(q)
                    if (ref := self.project.classes.get(c)) is not None for a in ref.cls.attrs)
        return got

    def _built_field(self, frame: Frame, holder: Value, q: str, field: str,
                     at: NodeRef | None) -> list[Taint]:
        """What field `field` of `holder`, an object of built class `q` (see BUILT), holds:
        the serials it carries with that field; `param:0.field` when it is the symbolic
        `self` of the method evaluated; otherwise (an object whose construction is not
        known here) what the constructors of the class stored. Only serials are carried
        with their field: client input and personal fields come from the class's store."""
        known = (BUILT, q) in holder.types
        out: list[Taint] = []
        for t in holder.taints:
            if t.field:
                known = True
                if t.holds(field):
                    out.append(t.held("").moved(at))
            elif frame.symbolic_self and t.param == 0 and not t.param_field:
                known = True
                out.append(Taint(f"param:0.{field}", t.label, t.confidence, t.how, t.steps,
                                 at, t.in_url))
        for owner in self.project.mro(q):
            if not self._built(owner):
                continue
            key = BUILT_STORE + field
            self._read(frame, f"attr:{owner}.{key}")
            stored = self.class_attrs.get((owner, key))
            if stored is not None:
                out += [t.moved(at) for t in stored.taints
                        if not known or kind_of(t.label) not in ("serial", "any")]
        return out

    def _join_attr(self, key: tuple[str, str], value: Value) -> None:
        """Add `value` to what an attribute of a project class's instances holds."""
        old = self.class_attrs.get(key, EMPTY)
        new = join(old, value)
        if new != old:
            self._store_attr(key, old, new)

    def _store_attr(self, key: tuple[str, str], old: Value, new: Value) -> None:
        """Keep the new value of an attribute stored on instances of a project class; its
        readers are evaluated again only when what a read sees changed (a read moves every
        taint to the reading expression and keeps the shortest trace per serial, so a taint
        stored at another place with a trace no shorter is invisible to them)."""
        self.class_attrs[key] = new
        if attr_seen(old) != attr_seen(new):
            self._changed(f"attr:{key[0]}.{key[1]}")

    # Implemented by layers above the ones that call them: the evaluation of expressions,
    # calls and demand is mutually recursive.

    def _call(self, frame: Frame, call: ir.Call) -> Value:
        raise NotImplementedError

    def _assign(self, frame: Frame, target: ir.Target, value: Value, final: bool,
                at: NodeRef | None = None,
                strong: set[str] | frozenset[str] = frozenset()) -> None:
        raise NotImplementedError

    def _demand_function(self, q: str) -> None:
        raise NotImplementedError

    def _apply(self, frame: Frame, ref: FunctionRef, bound: bool, args: list,
               call: ir.Call, receiver: Value | None = None) -> Value:
        raise NotImplementedError

    def _demand_attribute(self, cls: str, name: str) -> None:
        raise NotImplementedError

    def _library_method_sink(self, q: str) -> SinkSpec | None:
        raise NotImplementedError

    def _annotation_types_in(self, module: str, ann: ir.Expr) -> frozenset[Type]:
        raise NotImplementedError
