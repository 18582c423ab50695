"""The global phase: evaluates every function over abstract values, computes function
summaries to a fixpoint (which parameters reach which sinks, what a function returns), and
collects the flows of serials into client-visible sinks.

Inside a function the analysis is flow-insensitive (a variable holds the union of everything
assigned to it), which is cheap and, for view code, rarely less precise. Across functions it
is summary-based, in the style of Pysa: a parameter is a symbolic taint `param:N`; a summary
records where each one goes; a call site substitutes its arguments.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from idlint.analysis import ir, order
from idlint.analysis.compact import Compact
from idlint.analysis.order import mutation_receiver
from idlint.analysis.project import FunctionRef, Project, dotted_name
from idlint.analysis.schema import Schema, SchemaBuilder
from idlint.analysis.values import (
    CLIENT,
    COMPOSITE,
    DECODED,
    EMPTY,
    ENCODED,
    LABEL_OF,
    PII,
    PSEUDONYM,
    RAW,
    RULE_OF_LABEL,
    SAME,
    WEAK,
    NodeRef,
    Step,
    Taint,
    Type,
    Value,
    combine,
    join,
    kind_of,
    normalize,
)
from idlint.knowledge import Knowledge, SinkSpec, TransformSpec

MAX_WAVES = 12  # of the worklist; real code settles in 3-5
_MAX_NESTING = 6  # callees evaluated inside their caller on first demand
_ITER_KEEP = frozenset({"enumerate", "zip", "reversed", "sorted", "list", "tuple", "iter",
                        "filter", "set"})
_DEPENDS = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends"})
LABEL_WORDS = {
    RAW: "raw",
    COMPOSITE: "composed into an identifier",
    ENCODED: "only reversibly encoded",
    WEAK: "only weakly protected",
}


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Summary(Compact):
    ret: Value = EMPTY
    param_sinks: frozenset[ParamSink] = frozenset()


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


@dataclass
class SolverState:
    """What a run leaves for the next one, so that after an edit only the functions that
    depend on the edited code are evaluated again (see Solver.run_incremental)."""

    digests: dict[str, str]  # path -> content digest the state was computed from
    modules: dict[str, str]  # path -> module name
    summaries: dict[str, Summary]
    globals: dict[str, dict[str, Value]]
    class_attrs: dict[tuple[str, str], Value]
    readers: dict[str, set[str]]
    callees: dict[str, set[str]]
    emitted: dict[str, dict[tuple[str, NodeRef, str], Flow]]
    broken: dict[str, tuple[str, str]]
    selections: dict[str, tuple[Step, ...]]
    writers: dict[str, set[str]]
    demand: Demand


@dataclass
class Demand:
    """Which functions the solver evaluates: only those that can matter to a finding (see
    Solver._expand). Module bodies are always evaluated."""

    functions: set[str] = field(default_factory=set)
    # attributes some code read: "name" (stored on any receiver), "C.name" (on `self` in C)
    attributes: set[str] = field(default_factory=set)


@dataclass
class _Frame:
    fn: FunctionRef | None
    module: str  # project module name
    path: str
    env: dict[str, Value]
    class_qualname: str | None
    ret: list[Value] = field(default_factory=list)
    param_sinks: set[ParamSink] = field(default_factory=set)
    is_route: bool = False
    anonymous: bool = False
    emit: bool = False  # the final pass over the body: flows are recorded
    key: str = ""  # worklist key of what is being evaluated, for dependency recording


class Solver:
    def __init__(self, project: Project, knowledge: Knowledge) -> None:
        self.project = project
        self.k = knowledge
        self.schemas = SchemaBuilder(project, knowledge)
        self.summaries: dict[str, Summary] = {}
        self.globals: dict[str, dict[str, Value]] = {}
        self.class_attrs: dict[tuple[str, str], Value] = {}
        # flows by the worklist key whose final evaluation reported them
        self.emitted: dict[str, dict[tuple[str, NodeRef, str], Flow]] = {}
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

    # ================================================================ driver

    def run(self) -> list[Flow]:
        # Waves over a worklist: first every module body and every function that can matter
        # to a finding, then only what read something that changed. Each wave runs in sorted
        # order, so the result does not depend on the order files were found in.
        modules = sorted(self.project.modules)
        first = self._expand()
        first |= self.project.callee_closure(first)
        self.demand.functions |= first
        self._evaluate([f"<module>:{m}" for m in modules],
                       [q for q in self.project.callee_first_order() if q in first])
        self._settle()
        return self._all_flows()

    def _settle(self) -> None:
        """Evaluate what became relevant through what was evaluated (callers of functions
        found to have parameter sinks, writers of attributes that were read), until
        nothing new is."""
        while True:
            new = self._expand()
            if not new:
                return
            self._added |= new
            self.demand.functions |= new
            self._evaluate([], [q for q in self.project.callee_first_order() if q in new])

    def _expand(self) -> set[str]:
        """Functions whose evaluation can change a finding, as far as the facts and the state
        so far tell: code that can report (routes and views, sink calls, header writes) and
        callers (by name) of functions with parameter sinks. The rest matters only through
        calls, which demand their callee, and stored attributes, whose reads demand their
        writers. (How client input selected records, shown in IDL006 traces, is taken from
        the code evaluated for these reasons.)"""
        with_param_sinks = set()
        for q, summary in self.summaries.items():
            ref = self.project.functions.get(q)
            if summary.param_sinks and ref is not None:
                with_param_sinks.add(ref.function.name)
                if ref.function.name == "__init__" and ref.function.class_name:
                    with_param_sinks.add(ref.function.class_name.rsplit(".", 1)[-1])
        out: set[str] = set()
        for q, ref in self.project.functions.items():
            if q in self.demand.functions:
                continue
            if not ref.function.calls.isdisjoint(with_param_sinks) or self._may_sink(ref):
                out.add(q)
        return out

    def _demand_function(self, q: str) -> None:
        """A call reached a function not evaluated so far: evaluate it now, so that the
        caller reads its summary (nested only a few levels deep, to bound the stack; deeper
        ones go to the next wave, and their callers are evaluated again then)."""
        if q in self.demand.functions:
            return
        self.demand.functions.add(q)
        self._added.add(q)
        if self._nesting >= _MAX_NESTING:
            self._dirty.add(q)
            return
        self._nesting += 1
        try:
            self._run_key(q)
        finally:
            self._nesting -= 1

    def _demand_attribute(self, cls: str, name: str) -> None:
        """Code read attribute `name` of an instance of project class `cls`: the functions
        that may have stored it are evaluated (in the next wave; the reader is evaluated again
        if they store something)."""
        for key in (name, f"{cls}.{name}"):
            if key in self.demand.attributes:
                continue
            self.demand.attributes.add(key)
            for q in self._stores_index.get(key, ()):
                if q not in self.demand.functions:
                    self.demand.functions.add(q)
                    self._added.add(q)
                    self._dirty.add(q)

    @functools.cached_property
    def _stores_index(self) -> dict[str, list[str]]:
        """"name" -> functions storing `x.name` on any receiver; "C.name" -> methods of C
        storing `self.name`."""
        index: dict[str, list[str]] = {}
        for q, ref in sorted(self.project.functions.items()):
            fn = ref.function
            mod_name = self.project.module_names[ref.module.path]
            for store in fn.stores:
                own, _, name = store.rpartition(".")
                key = f"{mod_name}.{fn.class_name}.{name}" if own and fn.class_name else name
                index.setdefault(key, []).append(q)
        return index

    def run_incremental(self, state: SolverState, changes: Changes) -> list[Flow] | None:
        """Start from the state of an earlier run in which the files in `changes` had other
        contents but the same definitions (see interface()): forget everything that was
        computed from that code, directly or through summaries, stored attributes and
        globals, and evaluate only that again. None when too much depends on the change for
        this to pay."""
        self._restore(state)
        reset = self._dependents(changes)
        if len(reset) > max(200, len(self.project.functions) // 3):
            return None
        for key in reset:
            self.summaries.pop(key, None)
            self.emitted.pop(key, None)
            self.broken.pop(key, None)
            self._callees.pop(key, None)
            if key.startswith("<module>:"):
                # evaluated from scratch, but compared with what it was, so that readers of
                # the globals that come out the same are not evaluated again
                self._previous_globals[key[9:]] = self.globals.pop(key[9:], {})
        for stored, writers in self._writers.items():
            if writers & reset:
                kind, _, name = stored.partition(":")
                if kind == "attr":
                    cls, _, attr = name.rpartition(".")
                    self.class_attrs.pop((cls, attr), None)
                else:
                    self.selections.pop(name, None)
                writers -= reset
        modules = sorted(k[9:] for k in reset if k.startswith("<module>:"))
        # (an edit that changed no function's facts needs no call graph)
        order = [q for q in self.project.callee_first_order() if q in reset] \
            if any(k in self.project.functions for k in reset) else []
        self._evaluate([f"<module>:{m}" for m in modules], order)
        self._settle()
        return self._all_flows()

    def _evaluate(self, first: list[str], second: list[str]) -> None:
        self._dirty = set()
        for key in (*first, *second):
            self._run_key(key)
        pending = self._dirty
        for _ in range(MAX_WAVES):
            if not pending:
                break
            self._dirty = set()
            for key in sorted(pending, key=_wave_order):
                self._run_key(key)
            pending = self._dirty

    def _all_flows(self) -> list[Flow]:
        # Every evaluation records the flows it sees and replaces those of the previous
        # evaluation of the same code, so at the fixpoint they rest on final summaries. Only
        # code that can report keeps them (a function that no longer reaches a sink after an
        # edit may still hold an old evaluation's).
        demanded = {q: self.project.functions[q] for q in self.demand.functions
                    if q in self.project.functions}
        reporting = self._emitters(demanded)
        flows: dict[tuple[str, NodeRef, str], Flow] = {}
        for where, emitted in self.emitted.items():
            if not where.startswith("<module>:") and where not in reporting:
                continue
            for key, flow in emitted.items():
                cur = flows.get(key)
                if cur is None or _shorter(flow.steps, cur.steps):
                    flows[key] = flow
        from idlint.analysis.declarative import Declarations

        for flow in Declarations(self.project, self.schemas, self.k).run():
            flows.setdefault((flow.code, flow.sink_at, flow.origin), flow)
        return sorted(flows.values(), key=lambda f: (f.sink_at, f.code, f.origin))

    def state(self, digests: dict[str, str]) -> SolverState:
        return SolverState(
            {p: digests[p] for p in self.project.module_names if p in digests},
            dict(self.project.module_names), self.summaries, self.globals, self.class_attrs,
            self._readers, self._callees, self.emitted, self.broken, self.selections,
            self._writers, self.demand)

    def _restore(self, state: SolverState) -> None:
        """Take over an earlier run's state (not copied: the caller does not keep it)."""
        self.summaries = state.summaries
        self.globals = state.globals
        self.class_attrs = state.class_attrs
        self._readers = state.readers
        self._callees = state.callees
        self.emitted = state.emitted
        self.broken = state.broken
        self.selections = state.selections
        self._writers = state.writers
        self.demand = state.demand

    def _dependents(self, changes: Changes) -> set[str]:
        """Worklist keys whose state was computed from the changed code. A module body that
        changed is evaluated again, but only readers of the globals its edit can reach
        (changes.names) depend on it, unless it read something else that changed."""
        def touched(path: str, key: str) -> bool:
            if path not in changes.keys:
                return False
            keys = changes.keys[path]
            return keys is None or key in keys

        reset: set[str] = set()
        for name, mod in self.project.modules.items():
            if touched(mod.path, f"<module>:{name}"):
                reset.add(f"<module>:{name}")
        for q, ref in self.project.functions.items():
            if q in self.demand.functions and touched(ref.module.path, q):
                reset.add(q)
        writes: dict[str, list[str]] = {}
        for stored, writers in self._writers.items():
            for w in writers:
                writes.setdefault(w, []).append(stored)
        globals_read: dict[str, list[str]] = {}  # module -> "globals:M.name" keys read
        for read in self._readers:
            if read.startswith("globals:"):
                globals_read.setdefault(read[8:].rpartition(".")[0], []).append(read)
        limited = dict(changes.names)
        todo = list(reset)
        while todo:
            key = todo.pop()
            written = [*writes.get(key, ())]
            if key.startswith("<module>:"):
                module = key[9:]
                names = limited.get(module)
                written += ([f"globals:{module}.{n}" for n in sorted(names)] if names is not None
                            else globals_read.get(module, []))
            else:
                written.append(key)
            for w in written:
                for other in (*self._readers.get(w, ()), *self._writers.get(w, ())):
                    if other == key or not self._exists(other):
                        continue
                    if other.startswith("<module>:") and other[9:] in limited:
                        # it read something else that changed: any of its globals may change
                        del limited[other[9:]]
                        if other in reset:
                            todo.append(other)
                    if other not in reset:
                        reset.add(other)
                        todo.append(other)
        return reset

    def _exists(self, key: str) -> bool:
        if key.startswith("<module>:"):
            return key[9:] in self.project.modules
        return key in self.project.functions

    def _run_key(self, key: str) -> None:
        self.evaluations += 1
        self._dirty.discard(key)  # this evaluation sees every change so far
        self.emitted.pop(key, None)
        if key.startswith("<module>:"):
            self._guarded(key, self.project.modules[key[9:]].path,
                          lambda: self._run_module(key[9:]))
        else:
            ref = self.project.functions[key]
            self._guarded(key, ref.module.path, lambda: self._run_function(ref))

    def _guarded(self, key: str, path: str, run: Callable[[], None]) -> None:
        """A bug met while evaluating one function must not end the scan: the function keeps
        its previous summary and its file gets an internal-error diagnostic."""
        if key in self.broken:
            return
        try:
            run()
        except RecursionError:
            self.broken[key] = (path, "internal error: nesting too deep in " + key)
        except Exception as exc:
            self.broken[key] = (path, f"internal error in {key}: {type(exc).__name__}: {exc}")

    def _read(self, frame: _Frame, key: str) -> None:
        if frame.key:
            self._readers.setdefault(key, set()).add(frame.key)

    def _changed(self, key: str) -> None:
        self._dirty |= self._readers.get(key, set())

    def _emitters(self, candidates: dict[str, FunctionRef]) -> set[str]:
        """Functions whose final evaluation can report a flow: routes and views, code that
        calls a sink or writes a header, and callers of functions with parameter sinks."""
        with_param_sinks = {q for q, s in self.summaries.items() if s.param_sinks}
        out: set[str] = set()
        for q, ref in candidates.items():
            if self._callees.get(q, set()) & with_param_sinks or self._may_sink(ref):
                out.add(q)
        return out

    def _may_sink(self, ref: FunctionRef) -> bool:
        mod_name = self.project.module_names[ref.module.path]
        class_q = f"{mod_name}.{ref.function.class_name}" if ref.function.class_name else None
        if self._is_route(ref, class_q):
            return True
        fn = ref.function
        return fn.assigns_subscript or not fn.calls.isdisjoint(self._sink_names)

    @functools.cached_property
    def _sink_names(self) -> frozenset[str]:
        return frozenset(
            {q.rsplit(".", 1)[-1] for q in self.k.sink_callables} | set(self.k.sink_methods)
        )

    def _run_module(self, name: str) -> None:
        mod = self.project.modules[name]
        body = self.project.module_body(name)
        if body is None:
            return
        env = dict(self.globals.get(name, {}))
        frame = _Frame(None, name, mod.path, env, None, key=f"<module>:{name}")
        index = self.project.module_body_index(name)
        self._exec(frame, body, index is not None and mod.functions[index].one_pass)
        old = self.globals.get(name)
        if old is None:
            old = self._previous_globals.pop(name, {})
        self.globals[name] = env
        if env != old:
            for n in sorted(env.keys() | old.keys()):
                if env.get(n) != old.get(n):
                    self._changed(f"globals:{name}.{n}")

    def _run_function(self, ref: FunctionRef) -> None:
        mod_name = self.project.module_names[ref.module.path]
        fn = ref.function
        class_q = f"{mod_name}.{fn.class_name}" if fn.class_name else None
        frame = _Frame(ref, mod_name, ref.module.path, {}, class_q, key=ref.qualname)
        frame.is_route = self._is_route(ref, class_q)
        frame.anonymous = self._is_anonymous(ref, mod_name)
        is_view = frame.is_route or self._is_view(ref, class_q)
        for i, p in enumerate(fn.params):
            value = self._param_value(frame, i, p)
            if is_view and self._is_client_param(frame, i, p, value):
                at = NodeRef(frame.path, fn.node)
                value = Value(value.types, value.taints | {self._client(
                    f"route parameter `{p.name}`", at)})
            frame.env[p.name] = value
        self._exec(frame, self.project.body(ref), fn.one_pass)
        ret = join(*frame.ret) if frame.ret else EMPTY
        if fn.returns is not None:
            ret = join(ret, Value(self._annotation_types(frame, fn.returns)))
        summary = Summary(ret, frozenset(frame.param_sinks))
        if self.summaries.get(ref.qualname) != summary:
            self.summaries[ref.qualname] = summary
            self._changed(ref.qualname)

    def _param_value(self, frame: _Frame, index: int, p: ir.Param) -> Value:
        types: set[Type] = set()
        if index == 0 and frame.class_qualname and not self._is_static(frame):
            if p.name == "cls" or self._is_classmethod(frame):
                types.add(("class", frame.class_qualname))
            else:
                types.add(("instance", frame.class_qualname))
            return Value(frozenset(types))
        if p.annotation is not None:
            types |= self._annotation_types(frame, p.annotation)
        if isinstance(p.default, ir.Call):
            callee = dotted_name(p.default.func)
            if callee and self.project.resolve(frame.module, callee) in _DEPENDS:
                dep = p.default.args[0].value if p.default.args else None
                if dep is not None:
                    dep_value = self._call_project(frame, dep, (), p.default)
                    if dep_value is not None:
                        types |= dep_value.types
        if p.name in ("current_user",) and not types:
            types |= self._user_types()
        at = NodeRef(frame.path, frame.fn.function.node) if frame.fn else None
        taint = Taint(f"param:{index}", SAME, "high", "", (), at)
        return Value(frozenset(types), frozenset({taint}))

    def _is_static(self, frame: _Frame) -> bool:
        fn = frame.fn.function if frame.fn else None
        return bool(fn and any(dotted_name(d) == "staticmethod" for d in fn.decorators))

    def _is_classmethod(self, frame: _Frame) -> bool:
        fn = frame.fn.function if frame.fn else None
        return bool(fn and any(dotted_name(d) == "classmethod" for d in fn.decorators))

    def _annotation_types(self, frame: _Frame, ann: ir.Expr) -> frozenset[Type]:
        out: set[Type] = set()

        def walk(e: ir.Expr, collection: bool) -> None:
            if isinstance(e, ir.Subscript):
                outer = dotted_name(e.value) or ""
                is_coll = outer.rsplit(".", 1)[-1] in (
                    "list", "List", "Sequence", "Iterable", "set", "Set", "QuerySet")
                if e.key is not None:
                    walk(e.key, collection or is_coll)
            elif isinstance(e, ir.Container):
                for _, v in e.items:
                    walk(v, collection)
            elif isinstance(e, ir.BinOp):
                walk(e.left, collection)
                walk(e.right, collection)
            elif isinstance(e, ir.Const) and isinstance(e.value, str):
                cands = self.schemas.by_simple_name.get(e.value, [])
                for q in cands[:1]:
                    out.add(("collection" if collection else "instance", q))
            else:
                name = dotted_name(e)
                if name:
                    q = self.project.resolve(frame.module, name)
                    if q in self.schemas.schemas or q in self.project.classes:
                        out.add(("collection" if collection else "instance", q))

        walk(ann, False)
        return frozenset(out)

    def _is_route(self, ref: FunctionRef, class_q: str | None) -> bool:
        fn = ref.function
        module = self.project.module_names[ref.module.path]
        for dec in fn.decorators:
            target = dec.func if isinstance(dec, ir.Call) else dec
            if isinstance(target, ir.Attr) and target.attr in self.k.route_decorator_methods:
                return True
            name = dotted_name(target)
            if name and self.project.resolve(module, name) in self.k.route_decorators:
                return True
        if class_q and fn.name.startswith(self.k.route_method_prefixes):
            return True
        if class_q and fn.name in self.k.route_class_methods:
            return any(b in self.k.route_class_bases for b in self.project.mro(class_q))
        return False

    def _route_sink(self, frame: _Frame) -> SinkSpec:
        name = frame.fn.function.name if frame.fn else ""
        if frame.class_qualname and name.startswith(self.k.route_method_prefixes):
            return SinkSpec(f"GraphQL field `{name.split('_', 1)[-1]}`", None)
        return SinkSpec("route response", None)

    def _is_view(self, ref: FunctionRef, class_q: str | None) -> bool:
        """Django-style views: `def view(request, pk)`; class-based handlers `get(self, request,
        pk)`. Their parameters after `request` come from the URL."""
        params = ref.function.params
        names = [p.name for p in params]
        if class_q is None:
            return bool(names) and names[0] == "request"
        return len(names) > 1 and names[1] == "request" and ref.function.name in (
            "get", "post", "put", "patch", "delete", "retrieve", "list", "update", "destroy")

    def _is_client_param(self, frame: _Frame, index: int, p: ir.Param, value: Value) -> bool:
        if p.name in self.k.route_param_exclude or p.kind in ("*", "**"):
            return False
        if index == 0 and frame.class_qualname:
            return False
        if isinstance(p.default, ir.Call):
            return False  # Depends(...), Query(...) are handled as dependencies
        return not any(k in ("instance", "class", "collection") for k, _ in value.types)

    def _is_anonymous(self, ref: FunctionRef, module: str) -> bool:
        words = self.k.anonymous_words
        if not words:
            return False
        texts = [module.lower(), ref.qualname.lower()]
        for dec in ref.function.decorators:
            if isinstance(dec, ir.Call):
                texts += [a.value.value.lower() for a in dec.args
                          if isinstance(a.value, ir.Const) and isinstance(a.value.value, str)]
        return any(w in t for w in words for t in texts)

    def _client(self, what: str, at: NodeRef) -> Taint:
        step = Step("source", at, f"client input: {what}")
        return Taint(f"client:{what}", CLIENT, "high", "", (step,), at)

    def _user_types(self) -> frozenset[Type]:
        model = self.schemas.user_model
        return frozenset({("instance", model)}) if model else frozenset()

    # ============================================================ statements

    def _exec(self, frame: _Frame, body: tuple[ir.Stmt, ...], one_pass: bool) -> None:
        # Two passes make the result independent of statement order (loops, late bindings);
        # sinks, flows and returns are only recorded in the second. A body that never reads
        # a name before its last assignment needs only the second (see order.py).
        if not one_pass:
            frame.emit = False
            record = frame.ret, frame.param_sinks
            frame.ret, frame.param_sinks = [], set()
            for stmt in body:
                self._stmt(frame, stmt)
            frame.ret, frame.param_sinks = record
        frame.emit = True
        for stmt in body:
            self._stmt(frame, stmt, final=True)

    def _stmt(self, frame: _Frame, stmt: ir.Stmt, final: bool = False) -> None:
        if isinstance(stmt, ir.Assign):
            value = self._eval(frame, stmt.value)
            if stmt.annotation is not None:
                ann_types = self._annotation_types(frame, stmt.annotation)
                if ann_types:
                    value = Value(value.types | ann_types, value.taints)
            for target in stmt.targets:
                self._assign(frame, target, value, final)
        elif isinstance(stmt, ir.AugAssign):
            value = self._eval(frame, stmt.value)
            if isinstance(stmt.target, ir.NameT):
                old = frame.env.get(stmt.target.id, EMPTY)
                if stmt.op == "+" and value.taints and self._is_text(stmt.value):
                    value = self._label(value, COMPOSITE, "string concatenation",
                                        None, None) if self._id_like(stmt.value) else value
                value = join(old, value)
            self._assign(frame, stmt.target, value, final)
        elif isinstance(stmt, ir.ExprStmt):
            self._eval(frame, stmt.value)
            self._mutation(frame, stmt.value)
        elif isinstance(stmt, ir.Return):
            if stmt.value is None:
                return
            value = self._eval(frame, stmt.value)
            if final:
                frame.ret.append(value.moved(NodeRef(frame.path, stmt.node)))
                if frame.is_route and value.taints:
                    self._sink(frame, value, self._route_sink(frame), stmt.node)
        elif isinstance(stmt, ir.For):
            self._assign(frame, stmt.target, self._element(frame, self._eval(frame, stmt.iter)),
                         final)

    def _is_text(self, expr: ir.Expr) -> bool:
        return isinstance(expr, (ir.Compose, ir.Const)) and not isinstance(
            getattr(expr, "value", ""), (int, float))

    def _id_like(self, expr: ir.Expr) -> bool:
        text = expr.literal if isinstance(expr, ir.Compose) else (
            expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else "")
        return not any(c.isspace() for c in text)

    def _assign(self, frame: _Frame, target: ir.Target, value: Value, final: bool) -> None:
        if isinstance(target, ir.NameT):
            old = frame.env.get(target.id)
            frame.env[target.id] = join(old, value) if old is not None else value
        elif isinstance(target, ir.TupleT):
            for elt in target.elts:
                self._assign(frame, elt, value, final)
        elif isinstance(target, ir.SubT):
            base = self._eval(frame, target.value)
            if self._is_header_container(target.value, base):
                if value.taints:
                    self._sink(frame, value, SinkSpec("response header", None), target.node)
                return
            if isinstance(target.value, ir.Name):
                self._assign(frame, ir.NameT(target.value.id), Value(taints=value.taints), final)
        elif isinstance(target, ir.AttrT):
            base = self._eval(frame, target.value)
            for q in base.types_of("instance"):
                if q in self.project.classes:
                    key = (q, target.attr)
                    concrete = [t for t in value.taints if t.param is None]
                    if frame.key:
                        self._writers.setdefault(f"attr:{q}.{target.attr}",
                                                 set()).add(frame.key)
                    old = self.class_attrs.get(key, EMPTY)
                    new = join(old, Value(value.types, normalize(concrete)))
                    if new != old:
                        self.class_attrs[key] = new
                        self._changed(f"attr:{q}.{target.attr}")

    def _is_header_container(self, expr: ir.Expr, base: Value) -> bool:
        if isinstance(expr, ir.Attr) and expr.attr in self.k.header_containers:
            return True
        return any(k == "response" for k, _ in base.types)

    def _mutation(self, frame: _Frame, expr: ir.Expr) -> None:
        """`ids.append(m.id)`, `h.update(...)`: the receiver now holds what was put in."""
        name = mutation_receiver(expr)
        if name is None or not isinstance(expr, ir.Call):
            return
        values = [self._eval(frame, a.value) for a in expr.args]
        taints = [t for v in values for t in v.taints]
        if not taints:
            return
        receiver = frame.env.get(name) or self._global(frame, name)
        out = Value(taints=normalize(taints))
        for kind, q in sorted(receiver.types):
            spec = self.k.transform_callables.get(q) if kind == "ext" else None
            if spec is not None and spec.label not in ("keep", "sanitize"):
                at = NodeRef(frame.path, expr.node)
                out = self._label(out, LABEL_OF[spec.label], f"{spec.what} ({q})",
                                  Step("transform", at, f"hashed with {q}"), at)
        frame.env[name] = join(receiver, out)

    # ============================================================ expressions

    def _eval(self, frame: _Frame, expr: ir.Expr) -> Value:
        if isinstance(expr, ir.Name):
            at = NodeRef(frame.path, expr.node)
            if expr.id in frame.env:
                return frame.env[expr.id].moved(at)
            return self._global(frame, expr.id).moved(at)
        if isinstance(expr, ir.Attr):
            return self._attr(frame, expr)
        if isinstance(expr, ir.Call):
            return self._call(frame, expr)
        if isinstance(expr, ir.Const):
            return EMPTY
        if isinstance(expr, ir.Subscript):
            base = self._eval(frame, expr.value)
            if expr.key is not None:
                self._eval(frame, expr.key)
            at = NodeRef(frame.path, expr.node)
            types = frozenset(("instance", q) for q in base.types_of("collection"))
            types |= frozenset(t for t in base.types if t[0] == "selected")
            return Value(types, frozenset(t.moved(at) for t in base.taints))
        if isinstance(expr, ir.Compose):
            values = [self._eval(frame, p) for p in expr.parts]
            return self._compose(frame, expr, values, expr.literal)
        if isinstance(expr, ir.Container):
            values = []
            for key, val in expr.items:
                if key is not None:
                    self._eval(frame, key)
                values.append(self._eval(frame, val))
            merged = join(*values) if values else EMPTY
            return Value(taints=merged.taints)
        if isinstance(expr, ir.BinOp):
            return self._binop(frame, expr)
        if isinstance(expr, ir.Comp):
            for target, it in expr.generators:
                self._assign(frame, target, self._element(frame, self._eval(frame, it)), False)
            parts = [self._eval(frame, expr.elt)]
            if expr.key is not None:
                parts.append(self._eval(frame, expr.key))
            merged = join(*parts)
            types = frozenset(("collection", q) for q in merged.types_of("instance"))
            return Value(types, merged.taints)
        if isinstance(expr, ir.Union_):
            values = [self._eval(frame, p) for p in expr.parts]
            return join(*values) if values else EMPTY
        return EMPTY

    def _element(self, frame: _Frame, value: Value) -> Value:
        """What iterating over a value yields."""
        types = frozenset(("instance", q) for q in value.types_of("collection"))
        types |= frozenset(t for t in value.types if t[0] == "selected")
        return Value(types, value.taints)

    def _global(self, frame: _Frame, name: str) -> Value:
        self._read(frame, f"globals:{frame.module}.{name}")
        env = self.globals.get(frame.module, {})
        if name in env and frame.fn is not None:
            return env[name]
        q = self.project.resolve(frame.module, name)
        return self._symbol_in(frame, q)

    def _symbol(self, q: str) -> Value:
        if q in self.k.user_expressions:
            return Value(self._user_types())
        if q in self.project.classes:
            return Value(frozenset({("class", q)}))
        if q in self.project.functions:
            return Value(frozenset({("func", q)}))
        if q in self.schemas.schemas:  # an external model such as Django's User
            return Value(frozenset({("class", q)}))
        mod, _, attr = q.rpartition(".")
        if mod in self.globals and attr in self.globals[mod]:
            return self.globals[mod][attr]
        return Value(frozenset({("ext", q)}))

    def _symbol_in(self, frame: _Frame, q: str) -> Value:
        if q.rpartition(".")[0] in self.project.modules:
            self._read(frame, f"globals:{q}")
        return self._symbol(q)

    # -------------------------------------------------------------- attributes

    def _attr(self, frame: _Frame, expr: ir.Attr) -> Value:
        at = NodeRef(frame.path, expr.node)
        text = dotted_name(expr)
        if text is not None:
            if text in self.k.user_expressions:
                return Value(self._user_types())
            resolved = self.project.resolve(frame.module, text)
            if resolved in self.k.user_expressions:
                return Value(self._user_types())
            if self._is_client_expression(text):
                return Value(taints=frozenset({self._client(f"`{text}`", at)}))
        base = self._eval(frame, expr.value)
        types: set[Type] = set()
        taints: list[Taint] = []
        selected = {q for k, q in base.types if k == "selected"}
        for kind, q in sorted(base.types):
            if kind == "instance":
                schema = self.schemas.schemas.get(q)
                if schema is not None:
                    self._model_attr(frame, schema, expr, at, types, taints)
                    if q in selected and self.k.is_personal(expr.attr) and \
                            expr.attr not in schema.serials:
                        step = Step("source", at, f"personal field `{schema.display}."
                                                  f"{expr.attr}` of a record the client chose")
                        taints.append(Taint(f"{schema.display}.{expr.attr}", PII, "high", "",
                                            (*self._selection_steps(frame, q), step), at))
                self._read(frame, f"attr:{q}.{expr.attr}")
                self._demand_attribute(q, expr.attr)
                stored = self.class_attrs.get((q, expr.attr))
                if stored is not None:
                    types |= stored.types
                    taints.extend(t.moved(at) for t in stored.taints)
            elif kind == "class":
                if expr.attr in ("objects", "query", "_default_manager"):
                    types.add(("collection", q))
                else:
                    types.add(("member", f"{q}.{expr.attr}"))
            elif kind == "collection":
                types.add(("member", f"{q}.{expr.attr}"))
            elif kind in ("ext", "func"):
                types.add(("ext", self.project.canonical(f"{q}.{expr.attr}")))
        if expr.attr in self.k.serial_attributes and not taints:
            taints.append(self._source(frame, f"{expr.attr}", "serial field", "high", at))
        if not base.types and not taints:
            guess = self._heuristic(frame, expr, at)
            if guess is not None:
                taints.append(guess)
        return Value(frozenset(types), normalize(taints))

    def _is_client_expression(self, text: str) -> bool:
        parts = text.split(".")
        return any(".".join(parts[-n:]) in self.k.client_expressions for n in (2, 3)
                   if len(parts) >= n)

    def _selection_steps(self, frame: _Frame, model: str) -> tuple[Step, ...]:
        self._read(frame, f"selection:{model}")
        return self.selections.get(model, ())

    def _model_attr(self, frame: _Frame, schema: Schema, expr: ir.Attr, at: NodeRef,
                    types: set[Type], taints: list[Taint]) -> None:
        serial = schema.serials.get(expr.attr)
        if serial is not None:
            taints.append(self._source(frame, serial.origin, serial.kind, serial.confidence, at))
        target = schema.relations.get(expr.attr)
        if target is not None:
            types.add(("instance", target))

    def _heuristic(self, frame: _Frame, expr: ir.Attr, at: NodeRef) -> Taint | None:
        """Unknown receiver: `member.id` where the project has a model `Member` (its schema
        decides), else nothing. Guessing from names alone would drown users in noise."""
        if not (expr.attr in ("id", "pk") or expr.attr.endswith("_id")):
            return None
        root = expr.value
        name = root.id if isinstance(root, ir.Name) else (
            root.attr if isinstance(root, ir.Attr) else None)
        if not name:
            return None
        schema = self._schemas_by_name.get(name.replace("_", "").lower())
        if schema is None:
            return None
        serial = schema.serials.get(expr.attr)
        if serial is None:
            return None
        return self._source(frame, serial.origin, serial.kind, "medium", at,
                            note=f" (type of `{name}` guessed from its name)")

    @functools.cached_property
    def _schemas_by_name(self) -> dict[str, Schema]:
        """Lower-cased model names to schemas; the first in qualified-name order wins."""
        out: dict[str, Schema] = {}
        for _, schema in sorted(self.schemas.schemas.items()):
            out.setdefault(schema.display.lower(), schema)
        return out

    def _source(self, frame: _Frame, origin: str, kind: str, confidence: str, at: NodeRef,
                note: str = "") -> Taint:
        step = Step("source", at, f"serial {kind} `{origin}` is read here{note}")
        return Taint(origin, RAW, confidence, "", (step,), at)

    # ----------------------------------------------------------------- binops

    def _binop(self, frame: _Frame, expr: ir.BinOp) -> Value:
        left = self._eval(frame, expr.left)
        right = self._eval(frame, expr.right)
        merged = join(left, right)
        at = NodeRef(frame.path, expr.node)
        if not merged.taints:
            return Value(merged.types, frozenset())
        textual = [e for e in (expr.left, expr.right) if self._is_text(e)]
        if expr.op == "+" and (textual or (isinstance(expr.left, ir.BinOp) and
                               self._is_text(expr.left.right))):
            literal = "".join(e.literal if isinstance(e, ir.Compose) else str(e.value)
                              for e in textual if isinstance(e, (ir.Compose, ir.Const)))
            return self._compose(frame, expr, [left, right], literal)
        const = [e for e in (expr.left, expr.right)
                 if isinstance(e, ir.Const) and isinstance(e.value, int)]
        if expr.op in ("^", "*", "<<") and const:
            what = "XOR with a constant" if expr.op == "^" else "arithmetic with constants"
            return self._label(merged, ENCODED, what,
                               Step("transform", at, f"obfuscated by {what}"), at)
        return Value(frozenset(), frozenset(t.moved(at) for t in merged.taints))

    def _compose(self, frame: _Frame, expr: ir.Expr, values: list[Value], literal: str) -> Value:
        merged = join(*values) if values else EMPTY
        at = NodeRef(frame.path, expr.node)  # type: ignore[union-attr]
        if not merged.taints:
            return EMPTY
        if not literal or any(c.isspace() for c in literal):
            # f"{pk}" alone is a conversion; text with spaces is prose that mentions it
            return Value(taints=frozenset(t.moved(at) for t in merged.taints))
        if "/" in literal:  # a path or URL: the serial stays readable, in a URL (IDL008)
            step = Step("transform", at, "placed in a URL")
            return Value(taints=normalize(
                t.transformed(SAME, "", step if kind_of(t.label) == "serial" else None, at,
                              in_url=True) for t in merged.taints))
        shown = literal if len(literal) <= 20 else literal[:17] + "..."
        return self._label(merged, COMPOSITE, "string composition",
                           Step("transform", at, f"composed into an identifier with `{shown}`"),
                           at)

    def _label(self, value: Value, label: int, how: str, step: Step | None,
               at: NodeRef | None) -> Value:
        return Value(frozenset(), normalize(
            t.transformed(label, how, step, at) for t in value.taints))

    # ------------------------------------------------------------------ calls

    def _call(self, frame: _Frame, call: ir.Call) -> Value:
        func = call.func
        at = NodeRef(frame.path, call.node)
        args = [(a, self._eval(frame, a.value)) for a in call.args]
        receiver = EMPTY
        method = None
        if isinstance(func, ir.Attr):
            method = func.attr
            if isinstance(func.value, ir.Const) and isinstance(func.value.value, str):
                return self._string_method(frame, call, func.value.value, method, args, at)
            receiver = self._eval(frame, func.value)
        elif isinstance(func, ir.Name):
            receiver = EMPTY
        names = self._callee_names(frame, func, receiver, method)

        if method is not None and method in self.k.client_methods and isinstance(func, ir.Attr):
            root = dotted_name(func.value) or ""
            if root.rsplit(".", 1)[-1] in self.k.client_method_receivers:
                return Value(taints=frozenset({self._client(f"`{root}.{method}()`", at)}))

        # sinks
        for q in names:
            sink = self.k.sink_callables.get(q)
            if sink is not None:
                self._sink_args(frame, sink, args, at)
                return Value(frozenset({("response", q)}))
        if method is not None and method in self.k.sink_methods:
            sink = self.k.sink_methods[method]
            receiver_expr = func.value if isinstance(func, ir.Attr) else None
            receiver_text = dotted_name(receiver_expr) if receiver_expr is not None else None
            root_name = receiver_text.rsplit(".", 1)[-1] if receiver_text else ""
            if not sink.receivers or root_name in sink.receivers:
                self._sink_args(frame, sink, args, at)
                return EMPTY

        # ORM queries first: `.get()` on a queryset is a lookup, not dict.get
        orm = self._query(frame, call, func, receiver, method, names, args)
        if orm is not None:
            return orm

        # transforms (encoders, hashes, sanitizers, conversions)
        for q in names:
            spec = self.k.transform_callables.get(q)
            if spec is not None:
                return self._transform(frame, spec, q, call, args, receiver, at, method=False)
        if method is not None and method in self.k.transform_methods and (
            receiver.taints or any(v.taints for _, v in args)
        ):
            spec = self.k.transform_methods[method]
            return self._transform(frame, spec, method, call, args, receiver, at, method=True)

        for q in names:
            if q in self.k.serial_functions:
                return Value(taints=frozenset(
                    {self._source(frame, f"{q}()", "serial", "high", at)}))

        # project code
        result = self._call_project(frame, func, args, call, receiver=receiver, names=names)
        if result is not None:
            return result
        # Unknown callable: its result is opaque (no taint: precision over guessing), but it
        # keeps a name so that methods called on it can be recognised.
        ext = [q for q in names if q not in self.project.functions]
        types: set[Type] = {("ext", q) for q in ext[:1]}
        if ext and self._literal_key(call):
            types.add(("literal_key", ext[0]))
        return Value(frozenset(types))

    def _callee_names(self, frame: _Frame, func: ir.Expr, receiver: Value,
                      method: str | None) -> list[str]:
        names: list[str] = []
        text = dotted_name(func)
        if isinstance(func, ir.Name):
            local = frame.env.get(func.id)
            if local is not None and frame.fn is not None:
                names += [q for k, q in sorted(local.types) if k in ("ext", "func", "class")]
            if not names:
                names.append(self.project.resolve(frame.module, func.id))
        elif method is not None:
            for kind, q in sorted(receiver.types):
                if kind in ("ext", "func", "class", "member"):
                    names.append(self.project.canonical(f"{q}.{method}"))
                elif kind in ("instance", "literal_key") and q not in self.schemas.schemas:
                    names.append(f"{q}.{method}")
            if not names and text:
                names.append(self.project.resolve(frame.module, text))
        return names

    def _literal_key(self, call: ir.Call) -> bool:
        for a in call.args:
            v = a.value
            if isinstance(v, ir.Const) and isinstance(v.value, (str, bytes)) and (
                a.keyword in (None, "key", "iv", "nonce")
            ):
                return True
            if isinstance(v, ir.Attr) and v.attr in ("MODE_ECB",):
                return True
            if isinstance(v, ir.Call) and (dotted_name(v.func) or "").endswith("ECB"):
                return True
        return False

    def _string_method(self, frame: _Frame, call: ir.Call, text: str, method: str,
                       args: list[tuple[ir.Arg, Value]], at: NodeRef) -> Value:
        values = [v for _, v in args]
        if method == "format":
            return self._compose(frame, call, values, text)
        if method == "join":
            merged = join(*values) if values else EMPTY
            if not merged.taints:
                return EMPTY
            if text and not any(c.isspace() for c in text):
                step = Step("transform", at, f"joined into an identifier with `{text}`")
                return self._label(merged, COMPOSITE, "join", step, at)
            return Value(taints=frozenset(t.moved(at) for t in merged.taints))
        return EMPTY

    def _transform(self, frame: _Frame, spec: TransformSpec, name: str, call: ir.Call,
                   args: list[tuple[ir.Arg, Value]], receiver: Value, at: NodeRef,
                   method: bool) -> Value:
        inputs: list[Taint] = []
        position = 0
        for arg, value in args:
            pos = None if arg.keyword is not None else position
            if arg.keyword is None:
                position += 1
            if spec.carries(pos, arg.keyword) or (arg.star and spec.args is None):
                inputs.extend(value.taints)
        if method:
            inputs.extend(receiver.taints)
        types: frozenset[Type] = frozenset({("ext", name)})
        if spec.label == "url":
            step = Step("transform", at, f"placed in a URL by {name}()")
            return Value(types, normalize(
                t.transformed(SAME, "", step if kind_of(t.label) == "serial" else None, at,
                              in_url=True) for t in inputs))
        if spec.label == "keep":
            keep_types = frozenset(
                t for _, v in args for t in v.types if t[0] in ("collection", "instance")
            ) if not method else receiver.types & frozenset(
                t for t in receiver.types if t[0] in ("collection",))
            return Value(keep_types | types, frozenset(t.moved(at) for t in inputs))
        label_name = spec.label
        weak_reason = ""
        if label_name == "sanitize" and spec.weak_if_literal_key and (
            self._literal_key(call) or any(k == "literal_key" for k, _ in receiver.types)
        ):
            label_name, weak_reason = "weak", " with a key or IV written in the source"
        if label_name == "weak" and spec.keyed_by and any(
            a.keyword in spec.keyed_by for a in call.args
        ):
            label_name = "sanitize"
        if label_name == "sanitize":
            return Value(types, self._pseudonyms(inputs, name, at))
        if not inputs:
            return Value(types | ({("literal_key", name)} if self._literal_key(call) else set()))
        label = LABEL_OF[label_name]
        what = f"{spec.what}{weak_reason}"
        verb = {COMPOSITE: "composed by", ENCODED: "encoded with", WEAK: "hashed with",
                DECODED: "decoded by"}.get(label, "passed through")
        step = Step("transform", at, f"{verb} {name}(): {what}")
        out = normalize(t.transformed(label, f"{name}() ({what})", step, at) for t in inputs)
        return Value(types, out)

    def _pseudonyms(self, inputs: list[Taint], name: str, at: NodeRef) -> frozenset[Taint]:
        """A keyed transform of one serial alone is safe to show, but it is the same value in
        every context: in an anonymous context it still links a person (IDL007). Mixing in a
        second identifier (the room) binds it to that context."""
        serial = [t for t in inputs if kind_of(t.label) in ("serial", "any")]
        origins = {t.origin for t in serial}
        if len(origins) != 1 or any(t.label == COMPOSITE for t in serial):
            return frozenset()
        step = Step("transform", at, f"keyed by {name}() but not bound to the context")
        return normalize(
            Taint(t.origin, PSEUDONYM if t.label != SAME else SAME, t.confidence,
                  f"{name}() of the serial alone", (*t.steps, step), at, t.in_url)
            if t.label != SAME else t.transformed(PSEUDONYM, f"{name}() of the serial alone",
                                                  step, at)
            for t in serial)

    def _query(self, frame: _Frame, call: ir.Call, func: ir.Expr, receiver: Value,
               method: str | None, names: list[str],
               args: list[tuple[ir.Arg, Value]]) -> Value | None:
        q = self.k.queries
        models = sorted({m for k, m in receiver.types if k in ("class", "collection")
                         and m in self.schemas.schemas})
        result: Value | None = None
        if method is not None and models:
            if method in q.instance_methods:
                result = Value(frozenset(("instance", m) for m in models))
            elif method in q.collection_methods:
                result = Value(frozenset(("collection", m) for m in models))
            elif method in q.row_methods:
                return self._rows(frame, call, models, args, receiver)
            key_args = args
        if result is None:
            arg_models = sorted({m for _, v in args[:1] for k, m in v.types
                                 if k in ("class", "collection") and m in self.schemas.schemas})
            if not arg_models:
                return None
            models = arg_models
            key_args = args[1:]
            if any(n in q.instance_functions for n in names) or (
                method is not None and method in q.session_instance_methods
            ):
                result = Value(frozenset(("instance", m) for m in arg_models))
            elif any(n in q.collection_functions for n in names) or (
                method is not None and method in q.session_collection_methods
            ):
                result = Value(frozenset(("collection", m) for m in arg_models))
            else:
                return None
        selected = {m for k, m in receiver.types if k == "selected"}
        selected |= self._selected_by_client(frame, call, models, key_args)
        if selected and self._restricted_to_user(frame, args, receiver):
            selected = set()
        return Value(result.types | frozenset(("selected", m) for m in selected))

    def _selected_by_client(self, frame: _Frame, call: ir.Call, models: list[str],
                            args: list[tuple[ir.Arg, Value]]) -> set[str]:
        """Models whose records this query picks by a serial the client chose."""
        out: set[str] = set()
        for m in models:
            schema = self.schemas.schemas[m]
            for arg, value in args:
                client = [t for t in value.taints if kind_of(t.label) == "client"]
                if not client:
                    continue
                field = (arg.keyword or "").split("__")[0]
                if arg.keyword is None or field in schema.serials or field in ("id", "pk"):
                    if arg.keyword is not None and field not in schema.serials and \
                            schema.pk_serial is False:
                        continue
                    if arg.keyword is None and schema.pk_serial is False:
                        continue
                    at = NodeRef(frame.path, call.node)
                    t = sorted(client)[0]
                    self._writers.setdefault(f"selection:{m}", set()).add(frame.key)
                    steps = (*t.steps, Step(
                        "transform", at, f"selects a `{schema.display}` record by this serial"))
                    # The shortest selection wins, whatever order code is evaluated in.
                    cur = self.selections.get(m)
                    if cur is None or _shorter(steps, cur):
                        self.selections[m] = steps
                        self._changed(f"selection:{m}")
                    out.add(m)
        return out

    def _restricted_to_user(self, frame: _Frame, args: list[tuple[ir.Arg, Value]],
                            receiver: Value) -> bool:
        user = self.schemas.user_model
        for _, value in args:
            if user and ("instance", user) in value.types:
                return True
            if any(t.origin.startswith(f"{user.rsplit('.', 1)[-1]}.") for t in value.taints
                   if user):
                return True
        return False

    def _rows(self, frame: _Frame, call: ir.Call, models: list[str],
              args: list[tuple[ir.Arg, Value]], receiver: Value = EMPTY) -> Value:
        at = NodeRef(frame.path, call.node)
        fields = [a.value.value for a, _ in args
                  if isinstance(a.value, ir.Const) and isinstance(a.value.value, str)]
        taints = []
        for m in models:
            schema = self.schemas.schemas[m]
            chosen = fields or sorted(schema.serials)
            for f in chosen:
                serial = schema.serials.get(f)
                if serial is not None:
                    taints.append(self._source(frame, serial.origin, serial.kind,
                                               serial.confidence, at))
                elif ("selected", m) in receiver.types and self.k.is_personal(f):
                    step = Step("source", at, f"personal field `{schema.display}.{f}` of a "
                                              "record the client chose")
                    taints.append(Taint(f"{schema.display}.{f}", PII, "high", "",
                                        (*self._selection_steps(frame, m), step), at))
        return Value(taints=normalize(taints))

    def _call_project(self, frame: _Frame, func: ir.Expr, args, call: ir.Call,
                      receiver: Value = EMPTY, names: list[str] | None = None) -> Value | None:
        """Apply the summary of a project function or method; None if not project code."""
        targets: list[tuple[FunctionRef, bool]] = []  # (function, bound: skips self)
        if names is None:
            names = self._callee_names(frame, func, receiver, None)
        for q in names:
            ref = self.project.functions.get(q)
            if ref is not None:
                bound = ref.function.class_name is not None and not any(
                    dotted_name(d) == "staticmethod" for d in ref.function.decorators)
                # Class.method(obj, ...) is unbound; obj.method(...) and cls.method() bound
                via_class = isinstance(func, ir.Attr) and any(
                    k == "class" for k, _ in receiver.types) and not any(
                    dotted_name(d) == "classmethod" for d in ref.function.decorators)
                targets.append((ref, bound and not via_class))
            elif q in self.project.classes:
                init = self.project.find_method(q, "__init__")
                value = Value(frozenset({("instance", q)}))
                if init is not None:
                    self._apply(frame, init, True, args, call)
                return value
        if isinstance(func, ir.Attr):
            for kind, cq in sorted(receiver.types):
                if kind == "instance" and cq in self.project.classes:
                    ref = self.project.find_method(cq, func.attr)
                    if ref is not None:
                        targets.append((ref, True))
        if not targets:
            return None
        results = [self._apply(frame, ref, bound, args, call) for ref, bound in targets]
        return join(*results)

    def _apply(self, frame: _Frame, ref: FunctionRef, bound: bool, args, call: ir.Call) -> Value:
        self._demand_function(ref.qualname)
        self._read(frame, ref.qualname)
        if frame.key:
            self._callees.setdefault(frame.key, set()).add(ref.qualname)
        summary = self.summaries.get(ref.qualname, Summary())
        params = ref.function.params
        offset = 1 if bound else 0
        bindings: dict[int, list[Taint]] = {}
        position = offset
        star_index = next((i for i, p in enumerate(params) if p.kind == "**"), None)
        for arg, value in args:
            if not value.taints:
                if arg.keyword is None and not arg.star:
                    position += 1
                continue
            if arg.star == "**" or arg.star == "*":
                for i in range(offset, len(params)):
                    bindings.setdefault(i, []).extend(value.taints)
                continue
            if arg.keyword is not None:
                idx = next((i for i, p in enumerate(params) if p.name == arg.keyword), star_index)
            else:
                idx = position if position < len(params) else next(
                    (i for i, p in enumerate(params) if p.kind == "*"), None)
                position += 1
            if idx is not None:
                bindings.setdefault(idx, []).extend(value.taints)
        at = NodeRef(frame.path, call.node)
        callee = ref.qualname.rsplit(".", 2)
        callee_name = ".".join(callee[-2:]) if ref.function.class_name else callee[-1]
        out: list[Taint] = []
        for t in summary.ret.taints:
            p = t.param
            if p is None:
                out.append(t.moved(at))
                continue
            for actual in bindings.get(p, ()):
                step = Step("call", at, f"passed to {callee_name}() as `{params[p].name}`")
                label = combine(actual.label, t.label)
                how = t.how if label != actual.label else actual.how
                inner = t.steps if label != actual.label or kind_of(actual.label) == "any" \
                    else tuple(s for s in t.steps if s.kind != "transform")
                out.append(Taint(actual.origin, label, actual.confidence, how,
                                 (*actual.steps, step, *inner), at,
                                 actual.in_url or t.in_url))
        for ps in sorted(summary.param_sinks, key=lambda s: (s.sink_at, s.param, s.label)):
            for actual in bindings.get(ps.param, ()):
                step = Step("call", at, f"passed to {callee_name}() as `{params[ps.param].name}`")
                label = combine(actual.label, ps.label)
                how = ps.how if label != actual.label else actual.how
                steps = (*actual.steps, step, *ps.steps)
                in_url = actual.in_url or ps.in_url
                if actual.param is not None:
                    # the caller's own parameter: its summary gains the sink
                    frame.param_sinks.add(ParamSink(actual.param, label, how, steps, ps.sink_at,
                                                    ps.sink_what, ps.function, ps.anonymous,
                                                    in_url))
                    continue
                combined = Taint(actual.origin, label, actual.confidence, how, steps, None,
                                 in_url)
                self._record(frame, combined, ps.sink_at, ps.sink_what, ps.function,
                             ps.anonymous)
        ret_types = frozenset(t for t in summary.ret.types if t[0] != "literal_key")
        return Value(ret_types, normalize(out))

    # ------------------------------------------------------------------ sinks

    def _sink_args(self, frame: _Frame, sink: SinkSpec, args, at: NodeRef) -> None:
        position = 0
        for arg, value in args:
            pos = None if arg.keyword is not None or arg.star else position
            if arg.keyword is None and not arg.star:
                position += 1
            if value.taints and (arg.star or sink.carries(pos, arg.keyword)):
                self._sink(frame, value, sink, at.node)

    def _sink(self, frame: _Frame, value: Value, sink: SinkSpec, node: int) -> None:
        what = sink.what
        sink_ref = NodeRef(frame.path, node)
        fn_name = frame.fn.qualname if frame.fn else f"{frame.module}"
        for t in sorted(value.taints):
            if t.label == CLIENT:
                continue  # echoing input back is not this tool's concern
            carrier = t.at or sink_ref
            step = Step("sink", carrier, f"reaches the client: {what}")
            in_url = t.in_url or sink.url
            if t.param is not None:
                frame.param_sinks.add(ParamSink(t.param, t.label, t.how, (*t.steps, step),
                                                carrier, what, fn_name, frame.anonymous,
                                                in_url))
                continue
            self._record(frame, Taint(t.origin, t.label, t.confidence, t.how,
                                      (*t.steps, step), carrier, in_url), carrier, what,
                         fn_name, frame.anonymous)

    def _record(self, frame: _Frame, t: Taint, sink_at: NodeRef, what: str,
                function: str, anonymous: bool = False) -> None:
        if not frame.emit or t.label == CLIENT:
            return
        code = rule_for(t.label, anonymous, t.in_url)
        if code is None:
            return
        flow = Flow(code, t.origin, t.confidence, t.how, what, sink_at,
                    t.steps, function)
        key = (flow.code, sink_at, t.origin)
        emitted = self.emitted.setdefault(frame.key, {})
        cur = emitted.get(key)
        if cur is None or _shorter(flow.steps, cur.steps):
            emitted[key] = flow


