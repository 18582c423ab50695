"""Calls: which callables a call reaches, sinks, and the summaries of project functions applied
at their call sites (arguments substituted for `param:N` taints)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from idlint.analysis import ir
from idlint.analysis.core import Frame, passed_key
from idlint.analysis.flows import Flow, ParamSink, ParamStore, Summary, flow_key, rule_for
from idlint.analysis.library import _argument_records
from idlint.analysis.project import FunctionRef, dotted_name
from idlint.analysis.rendered_templates import TemplateRenders
from idlint.analysis.values import (
    ARG_RECORDS,
    ARG_SELECTED,
    BUILT,
    BUILT_STORE,
    CALLS_PARAM,
    CLIENT,
    DECODED,
    EMPTY,
    HELD,
    LINKED,
    OWN,
    OWN_FIELD,
    OWN_IF,
    OWN_KEY,
    OWN_ONLY,
    SELECTED_BY,
    SESSION,
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
from idlint.knowledge import SinkSpec

if TYPE_CHECKING:
    from idlint.analysis.generic_views import GenericRetrieves

_LOWER = {"high": "medium", "medium": "low", "low": "low"}
# The name a bound method's receiver is held under while it is called (no Python name)
_BOUND_RECEIVER = "<bound>"
_FIRST_WORD = re.compile(r"_*([A-Za-z][a-z0-9]*)")


# What a function passes to one defined in it that the nested function's parameter holds:
# records and what is known of whose they are (see _note_passed).
_PASSED_KINDS = frozenset({"instance", "collection", "row", "rows", "selected", SELECTED_BY,
                           OWN, OWN_FIELD, OWN_IF})

# Overrides of a method followed for a call on a base class; more say too little about
# which one runs.
_OVERRIDES = 8


def _binds_task(ref: FunctionRef) -> bool:
    """`@app.task(bind=True)`: the task function's first parameter is the task itself."""
    return any(isinstance(d, ir.Call) and any(
        a.keyword == "bind" and isinstance(a.value, ir.Const) and a.value.value is True
        for a in d.args) for d in ref.function.decorators)


