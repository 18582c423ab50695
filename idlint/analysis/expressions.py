"""Expressions: names and globals, attributes (model fields, stored attributes, client input),
string composition and arithmetic. The first layer of the solver (see solve.py)."""

from __future__ import annotations

import functools

from idlint.analysis import ir
from idlint.analysis.core import Frame, SolverCore, passed_key
from idlint.analysis.flows import shorter
from idlint.analysis.project import FunctionRef, dotted_name
from idlint.analysis.rendered_model import (
    model_named,
    personal_field,
    related_personal_field,
    rendered_model,
    spec_for,
)
from idlint.analysis.schema import Schema
from idlint.analysis.values import (
    BOUND,
    CALLS_PARAM,
    CLIENT,
    COMPOSITE,
    EMPTY,
    ENCODED,
    HELD,
    KEYED,
    LAMBDA,
    LINKED,
    OWN,
    OWN_FIELD,
    OWN_IF,
    OWN_KEY,
    OWN_NOTE,
    PII,
    RAW,
    RENDERED,
    RENDERED_KEY,
    RENDERED_PARAM,
    RENDERS_SELF,
    SAME,
    SELECTED_BY,
    SESSION,
    SIGNED_PARTS,
    WRAPPED,
    NodeRef,
    Step,
    Taint,
    Type,
    Value,
    join,
    kind_of,
    normalize,
)

_ITER_KEEP = frozenset({"enumerate", "zip", "reversed", "sorted", "list", "tuple", "iter",
                        "filter", "set"})