def _shorter(steps: tuple[Step, ...], other: tuple[Step, ...]) -> bool:
    """The trace kept when several reach one place: the shortest, then the first in order,
    so the choice does not depend on the order code is evaluated in."""
    return (len(steps), steps) < (len(other), other)


def _wave_order(key: str) -> tuple[int, str]:
    return (0 if key.startswith("<module>:") else 1, key)


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


@dataclass(frozen=True, slots=True)
class SolveResult:
    flows: list[Flow]
    broken: list[tuple[str, str]]  # (path, message) for code whose evaluation failed
    state: SolverState | None  # for the next run, when digests were given
    mode: str  # "full" or "incremental"
    evaluated: int  # evaluations of module bodies and functions, re-evaluations included


def solve(modules: Iterable[ir.Module], knowledge: Knowledge, *,
          digests: dict[str, str] | None = None, previous: SolverState | None = None,
          old_module: Callable[[str, str], ir.Module | None] | None = None) -> SolveResult:
    """The flows in `modules`. With `previous` and `old_module(path, digest)` (an earlier
    version of a file's facts), only code affected by what changed is evaluated again."""
    solver = Solver(Project(modules), knowledge)
    flows = None
    mode = "full"
    evaluated = 0
    if previous is not None and digests is not None and old_module is not None:
        changes = _changes(solver.project, previous, digests, old_module)
        if changes is not None:
            flows = solver.run_incremental(previous, changes)
            mode = "incremental"
            if flows is None:  # the project index holds no state: keep it
                evaluated = solver.evaluations
                solver = Solver(solver.project, knowledge)
                mode = "full"
    if flows is None:
        flows = solver.run()
    state = solver.state(digests) if digests is not None else None
    return SolveResult(flows, sorted(set(solver.broken.values())), state, mode,
                       evaluated + solver.evaluations)