class Calls(TemplateRenders):
    def _call(self, frame: Frame, call: ir.Call) -> Value:
        func = call.func
        args = [(a, self._eval(frame, a.value)) for a in call.args]
        if type(func) is ir.Name or type(func) is ir.Subscript:
            # a lambda or bound method held as a value (see HELD): `get(m)`, `TABLE[k](q)`
            held = self._held_callee(frame, func)
            if held:
                return join(*(self._call_held(frame, t, args, call) for t in held))
            if type(func) is ir.Name and frame.fn is not None:
                # a parameter called: what the caller gives it returns (see CALLS_PARAM)
                called = self._parameter_called(frame, func, args)
                if called is not None:
                    got = self._call_with(frame, call, args)
                    return Value(got.types | {called}, got.taints)
        return self._call_with(frame, call, args)

    def _call_with(self, frame: Frame, call: ir.Call, args: list) -> Value:
        func = call.func
        at = NodeRef(frame.path, call.node)
        receiver = EMPTY
        method = None
        if isinstance(func, ir.Attr):
            method = func.attr
            if isinstance(func.value, ir.Const) and isinstance(func.value.value, str):
                return self._string_method(frame, call, func.value.value, method, args, at)
            receiver = self._eval(frame, func.value)
        elif isinstance(func, ir.Name):
            receiver = EMPTY
            if func.id == "map" and len(args) >= 2 and isinstance(args[0][0].value, ir.Lambda) \
                    and args[0][0].value.params and func.id not in frame.env and \
                    self.project.resolve(frame.module, "map") == "map":
                return self._map_lambda(frame, args[0][0].value, args[1][1])
        names = self._callee_names(frame, func, receiver, method)
        if isinstance(func, ir.Attr):
            answered = self._base_method_call(frame, func, receiver, args, call, at)
            if answered is not None:
                return answered
        if method is not None and method in self.k.record_view_methods:
            # `self.get_object()` of a generic view that does not define it
            for kind, q in sorted(receiver.types):
                if kind == "instance" and self.project.find_method(q, method) is None:
                    record = self._view_record_value(frame, q, at)
                    if record.types:
                        return record
        if method is not None and method in self.k.task_call_methods:
            # `send_mail_task.delay(token, email)` runs the task with these arguments (with
            # `@app.task(bind=True)` its first parameter is the task itself) and answers with
            # a handle of the queued task: its `id` is the queue's, not what the task returns
            # nor a record to guess from the name `task`
            task = self._queued_task(frame, func, receiver)
            if task is not None:
                self._apply(frame, task, _binds_task(task), args, call)
                return Value(frozenset({("ext", f"{task.qualname}.{method}")}))

        if method is not None and method in self.k.client_methods and isinstance(func, ir.Attr):
            root = dotted_name(func.value) or ""
            if root.rsplit(".", 1)[-1] in self.k.client_method_receivers:
                return Value(taints=frozenset({self._client(f"`{root}.{method}()`", at)}))

        # a template rendered: what it prints of the records in its context
        render = self._render_spec(names)
        if render is not None:
            self._render(frame, render, args, at)
        # sinks
        for q in names:
            sink = self._callee_sink(q)
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

        if method == "get" and receiver.types:
            registered = self._registered(receiver)
            if registered:  # `SHARES.get(kind)`: one of the registered classes
                return Value(registered)
            if (SESSION, "") in receiver.types:  # `session.get("user_id")`
                return Value(frozenset({(OWN_KEY, "")}))
        if method in ("values", "items") and not args and receiver.types:
            # `TABLE.items()` of a registry: its pairs hold what it registers (a pair is
            # unpacked as a whole, see _assign)
            registry = frozenset(t for t in receiver.types if t[0] == "registry")
            if registry:
                return Value(registry)

        # (a promise is what it resolves to: a record's query has no `then`)
        if method is not None and isinstance(func, ir.Attr):
            loaded = self._loaded(receiver, method)
            if loaded is not None:
                return loaded
            if method in self.k.then_methods and args and args[0][0].keyword is None and \
                    not args[0][0].star:
                then = self._then(frame, func.value, receiver, args[0], call)
                if then is not None:
                    return then

        # ORM queries first: `.get()` on a queryset is a lookup, not dict.get
        orm = self._query(frame, call, func, receiver, method, names, args)
        # (a query of a parameter's records, unless project code or a transform answers)
        argument = orm.types if orm is not None and all(
            t[0] in (ARG_RECORDS, ARG_SELECTED) for t in orm.types) else frozenset()
        if orm is not None and not argument:
            return orm

        if names in (["str"], ["repr"]) and len(args) == 1 and args[0][0].keyword is None \
                and not args[0][0].star:
            rendered = self._rendered_by_dunder(frame, names[0], args[0][1], call)
            if rendered is not None:
                return rendered

        # transforms (encoders, hashes, sanitizers, conversions), also those a project class
        # inherits from a library class, or reaches through super()
        inherited = self._library_names(frame, func, receiver, method)
        for q in [*names, *inherited]:
            spec = self.k.transform_callables.get(q)
            if spec is not None:
                return self._transform(frame, spec, q, call, args, receiver, at, method=False)
        if method is not None and method in self.k.transform_methods and (
            receiver.taints or any(v.taints for _, v in args)
        ) and not self._project_method(receiver, method):
            spec = self.k.transform_methods[method]
            return self._transform(frame, spec, method, call, args, receiver, at, method=True)

        for q in names:
            if q in self.k.user_functions:
                return Value(self._user_types())
            if q in self.k.user_model_functions and self.schemas.user_model:
                return Value(frozenset({("class", self.schemas.user_model)}))
            if q in self.k.requester_key_functions:  # `get_jwt_identity()`
                return Value(frozenset({(OWN_KEY, "")}))
        for q in names:
            if q in self.k.serial_functions:
                return Value(taints=frozenset(
                    {self._source(frame, f"{q}()", "serial", "high", at)}))

        if names == ["getattr"] and len(args) >= 2 and not any(a.keyword for a, _ in args):
            got = self._getattr(frame, call, args)
            if got is not None:
                return got

        if method is not None and isinstance(func, ir.Attr):
            supers = self._super_targets(frame, func.value, method)
            if supers:  # `super().for_user(user)`: the method a base class defines
                return join(*(self._apply(frame, ref, bound, args, call,
                                          self._self_value(frame))
                              for ref, bound in supers))

        # project code
        result = self._call_project(frame, func, args, call, receiver=receiver, names=names)
        if result is not None:
            return result
        # Unknown callable (a library, or code idlint cannot resolve): like Pysa for code it
        # cannot see, assume its result carries its arguments' serials, at lower confidence;
        # rules/models lists the common callables that do not (len, bool, isinstance, ...).
        # It keeps a name so that methods called on it can be recognised.
        ext = [q for q in names if q not in self.project.functions]
        types: set[Type] = {("ext", q) for q in ext[:1]} | argument
        if ext and self._literal_key(call):
            types.add(("literal_key", ext[0]))
        shown = (ext[0] if ext else dotted_name(func) or method or "a callable").rsplit(".", 1)[-1]
        if self._looks_up(shown) or (method is not None and method in self.k.task_handle_methods):
            # (a lookup answers with records, a queued task with its handle: neither is
            # made of the arguments)
            return Value(frozenset(types))
        return Value(frozenset(types), self._passed_through(shown, receiver, args, at))

    def _base_method_call(self, frame: Frame, func: ir.Attr, receiver: Value, args: list,
                          call: ir.Call, at: NodeRef) -> Value | None:
        """A method that a project copy of a library generic view defines (see _mirror_base),
        called on a subclass (`self.get_queryset()`, or `super().get_queryset()` in the
        subclass: the next base in its MRO that defines it), answers as the library's does
        for that subclass (see _mirrored). None: an ordinary call."""
        method = func.attr
        via_super = _is_super(func.value) and frame.class_qualname is not None and \
            "super" not in frame.env
        runs: list[tuple[str, FunctionRef]] = []  # (class of the object, the method)
        if via_super:
            assert frame.class_qualname is not None
            for c in self.project.mro(frame.class_qualname)[1:]:
                cref = self.project.classes.get(c)
                ref = self.project.functions.get(f"{c}.{method}") if cref is not None and \
                    method in cref.cls.methods else None
                if ref is not None:
                    runs.append((frame.class_qualname, ref))
                    break
        else:
            for kind, q in sorted(receiver.types):
                if kind == "instance" and q in self.project.classes and \
                        q not in self.schemas.schemas:
                    ref = self.project.find_method(q, method)
                    if ref is not None:
                        runs.append((q, ref))
        answers = [got for view, ref in runs
                   if (got := self._mirrored(frame, view, ref, method, args, at)) is not None]
        # (other `super()` calls run the next base's method: see _super_targets)
        return join(*answers) if answers else None

    def _mirrored(self, frame: Frame, view: str, ref: FunctionRef, method: str, args: list,
                  at: NodeRef) -> Value | None:
        """What a generic view's method gives on the view `view` when a project copy of the
        library's view defines it: the view's records (`get_queryset()`), the record the
        URL names (`get_object()`), its serializer for a record (`get_serializer(obj)`)."""
        spec = self.k.generic_retrieve
        if spec is None or method not in spec.mirror_methods:
            return None
        owner = self.project.class_of(ref)
        if owner is None or owner == view or not self._mirror_base(owner):
            return None
        if method in spec.queryset_methods:
            model = self._view_model(view)
            return Value(frozenset({("collection", model)})) if model is not None else None
        if method in self.k.record_view_methods:
            record = self._view_record_value(frame, view, at)
            return record if record.types else None
        if method in spec.serializer_instance_methods:
            serializers = self._generic_views.serializers(self.project.mro(view), spec)
            if not serializers:
                return None
            # (the one for the requests no test singled out)
            return Value(frozenset({("instance", serializers[0])}) |
                         self._rendering(serializers[0], args))
        return None

    @functools.cached_property
    def _generic_views(self) -> GenericRetrieves:
        from idlint.analysis.generic_views import GenericRetrieves
        return GenericRetrieves(self.project, self.schemas, self.k,
                                lambda q: self._is_staff_only(None, q))

    def _rendered_by_dunder(self, frame: Frame, name: str, value: Value,
                            call: ir.Call) -> Value | None:
        """`str(token)` of an object whose class (or a project base) defines `__str__`
        (`repr`: `__repr__`) is what that method returns: what the object holds passes
        through the method's transforms (a token class whose `__str__` signs its payload
        into a JWT), and nothing of it when the method returns none of it. None when the
        value is not only such objects."""
        dunder = f"__{name}__"
        refs: dict[str, FunctionRef] = {}
        for kind, q in sorted(value.types):
            ref = self.project.find_method(q, dunder) if kind == "instance" and \
                q in self.project.classes else None
            if ref is None:
                return None
            refs.setdefault(ref.qualname, ref)
        if not refs:
            return None
        # unbound: the object is the method's `self`
        return join(*(self._apply(frame, ref, False, [(call.args[0], value)], call)
                      for _, ref in sorted(refs.items())))

    def _library_names(self, frame: Frame, func: ir.Expr, receiver: Value,
                       method: str | None) -> list[str]:
        """Names of a library class's method that a call of `method` runs: on a project
        subclass that does not define it (`MyToken.for_user(u)` of `MyToken(RefreshToken)`),
        or through `super()` in a method of a project class (`super().get_token(user)`,
        `super(TokenObtainPairSerializer, cls).get_token(user)`)."""
        if method is None or not isinstance(func, ir.Attr) or \
                method not in self._transform_method_names:
            return []  # (only a library transform is looked up by these names)
        if _is_super(func.value):
            call = func.value
            assert isinstance(call, ir.Call)
            named = dotted_name(call.args[0].value) if len(call.args) == 2 else None
            start = self.project.resolve(frame.module, named) if named else frame.class_qualname
            if start is None:
                return []
            if start not in self.project.classes:
                return [f"{start}.{method}"]
            return self._library_bases(start, method, False)
        out: list[str] = []
        for k, q in sorted(receiver.types) if receiver.types else ():
            if k in ("class", "instance") and q in self.project.classes:
                out += self._library_bases(q, method, True)
        return out

    @functools.cached_property
    def _transform_method_names(self) -> frozenset[str]:
        return frozenset(q.rsplit(".", 1)[-1] for q in self.k.transform_callables)

    def _library_bases(self, cls: str, method: str, inherited: bool) -> list[str]:
        """`method` on each library base of project class `cls` (none when `inherited` and
        a project class in its MRO defines it), once per solve: asked at most calls."""
        key = ("library_bases", cls, method, inherited)
        got = self.project.memo.get(key)
        if got is None:
            got = self.project.memo[key] = [] if inherited and self.project.find_method(
                cls, method) is not None else [f"{b}.{method}" for b in self.project.mro(cls)[1:]
                                               if b not in self.project.classes]
        assert isinstance(got, list)
        return got

    def _self_value(self, frame: Frame) -> Value | None:
        """What `self` is in the method evaluated (the object `super().m()` runs on)."""
        fn = frame.fn.function if frame.fn is not None else None
        return frame.env.get(fn.params[0].name) if fn is not None and fn.params else None

    def _super_targets(self, frame: Frame, receiver: ir.Expr,
                       method: str) -> list[tuple[FunctionRef, bool]]:
        """The project methods `super().method(...)` in a method of class C runs: in the
        method resolution order of C, and of each project class derived from C (a mixin's
        `super()` reaches the class it is mixed into), the first class after C that
        defines the method. Bound unless a static method. Special methods are not followed
        (`super().__init__(*args, **kwargs)`): constructor chains run through every class
        hierarchy of a framework (a sixth of the solve on Django's package) and rarely move a
        serial the subclass does not already hold."""
        if method.startswith("__") and method.endswith("__"):
            return []
        cls = frame.class_qualname
        if not (_is_super(receiver) and cls is not None and cls in self.project.classes and
                "super" not in frame.env and
                self.project.resolve(frame.module, "super") == "super"):
            return []
        assert isinstance(receiver, ir.Call)
        if len(receiver.args) == 2:  # super(Base, self): the search starts after Base
            named = dotted_name(receiver.args[0].value)
            cls = self.project.resolve(frame.module, named) if named else None
            if cls not in self.project.classes:
                return []
        assert cls is not None
        key = ("super_targets", cls, method)
        got = self.project.memo.get(key)
        if got is None:
            got = self.project.memo[key] = self._find_super_targets(cls, method)
        assert isinstance(got, list)
        return got

    def _find_super_targets(self, cls: str, method: str) -> list[tuple[FunctionRef, bool]]:
        """_super_targets for `super()` in class `cls`: the same for every call, once per solve."""
        found: dict[str, FunctionRef] = {}
        # its own bases first; only a mixin whose bases define none reaches its users'
        for derived in ((cls,), self.project.subclasses(cls)):
            for d in derived:
                mro = self.project.mro(d)
                if cls not in mro:
                    continue
                ref = next((r for base in mro[mro.index(cls) + 1:]
                            if (r := self.project.functions.get(f"{base}.{method}"))), None)
                if ref is not None and len(found) < _OVERRIDES:
                    found.setdefault(ref.qualname, ref)
            if found:
                break
        return [(ref, not any(dotted_name(d) == "staticmethod" for d in ref.function.decorators))
                for _, ref in sorted(found.items())]

    def _queued_task(self, frame: Frame, func: ir.Expr, receiver: Value) -> FunctionRef | None:
        """The task function a `.delay()`-like call queues: a module-level function the
        receiver is, or the one its name resolves to (a function wrapped by a decorator)."""
        for kind, q in sorted(receiver.types):
            ref = self.project.functions.get(q) if kind == "func" else None
            if ref is not None and ref.function.class_name is None:
                return ref
        queued = dotted_name(func.value) if isinstance(func, ir.Attr) else None
        return self.project.functions.get(
            self.project.resolve(frame.module, queued)) if queued else None

    @functools.cached_property
    def _delegated_routes(self) -> dict[str, str]:
        """Overrides of a method that a framework entry point of a base class calls on
        `cls`/`self` and returns the result of (`mutate()` returning `cls.perform(...)`,
        which each of hundreds of subclasses overrides): each override is an entry point
        itself, its return the response. Override qualname -> the entry point's qualname.
        Following them all from the one base method would join every subclass into one
        summary; a few are followed there (_OVERRIDES), none beyond."""
        k = self.k
        out: dict[str, str] = {}
        if not k.route_class_methods:
            return out
        for q, ref in sorted(self.project.functions.items()):
            fn = ref.function
            if fn.class_name is None or fn.name not in k.route_class_methods:
                continue
            class_q = q.rsplit(".", 1)[0]
            if not any(b in k.route_class_bases for b in self.project.mro(class_q)):
                continue
            for name in _returned_self_calls(self.project.body(ref)):
                for o in self.project.overrides(class_q, name):
                    if o.function.name not in k.route_class_methods:
                        out.setdefault(o.qualname, q)
        return out

    def _getattr(self, frame: Frame, call: ir.Call,
                 args: list[tuple[ir.Arg, Value]]) -> Value | None:
        """`getattr(record, "id")` reads the attribute; `getattr(record, name)` with a name
        not written in the source may read any of the record's serials (a loop copying the
        fields into a dict)."""
        name = args[1][0].value
        if isinstance(name, ir.Const):
            if not isinstance(name.value, str):
                return None
            return self._attr(frame, ir.Attr(args[0][0].value, name.value, call.node))
        written = self._constant_names(frame, name)
        if written is not None:
            # `order = "rank"`, then `order = "position"` under an if: one of those attributes
            read = [self._attr(frame, ir.Attr(args[0][0].value, attr, call.node))
                    for attr in written]
            return Value(frozenset(t for v in read for t in v.types),
                         normalize(t for v in read for t in v.taints))
        at = NodeRef(frame.path, call.node)
        taints = [self._source(frame, serial.origin, serial.kind, serial.confidence, at,
                               note=" (read by a computed name)")
                  for q in args[0][1].types_of("instance")
                  if (schema := self.schemas.schemas.get(q)) is not None
                  for serial in schema.serials.values()]
        if not taints and not args[0][1].types_of("instance") and _names_key(name):
            # `getattr(user, api_settings.USER_ID_FIELD)` of an untyped parameter: a name
            # that says it holds the key's attribute reads the key, as `user.id` would
            return self._attr(frame, ir.Attr(args[0][0].value, "id", call.node))
        return Value(taints=normalize(taints)) if taints else None

    def _constant_names(self, frame: Frame, name: ir.Expr) -> tuple[str, ...] | None:
        """The strings a local variable can hold when every binding of it in the function
        assigns a string written in the source (`order = "rank"`, or
        `"rank" if c else "position"`); None for a parameter, a name bound otherwise (a loop,
        `+=`, a call's result) or one the function never binds."""
        fn = frame.fn
        if not isinstance(name, ir.Name) or fn is None or \
                any(p.name == name.id for p in fn.function.params):
            return None
        found: list[str] = []

        def binds(target: ir.Target) -> bool:
            if isinstance(target, ir.NameT):
                return target.id == name.id
            return isinstance(target, ir.TupleT) and any(binds(t) for t in target.elts)

        def strings(value: ir.Expr) -> list[str] | None:
            if isinstance(value, ir.Const):
                return [value.value] if isinstance(value.value, str) else None
            if isinstance(value, ir.Union_) and len(value.parts) > 1:
                parts = [strings(p) for p in value.parts]
                return None if any(p is None for p in parts) else \
                    [s for p in parts for s in p or ()]
            return None

        for stmt in self.project.body(fn):
            if isinstance(stmt, (ir.AugAssign, ir.For)) and binds(stmt.target):
                return None
            if isinstance(stmt, ir.Assign) and any(binds(t) for t in stmt.targets):
                if not all(isinstance(t, ir.NameT) for t in stmt.targets):
                    return None
                got = strings(stmt.value)
                if got is None:
                    return None
                found.extend(got)
        return tuple(sorted(set(found))) or None

    def _project_method(self, receiver: Value, method: str) -> bool:
        """Whether a method of the project's own classes (or their subclasses) answers a call
        on the receiver: then it runs, not the library method of the same name
        (`manager.encode(payload)` is not `str.encode`)."""
        for kind, cq in receiver.types:
            if kind in ("instance", "class") and cq in self.project.classes and (
                    self.project.find_method(cq, method) is not None or
                    self.project.overrides(cq, method)):
                return True
        return False

    def _unknown_receiver(self, receiver: Value) -> bool:
        """Whether nothing is known of the receiver's type but, perhaps, project classes that
        do not answer the call (the object is something else, or a subclass of theirs)."""
        return all(kind == "instance" and q in self.project.classes
                   for kind, q in receiver.types)

    def _staff_only(self, frame: Frame) -> bool:
        """Whether the function being evaluated is reached only by staff (admin classes,
        staff-only decorators and permission classes): what it sends is not a client's."""
        ref = frame.fn
        if ref is None:
            return False
        known = self._staff.get(ref.qualname)
        if known is None:
            known = self._staff[ref.qualname] = self._is_staff_only(ref, frame.class_qualname)
        return known

    def _is_staff_only(self, ref: FunctionRef | None, class_q: str | None) -> bool:
        """`ref` None: the class as a whole (a generic view with no method of its own)."""
        cls_ref = self.project.classes.get(class_q) if class_q else None
        path = ref.module.path if ref is not None else cls_ref.module.path if cls_ref else ""
        module = self.project.module_names.get(path, "")
        k = self.k
        decorators = list(ref.function.decorators) if ref is not None else []
        classes = self.project.mro(class_q) if class_q else []
        if class_q and any(c in k.staff_class_bases for c in classes[1:]):
            return True
        for c in classes:
            cref = self.project.classes.get(c)
            if cref is None:
                continue
            decorators += cref.cls.decorators
            cmod = self.project.module_names[cref.module.path]
            for attr in cref.cls.attrs:
                if attr.name in k.staff_decorator_attributes and \
                        isinstance(attr.value, ir.Container) and \
                        any(self._admin_guard(d) for _, d in attr.value.items):
                    return True
                if attr.name == "permission_classes" and attr.value is not None and \
                        self._names_in(cmod, attr.value) & k.staff_permission_classes:
                    return True
        for d in decorators:
            target = d.func if isinstance(d, ir.Call) else d
            name = self.project.resolve(module, dotted_name(target) or "")
            if name in k.staff_decorators:
                return True
            if isinstance(d, ir.Call) and name in k.staff_test_decorators and \
                    _reads_attribute(d, k.staff_attributes):
                return True
            if isinstance(d, ir.Call) and \
                    self._names_in(module, d) & k.staff_permission_classes:
                return True  # @permission_classes([IsAdminUser])
            if self._admin_guard(d):
                return True
            if isinstance(d, ir.Call) and any(  # @router.get(..., dependencies=[...])
                    arg.keyword in k.staff_dependency_keywords and self._admin_check(
                        (dotted_name(e) or "").rsplit(".", 1)[-1] for e in _walk(arg.value)
                        if isinstance(e, (ir.Name, ir.Attr)))
                    for arg in d.args):
                return True
        if ref is not None:
            # `if not current_user.is_admin: raise HTTPException(403)` before anything else
            for denial, *texts in ref.function.entry_checks:
                if not self._denies(module, denial):
                    break  # `if x: return data` runs before the checks after it
                if self._admin_check(texts):
                    return True
        return False

    def _admin_check(self, names: Iterable[str]) -> bool:
        words = self.k.staff_admin_words | self.k.staff_check_words
        return any(_words(n) & words for n in names)

    def _denies(self, module: str, denial: str) -> bool:
        """Whether the body of an entry check refuses the request (see ir.entry_checks)."""
        how, _, what = denial.partition(":")
        if how == "raise":
            return True
        if how == "call":
            return self.project.resolve(module, what) in self.k.staff_denial_calls
        return how == "return" and any(
            _words(t) & self.k.staff_denial_words for t in what.split(","))

    def _admin_guard(self, d: ir.Expr) -> bool:
        """`@admin_required`, or a guard called with an admin requirement:
        `@requires(IsAdmin)`, `@roles_required("admin")`. Judged by the words of the names,
        wherever they are imported from."""
        k = self.k
        target = d.func if isinstance(d, ir.Call) else d
        name = dotted_name(target) or ""
        last = _words(name.rsplit(".", 1)[-1])
        if last & k.staff_admin_words and last & k.staff_guard_words:
            return True
        if not isinstance(d, ir.Call) or not last & k.staff_guard_words:
            return False
        for arg in d.args:
            if arg.keyword is not None:
                continue
            for e in _walk(arg.value):
                if isinstance(e, ir.Const) and isinstance(e.value, str):
                    text = e.value  # roles_required("admin")
                elif isinstance(e, (ir.Name, ir.Attr)):
                    text = (dotted_name(e) or "").rsplit(".", 1)[-1]  # requires(perms.IsAdmin)
                else:
                    continue
                if _words(text) & k.staff_admin_words:
                    return True
        return False

    def _names_in(self, module: str, expr: ir.Expr) -> set[str]:
        out: set[str] = set()
        for e in _walk(expr):
            name = dotted_name(e) if isinstance(e, (ir.Name, ir.Attr)) else None
            if name:
                out.add(self.project.resolve(module, name))
        return out

    def _looks_up(self, name: str) -> bool:
        known = self._lookup_names.get(name)
        if known is None:  # (asked for every call of code idlint cannot see)
            q = self.k.queries
            first = _FIRST_WORD.match(name)
            known = self._lookup_names[name] = (
                name in q.instance_methods or name in q.collection_methods or
                (first is not None and first.group(1).lower() in self.k.lookup_words))
        return known

    def _passed_through(self, name: str, receiver: Value, args, at: NodeRef,
                        lower: bool = True) -> frozenset[Taint]:
        # Serials only (and parameters, for summaries): decoded client input or personal
        # fields through code idlint cannot see are too weak a signal to report on.
        inputs = [t for _, v in args for t in v.taints if kind_of(t.label) in ("serial", "any")]
        inputs += [t for t in receiver.taints if kind_of(t.label) in ("serial", "any")]
        if not inputs:
            return frozenset()
        verb = "passes through" if lower else "stored in"
        step = Step("call", at, f"{verb} {name}()" + (
            " (not analysed: assumed to carry its arguments)" if lower else ""))
        return normalize(
            Taint(t.origin, t.label, _LOWER[t.confidence] if lower else t.confidence, t.how,
                  (*t.steps, step), t.at, t.in_url)
            for t in inputs)

    def _then(self, frame: Frame, promised: ir.Expr, resolved: Value,
              callback: tuple[ir.Arg, Value], call: ir.Call) -> Value | None:
        """`promise.then(callback)`: the callback is called with what the promise resolves
        to (a promise is what it resolves to, see _loaded), and the new promise resolves to
        what the callback returns. None when the callback is no project function."""
        arg, value = callback
        fn = arg.value
        if isinstance(fn, ir.Lambda):
            return self._lambda_called(frame, fn, resolved)
        refs = [ref for k, q in sorted(value.types)
                if k == "func" and (ref := self.project.functions.get(q)) is not None]
        if not refs and isinstance(fn, ir.Name) and fn.id not in frame.env:
            ref = self._local_function(frame, fn.id)
            refs = [ref] if ref is not None else []
        if not refs:
            return None
        given = [(ir.Arg(None, promised), resolved)]
        return join(*(self._apply(frame, ref, False, given, call) for ref in refs))

    def _local_function(self, frame: Frame, name: str) -> FunctionRef | None:
        """The function `name` defined in this function or in one it is defined in."""
        scope = frame.fn.qualname if frame.fn is not None else ""
        while scope:
            ref = self.project.functions.get(f"{scope}.<locals>.{name}")
            if ref is not None:
                return ref
            scope = scope.rpartition(".<locals>.")[0]
        return None

    def _loaded(self, receiver: Value, method: str) -> Value | None:
        """`loader.load(key)` on a project data loader declared with type arguments
        (`class ByOwner(DataLoader[int, list[Media]])`): what it resolves the key to (the
        value type), or a list of those for `load_many(keys)`. None otherwise."""
        many = method in self.k.dataloader_load_many_methods
        if not many and method not in self.k.dataloader_load_methods:
            return None
        out: set[Type] = set()
        for kind, q in sorted(receiver.types):
            if kind == "instance" and q in self.project.classes:
                out |= self._loader_values(q)
        if not out:
            return None
        if many:
            return Value(frozenset(("collection", q) for k, q in out if k == "instance"))
        return Value(frozenset(out))

    def _loader_values(self, cls: str) -> frozenset[Type]:
        """The records a project data loader class resolves a key to, from the last type
        argument of the nearest base written with type arguments (once per solve)."""
        key = ("loader_values", cls)
        got = self.project.memo.get(key)
        if got is None:
            got = frozenset()
            mro = self.project.mro(cls)
            if any(b in self.k.dataloader_bases for b in mro):
                for c in mro:
                    ref = self.project.classes.get(c)
                    if ref is None:
                        continue
                    module = self.project.module_names[ref.module.path]
                    typed = [b for b in ref.cls.bases if isinstance(b, ir.Subscript)
                             and b.key is not None]
                    if typed:
                        arg = typed[0].key
                        assert arg is not None
                        if isinstance(arg, ir.Container) and arg.items:
                            arg = arg.items[-1][1]
                        got = self._annotation_types_in(module, arg)
                        break
            self.project.memo[key] = got
        assert isinstance(got, frozenset)
        return got

    def _lambda_called(self, frame: Frame, fn: ir.Lambda, first: Value) -> Value:
        """What lambda `fn` returns when called with `first`: its parameter is bound in the
        frame of the code holding it, like a comprehension's target."""
        if fn.params:
            self._assign(frame, ir.NameT(fn.params[0]), first, False)
        return self._eval(frame, fn.body)

    def _held_callee(self, frame: Frame, func: ir.Name | ir.Subscript) -> list[Type]:
        """The lambdas and bound methods (see HELD) a called name or item holds: a local
        name, a global of the module (read only when it holds one, so that calls of plain
        functions record no read of the globals), an item of a registry."""
        if type(func) is ir.Subscript:
            value = self._eval(frame, func)
        else:
            assert isinstance(func, ir.Name)
            local = frame.env.get(func.id)
            if local is not None:
                value = local
            else:
                glob = self.globals.get(frame.module, {}).get(func.id)
                if glob is None or frame.fn is None or \
                        not any(k in HELD for k, _ in glob.types):
                    return []
                value = self._global(frame, func.id)
        if not value.types:
            return []
        return sorted(t for t in value.types if t[0] in HELD)

    def _call_held(self, frame: Frame, held: Type, args: list, call: ir.Call) -> Value:
        """Call a lambda or bound method held as a value (see HELD). Written in the code
        evaluated (the same function, or the same module's top level), it is evaluated in
        its frame, which its free names read; written elsewhere, in a frame of its own
        module (its free names are that module's globals), for the caller's flows."""
        path, _, node = held[1].rpartition("|")
        found = self._written_callable(path, int(node))
        if found is None or held[1] in self._calling:
            return EMPTY
        expr, owner = found
        here = frame.fn.qualname if frame.fn is not None else None
        inner = frame
        if path != frame.path or owner != here:
            inner = dataclasses.replace(frame, module=self.project.module_names[path], path=path,
                                        env={}, class_qualname=None, scoped={})
        self._calling.add(held[1])
        try:
            if isinstance(expr, ir.Lambda):
                given = [v for a, v in args if a.keyword is None and not a.star]
                for i, name in enumerate(expr.params):
                    value = given[i] if i < len(given) else next(
                        (v for a, v in args if a.keyword == name), EMPTY)
                    self._assign(inner, ir.NameT(name), value, False)
                # (like a function's return: the call is where the caller got it)
                at = NodeRef(frame.path, call.node)
                got = self._eval(inner, expr.body)
                return Value(got.types, normalize(
                    Taint(t.origin, t.label, t.confidence, t.how, (
                        *t.steps, Step("call", at, "returned by the lambda")), at, t.in_url,
                        t.field) if t.steps and t.steps[-1].at != at else t.moved(at)
                    for t in got.taints))
            # `obj.method` then called: `obj` is what it was where written, the arguments
            # what this call gives (held under names no code has while it is called)
            held_names = {_BOUND_RECEIVER: self._eval(inner, expr.value)}
            given_args: list[ir.Arg] = []
            for i, (a, v) in enumerate(args):
                held_names[f"{_BOUND_RECEIVER}{i}"] = v
                given_args.append(ir.Arg(a.keyword, ir.Name(f"{_BOUND_RECEIVER}{i}", call.node),
                                         a.star))
            saved = {n: frame.env[n] for n in held_names if n in frame.env}
            frame.env.update(held_names)
            try:
                return self._call(frame, ir.Call(
                    ir.Attr(ir.Name(_BOUND_RECEIVER, call.node), expr.attr, call.node),
                    tuple(given_args), call.node))
            finally:
                for n in held_names:
                    frame.env.pop(n, None)
                frame.env.update(saved)
        finally:
            self._calling.discard(held[1])

    def _parameter_called(self, frame: Frame, func: ir.Name, args: list) -> Type | None:
        """(CALLS_PARAM, "N|a,b") when `func` is the function's parameter N, holding what
        its caller gives (no lambda or function known here), called with arguments that
        carry its parameters a, b ("-": none of them)."""
        assert frame.fn is not None
        index = next((i for i, p in enumerate(frame.fn.function.params)
                      if p.name == func.id and p.kind in ("pos", "kwonly")), None)
        value = frame.env.get(func.id)
        if index is None or value is None or \
                not any(t.param == index and not t.param_field for t in value.taints):
            return None
        if any(a.keyword is not None or a.star for a, _ in args):
            return None  # (only positional arguments are followed)
        return (CALLS_PARAM, f"{index}|{_carried_parameters([v for _, v in args])}")

    def _parameters_called(self, frame: Frame, ref: FunctionRef, summary: Summary,
                           passed: dict[int, Value], call: ir.Call) -> Value:
        """What the callee returns by calling what this call gives its parameters (see
        CALLS_PARAM): the lambdas, bound methods and project functions given, called with
        the arguments given (and their elements: `[fn(r) for r in rows]`); or, when this
        function only passes on its own parameter, the same for its own callers."""
        out: list[Value] = []
        for _, key in sorted(t for t in summary.ret.types if t[0] == CALLS_PARAM):
            head, _, spec = key.partition("|")
            fn_value = passed.get(int(head))
            if fn_value is None:
                continue
            given: list[Value] = []
            for part in spec.split(",") if spec else ():
                v = passed.get(int(part), EMPTY) if part != "-" else EMPTY
                given.append(join(v, self._element(frame, v)) if v.types else v)
            held = sorted(t for t in fn_value.types if t[0] in HELD)
            funcs = [r for k, q in sorted(fn_value.types)
                     if k == "func" and (r := self.project.functions.get(q)) is not None and
                     r.function.class_name is None]
            args = [(ir.Arg(None, ir.Const(None, call.node)), v) for v in given]
            out += [self._call_held(frame, t, args, call) for t in held]
            out += [self._apply(frame, r, False, args, call) for r in funcs
                    if r.qualname != ref.qualname]
            if not held and not funcs and frame.fn is not None:
                # its own parameter passed on: its callers give what is called
                mine = sorted({t.param for t in fn_value.taints
                               if t.param is not None and not t.param_field})
                out += [Value(frozenset({(CALLS_PARAM, f"{m}|{_carried_parameters(given)}")}))
                        for m in mine[:1]]
        return join(*out) if out else EMPTY

    def _written_callable(self, path: str, node: int) -> tuple[ir.Lambda | ir.Attr,
                                                               str | None] | None:
        """The lambda or attribute at `node` of the file, and the function whose body holds
        it (None: the module's top level or a class body), indexed once per file a solve
        calls a held value of."""
        key = ("callables", path)
        index = self.project.memo.get(key)
        if index is None:
            found: dict[int, tuple[ir.Lambda | ir.Attr, str | None]] = {}
            name = self.project.module_names.get(path)
            module = self.project.modules.get(name) if name is not None else None
            for i, fn in enumerate(module.functions if module is not None else ()):
                q = f"{name}.{fn.qualname}"
                ref = self.project.functions.get(q)
                body = self.project.body(ref) if ref is not None else \
                    ir.unpack_body(module, i) if module is not None else ()
                owner = None if fn.qualname == ir.MODULE_BODY else q
                for e in ir.expressions_in(body):
                    if isinstance(e, (ir.Lambda, ir.Attr)):
                        found.setdefault(e.node, (e, owner))
            for cls in module.classes if module is not None else ():
                for e in ir.expressions_in(tuple(a.value for a in cls.attrs)):
                    if isinstance(e, (ir.Lambda, ir.Attr)):
                        found.setdefault(e.node, (e, None))
            index = self.project.memo[key] = found
        assert isinstance(index, dict)
        return index.get(node)

    def _map_lambda(self, frame: Frame, fn: ir.Lambda, iterable: Value) -> Value:
        """`map(lambda m: m.id, rows)` is `[m.id for m in rows]`: the lambda's parameter is
        bound to an element, like a comprehension's target."""
        body = self._lambda_called(frame, fn, self._element(frame, iterable))
        return Value(frozenset(("collection", q) for q in body.types_of("instance")),
                     body.taints)

    def _callee_names(self, frame: Frame, func: ir.Expr, receiver: Value,
                      method: str | None) -> list[str]:
        names: list[str] = []
        text = dotted_name(func)
        if isinstance(func, ir.Name):
            local = frame.env.get(func.id)
            if local is not None and frame.fn is not None:
                names += [q for k, q in sorted(local.types) if k in ("ext", "func", "class")]
            if not names and frame.fn is not None:
                # a function defined in this one or in one enclosing it (`def pack(): ...`
                # then `pack()`, also from a sibling closure)
                nested = self._local_function(frame, func.id)
                if nested is not None:
                    names.append(nested.qualname)
            if not names:
                names.append(self.project.resolve(frame.module, func.id))
        elif isinstance(func, ir.Subscript):  # `HANDLERS[kind](...)` of a registry
            names += [q for k, q in sorted(self._eval(frame, func).types)
                      if k in ("func", "class")]
        elif method is not None:
            for kind, q in sorted(receiver.types):
                if kind in ("ext", "func", "class", "member"):
                    names.append(self.project.canonical(f"{q}.{method}"))
                elif kind in ("instance", "literal_key") and q not in self.schemas.schemas:
                    # (`self.form()` of a view's `form = SearchForm`: that class)
                    named = self._class_attribute_class(q, method) if kind == "instance" \
                        else None
                    names.append(named or f"{q}.{method}")
            if not names and text:
                names.append(self.project.resolve(frame.module, text))
        return names

    def _class_attribute_class(self, cls: str, attr: str) -> str | None:
        """The project class that a class attribute of `cls` (or of a base) names, when
        `attr` is no method of it (`form = SearchForm`)."""
        key = (cls, attr)
        if key not in self._attribute_classes:
            found = None
            if cls in self.project.classes and self.project.find_method(cls, attr) is None:
                written = self._class_attributes(self.project.mro(cls)).get(attr)
                if written is not None:
                    module, value = written
                    name = dotted_name(value) if isinstance(value, (ir.Name, ir.Attr)) else None
                    q = self.project.resolve(module, name) if name else None
                    found = q if q in self.project.classes else None
            self._attribute_classes[key] = found
        return self._attribute_classes[key]

    def _call_project(self, frame: Frame, func: ir.Expr, args, call: ir.Call,
                      receiver: Value = EMPTY, names: list[str] | None = None) -> Value | None:
        """Apply the summary of a project function or method; None if not project code."""
        targets: list[tuple[FunctionRef, bool]] = []  # (function, bound: skips self)
        if names is None:
            names = self._callee_names(frame, func, receiver, None)
        for q in names:
            ref = self.project.functions.get(q)
            if ref is not None:
                decorators = ref.function.decorators
                bound = ref.function.class_name is not None and not (decorators and any(
                    dotted_name(d) == "staticmethod" for d in decorators))
                # Class.method(obj, ...) is unbound; obj.method(...) and cls.method() bound
                via_class = isinstance(func, ir.Attr) and bool(receiver.types) and any(
                    k == "class" for k, _ in receiver.types) and not (decorators and any(
                        dotted_name(d) == "classmethod" for d in decorators))
                targets.append((ref, bound and not via_class))
            elif q in self.project.classes:
                init = self.project.find_method(q, "__init__")
                rendering = self._rendering(q, args)
                if init is not None:
                    self._apply(frame, init, True, args, call)
                    return Value(frozenset({("instance", q)}) | rendering)
                # No __init__ of the project's (pydantic models, dataclasses, attrs, named
                # tuples): the arguments become the object's fields, so the object carries
                # them (`return Out(note=f"widget {w.id}")` sends the serial).
                at = NodeRef(frame.path, call.node)
                types = frozenset({("instance", q)}) | rendering | self._own_records([q], args)
                if self._built(q):
                    self._store_fields(frame, q, args, BUILT_STORE)
                    built = self._built_fields(q, args, at)
                    fields = self._root_fields().get(q)
                    if fields is not None:  # a GraphQL root object (see _resolved_arguments)
                        built = frozenset(t for t in built
                                          if any(t.holds(f) for f in fields))
                    return Value(types | {(BUILT, q)}, built)
                if q not in self.schemas.schemas:
                    self._store_fields(frame, q, args, "")
                return Value(types, self._passed_through(
                    q.rsplit(".", 1)[-1], EMPTY,
                    self._resolved_arguments(q, self._object_arguments(q, args)), at,
                    lower=False))
        if isinstance(func, ir.Attr):
            seen = {r.qualname for r, _ in targets}
            for kind, cq in sorted(receiver.types):
                if kind == "instance" and cq in self.project.classes:
                    ref = self.project.find_method(cq, func.attr)
                    if ref is not None and ref.qualname not in seen:
                        seen.add(ref.qualname)
                        targets.append((ref, True))
                elif kind == "class" and cq in self.project.classes:
                    # `Errors.with_error(...)`: a class method a base defines
                    ref = self.project.find_method(cq, func.attr)
                    if ref is not None and ref.qualname not in seen and any(
                            dotted_name(d) == "classmethod" for d in ref.function.decorators):
                        seen.add(ref.qualname)
                        targets.append((ref, True))
                if kind in ("instance", "class") and cq in self.project.classes:
                    # The receiver may be any subclass (a `List[Base]` element, a factory
                    # typed `-> Base`, `cls.perform()` in a base class): their overrides run.
                    # (Those that are entry points themselves report their own responses.)
                    overrides = [ref for ref in self.project.overrides(cq, func.attr)
                                 if ref.qualname not in seen and
                                 ref.qualname not in self._delegated_routes]
                    for ref in overrides[:_OVERRIDES]:
                        seen.add(ref.qualname)
                        targets.append((ref, True))
        if not targets and isinstance(func, ir.Attr) and self._unknown_receiver(receiver):
            # `registry.find(kind).deliver(...)`: an object idlint cannot type, and a method
            # name only one project hierarchy defines: its implementations run.
            targets = [(ref, True) for ref in self.project.interface_methods(
                func.attr, _OVERRIDES)]
        if not targets:
            return None
        results = [self._apply(frame, ref, bound, args, call, receiver)
                   for ref, bound in targets]
        return join(*results)

    def _field_names(self, q: str, args: list) -> list[str]:
        """The field each constructor argument of built class `q` gives (see BUILT): its
        keyword, or its place among the annotated class attributes; "" when unknown."""
        ref = self.project.classes.get(q)
        fields = [a.name for a in ref.cls.attrs if a.annotation is not None] if ref else []
        return ["" if arg.star else arg.keyword or (
                    fields[position] if position < len(fields) else "")
                for position, (arg, _) in enumerate(args)]

    def _store_fields(self, frame: Frame, q: str, args: list, prefix: str) -> None:
        """`Rendered(template=t, placeholders=p)` of a class without an `__init__` that is
        no database record: each argument is kept as what the field of its keyword, or of
        its place among the annotated class attributes, holds on the class's objects: for
        a built class (see BUILT, `prefix` BUILT_STORE) on those whose construction is not
        known where they are used; for another, on every object, as if `__init__` had
        stored it."""
        for name, (_, value) in zip(self._field_names(q, args), args, strict=True):
            if name and value.taints:
                self._store_field(frame, q, prefix + name, frozenset(), value.taints)

    def _built_fields(self, q: str, args: list, at: NodeRef) -> frozenset[Taint]:
        """The serials an object of built class `q` carries (`return Out(note=f"widget
        {w.id}")` sends the serial), each with the field that holds it."""
        step = Step("call", at, f"stored in {q.rsplit('.', 1)[-1]}()")
        return normalize(
            Taint(t.origin, t.label, t.confidence, t.how, (*t.steps, step), t.at, t.in_url, name)
            for name, (_, value) in zip(self._field_names(q, args), args, strict=True)
            for t in value.taints if kind_of(t.label) in ("serial", "any"))

    def _rendering(self, q: str, args: list) -> frozenset[Type]:
        """A serializer given a record the client selected (`MemberSerializer(member)`):
        the instance keeps the selection, so that what it renders (`.data`) holds the
        record's personal fields."""
        if not args or args[0][0].keyword is not None or \
                self._serialized(q)[0] is None:
            return frozenset()
        return frozenset(t for t in args[0][1].types if t[0] in ("selected", LINKED))

    def _resolved_arguments(self, q: str, args: list) -> list:
        """The constructor arguments an object of a GraphQL root class carries as a whole:
        only those stored as a field that a GraphQL type resolving such objects declares
        (graphene reads the fields of the type's declaration off the root object; a key kept
        there for its resolvers' queries, `Row(owner_id=u.pk)`, goes nowhere unless one of
        them returns it, which that resolver's own reading of `root.owner_id` reports)."""
        fields = self._root_fields().get(q)
        if fields is None:
            return args
        # (an argument whose field is not known, a `*args` one included, is kept)
        return [(arg, value) for (arg, value), name in
                zip(args, self._field_names(q, args), strict=True)
                if not name or name in fields]

    def _root_fields(self) -> dict[str, frozenset[str]]:
        """Project classes whose objects GraphQL resolvers receive as their root (the
        annotation of a `resolve_<field>(root, info)` method's first parameter), each with
        the names of the fields the types declaring those resolvers have (class attributes
        and resolved names, of the type and its project bases). Once per solve."""
        key = ("graphql_root_fields",)
        got = self.project.memo.get(key)
        if got is None:
            roots: dict[str, set[str]] = {}
            prefixes = self.k.route_method_prefixes
            for q, ref in sorted(self.project.functions.items()):
                fn = ref.function
                if fn.class_name is None or not prefixes or not fn.name.startswith(prefixes) \
                        or not fn.params or fn.params[0].annotation is None:
                    continue
                module = self.project.module_names[ref.module.path]
                annotated = self._annotation_types_in(module, fn.params[0].annotation)
                # (a database record is no root object: its columns are its fields; a
                # dataclass with key-like fields has a schema without an ORM)
                classes = [c for k, c in sorted(annotated) if k == "instance" and
                           c in self.project.classes and not (
                               c in self.schemas.schemas and self.schemas.schemas[c].orm)]
                if not classes:
                    continue
                declared = self._declared_fields(q.rsplit(".", 1)[0], prefixes)
                for c in classes:
                    roots.setdefault(c, set()).update(declared)
            got = self.project.memo[key] = {c: frozenset(v) for c, v in roots.items()}
        assert isinstance(got, dict)
        return got

    def _declared_fields(self, type_q: str, prefixes: tuple[str, ...]) -> set[str]:
        """Field names a GraphQL type class declares: its class attributes and the names
        its resolvers resolve, on it and its project bases."""
        out: set[str] = set()
        for c in self.project.mro(type_q):
            cref = self.project.classes.get(c)
            if cref is None:
                continue
            out.update(a.name for a in cref.cls.attrs)
            for m in cref.cls.methods:
                for prefix in prefixes:
                    if m.startswith(prefix):
                        out.add(m[len(prefix):])
        return out

    def _object_arguments(self, q: str, args: list) -> list:
        """The constructor arguments a new object carries as a whole. A database record's
        serial columns and relations given by keyword are only those attributes, which reads
        find through its model (`Challenge(user_id=user.id, code=token)`: `challenge.code`
        holds no serial); a record is not sent whole, unlike a pydantic model."""
        schema = self.schemas.schemas.get(q)
        orm = next((o for o in self.k.orms if o.name == schema.orm), None) if schema else None
        if schema is None or orm is None or orm.annotated_serials:
            return args
        return [(a, v) for a, v in args if a.keyword is None or (
            a.keyword not in schema.serials and a.keyword not in schema.relations)]

    def _apply(self, frame: Frame, ref: FunctionRef, bound: bool, args, call: ir.Call,
               receiver: Value | None = None) -> Value:
        self._demand_function(ref.qualname)
        self._read(frame, ref.qualname)
        if frame.key:
            self._callees.setdefault(frame.key, set()).add(ref.qualname)
        summary = self.summaries.get(ref.qualname, Summary())
        params = ref.function.params
        offset = 1 if bound else 0
        bindings: dict[int, list[Taint]] = {}
        passed: dict[int, Value] = {}  # the argument given for a parameter, by name or place
        position = offset
        star_index = next((i for i, p in enumerate(params) if p.kind == "**"), None)
        for arg, value in args:
            if arg.star == "**" or arg.star == "*":
                if value.taints:
                    for i in range(offset, len(params)):
                        bindings.setdefault(i, []).extend(value.taints)
                continue
            if arg.keyword is not None:
                idx = next((i for i, p in enumerate(params) if p.name == arg.keyword), star_index)
            else:
                idx = position if position < len(params) else next(
                    (i for i, p in enumerate(params) if p.kind == "*"), None)
                position += 1
            if idx is not None and value.taints:
                bindings.setdefault(idx, []).extend(value.taints)
            if idx is not None and (arg.keyword is not None or params[idx].kind != "*"):
                passed[idx] = value
        if frame.fn is not None and \
                ref.qualname.rpartition(".<locals>.")[0] == frame.fn.qualname:
            self._note_passed(frame, ref, passed)
        at = NodeRef(frame.path, call.node)
        callee = ref.qualname.rsplit(".", 2)
        callee_name = ".".join(callee[-2:]) if ref.function.class_name else callee[-1]
        out: list[Taint] = []
        skipped = self._returns_not_taken(ref, bound, args)

        def actuals(p: int, field: str) -> list[Taint] | tuple[Taint, ...]:
            """What the call gives parameter `p`, or the field `field` of it (`self.x` of a
            method of a built class, see BUILT: what the object the method runs on holds)."""
            if not field:
                return bindings.get(p, ())
            holder = (receiver if p == 0 and bound else passed.get(p)) or EMPTY
            classes = [q for k, q in holder.types if k == "instance" and self._built(q)]
            if not classes and p == 0:
                classes = [c for c in (self.project.class_of(ref),) if c is not None]
            return [t for q in sorted(set(classes))
                    for t in self._built_field(frame, holder, q, field, None)]

        def shown(p: int, field: str) -> str:
            return f"`{params[p].name}.{field}`" if field else f"`{params[p].name}`"

        for t in summary.ret.taints:
            if skipped and t.at is not None and t.at.node in skipped:
                continue
            p = t.param
            if p is None:
                # a serial the callee read itself: the call is where the caller got it
                out.append(Taint(t.origin, t.label, t.confidence, t.how, (
                    *t.steps, Step("call", at, f"returned by {callee_name}()")), at, t.in_url,
                    t.field) if t.steps and t.steps[-1].at != at else t.moved(at))
                continue
            for actual in actuals(p, t.param_field):
                step = Step("call", at, f"passed to {callee_name}() as {shown(p, t.param_field)}")
                label = combine(actual.label, t.label)
                how = t.how if label != actual.label else actual.how
                # the callee's transforms matter when they changed the label or placed the
                # serial in a URL (`return url_for(..., uid=pk)`)
                inner = t.steps if label != actual.label or kind_of(actual.label) == "any" \
                    or (t.in_url and not actual.in_url) \
                    else tuple(s for s in t.steps if s.kind != "transform")
                # (held by the field of an object the callee built with it, or still by the
                # argument's own field when the callee returns the object it was given)
                out.append(Taint(actual.origin, label, actual.confidence, how,
                                 (*actual.steps, step, *inner), at,
                                 actual.in_url or t.in_url, t.field or actual.field))
        for ps in sorted(summary.param_sinks, key=lambda s: (s.sink_at, s.param, s.label)):
            for actual in actuals(ps.param, ps.field):
                step = Step("call", at, f"passed to {callee_name}() as "
                                        f"{shown(ps.param, ps.field)}")
                label = combine(actual.label, ps.label)
                how = ps.how if label != actual.label else actual.how
                steps = (*actual.steps, step, *ps.steps)
                in_url = actual.in_url or ps.in_url
                if actual.param is not None:
                    # the caller's own parameter: its summary gains the sink
                    frame.param_sinks.add(ParamSink(actual.param, label, how, steps, ps.sink_at,
                                                    ps.sink_what, ps.function, ps.anonymous,
                                                    in_url, actual.param_field))
                    continue
                combined = Taint(actual.origin, label, actual.confidence, how, steps, None,
                                 in_url)
                self._record(frame, combined, ps.sink_at, ps.sink_what, ps.function,
                             ps.anonymous, at)
        for st in sorted(summary.param_stores):
            # the argument is stored on the object: readers of the attribute see it, with
            # what the callee did to it on the way
            stored: list[Taint] = []
            for a in actuals(st.param, st.field):
                label = combine(a.label, st.label)
                how = st.how if label != a.label else a.how
                steps = a.steps if not st.steps else (*a.steps, Step(
                    "call", at, f"passed to {callee_name}() as {shown(st.param, st.field)}"),
                    *st.steps)
                if a.param is not None:
                    frame.param_stores.add(ParamStore(a.param, st.cls, st.attr, label, how,
                                                      steps, a.in_url or st.in_url,
                                                      a.param_field))
                else:
                    stored.append(Taint(a.origin, label, a.confidence, how, steps, a.at,
                                        a.in_url or st.in_url))
            if stored:
                self._join_attr((st.cls, st.attr), Value(frozenset(), normalize(stored)))
        if summary.raised and frame.emit and not (frame.fn and frame.fn.function.catches):
            # (a function with `except` clauses may catch them: precision first)
            self._raised_through(frame, summary.raised, callee_name, at)
        ret_types = frozenset(t for t in summary.ret.types if t[0] not in (
            "literal_key", SELECTED_BY, OWN_ONLY, OWN_IF, ARG_RECORDS, ARG_SELECTED,
            CALLS_PARAM))
        if ret_types != summary.ret.types and any(
                t[0] == CALLS_PARAM for t in summary.ret.types):
            called = self._parameters_called(frame, ref, summary, passed, call)
            ret_types |= called.types
            out.extend(called.taints)
        ret_types |= self._selections_through(frame, summary.ret, bindings, call)
        ret_types |= self._argument_records_through(frame, ref, summary.ret, passed, bindings,
                                                    args, bound, call)
        ret_types |= self._own_through(summary.ret, passed)
        return Value(ret_types, normalize(out))

    @staticmethod
    def _note_passed(frame: Frame, ref: FunctionRef, passed: dict[int, Value]) -> None:
        """Keep, among the caller's variables, the records it passes to a function defined
        in it: the nested function's parameters hold them (see _passed_types)."""
        for index, value in passed.items():
            types = frozenset(t for t in value.types if t[0] in _PASSED_KINDS)
            if not types:
                continue
            key = passed_key(ref.function.name, index)
            old = frame.env.get(key)
            frame.env[key] = Value(types | old.types if old is not None else types)

    def _returns_not_taken(self, ref: FunctionRef, bound: bool, args) -> frozenset[int]:
        """Nodes of the callee's returns this call cannot reach: those under `if flag:` for
        a flag parameter left at a false default (`def link(pk, admin=False)` called as
        `link(pk)`), or passed as a literal that decides the test."""
        flags = self._flag_params.get(ref.qualname)
        if flags is None:  # (asked at every call)
            flags = self._flag_params[ref.qualname] = {
                p.name: i for i, p in enumerate(ref.function.params)
                if p.kind in ("pos", "kwonly") and isinstance(p.default, ir.Const) and
                not p.default.value}
        if not flags:
            return frozenset()
        guarded = self._guarded_returns(ref)
        if not guarded:
            return frozenset()
        offset = 1 if bound else 0
        known: dict[str, bool] = {}
        for name, index in flags.items():
            passed: ir.Expr | None = None
            unknown = False
            for position, (arg, _) in enumerate(args):
                if arg.star:
                    unknown = True
                elif arg.keyword == name or (arg.keyword is None and
                                             position + offset == index):
                    passed = arg.value
            if unknown:
                continue
            if passed is None:
                known[name] = False
            elif isinstance(passed, ir.Const):
                known[name] = bool(passed.value)
        return frozenset(node for node, guards in guarded.items()
                         if any(known.get(name, truthy) != truthy for name, truthy in guards))

    def _guarded_returns(self, ref: FunctionRef) -> dict[int, tuple[tuple[str, bool], ...]]:
        cached = self._return_guards.get(ref.qualname)
        if cached is None:
            cached = self._return_guards[ref.qualname] = {
                stmt.node: stmt.guards for stmt in self.project.body(ref)
                if isinstance(stmt, ir.Return) and stmt.guards}
        return cached

    def _selections_through(self, frame: Frame, ret: Value, bindings: dict[int, list[Taint]],
                            call: ir.Call) -> frozenset[Type]:
        """A callee that picks records by a parameter's serial: the record is selected by
        the client when the argument is client input, or by the caller's own parameter."""
        out: set[Type] = set()
        if not ret.types:
            return frozenset()
        for _, text in sorted(t for t in ret.types if t[0] == SELECTED_BY):
            index, _, model = text.partition("|")
            for a in bindings.get(int(index), ()):
                if a.param is not None:
                    out.add((SELECTED_BY, f"{a.param}|{model}"))
                elif kind_of(a.label) == "client":
                    out.add(("selected", model))
                    schema = self.schemas.schemas[model]
                    at = NodeRef(frame.path, call.node)
                    self._note_selection(frame, model, (*a.steps, Step(
                        "call", at, f"selects a `{schema.display}` record by this serial in "
                                    "the called function")))
        return frozenset(out)

    def _argument_records_through(self, frame: Frame, ref: FunctionRef, ret: Value,
                                  passed: dict[int, Value], bindings: dict[int, list[Taint]],
                                  args: list, bound: bool, call: ir.Call) -> frozenset[Type]:
        """A callee that queries the records of an argument (ARG_RECORDS, ARG_SELECTED:
        `fetch(Member.objects.all(), pk=pk)`): they are records of the argument's models,
        picked by the client when the argument for the picking parameter is client input
        (unless the call also passes the requesting user); a caller's own parameter passed on
        keeps the question open for its callers."""
        out: set[Type] = set()
        marks = sorted(t for t in ret.types if t[0] in (ARG_RECORDS, ARG_SELECTED))
        if not marks:
            return frozenset()
        models_of: dict[int, list[str]] = {}
        for index, given in passed.items():
            models_of[index] = sorted({m for k, m in given.types if k in (
                "class", "collection", "instance") and m in self.schemas.schemas})
        for kind, text in marks:
            if kind == ARG_RECORDS:
                n, _, held = text.partition("|")
                value = passed.get(int(n))
                if value is None:
                    continue
                models = models_of.get(int(n), [])
                out |= {(held, m) for m in models}
                if models:
                    out |= {t for t in value.types if t[0] in (
                        "selected", SELECTED_BY, OWN, OWN_FIELD, OWN_IF)}
                for caller_param, caller_held in _argument_records(value).items():
                    out.add((ARG_RECORDS, f"{caller_param}|"
                                          f"{held if held == 'instance' else caller_held}"))
                continue
            n, k, keyword = text.split("|")
            models = models_of.get(int(n), [])
            if not models:
                continue
            key_args = self._arguments_for(ref, bound, args, int(k), keyword)
            if not key_args or self._restricted_to_user(frame, args, EMPTY):
                continue
            out |= {("selected", m) for m in self._selected_by_client(frame, call, models,
                                                                      key_args)}
            out |= {(SELECTED_BY, f"{p}|{m}") for p, m in self._selected_by_param(models,
                                                                               key_args)}
        return frozenset(out)

    @staticmethod
    def _arguments_for(ref: FunctionRef, bound: bool, args: list, index: int,
                       keyword: str) -> list[tuple[ir.Arg, Value]]:
        """The caller's arguments a parameter receives, as the callee passes them on: under
        the callee's `keyword` (positionally: ""), or with the caller's own keywords ("**":
        the parameter collects them, `**kwargs`)."""
        params = ref.function.params
        if index >= len(params):
            return []
        param = params[index]
        named = {p.name for p in params if p.kind not in ("*", "**")}
        out: list[tuple[ir.Arg, Value]] = []
        position = 1 if bound else 0
        for arg, value in args:
            if param.kind == "**":
                if arg.star == "**" or (arg.keyword is not None and arg.keyword not in named):
                    out.append((arg, value))
                continue
            if arg.star:
                continue
            if arg.keyword is None:
                hit = position == index
                position += 1
            else:
                hit = arg.keyword == param.name
            if hit:
                out.append((ir.Arg(keyword or None, arg.value), value))
        return out

    def _own_through(self, ret: Value, passed: dict[int, Value]) -> frozenset[Type]:
        """A callee that picks records by a parameter's value (OWN_IF): they are the
        requester's when the argument is (`get_settings(user_id=current_user.id)`), or
        decided by the caller's own parameter in turn."""
        out: set[Type] = set()
        for _, text in sorted(t for t in ret.types if t[0] == OWN_IF) if ret.types else ():
            index, model, field = text.split("|")
            if not index.isdigit():  # (by the record a type renders: see _own_by)
                continue
            value = passed.get(int(index))
            if value is not None:
                out |= self._own_by(model, field, value)
        for t in ret.taints:
            # it returns the argument itself (`return settings` after updating it): what
            # the caller knew of it holds
            if t.param is not None and not t.steps and t.param in passed and \
                    not t.param_field:
                out |= {x for x in passed[t.param].types if x[0] in (OWN, OWN_FIELD, OWN_IF)}
        return frozenset(out)

    # ------------------------------------------------------------------ sinks

    def _callee_sink(self, q: str) -> SinkSpec | None:
        """The sink a call of `q` is: listed in the rules, a project subclass of a library
        response class, or a sending method of a library class (see below)."""
        if q in self._callee_sinks:
            return self._callee_sinks[q]
        sink = self.k.sink_callables.get(q) or self._sink_subclass(q) or \
            self._library_method_sink(q)
        self._callee_sinks[q] = sink
        return sink

    def _library_method_sink(self, q: str) -> SinkSpec | None:
        if q in self._method_sinks:
            return self._method_sinks[q]
        sink = self._method_sinks[q] = self._find_library_method_sink(q)
        return sink

    def _find_library_method_sink(self, q: str) -> SinkSpec | None:
        """A sink method of a library class reached through a name the rules do not list:
        any method of a class whose every method sends (`Builder.*`: a mail builder's
        `builder.welcome(to, context)`), or one a project subclass inherits."""
        owner, _, method = q.rpartition(".")
        if not owner:
            return None
        sink = self.k.sink_callables.get(f"{owner}.*")
        if sink is not None or owner not in self.project.classes:
            return sink
        if not self._sending_class(owner) or self.project.find_method(owner, method):
            return None
        for base in self.project.mro(owner)[1:]:
            sink = self.k.sink_callables.get(f"{base}.{method}") or \
                self.k.sink_callables.get(f"{base}.*")
            if sink is not None:
                return sink
        return None

    def _sending_class(self, cls: str) -> bool:
        """A project class deriving from a library class some of whose methods are sinks."""
        known = self._sending_classes.get(cls)
        if known is None:
            owners = self._sink_owners
            known = self._sending_classes[cls] = any(
                b in owners for b in self.project.mro(cls)[1:])
        return known

    @functools.cached_property
    def _sink_owners(self) -> frozenset[str]:
        return frozenset(q.rpartition(".")[0] for q in self.k.sink_callables)

    def _sink_subclass(self, q: str) -> SinkSpec | None:
        """The sink a project class is by deriving from a response class of a library: the
        project's own `Response(SimpleTemplateResponse)` holding the body as `self.data`."""
        if not self.k.sink_bases or q not in self.project.classes:
            return None
        for base in self.project.mro(q)[1:]:
            sink = self.k.sink_bases.get(base)
            if sink is not None:
                return sink
        return None

    def _sink_args(self, frame: Frame, sink: SinkSpec, args, at: NodeRef) -> None:
        position = 0
        for arg, value in args:
            pos = None if arg.keyword is not None or arg.star else position
            if arg.keyword is None and not arg.star:
                position += 1
            if sink.record_key and not arg.star and sink.carries(pos, arg.keyword):
                value = Value(value.types, normalize(
                    [*value.taints, *self._record_keys(frame, sink.record_key, sink.record_label,
                                                         arg, value, at)]))
            if value.taints and (arg.star or sink.carries(pos, arg.keyword)):
                self._sink(frame, value, sink, at.node)

    def _raised_through(self, frame: Frame, raised: frozenset[Taint], callee: str,
                        at: NodeRef) -> None:
        """A callee raises exceptions that carry serials: so does this function, and a
        route whose exceptions reach the client reports them where they are raised."""
        step = Step("call", at, f"raised by {callee}()")
        through = [Taint(t.origin, t.label, t.confidence, t.how,
                         (*t.steps, step), t.at, t.in_url) for t in sorted(raised)]
        frame.raised.extend(through)
        if frame.raised_what:
            self._sink(frame, Value(taints=normalize(through)),
                       SinkSpec(frame.raised_what, None), at.node)

    def _sink(self, frame: Frame, value: Value, sink: SinkSpec, node: int) -> None:
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
                                                in_url, t.param_field))
                continue
            self._record(frame, Taint(t.origin, t.label, t.confidence, t.how,
                                      (*t.steps, step), carrier, in_url), carrier, what,
                         fn_name, frame.anonymous)

    def _record(self, frame: Frame, t: Taint, sink_at: NodeRef, what: str,
                function: str, anonymous: bool = False, entered: NodeRef | None = None) -> None:
        if not frame.emit or t.label == CLIENT:
            return
        if what not in self.k.staff_still_reported and self._staff_only(frame):
            return
        code = rule_for(t.label, anonymous, t.in_url)
        if code is None:
            return
        flow = Flow(code, t.origin, t.confidence, t.how, what, sink_at,
                    t.steps, function, readable=t.label == DECODED, entered=entered)
        key = flow_key(flow)
        emitted = self.emitted.setdefault(frame.key, {})
        cur = emitted.get(key)
        # hidden plaintext first: it decides how serious the oracle is
        if cur is None or (flow.readable, len(flow.steps), flow.steps) < (
                cur.readable, len(cur.steps), cur.steps):
            emitted[key] = flow


