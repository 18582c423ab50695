"""Which functions are evaluated and when: the demand (only code that can matter to a
finding), the worklist and its waves, and the flows kept at the fixpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace

from idlint.analysis import ir
from idlint.analysis.bodies import Bodies
from idlint.analysis.calls import _walk
from idlint.analysis.flows import MAX_OTHER_WAYS, Flow, FlowKey, shorter, subject_of
from idlint.analysis.project import BUILTIN_METHODS, FunctionRef, dotted_name
from idlint.analysis.rendered_model import rendered_model, spec_for, string_items
from idlint.analysis.schema import Schema
from idlint.analysis.values import OWN_ONLY, RENDERED_PARAM, NodeRef

MAX_WAVES = 12  # of the worklist; real code settles in 3-5
_MAX_NESTING = 6  # callees evaluated inside their caller on first demand


class Scheduler(Bodies):
    def run(self) -> list[Flow]:
        # Waves over a worklist: first every module body and every function that can matter
        # to a finding, then only what read something that changed. Each wave runs in sorted
        # order, so the result does not depend on the order files were found in.
        modules = sorted(self.project.modules)
        # (What these call is evaluated when a call is met, nested in its caller: the
        # callees that names alone suggest were a quarter of Django's evaluations, and no
        # evaluation reached them.)
        first = self._expand()
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
                if ref.function.class_name is None or \
                        ref.function.name not in BUILTIN_METHODS:
                    # (a method named like one of dict's or object's, `get` or `__init__`:
                    # nearly every call of that name is on a dict or another object, so the
                    # name does not make a function a likely caller; a caller demanded for
                    # another reason still reaches the method through its receiver's class)
                    with_param_sinks.add(ref.function.name)
                if ref.function.name == "__init__" and ref.function.class_name:
                    with_param_sinks.add(ref.function.class_name.rsplit(".", 1)[-1])
                elif ref.function.class_name is None:
                    # it may run as a task: `send_token.delay(token)`
                    with_param_sinks |= self.k.task_call_methods
        demanded = self.demand.functions
        if self._roots is None:  # (demand only grows: what is demanded now needs no look)
            self._roots = [q for q, ref in self.project.functions.items()
                           if q not in demanded and self._may_sink(ref)]
        out = {q for q in self._roots if q not in demanded}
        for name in with_param_sinks:
            out.update(q for q in self._callers_by_name.get(name, ()) if q not in demanded)
        return out

    @functools.cached_property
    def _callers_by_name(self) -> dict[str, list[str]]:
        """Last name called -> the functions calling it."""
        index: dict[str, list[str]] = {}
        for q, ref in self.project.functions.items():
            for name in ref.function.calls:
                index.setdefault(name, []).append(q)
        return index

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
        that may have stored it and were not evaluated so far are evaluated now, so that the
        reader sees what they store (nested like callees, see _demand_function; the reader is
        evaluated again if they store something later)."""
        for key in (name, f"{cls}.{name}"):
            if key in self.demand.attributes:
                continue
            self.demand.attributes.add(key)
            for q in self._stores_index.get(key, ()):
                self._demand_function(q)

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

    def _evaluate(self, first: list[str], second: list[str]) -> None:
        self._dirty = set()
        for key in (*first, *second):
            self._run_key(key)
        pending = self._dirty
        for _ in range(MAX_WAVES):
            if not pending:
                break
            self._dirty = set()
            for key in sorted(pending, key=self._wave_order):
                self._run_key(key)
            pending = self._dirty

    def _wave_order(self, key: str) -> tuple[int, str]:
        """Module bodies first, then functions callees first (as the first wave): a wave in
        name order evaluated callers before the callees that changed in it, and again in the
        next wave."""
        if key.startswith("<module>:"):
            return (-1, key)
        return (self._callee_rank.get(key, -1), key)

    @functools.cached_property
    def _callee_rank(self) -> dict[str, int]:
        return {q: i for i, q in enumerate(self.project.callee_first_order())}

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

    def _all_flows(self) -> list[Flow]:
        # Every evaluation records the flows it sees and replaces those of the previous
        # evaluation of the same code, so at the fixpoint they rest on final summaries. Only
        # code that can report keeps them (a function that no longer reaches a sink after an
        # edit may still hold an old evaluation's).
        demanded = {q: self.project.functions[q] for q in self.demand.functions
                    if q in self.project.functions}
        reporting = self._emitters(demanded)
        flows: dict[tuple[str, NodeRef, str], Flow] = {}
        # the shortest way in of each call through which it entered a helper (FlowKey)
        ways: dict[tuple[str, NodeRef, str], dict[FlowKey, Flow]] = {}
        for where, emitted in self.emitted.items():
            if not where.startswith("<module>:") and where not in reporting:
                continue
            for key, flow in emitted.items():
                main = (key[0], key[1], key[2])
                cur = flows.get(main)
                if cur is None or shorter(flow.steps, cur.steps):
                    flows[main] = flow
                each = ways.setdefault(main, {})
                cur = each.get(key)
                if cur is None or shorter(flow.steps, cur.steps):
                    each[key] = flow
        from idlint.analysis.declarative import Declarations
        from idlint.analysis.generic_views import GenericRetrieves

        def staff_only(ref: FunctionRef) -> bool:
            return self._is_staff_only(ref, self.project.class_of(ref))

        generic = GenericRetrieves(self.project, self.schemas, self.k,
                                   lambda q: self._is_staff_only(None, q))
        own_returns = {q: got for q, summary in self.summaries.items()
                       if (got := frozenset(g for g in _own_only(summary.ret.types)
                                            if not g.startswith(f"{RENDERED_PARAM}|")))}
        declarations = Declarations(self.project, self.schemas, self.k, staff_only,
                                    self._requester_types(), own_returns,
                                    generic.requester_views(), generic.requester_keys())
        for main, flow in flows.items():
            # what a serializer's method field returns: whose it is and what it refers to
            # depend on the record the serializer renders
            ref = self.project.functions.get(flow.function)
            cls = self.project.class_of(ref) if ref is not None else None
            field = self._method_field(cls, ref.function.name) if cls and ref else None
            if cls and field and flow.sink_what == f"serializer field `{field}`":
                flows[main] = declarations.method_field(flow, cls, field)
        for main, flow in flows.items():
            others = sorted({w.steps for w in ways.get(main, {}).values()} - {flow.steps},
                            key=lambda steps: (len(steps), steps))[:MAX_OTHER_WAYS]
            if others:
                flows[main] = replace(flow, others=tuple(others))
        for flow in declarations.run():
            flows.setdefault((flow.code, flow.sink_at, flow.origin), flow)
        for flow in generic.run():
            flows.setdefault((flow.code, flow.sink_at, flow.origin), flow)
        objects = self.schemas.object_origins
        return sorted((replace(f, subject=subject_of(f.code, f.origin, objects))
                       for f in flows.values()), key=lambda f: (f.sink_at, f.code, f.origin))

    def _requester_types(self) -> frozenset[str]:
        """Declared types (GraphQL object types) that only the requester's own record is
        rendered as: every route that returns one returns only the requester's records
        (`def me(info) -> User: return info.context.request.user`), and every field of
        another class that renders one is given only theirs (`LoginSuccess(user=user)` for
        the user who just logged in), or is resolved by such a route. A type with any other
        way to the client (`user(id) -> User`, a field of a type whose instances are built
        elsewhere) is not. Also "Type|field": a foreign key that every route rendering the
        type selected or created the records by the requester for (`filter(user=request.
        user)`, `create(owner=request.user)`), and then the record's primary key too: the
        record is the requester's (their application, their request). A resolver of a type
        that renders only the requester picks the requester's records by the key of the
        record it renders (`filter(owner_id=self.id)` in a `me` type's field).
        Their serials are the requester's own."""
        declared = {q for q in self.project.classes if spec_for(self.project, self.k, q)}
        if not declared:
            return frozenset()
        # type -> what each renderer gives, with the class whose rendered record the
        # renderer's "self|M|attr" picks by (None for others)
        given: dict[str, list[tuple[frozenset[str], str | None]]] = {}
        routes: list[frozenset] = []  # the types each route returns
        for q in sorted(self.demand.functions):
            ref = self.project.functions.get(q)
            summary = self.summaries.get(q)
            if ref is None or summary is None:
                continue
            cls = self.project.class_of(ref)
            if not self._is_route(ref, cls):
                continue
            types = summary.ret.types
            routes.append(types)
            for kind, t in types:
                if kind in ("instance", "collection") and t in declared:
                    given.setdefault(t, []).append((_own_only(types), cls))
        for cq, cref in sorted(self.project.classes.items()):
            module = self.project.module_names[cref.module.path]
            for attr in cref.cls.attrs:
                named = {self.project.resolve(module, n) for e in _walk(
                    (attr.annotation, attr.value)) if isinstance(e, (ir.Name, ir.Attr)) and
                    (n := dotted_name(e))} & declared
                named.discard(cq)
                if not named:
                    continue
                resolver = self._attribute_resolver(cq, module, attr)
                if resolver is not None:
                    summary = self.summaries.get(resolver)
                    gives = _own_only(summary.ret.types) if summary else frozenset()
                else:  # given when the class is built: by every route that returns one
                    built = [t for t in routes if ("instance", cq) in t]
                    gives = frozenset({"*"}) if built and all(
                        (OWN_ONLY, f"{cq}|{attr.name}") in t for t in built) else frozenset()
                for t in named:
                    given.setdefault(t, []).append((gives, None))
        if not given:
            return frozenset()
        implicit = self._implicitly_rendered(declared)
        out: frozenset[str] = frozenset()
        while True:  # a type found the requester's makes its resolvers' picks theirs
            found = self._requester_only(given, implicit, out)
            if found == out:
                return out
            out = found

    def _requester_only(self, given: dict[str, list[tuple[frozenset[str], str | None]]],
                        implicit: set[str], known: frozenset[str]) -> frozenset[str]:
        """One round of _requester_types, with the types `known` to render only the
        requester."""
        prefix = f"{RENDERED_PARAM}|"
        out: set[str] = set()
        for t, renderers in given.items():
            model = rendered_model(self.project, self.schemas, self.k, t)[0] or ""
            if model in implicit:
                continue
            gives = [frozenset(g for g in got if not g.startswith(prefix)) |
                     (frozenset(g.removeprefix(prefix) for g in got if g.startswith(prefix))
                      if cls in known else frozenset())
                     for got, cls in renderers]
            if all("*" in g or model in g for g in gives):
                out.add(t)
                continue
            fields = {f.partition("|")[2] for g in gives for f in g
                      if f.partition("|")[0] == model}
            own = {f for f in fields
                   if all("*" in g or model in g or f"{model}|{f}" in g for g in gives)}
            out |= {f"{t}|{f}" for f in own}
            schema = self.schemas.schemas.get(model)
            if schema is not None and all(
                    "*" in g or model in g or any(
                        f.partition("|")[0] == model and self._requester_key(schema, f)
                        for f in g) for g in gives):
                # every renderer gives records tied to the requester by a foreign key
                out |= {f"{t}|{n}" for n, s in schema.serials.items()
                        if s.kind == "primary key"}
        return frozenset(out)

    @staticmethod
    def _requester_key(schema: Schema, own: str) -> bool:
        """Whether "M|attr" names a foreign key of M (given the requester)."""
        name = own.partition("|")[2]
        serial = schema.serials.get(name)
        return name in schema.relations or (serial is not None and serial.kind == "foreign key")

    def _implicitly_rendered(self, declared: set[str]) -> set[str]:
        """Models that a declared type renders through a relation without naming the type
        that renders them (`holder: strawberry.auto`, a graphene-django type's foreign keys
        by default): whichever record the relation holds reaches the client."""
        out: set[str] = set()
        for q in sorted(declared):
            model = rendered_model(self.project, self.schemas, self.k, q)[0]
            schema = self.schemas.schemas.get(model or "")
            if schema is None or not schema.relations:
                continue
            attrs = {a.name: a for c in self.project.mro(q) if c in self.project.classes
                     for a in self.project.classes[c].cls.attrs}
            meta = self.project.classes.get(f"{q}.Meta")
            options = {a.name: a.value for a in (meta.cls.attrs if meta else ())}
            for d in self.project.classes[q].cls.decorators:  # @type(Model, fields=[...])
                if isinstance(d, ir.Call):
                    options |= {a.keyword: a.value for a in d.args if a.keyword}
            listed = _strings(options.get("fields"))
            spec = spec_for(self.project, self.k, q)
            module = self.project.module_names[self.project.classes[q].module.path]
            for name, target in schema.relations.items():
                attr = attrs.get(name)
                if (attr is not None and not self._names_a_class(module, attr)) or \
                        "__all__" in listed or name in listed or (
                        spec is not None and spec.default_all and not listed and
                        name not in _strings(options.get("exclude"))):
                    out.add(target)
        return out

    def _names_a_class(self, module: str, attr: ir.ClassAttr) -> bool:
        """Whether a field says which of the project's classes renders it
        (`talk_manager: ScheduleItemUser`), unlike `holder: strawberry.auto`."""
        return any(isinstance(e, (ir.Name, ir.Attr)) and (name := dotted_name(e)) and
                   self.project.resolve(module, name) in self.project.classes
                   for e in _walk((attr.annotation, attr.value)))

    def _attribute_resolver(self, cls: str, module: str, attr: ir.ClassAttr) -> str | None:
        """The function that resolves a field declared as a class attribute:
        `field(resolver=f)`, or the class's `resolve_<name>` method."""
        if isinstance(attr.value, ir.Call):
            for arg in attr.value.args:
                if arg.keyword == "resolver" and (name := dotted_name(arg.value)):
                    q = self.project.resolve(module, name)
                    if q in self.project.functions:
                        return q
        method = self.project.find_method(cls, f"resolve_{attr.name}")
        return method.qualname if method is not None else None

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
        known = self._may_sinks.get(ref.qualname)
        if known is None:  # (asked for every function at every demand expansion)
            known = self._may_sinks[ref.qualname] = self._find_may_sink(ref)
        return known

    def _find_may_sink(self, ref: FunctionRef) -> bool:
        class_q = self.project.class_of(ref)
        if self._is_route(ref, class_q) or self._hook(ref, class_q) is not None:
            return True  # (a library hook: the library calls it and sends what it returns)
        fn = ref.function
        return not fn.calls.isdisjoint(self._sink_names) or any(
            # a parameter that is a sink object (`ack: Ack`), called by the parameter's name
            p.annotation is not None and
            (dotted_name(p.annotation) or "").rsplit(".", 1)[-1] in self._sink_names
            for p in fn.params) or self._may_write_header(ref)

    def _may_write_header(self, ref: FunctionRef) -> bool:
        """Whether an item assignment of the function may write a response header, so that
        the function is evaluated even when no code the project runs calls it: into a header
        container (`resp.headers[k] = v`) or a name for a response (`response[k] = v` in a
        middleware hook). `data[k] = v` cannot: a third of Django's functions assign items
        only so, and were evaluated for it. (A function the project calls is evaluated in
        any case, and its header writes are found then.)"""
        for base in ref.function.subscript_bases:
            kind, _, name = base.partition(":")
            if (kind == "attr" and name in self.k.header_containers) or \
                    (kind == "name" and "resp" in name.lower()):
                return True
        return False

    @functools.cached_property
    def _sink_names(self) -> frozenset[str]:
        # with the project's own response classes (`Ok(Response)` deriving from a library's)
        own = {q.rsplit(".", 1)[-1] for q in self.project.classes if self._sink_subclass(q)}
        return frozenset(
            {q.rsplit(".", 1)[-1] for q in self.k.sink_callables} | set(self.k.sink_methods)
            | own
        )


def _strings(expr: ir.Expr | None) -> set[str]:
    """The strings of `"__all__"` or of a list of field names."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return {expr.value}
    return set(string_items(expr))


def _own_only(types: frozenset) -> frozenset[str]:
    """What a function's summary says it returns only of the requester's (see
    Bodies._only_own_returned): "M" for records of model M, "C|attr" for a field."""
    return frozenset(q for k, q in types if k == OWN_ONLY)