@dataclass(frozen=True, slots=True)
class Changes:
    """What an edit changed, for an incremental solve."""

    # path -> keys of its code whose facts changed (module body, functions); None for all
    keys: dict[str, frozenset[str] | None]
    # module -> globals that the edit of its body can change (absent: any of them)
    names: dict[str, frozenset[str]]


def _changes(project: Project, previous: SolverState, digests: dict[str, str],
             old_module: Callable[[str, str], ir.Module | None]) -> Changes | None:
    """What changed in the paths whose contents changed while their definitions did not;
    None when the set of modules or any definition changed, which needs a full solve."""
    if previous.modules != project.module_names:
        return None
    changes = Changes({}, {})
    for path, name in project.module_names.items():
        if previous.digests.get(path) == digests.get(path):
            continue
        old = old_module(path, previous.digests[path])
        new = project.modules[name]
        if old is None or interface(old) != interface(new):
            return None
        keys = changes.keys[path] = _changed_code(name, old, new)
        if keys is None or f"<module>:{name}" in keys:
            # (a module body that did not change is only evaluated again when it read
            # something that did, and then any of its globals may change)
            names = _changed_globals(old, new)
            if names is not None:
                changes.names[name] = names
    return changes


def _changed_code(name: str, old: ir.Module, new: ir.Module) -> frozenset[str] | None:
    """Keys of the functions (and module body) of `name` whose facts or body differ; None
    when anything else in the file differs, such as the node numbers of class attributes.
    An edit to a comment or to one function leaves the rest of the file's state valid."""
    if (old.classes != new.classes or old.imports != new.imports
            or old.packed is None or new.packed is None
            or len(old.packed) != len(old.functions) or len(new.packed) != len(new.functions)
            or [f.qualname for f in old.functions] != [f.qualname for f in new.functions]):
        return None
    keys = set()
    for index, (a, b) in enumerate(zip(old.functions, new.functions, strict=True)):
        if a != b or old.packed[index] != new.packed[index]:
            keys.add(f"<module>:{name}" if a.qualname == ir.MODULE_BODY
                     else f"{name}.{a.qualname}")
    return frozenset(keys)