def _returned_self_calls(body: tuple[ir.Stmt, ...]) -> set[str]:
    """Methods called on `cls`/`self` whose result the body returns, directly or through
    a local name (`response = cls.perform(...)` ... `return response`)."""
    def called(e: ir.Expr | None) -> str | None:
        if isinstance(e, ir.Call) and isinstance(e.func, ir.Attr) and \
                isinstance(e.func.value, ir.Name) and e.func.value.id in ("cls", "self"):
            return e.func.attr
        return None

    via: dict[str, set[str]] = {}
    for stmt in body:
        if isinstance(stmt, ir.Assign) and (name := called(stmt.value)) is not None:
            for target in stmt.targets:
                if isinstance(target, ir.NameT):
                    via.setdefault(target.id, set()).add(name)
    out: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ir.Return) and not stmt.is_yield:
            if (name := called(stmt.value)) is not None:
                out.add(name)
            elif isinstance(stmt.value, ir.Name):
                out |= via.get(stmt.value.id, set())
    return out


def _carried_parameters(values: list[Value]) -> str:
    """The arguments of a call of a parameter, as CALLS_PARAM writes them: for each, the
    first of the function's parameters it carries, "-" for none (`fn(r, 1)` -> "2,-")."""
    return ",".join(str(p[0]) if (p := sorted({t.param for t in v.taints
                                              if t.param is not None})) else "-"
                    for v in values)