class Expressions(SolverCore):
    def _eval(self, frame: Frame, expr: ir.Expr) -> Value:
        if isinstance(expr, ir.Name):
            # (the taints move to the name; a value without any is returned as it is, without
            # building the node reference: most names evaluated hold no serial)
            value = frame.env.get(expr.id)
            if value is None:
                value = self._outer_name(frame, expr.id)
            return value.moved(NodeRef(frame.path, expr.node)) if value.taints else value
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
            # an item is what iterating yields (a record of a collection, a row, a class
            # of a registry), read at the subscript
            types = self._element(frame, base).types
            # `found[key]` of `found = M.objects.in_bulk(ids)`: one of its records
            types |= frozenset(("instance", q) for q in base.types_of(KEYED))
            if (SESSION, "") in base.types:  # `session["id"]`: the requester's key
                types |= {(OWN_KEY, "")}
            index = expr.key.value if isinstance(expr.key, ir.Const) else None
            if isinstance(index, int) and any(
                    k == SIGNED_PARTS and str(index) in q.split("|") for k, q in base.types):
                return Value(types)  # the signature of a signed value (see SIGNED)
            taints = [t.moved(at) for t in base.taints]
            if base.types and (isinstance(index, str) or (
                    isinstance(index, int) and index >= 0 and not isinstance(index, bool))):
                # `row["owner"]`, `row[0]` of a column projection
                taints += self._row_field(frame, base, at,
                                          name=index if isinstance(index, str) else None,
                                          position=index if isinstance(index, int) else None)
            return Value(types, normalize(taints))
        if isinstance(expr, ir.Compose):
            values = [self._eval(frame, p) for p in expr.parts]
            return self._compose(frame, expr, values, expr.literal)
        if isinstance(expr, ir.Container):
            values = []
            for key, val in expr.items:
                if key is not None:
                    self._eval(frame, key)
                value = self._eval(frame, val)
                if type(val) is ir.Attr:
                    value = self._bound(frame, val, value)
                values.append(value)
            merged = join(*values) if values else EMPTY
            # a registry of the project's classes or functions (`{"win": WinShare}`), or of
            # lambdas and bound methods (see HELD): what is looked up in it is one of them
            registry = frozenset(("registry", q) for k, q in merged.types
                                 if k in ("class", "func") and (
                                     q in self.project.classes or q in self.project.functions))
            held = frozenset(("registry", f"{k}#{q}") for k, q in merged.types if k in HELD)
            return Value(registry | held if held else registry, merged.taints)
        if isinstance(expr, ir.BinOp):
            return self._binop(frame, expr)
        if isinstance(expr, ir.Comp):
            for target, it in expr.generators:
                self._bind_loop(frame, target, it, False)
            parts = [self._eval(frame, expr.elt)]
            if expr.key is not None:
                parts.append(self._eval(frame, expr.key))
            merged = join(*parts)
            if expr.kind == "dict":
                # a mapping, like a dict literal: not a query whose `.values()` reads rows
                return Value(taints=merged.taints)
            types = frozenset(("collection", q) for q in merged.types_of("instance"))
            # (what calling a parameter returns is in it: see CALLS_PARAM)
            types |= frozenset(t for t in merged.types if t[0] == CALLS_PARAM)
            return Value(types, merged.taints)
        if isinstance(expr, ir.Union_):
            values = [self._eval(frame, p) for p in expr.parts]
            return join(*values) if values else EMPTY
        if isinstance(expr, ir.Lambda):
            # what it returns is known only where it is called, with its arguments
            return Value(frozenset({(LAMBDA, f"{frame.path}|{expr.node}")}))
        return EMPTY

    def _bound(self, frame: Frame, expr: ir.Attr, value: Value) -> Value:
        """`value` of `expr` held as a value (an item of a container, assigned to a name),
        with (BOUND, where) when it is a method bound to what the receiver is, to be called
        later: a method of a model's query or class (`User.query.search`, read as a
        "member"), or one the project's class of an instance defines. Not a record's field
        nor anything carrying a serial."""
        if value.taints:
            return value
        bound = any(k == "member" for k, _ in value.types)
        if not bound and expr.attr in self._method_names:
            # (its receiver evaluated again: only for the names of the project's methods)
            receiver = frame.env.get(expr.value.id) if type(expr.value) is ir.Name else None
            if receiver is None:
                receiver = self._eval(frame, expr.value)
            bound = any(
                k == "instance" and q in self.project.classes and
                q not in self.schemas.schemas and
                self.project.find_method(q, expr.attr) is not None
                for k, q in receiver.types)
        if not bound:
            return value
        return Value(value.types | {(BOUND, f"{frame.path}|{expr.node}")}, value.taints)

    def _type_variable_attributes(self, cls: str) -> frozenset[str]:
        """Attributes a project generic class (or a project base) annotates with a type
        variable (`node: N` after `N = TypeVar("N")`), once per solve."""
        key = ("type_variable_attributes", cls)
        got = self.project.memo.get(key)
        if got is None:
            names: set[str] = set()
            for c in self.project.mro(cls):
                ref = self.project.classes.get(c)
                if ref is None:
                    continue
                module = self.project.module_names[ref.module.path]
                for a in ref.cls.attrs:
                    if not isinstance(a.annotation, ir.Name):
                        continue
                    found = self.schemas.module_global(
                        self.project.resolve(module, a.annotation.id)) or \
                        self.schemas.module_global(f"{module}.{a.annotation.id}")
                    if found is not None and isinstance(found[1], ir.Call) and \
                            (dotted_name(found[1].func) or "").endswith("TypeVar"):
                        names.add(a.name)
            got = self.project.memo[key] = frozenset(names)
        assert isinstance(got, frozenset)
        return got

    def _outer_name(self, frame: Frame, name: str) -> Value:
        """A name the function does not bind: a variable of a function it is defined in
        (a closure; the nearest that binds it), else a global."""
        scope = frame.fn.qualname if frame.fn is not None else ""
        while ".<locals>." in scope:
            scope = scope.rpartition(".<locals>.")[0]
            found = self._closure_value(frame, scope, name)
            if found is not None:
                return found
        return self._global(frame, name)

    def _closure_value(self, frame: Frame, outer: str, name: str) -> Value | None:
        """What the variable `name` of the enclosing function `outer` holds, if it binds it.
        Not what stands for the enclosing function's own parameters (what its callers pass
        it): in the nested function's summary they would be read as the nested function's
        parameters of the same position (`roles[role]` of an outer `roles` became the nested
        `send(role, recipient)`'s `recipient`)."""
        self._read(frame, outer)
        summary = self.summaries.get(outer)
        for n, value in summary.closure if summary is not None else ():
            if n == name:
                if any(t.param is not None for t in value.taints):
                    return Value(value.types,
                                 frozenset(t for t in value.taints if t.param is None))
                return value
        return None

    def _passed_types(self, frame: Frame, index: int) -> frozenset[Type]:
        """The records the function it is defined in passes to a nested function as its
        parameter `index` (`def pack(m): ...` then `pack(member)`, or a callback such as
        `loader.load(pk).then(pack)`): a summary carries no types of its parameters, but a
        nested function is called only where its enclosing function can see it."""
        assert frame.fn is not None
        outer = frame.fn.qualname.rpartition(".<locals>.")[0]
        ref = self.project.functions.get(outer)
        name = frame.fn.function.name
        if ref is None or (name not in ref.function.calls and
                           not ref.function.calls & self.k.then_methods):
            # (it neither calls it nor hands a callback on: a decorator's wrapper, which it
            # returns, need not be evaluated again each time the decorator's variables grow)
            return frozenset()
        found = self._closure_value(frame, outer, passed_key(name, index))
        return found.types if found is not None else frozenset()

    def _bind_loop(self, frame: Frame, target: ir.Target, iterable: ir.Expr,
                   final: bool, statement: bool = False) -> None:
        """`for target in iterable`; `for i, x in enumerate(xs)` binds the counter to
        nothing and `x` to an element of `xs`. A `for` statement binds its names afresh
        at each iteration: what the body put in them last time is gone."""
        if isinstance(target, ir.TupleT) and len(target.elts) == 2 and \
                isinstance(iterable, ir.Call) and isinstance(iterable.func, ir.Name) and \
                iterable.func.id == "enumerate" and iterable.args and \
                iterable.args[0].keyword is None and not iterable.args[0].star:
            self._assign(frame, target.elts[0], EMPTY, final)
            target, iterable = target.elts[1], iterable.args[0].value
        value = self._element(frame, self._eval(frame, iterable))
        at = NodeRef(frame.path, iterable.node) if hasattr(iterable, "node") else None
        self._assign(frame, target, value, final, at,
                     strong=_target_names(target) if statement else frozenset())

    def _element(self, frame: Frame, value: Value) -> Value:
        """What iterating over a value yields."""
        if not value.types:
            return value
        types = frozenset(("instance", q) for q in value.types_of("collection"))
        types |= frozenset(t for t in value.types
                           if t[0] in ("selected", SELECTED_BY, OWN, OWN_FIELD, OWN_IF))
        types |= frozenset(("row", q) for q in value.types_of("rows"))
        types |= self._registered(value)
        return Value(types, value.taints)

    @functools.cached_property
    def _method_names(self) -> frozenset[str]:
        """The names of the methods the project's classes define."""
        return frozenset(q.rpartition(".")[2] for q, ref in self.project.functions.items()
                         if ref.function.class_name is not None)

    def _registered(self, value: Value) -> frozenset[Type]:
        """The classes and functions a registry (a dict or list of them) holds."""
        out: set[Type] = set()
        for q in value.types_of("registry"):
            kind, held, key = q.partition("#")
            if held and kind in HELD:
                out.add((kind, key))
            else:
                out.add(("class" if q in self.project.classes else "func", q))
        return frozenset(out)

    def _global(self, frame: Frame, name: str) -> Value:
        self._read(frame, f"globals:{frame.module}.{name}")
        env = self.globals.get(frame.module, {})
        if name in env and frame.fn is not None:
            return env[name]
        q = self.project.resolve(frame.module, name)
        return self._symbol_in(frame, q)

    def _symbol(self, q: str) -> Value:
        if q in self.k.user_expressions:
            return Value(self._user_types())
        if q in self.k.session_expressions:
            return Value(frozenset({(SESSION, "")}))
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

    def _symbol_in(self, frame: Frame, q: str) -> Value:
        if q.rpartition(".")[0] in self.project.modules:
            self._read(frame, f"globals:{q}")
        return self._symbol(q)

    # -------------------------------------------------------------- attributes

    def _attr(self, frame: Frame, expr: ir.Attr) -> Value:
        at = NodeRef(frame.path, expr.node)
        text = dotted_name(expr)
        if text is not None:
            if text in self.k.user_expressions:
                return Value(self._user_types())
            resolved = self.project.resolve(frame.module, text)
            if resolved in self.k.user_expressions:
                return Value(self._user_types())
            if self._is_session(text, resolved):
                return Value(frozenset({(SESSION, "")}))
            if self._is_client_expression(text):
                return Value(taints=frozenset({self._client(f"`{text}`", at)}))
            head = text.partition(".")[0]
            if head not in frame.env and \
                    self.project.resolve(frame.module, head) in self.project.modules and \
                    resolved.rpartition(".")[0] in self.project.modules:
                # `models.Member` after `from . import models`: the project's own symbol
                return self._symbol_in(frame, resolved)
        base = self._eval(frame, expr.value)
        types: set[Type] = set()
        taints: list[Taint] = []
        selected = {q for k, q in base.types if k == "selected"}
        linked = sorted(q for k, q in base.types if k == LINKED)
        for kind, q in sorted(base.types):
            if kind == "instance":
                schema = self.schemas.schemas.get(q)
                if schema is None and expr.attr in self.k.record_view_attributes and any(
                        b in self.k.record_view_bases for b in self.project.mro(q)[1:]):
                    # Django's `self.object` in a DetailView: the record the URL names
                    # (a copy of a library view sets it where the code says)
                    got = self._view_record_value(frame, q, at)
                    types |= got.types
                if schema is not None:
                    self._model_attr(frame, schema, expr, at, types, taints,
                                     own=(OWN, q) in base.types,
                                     own_fk=(OWN_FIELD, f"{q}|{expr.attr}") in base.types,
                                     rendered=(RENDERED, q) in base.types)
                    people = self.schemas.person_models
                    if q in selected and q in people and self.k.is_personal(expr.attr) and \
                            expr.attr not in schema.serials:
                        step = Step("source", at, f"personal field `{schema.display}."
                                                  f"{expr.attr}` of a record the client chose")
                        taints.append(Taint(f"{schema.display}.{expr.attr}", PII, "high", "",
                                            (*self._selection_steps(frame, q), step), at))
                    target = schema.relations.get(expr.attr)
                    if q in selected and q not in people and target in people:
                        # `badge.holder` of a badge the client chose: the client chose them
                        types.add(("selected", target))
                        person = self.schemas.schemas[target].display
                        self._note_selection(frame, target, (
                            *self._selection_steps(frame, q), Step(
                                "transform", at, f"the `{person}` that "
                                                 f"`{schema.display}.{expr.attr}` refers to")))
                if (selected or linked) and q in self.project.classes:
                    taints += self._rendered_pii(frame, q, expr, selected, at)
                    taints += self._rendered_linked(frame, q, expr, linked, at)
                # (its writers first: what they store while demanded is read below)
                self._demand_attribute(q, expr.attr)
                self._read(frame, f"attr:{q}.{expr.attr}")
                for owner in self.project.mro(q) if q in self.project.classes else [q]:
                    # stored by a method of the class or of a base (`self.items = []` in a
                    # base's __init__)
                    if owner != q:
                        self._read(frame, f"attr:{owner}.{expr.attr}")
                    stored = self.class_attrs.get((owner, expr.attr))
                    if stored is not None:
                        types |= stored.types
                        taints.extend(t.moved(at) for t in stored.taints)
                if self._built(q):  # what the constructor gave the object (see BUILT)
                    taints += self._built_field(frame, base, q, expr.attr, at)
                sending = self._library_method_sink(f"{q}.{expr.attr}")
                if sending is not None:
                    # `template = builder.welcome`: a sending method of the library base
                    types.add(("ext", f"{q}.{expr.attr}"))
                prop = self._property(q, expr.attr)
                if prop is not None:  # `m.share_ref` runs the property's body
                    got = self._apply(frame, prop, True, [], ir.Call(expr, (), expr.node), base)
                    types |= got.types
                    taints.extend(got.taints)
            elif kind == "class":
                if expr.attr in ("objects", "query", "_default_manager"):
                    types.add(("collection", q))
                else:
                    types.add(("member", f"{q}.{expr.attr}"))
            elif kind == "collection":
                if expr.attr in self.k.queries.page_attributes:
                    # `page.items` of `paginate(...)`: the page's records, still selected
                    # as the query selected them
                    types.add(("collection", q))
                    types |= {t for t in base.types
                              if t[0] in ("selected", SELECTED_BY, OWN, OWN_FIELD, OWN_IF)}
                else:
                    types.add(("member", f"{q}.{expr.attr}"))
            elif kind in ("ext", "func"):
                types.add(("ext", self.project.canonical(f"{q}.{expr.attr}")))
            elif kind == WRAPPED:
                wrapper, _, held = q.partition("|")
                if expr.attr in self._type_variable_attributes(wrapper):
                    types.add(("instance", held))
            elif kind == "row":  # `row.owner` of a column projection
                taints += self._row_field(frame, Value(frozenset({(kind, q)})), at,
                                          name=expr.attr)
        if frame.fn is not None and frame.fn.function.name in RENDERS_SELF and \
                isinstance(expr.value, ir.Name) and frame.fn.function.params and \
                expr.value.id == frame.fn.function.params[0].name:
            # `self.payload` in `__str__`: what the object holds
            taints += [t.moved(at) for t in base.taints if t.param == 0]
        if text is not None and "." in text and text in frame.env:
            # a container this function filled through the attribute (`obj.data["k"] = v`)
            taints.extend(t.moved(at) for t in frame.env[text].taints)
        if not taints and base.taints and not base.types_of("instance"):
            # a record of unknown type built from a model's fields (a named tuple of a
            # user's attributes): its `id` is the serial it was given as `id`
            taints += [t.moved(at) for t in base.taints if kind_of(t.label) == "serial"
                       and t.origin.rpartition(".")[2] == expr.attr]
        if expr.attr in self.k.serial_attributes and not taints:
            taints.append(self._source(frame, f"{expr.attr}", "serial field", "high", at))
        if not taints and all(k == "ext" for k, _ in base.types):
            # untyped, or what a library call returned (`session.execute(q).scalar_one()`
            # of a query whose model was injected): the name tells the model
            guess = self._heuristic(frame, expr, at)
            if guess is not None:
                taints.append(guess)
        if not base.types and not taints and _id_like(expr.attr):
            # `token.user_id` of an untyped parameter: whatever serial the caller's argument
            # carries (`dumps(Token(user_id=user.id))`) is what this reads
            taints += [t.moved(at) for t in base.taints if t.param is not None]
        return Value(frozenset(types), normalize(taints))

    def _note_selection(self, frame: Frame, model: str, steps: tuple[Step, ...]) -> None:
        """Keep how client input selected records of the model, for the traces of IDL006;
        the shortest selection wins, whatever order code is evaluated in."""
        # Kept per function too: a field read where the record was selected traces that
        # selection, not the shortest one anywhere in the project.
        names = (model, f"{model}@{frame.key}") if frame.key else (model,)
        for name in names:
            if frame.key:
                self._writers.setdefault(f"selection:{name}", set()).add(frame.key)
            cur = self.selections.get(name)
            if cur is None or shorter(steps, cur):
                self.selections[name] = steps
                self._changed(f"selection:{name}")

    def _view_record(self, cls: str) -> tuple[str, bool] | None:
        """A generic view that loads the one record of its model the URL names (`model =
        Member`, `queryset = Member.objects.all()`; `[record_views]`): that model, and whether
        the client chooses the record by its serial. Not when the view looks records up by
        another field (`slug_field`, `lookup_field`), narrows them itself (`get_queryset`) or
        checks each one (permission classes other than the open ones)."""
        if cls in self._view_records:
            return self._view_records[cls]
        k = self.k
        found: tuple[str, bool] | None = None
        mro = self.project.mro(cls) if cls in self.project.classes else []
        mirror = next((b for b in mro[1:] if self._mirror_base(b)), None)
        if mirror is not None or any(b in k.record_view_bases for b in mro[1:]):
            attrs = self._class_attributes(mro)
            model = self._named_model(attrs)
            if model is not None:
                schema = self.schemas.schemas[model]
                lookup = next((attrs[n][1] for n in k.record_view_lookup_attributes
                               if n in attrs), None)
                by_serial = lookup is None or (isinstance(lookup, ir.Const) and (
                    lookup.value in ("pk", "id") or lookup.value in schema.serials))
                # (the copy of the library's view defines them for every view)
                own = mro[:mro.index(mirror)] if mirror is not None else mro
                narrowed = any(m in ref.cls.methods for c in own
                               if (ref := self.project.classes.get(c)) is not None
                               for m in k.record_view_owner_methods)
                perms = attrs.get("permission_classes")
                checked = perms is not None and (
                    not isinstance(perms[1], ir.Container) or any(
                        self.project.resolve(perms[0], dotted_name(v) or "")
                        not in k.record_view_open_permissions for _, v in perms[1].items))
                found = (model, by_serial and not narrowed and not checked and
                         schema.pk_serial is not False and model in self.schemas.person_models)
        self._view_records[cls] = found
        return found

    def _class_attributes(self, mro: list[str]) -> dict[str, tuple[str, ir.Expr]]:
        """Class attributes with a value, of a class and its project bases (the nearest
        first), each with the module it is written in."""
        attrs: dict[str, tuple[str, ir.Expr]] = {}
        for q in mro:
            ref = self.project.classes.get(q)
            if ref is None:
                continue
            module = self.project.module_names[ref.module.path]
            for a in ref.cls.attrs:
                if a.value is not None:
                    attrs.setdefault(a.name, (module, a.value))
        return attrs

    def _view_model(self, cls: str) -> str | None:
        """The model a view class names (`model = Member`, `queryset = Member.objects...`)."""
        return self._named_model(self._class_attributes(self.project.mro(cls)))

    def _named_model(self, attrs: dict[str, tuple[str, ir.Expr]]) -> str | None:
        """The model the first of `record_view_model_attributes` among a view's class
        attributes (see _class_attributes) names."""
        return next((m for name in self.k.record_view_model_attributes if name in attrs
                     if (m := model_named(self.project, self.schemas, *attrs[name]))
                     is not None), None)

    def _mirror_base(self, cls: str) -> bool:
        """A project class that reimplements the library's generic view: it defines every
        one of `[generic_retrieve]` `mirror_methods` and `mirror_attributes` itself."""
        known = self._mirrors.get(cls)
        if known is None:
            spec = self.k.generic_retrieve
            ref = self.project.classes.get(cls)
            known = self._mirrors[cls] = bool(
                spec is not None and spec.mirror_methods and ref is not None and
                all(m in ref.cls.methods for m in spec.mirror_methods) and
                set(spec.mirror_attributes) <= {a.name for a in ref.cls.attrs})
        return known

    def _view_record_value(self, frame: Frame, cls: str, at: NodeRef) -> Value:
        """`self.get_object()` / `self.object` of a generic view: its model's record."""
        found = self._view_record(cls)
        if found is None:
            return EMPTY
        model, chosen = found
        types: set[Type] = {("instance", model)}
        if chosen:
            display = self.schemas.schemas[model].display
            self._note_selection(frame, model, (Step(
                "transform", at, f"selects a `{display}` record by the serial in the URL "
                                 "(generic view)"),))
            types.add(("selected", model))
        return Value(frozenset(types))

    def _rendered_pii(self, frame: Frame, q: str, expr: ir.Attr, selected: set[str],
                      at: NodeRef) -> list[Taint]:
        """`MemberSerializer(member).data` of a record the client selected: the personal
        field the serializer lists reaches whoever gets the data."""
        model, personal = self._serialized(q)
        if model is None or model not in selected:
            return []
        spec = spec_for(self.project, self.k, q)
        if spec is None or expr.attr not in spec.output_attributes:
            return []
        schema = self.schemas.schemas.get(model)
        if schema is None:
            return []
        how = ""
        if model in self.schemas.person_models:
            if personal is None:
                return []
            origin = f"{schema.display}.{personal[0]}"
        else:  # a thing's record: the personal field of a person it refers to
            if q not in self._rendered_related:
                self._rendered_related[q] = related_personal_field(
                    self.project, self.schemas, self.k, q, model)
            related = self._rendered_related[q]
            if related is None:
                return []
            relation, target, field, _ = related
            origin = f"{self.schemas.schemas[target].display}.{field}"
            how = f" through `{schema.display}.{relation}`"
        step = Step("source", at, f"personal field `{origin}` of a record the client chose"
                                  f"{how}, rendered by `{q.rsplit('.', 1)[-1]}`")
        return [Taint(origin, PII, "high", "",
                      (*self._selection_steps(frame, model), step), at)]

    def _rendered_linked(self, frame: Frame, q: str, expr: ir.Attr, linked: list[str],
                         at: NodeRef) -> list[Taint]:
        """`AlbumSerializer(album).data` after `album.shared_to.add(member)` of a person the
        client selected (LINKED): the personal field the serializer renders of that relation
        reaches whoever gets the data."""
        model = self._serialized(q)[0]
        spec = spec_for(self.project, self.k, q) if model is not None else None
        if spec is None or expr.attr not in spec.output_attributes:
            return []
        out: list[Taint] = []
        for entry in linked:
            owner, relation, person, node, path = entry.split("|", 4)
            if owner != model:
                continue
            related = related_personal_field(self.project, self.schemas, self.k, q, model,
                                             relation)
            if related is None or related[1] != person:
                continue
            schema, target = self.schemas.schemas[model], self.schemas.schemas[person]
            origin = f"{target.display}.{related[2]}"
            steps = (*self._selection_steps(frame, person),
                     Step("transform", NodeRef(path, int(node)),
                          f"linked into `{schema.display}.{relation}`"),
                     Step("source", at, f"personal field `{origin}` of a record the client "
                                        f"chose through `{schema.display}.{relation}`, "
                                        f"rendered by `{q.rsplit('.', 1)[-1]}`"))
            out.append(Taint(origin, PII, "high", "", steps, at))
        return out

    def _serialized(self, q: str) -> tuple[str | None, tuple[str, NodeRef] | None]:
        """(model, (personal field, where listed)) of a declarative class that renders a
        model and has output attributes; (None, None) for anything else."""
        known = self._rendered_personal.get(q)
        if known is None:
            known = (None, None)
            spec = spec_for(self.project, self.k, q) if q in self.project.classes else None
            if spec is not None and spec.output_attributes:
                model = rendered_model(self.project, self.schemas, self.k, q)[0]
                if model is not None:
                    known = (model, personal_field(self.project, self.k, q))
            self._rendered_personal[q] = known
        return known

    def _property(self, cls: str, name: str) -> FunctionRef | None:
        if cls not in self.project.classes:
            return None
        ref = self.project.find_method(cls, name)
        if ref is None or ref.function.class_name is None:
            return None
        for d in ref.function.decorators:
            decorator = dotted_name(d.func if isinstance(d, ir.Call) else d) or ""
            if decorator.rsplit(".", 1)[-1] in self.k.property_decorators:
                return ref
        return None

    def _is_session(self, text: str, resolved: str) -> bool:
        if resolved in self.k.session_expressions:
            return True
        known = self._session_texts.get(text)
        if known is None:  # (asked for every dotted attribute read)
            known = self._session_texts[text] = _ends_with_one_of(text,
                                                                  self.k.session_expressions)
        return known

    def _is_client_expression(self, text: str) -> bool:
        known = self._client_texts.get(text)
        if known is None:  # (asked for every dotted attribute read)
            known = self._client_texts[text] = _ends_with_one_of(text,
                                                                 self.k.client_expressions)
        return known

    def _selection_steps(self, frame: Frame, model: str) -> tuple[Step, ...]:
        if frame.key:
            local = f"{model}@{frame.key}"
            self._read(frame, f"selection:{local}")
            if local in self.selections:
                return self.selections[local]
        self._read(frame, f"selection:{model}")
        return self.selections.get(model, ())

    def _model_attr(self, frame: Frame, schema: Schema, expr: ir.Attr, at: NodeRef,
                    types: set[Type], taints: list[Taint], own: bool = False,
                    own_fk: bool = False, rendered: bool = False) -> None:
        """A model field read: its serial (the requester's own when read from their record,
        or from a foreign key that points at them), the related record, the related records
        of a reverse relation; another field of the requester's record identifies them."""
        serial = schema.serials.get(expr.attr)
        if serial is not None:
            taints.append(self._source(frame, serial.origin, serial.kind, serial.confidence, at,
                                       note=OWN_NOTE if own or own_fk else ""))
            if rendered and serial.kind == "primary key":  # `self.id` in a type's resolver
                types.add((RENDERED_KEY, schema.qualname))
        target = schema.relations.get(expr.attr)
        if target is not None:
            types.add(("instance", target))
            if expr.attr in schema.managers:  # `photo.files.all()`: its File records
                types.add(("collection", target))
            if own_fk:  # `rating.user` of a rating made for the requester
                types.add((OWN, target))
            elif own and (related := self.schemas.schemas.get(target)) is not None:
                # `current_user.team`: its key is the requester's own `team_id`, not the
                # rest of it (the captain's id)
                types |= {(OWN_FIELD, f"{target}|{name}") for name, s in related.serials.items()
                          if s.kind == "primary key"}
        elif own and serial is None and expr.attr not in schema.reverse:
            types.add((OWN_KEY, ""))  # `current_user.email`
        reverse = schema.reverse.get(expr.attr)
        if reverse is not None:  # `booking.tickets`: a manager of the booking's tickets
            types.add(("collection", reverse))

    def _own_by(self, model: str, field: str, value: Value) -> frozenset[Type]:
        """What records of `model` picked or built with `value` as `field` are of the
        requester's: by a foreign key given the requester (`filter(owner=request.user)`,
        `Rating(user_id=me.id)`) that foreign key (OWN_FIELD), not their other serials; a
        person picked by the requester's key or another field of theirs
        (`filter_by(id=session["id"])`, `get(email=current_user.email)`) is the requester
        (OWN); by a key of a record of theirs (`filter_by(id=me.team_id)`), that record's
        key; by a parameter's value, what the caller's argument decides (OWN_IF)."""
        schema = self.schemas.schemas.get(model)
        if not _is_own(value) and schema is not None and (
                field in schema.relations or field in schema.serials) and \
                any(k in (RENDERED, RENDERED_KEY) for k, _ in value.types) and \
                all(k in ("instance", RENDERED, RENDERED_KEY) for k, _ in value.types) and \
                field not in ("id", "pk"):
            # by the record a declared type's resolver renders (`filter(owner_id=self.id)`):
            # the requester's when the type renders only theirs
            return frozenset({(OWN_IF, f"{RENDERED_PARAM}|{model}|{field}")})
        if not _is_own(value):
            params = {None if t.param_field else t.param for t in value.taints}
            if schema is None or len(params) != 1 or None in params or \
                    any(k not in ("instance", "ext") for k, _ in value.types):
                return frozenset()
            return frozenset({(OWN_IF, f"{params.pop()}|{model}|{field}")})
        if schema is None:  # a plain class given the requester: `LoginSuccess(user=u)`
            own_record = any(k == OWN for k, _ in value.types)
            return frozenset({(OWN_FIELD, f"{model}|{field}")}) if own_record else frozenset()
        serial = schema.serials.get(field)
        if field in schema.relations or (serial is not None and serial.kind == "foreign key"):
            base = field.removesuffix("_id")
            return frozenset((OWN_FIELD, f"{model}|{f}") for f in (field, base, f"{base}_id")
                             if f in schema.relations or f in schema.serials)
        person = model in self.schemas.person_models
        if field in ("id", "pk") or (serial is not None and serial.kind == "primary key"):
            keys = {n: s.origin for n, s in schema.serials.items() if s.kind == "primary key"}
            if person and (any(k in (OWN, OWN_KEY) for k, _ in value.types) or
                           all(t.origin in keys.values() for t in value.taints)):
                return frozenset({(OWN, model)})
            return frozenset((OWN_FIELD, f"{model}|{n}") for n in keys)
        if person and (OWN_KEY, "") in value.types:
            return frozenset({(OWN, model)})
        return frozenset()

    def _heuristic(self, frame: Frame, expr: ir.Attr, at: NodeRef) -> Taint | None:
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
        """Lower-cased model names to schemas; the project's own models before the library
        models idlint knows (a project's `User` with a UUID key is not Django's `User`), then
        the first in qualified-name order."""
        out: dict[str, Schema] = {}
        for _, schema in sorted(self.schemas.schemas.items(),
                                key=lambda kv: (kv[1].orm == "external", kv[0])):
            out.setdefault(schema.display.lower(), schema)
        return out

    def _row_field(self, frame: Frame, value: Value, at: NodeRef,
                   name: str | None = None, position: int | None = None) -> list[Taint]:
        """The serials of a row's column read by name (`row.owner`, `row["owner"]`) or by
        position (`row[0]`, unpacking)."""
        out: list[Taint] = []
        for kind, text in sorted(value.types):
            if kind != "row":
                continue
            model, field, column, pos = text.split("|")
            if column != name and (position is None or int(pos) != position):
                continue
            schema = self.schemas.schemas.get(model)
            serial = schema.serials.get(field) if schema is not None else None
            if serial is None:  # (a type kept from a run before the model changed)
                continue
            note = f" (selected as `{column}`)" if column != field else ""
            out.append(self._source(frame, serial.origin, serial.kind, serial.confidence, at,
                                    note=note))
        return out

    def _source(self, frame: Frame, origin: str, kind: str, confidence: str, at: NodeRef,
                note: str = "") -> Taint:
        step = Step("source", at, f"serial {kind} `{origin}` is read here{note}")
        return Taint(origin, RAW, confidence, "", (step,), at)

    def _client(self, what: str, at: NodeRef) -> Taint:
        step = Step("source", at, f"client input: {what}")
        return Taint(f"client:{what}", CLIENT, "high", "", (step,), at)

    def _user_types(self) -> frozenset[Type]:
        model = self.schemas.user_model
        return frozenset({("instance", model), (OWN, model)}) if model else frozenset()

    # ------------------------------------------------------------- composition

    def _binop(self, frame: Frame, expr: ir.BinOp) -> Value:
        left = self._eval(frame, expr.left)
        right = self._eval(frame, expr.right)
        if expr.op == "==":
            # A boolean, except to a query: `filter(Member.id == key)` picks the record the
            # client's key names, which the lookup sees as the client value itself.
            # So is a parameter compared with a model's column (the record has no serial of
            # its own there): the caller may pass client input (a service's `get(db, id)`).
            for side, other, other_value in ((left, expr.right, right),
                                             (right, expr.left, left)):
                client = [t for t in side.taints if kind_of(t.label) == "client" or (
                    t.param is not None and not other_value.taints)]
                if client and isinstance(other, ir.Attr) and other.attr in ("id", "pk"):
                    return Value(taints=frozenset(client))
            for side, other_value in ((left, right), (right, left)):
                # `Vote.voter_id == me.id`: the condition picks the requester's votes
                for column in side.types_of("member"):
                    model, _, attr = column.rpartition(".")
                    if model in self.schemas.schemas:
                        own = self._own_by(model, attr, other_value)
                        if own:
                            return Value(own)
            return EMPTY
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
        if expr.op in ("^", "*", "<<", "+", "-") and const:
            # affine arithmetic (`100000 + m.id`) hides nothing: subtract the constant back
            what = "XOR with a constant" if expr.op == "^" else "arithmetic with constants"
            return self._label(merged, ENCODED, what,
                               Step("transform", at, f"obfuscated by {what}"), at)
        return Value(frozenset(), frozenset(t.moved(at) for t in merged.taints))

    def _compose(self, frame: Frame, expr: ir.Expr, values: list[Value], literal: str) -> Value:
        merged = join(*values) if values else EMPTY
        at = NodeRef(frame.path, expr.node)  # type: ignore[union-attr]
        if not merged.taints:
            return EMPTY
        if not literal or any(c.isspace() for c in literal):
            # f"{pk}" alone is a conversion; text with spaces is prose that mentions it
            return Value(taints=frozenset(t.moved(at) for t in merged.taints))
        if "/" in literal or literal.startswith("#"):
            # a path, URL or fragment (`#post-{id}`): the serial stays readable, in a URL
            step = Step("transform", at, "placed in a URL")
            return Value(taints=normalize(
                t.transformed(SAME, "", step if kind_of(t.label) in ("serial", "any") else None,
                              at, in_url=True) for t in merged.taints))
        shown = literal if len(literal) <= 20 else literal[:17] + "..."
        return self._label(merged, COMPOSITE, "string composition",
                           Step("transform", at, f"composed into an identifier with `{shown}`"),
                           at)

    def _label(self, value: Value, label: int, how: str, step: Step | None,
               at: NodeRef | None) -> Value:
        return Value(frozenset(), normalize(
            t.transformed(label, how, step, at) for t in value.taints))

    def _is_text(self, expr: ir.Expr) -> bool:
        return isinstance(expr, (ir.Compose, ir.Const)) and not isinstance(
            getattr(expr, "value", ""), (int, float))

    def _id_like(self, expr: ir.Expr) -> bool:
        text = expr.literal if isinstance(expr, ir.Compose) else (
            expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else "")
        return not any(c.isspace() for c in text)