def _changed_globals(old: ir.Module, new: ir.Module) -> frozenset[str] | None:
    """Module-level names whose value the edit can change: those assigned by statements that
    were added or removed, and by statements that read such names. Everything else the body
    computes is computed as before, unless it reads what other changed code computes, which
    _dependents checks. None when the bodies cannot be compared."""
    try:
        index = [f.qualname for f in new.functions].index(ir.MODULE_BODY)
        old_body = Counter(ir.unpack_body(old, index))
        new_body = ir.unpack_body(new, index)
    except (ValueError, IndexError, TypeError):
        return None
    new_counts = Counter(new_body)
    changed: set[str] = set()
    for stmt in (*(old_body - new_counts).elements(), *(new_counts - old_body).elements()):
        changed |= order.names(stmt)[1]
    uses = [order.names(stmt) for stmt in new_body]
    grew = bool(changed)
    while grew:
        grew = False
        for reads, assigned in uses:
            if reads & changed and not assigned <= changed:
                changed |= assigned
                grew = True
    return frozenset(changed)


_NOT_INTERFACE = frozenset({"node", "body", "packed", "calls", "assigns_subscript", "one_pass",
                            "node_count", "line_count", "suppressions"})


def interface(fact: object) -> object:
    """A module's definitions without bodies and node numbers: what other modules' analysis
    can depend on besides the summaries, attributes and globals tracked per reader."""
    if isinstance(fact, tuple):
        return tuple(interface(x) for x in fact)
    if not isinstance(fact, ir._Fact):
        return fact
    names: tuple[str, ...] = fact.__slots__
    return (type(fact).__name__, *(interface(getattr(fact, n)) for n in names
                                   if n not in _NOT_INTERFACE))