def _walk(expr: object, depth: int = 0) -> list[ir.Expr]:
    """Every expression inside `expr` (bounded: decorators and class attributes are small)."""
    if depth > 12:
        return []
    out: list[ir.Expr] = []
    if isinstance(expr, (tuple, list)):
        for item in expr:
            out += _walk(item, depth + 1)
        return out
    if isinstance(expr, (ir.Arg,)):
        return _walk(expr.value, depth + 1)
    if not isinstance(expr, (ir.Name, ir.Attr, ir.Call, ir.Subscript, ir.Container, ir.BinOp,
                             ir.Lambda, ir.Compose, ir.Comp, ir.Union_, ir.Const)):
        return []
    out.append(expr)
    for name in getattr(expr, "__slots__", ()):
        value = getattr(expr, name, None)
        if isinstance(value, (tuple, list)) or hasattr(value, "__slots__"):
            out += _walk(value, depth + 1)
    return out


def _words(name: str) -> set[str]:
    """`IsAdmin` -> {is, admin}; `admin_required` -> {admin, required}."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)}


def _reads_attribute(expr: ir.Expr, attributes: frozenset[str]) -> bool:
    return any(isinstance(e, ir.Attr) and e.attr in attributes for e in _walk(expr))


def _names_key(name: ir.Expr) -> bool:
    """A computed attribute name whose own name says it names the key's attribute
    (`api_settings.USER_ID_FIELD`, `pk_attr`)."""
    text = dotted_name(name)
    return text is not None and bool(_words(text.rpartition(".")[2]) & {"id", "pk"})


def _is_super(expr: ir.Expr) -> bool:
    """`super()` or `super(Class, self)`."""
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and \
        expr.func.id == "super" and len(expr.args) in (0, 2)