def _is_own(value: Value) -> bool:
    """Whether a value is (or identifies) the requester: their record, their key, or only
    serials read from their record."""
    if any(k in (OWN, OWN_KEY) for k, _ in value.types):
        return True
    return bool(value.taints) and all(
        kind_of(t.label) == "serial" and t.steps and t.steps[0].message.endswith(OWN_NOTE)
        for t in value.taints)


def _ends_with_one_of(text: str, expressions: frozenset[str]) -> bool:
    """Whether the last two or three parts of a dotted expression are one of `expressions`
    (`self.request.session` ends with `request.session`)."""
    parts = text.split(".")
    return any(".".join(parts[-n:]) in expressions for n in (2, 3) if len(parts) >= n)


def _own_model(t: Type) -> str:
    """The model an OWN, OWN_FIELD or OWN_IF type is about."""
    parts = t[1].split("|")
    return parts[1] if t[0] == OWN_IF else parts[0]


def _id_like(name: str) -> bool:
    """An attribute named like a key (`id`, `pk`, `owner_id`)."""
    return name in ("id", "pk") or name.endswith("_id")


def _target_names(target: ir.Target) -> frozenset[str]:
    if isinstance(target, ir.NameT):
        return frozenset((target.id,))
    if isinstance(target, ir.TupleT):
        return frozenset(n for elt in target.elts for n in _target_names(elt))
    return frozenset()
