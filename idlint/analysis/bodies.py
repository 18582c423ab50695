"""Bodies: a module body or a function evaluated into its globals or summary; parameters
(routes, views, dependencies, annotations) and statements."""

from __future__ import annotations

import functools

from idlint.analysis import ir
from idlint.analysis.calls import Calls, _walk
from idlint.analysis.core import Frame
from idlint.analysis.flows import Summary, shortest_sinks, shortest_stores
from idlint.analysis.order import mutation_receiver
from idlint.analysis.project import FunctionRef, dotted_name
from idlint.analysis.rendered_model import rendered_attributes, rendered_model, spec_for
from idlint.analysis.schema import Schema
from idlint.analysis.values import (
    CLIENT,
    COMPOSITE,
    EMPTY,
    LABEL_OF,
    LAMBDA,
    LINKED,
    OWN,
    OWN_FIELD,
    OWN_IF,
    OWN_ONLY,
    PII,
    RENDERED,
    RENDERED_KEY,
    RENDERED_PARAM,
    RENDERS_SELF,
    SAME,
    SELECTED_BY,
    WRAPPED,
    NodeRef,
    Step,
    Taint,
    Type,
    Value,
    join,
    normalize,
)
from idlint.knowledge import Hook, SinkSpec

_DEPENDS = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends"})


_ALIAS_DEPTH = 3


class Bodies(Calls):
    def _run_module(self, name: str) -> None:
        mod = self.project.modules[name]
        body = self.project.module_body(name)
        if body is None:
            return
        env = dict(self.globals.get(name, {}))
        frame = Frame(None, name, mod.path, env, None, key=f"<module>:{name}")
        index = self.project.module_body_index(name)
        self._exec(frame, body, None if index is None or mod.functions[index].one_pass
                   else self.project.first_pass(mod, index))
        self._lambda_resolvers(frame, mod)
        old = self.globals.get(name)
        if old is None:
            old = self._previous_globals.pop(name, {})
        self.globals[name] = env
        if env != old:
            for n in sorted(env.keys() | old.keys()):
                if env.get(n) != old.get(n):
                    self._changed(f"globals:{name}.{n}")

    def _lambda_resolvers(self, frame: Frame, mod: ir.Module) -> None:
        """The lambdas the module's declared types give their fields as resolvers (see
        DeclarativeSpec.resolver_keywords): the framework calls each with a record of the
        type's model, and what it returns reaches the client as the field. (Evaluated with
        the module's top level, whose names they read.)"""
        for cls in mod.classes:
            if not any(isinstance(a.value, ir.Call) and any(
                    isinstance(arg.value, ir.Lambda) for arg in a.value.args)
                    for a in cls.attrs):
                continue
            q = f"{frame.module}.{cls.qualname}"
            spec = spec_for(self.project, self.k, q) if q in self.project.classes else None
            if spec is None or not spec.resolver_keywords:
                continue
            model = self._declared_model(q)
            if model is None:
                continue
            record = Value(frozenset({("instance", model), (RENDERED, model)}))
            for attr in cls.attrs:
                if not isinstance(attr.value, ir.Call):
                    continue
                for arg in attr.value.args:
                    fn = arg.value
                    if arg.keyword not in spec.resolver_keywords or \
                            not isinstance(fn, ir.Lambda) or not fn.params:
                        continue
                    inner = Frame(None, frame.module, frame.path, dict(frame.env), None,
                                  key=frame.key, emit=frame.emit)
                    inner.env[fn.params[0]] = record
                    value = self._eval(inner, fn.body)
                    if value.taints:
                        self._sink(inner, value, SinkSpec(f"{spec.what} `{attr.name}`", None),
                                   fn.node)

    def _run_function(self, ref: FunctionRef) -> None:
        mod_name = self.project.module_names[ref.module.path]
        fn = ref.function
        class_q = self.project.class_of(ref)
        frame = Frame(ref, mod_name, ref.module.path, {}, class_q, key=ref.qualname)
        entry = self._entries.get(ref.qualname)
        if entry is None:  # what the function is does not change between its evaluations
            is_route = self._is_route(ref, class_q)
            hooked = not is_route and self._hook(ref, class_q) is not None
            entry = self._entries[ref.qualname] = (
                is_route or hooked, self._raised_what(ref, class_q) if is_route else "",
                self._is_anonymous(ref, mod_name), is_route or self._is_view(ref, class_q))
        frame.is_route, frame.raised_what, frame.anonymous, is_view = entry
        for i, p in enumerate(fn.params):
            value = self._param_value(frame, i, p)
            if is_view and self._is_client_param(frame, i, p, value):
                at = NodeRef(frame.path, fn.node)
                value = Value(value.types, value.taints | {self._client(
                    f"route parameter `{p.name}`", at)})
            frame.env[p.name] = value
        self._exec(frame, self.project.body(ref),
                   None if fn.one_pass else self.project.first_pass(ref.module, ref.index),
                   fn.strong, fn.looped)
        ret = join(*frame.ret) if frame.ret else EMPTY
        ret = Value(ret.types | self._only_own_returned(frame.ret), ret.taints)
        if fn.returns is not None:
            ret = join(ret, Value(self._annotation_types(frame, fn.returns)))
        closure = tuple(sorted(frame.env.items(), key=lambda kv: kv[0])) \
            if ref.qualname in self._enclosing() else ()
        summary = Summary(ret, shortest_sinks(frame.param_sinks),
                          shortest_stores(frame.param_stores),
                          normalize(frame.raised), closure)
        old = self.summaries.get(ref.qualname)
        if old != summary:
            self.summaries[ref.qualname] = summary
            if self._summary_seen(ref, old or Summary()) != self._summary_seen(ref, summary):
                self._changed(ref.qualname)

    def _summary_seen(self, ref: FunctionRef, summary: Summary) -> tuple:
        """What the code that reads a summary sees of it: callers (see Calls._apply) move the
        returned taints to the call, except that they tell the returns of `if flag:` branches
        apart, and never see what is only the function's own (OWN_ONLY, literal keys);
        functions defined in it read its variables."""
        guarded = self._guarded_returns(ref)
        ret = summary.ret
        taints = frozenset(
            t.moved(t.at if t.at is not None and t.at.node in guarded else None)
            for t in ret.taints)
        types = frozenset(t for t in ret.types if t[0] not in ("literal_key", OWN_ONLY))
        return (types, taints, summary.param_sinks, summary.param_stores, summary.raised,
                summary.closure)

    def _only_own_returned(self, returned: list[Value]) -> frozenset[Type]:
        """(OWN_ONLY, "M") when every record of model M the function may return is the
        requester's (`return info.context.request.user`, beside `return errors`);
        (OWN_ONLY, "C|attr") when every `C` it returns was built with the requester's record
        (or foreign key) as `attr` (`return LoginSuccess(user=user)`); (OWN_ONLY,
        "self|M|attr") when every record of M was picked by the key of the record a declared
        type's resolver renders (`filter(owner_id=self.id)`). A value of no known
        class may be a record of any model; `return None` returns none."""
        records = [v for v in returned if any(k != RENDERED_KEY for k, _ in v.types)]
        out: set[Type] = set()
        unknown = any(not any(k in ("instance", "collection") for k, _ in v.types)
                      for v in records)
        if unknown:
            return frozenset()
        for kind in (OWN, OWN_FIELD, OWN_IF):  # "M", "C|attr", or "self|M|attr"
            for key in sorted({q for v in records for k, q in v.types if k == kind}):
                if kind == OWN_IF and not key.startswith(f"{RENDERED_PARAM}|"):
                    continue  # (a parameter's: the caller decides)
                cls = key.split("|")[1 if kind == OWN_IF else 0]
                if all((kind, key) in v.types for v in records
                       if ("instance", cls) in v.types or ("collection", cls) in v.types):
                    out.add((OWN_ONLY, key))
        return frozenset(out)

    def _param_value(self, frame: Frame, index: int, p: ir.Param) -> Value:
        types: set[Type] = set()
        if index == 0 and frame.class_qualname and not self._is_static(frame):
            if p.name == "cls" or self._is_classmethod(frame):
                types.add(("class", frame.class_qualname))
            else:
                types.add(("instance", frame.class_qualname))
                # A GraphQL type or serializer of a model: its resolvers get the model's
                # records as `self`/`root` (`@strawberry_django.type(User)`, `Meta.model`).
                model = self._declared_model(frame.class_qualname)
                if model is not None:
                    types |= {("instance", model), (RENDERED, model)}
            if frame.fn is not None and frame.fn.function.name in RENDERS_SELF:
                # `__str__`: what the object holds (`token["user_id"] = uid`) is what its
                # attributes give the text (see Expressions._attr, Calls._rendered_by_dunder)
                fn_at = NodeRef(frame.path, frame.fn.function.node)
                return Value(frozenset(types), frozenset({Taint("param:0", SAME, "high", "",
                                                                (), fn_at)}))
            if not frame.is_route and self._built(frame.class_qualname) and \
                    frame.fn is not None:
                # a method of a built class (see BUILT) that the project calls: what the
                # object's fields hold is the caller's object's (a route's `self` comes
                # from the framework, and reads what the constructors stored)
                frame.symbolic_self = True
                fn_at = NodeRef(frame.path, frame.fn.function.node)
                return Value(frozenset(types), frozenset({Taint("param:0", SAME, "high", "",
                                                                (), fn_at)}))
            return Value(frozenset(types))
        if p.annotation is not None:
            types |= self._annotation_types(frame, p.annotation)
        if frame.fn is not None and ".<locals>." in frame.fn.qualname:
            types |= self._passed_types(frame, index)
        if index == 1 and frame.class_qualname and frame.fn is not None and \
                self._method_field(frame.class_qualname, frame.fn.function.name) is not None:
            model = self._declared_model(frame.class_qualname)
            if model is not None:  # get_x(self, obj): obj is the serialized record
                types.add(("instance", model))
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
        if self._names_current_user(p):
            # `user: CurrentUser`, `me = Depends(get_current_active_user)`: the requester
            types |= {(OWN, q) for k, q in types
                      if k == "instance" and q in self.schemas.person_models}
        at = NodeRef(frame.path, frame.fn.function.node) if frame.fn else None
        taint = Taint(f"param:{index}", SAME, "high", "", (), at)
        return Value(frozenset(types), frozenset({taint}))

    def _names_current_user(self, p: ir.Param) -> bool:
        """Whether the parameter's name, annotation (`CurrentUser`) or dependency
        (`Annotated[User, Depends(current_user)]`, `= Depends(get_current_user)`) names the
        requesting user."""
        names = [p.name, dotted_name(p.annotation) or ""] if p.annotation is not None \
            else [p.name]
        if isinstance(p.annotation, ir.Subscript):
            for call in _walk(p.annotation):
                if isinstance(call, ir.Call):
                    names.append(dotted_name(call.func) or "")
                    names += [dotted_name(a.value) or "" for a in call.args]
        if isinstance(p.default, ir.Call):
            names += [dotted_name(a.value) or "" for a in p.default.args]
        words = self.k.current_user_words
        return any(w in n.replace("_", "").lower() for n in names if n for w in words)

    def _whole_record(self, frame: Frame, value: Value, stmt: ir.Return) -> Value:
        """A record the client selected by a serial, returned whole through a response model
        that declares personal fields (`response_model=ContactRead` with `email`): those
        fields reach the client as surely as `{"email": c.email}` would (IDL006)."""
        # (a query of them too: strawberry_django fetches the one a `-> Contact` field needs)
        selected = [q for k, q in value.types if k == "selected" and (
            ("instance", q) in value.types or ("collection", q) in value.types) and
            q in self.schemas.person_models]
        if not selected or frame.fn is None:
            return value
        declared = self._response_model_fields(frame)
        at = NodeRef(frame.path, stmt.node)
        added: list[Taint] = []
        for q in sorted(selected):
            schema = self.schemas.schemas.get(q)
            if schema is None:
                continue
            personal = sorted(f for f in declared if self.k.is_personal(f) and
                              f not in schema.serials)
            if personal:
                step = Step("source", at, f"personal field `{schema.display}.{personal[0]}` of "
                                          "a record the client chose, returned whole through "
                                          "the response model")
                added.append(Taint(f"{schema.display}.{personal[0]}", PII, "high", "",
                                   (*self._selection_steps(frame, q), step), at))
        return value.with_taints((*value.taints, *added)) if added else value

    def _marshalled(self, frame: Frame, value: Value, stmt: ir.Return) -> Value:
        """A record a route returns through a table of fields (flask-restx
        `@marshal_with({"id": fields.Integer, ...})`): the serials the table names are sent."""
        records = sorted(q for k, q in value.types
                         if k in ("instance", "collection") and q in self.schemas.schemas)
        if not records:
            return value
        names = self._marshal_fields(frame)
        at = NodeRef(frame.path, stmt.node)
        added = [self._source(frame, serial.origin, serial.kind, serial.confidence, at)
                 for q in records for name in sorted(names) if "|" not in name and
                 (serial := self.schemas.schemas[q].serials.get(name)) is not None]
        # fields given a function of the record (`attribute=lambda o: ...`): called with it
        record = Value(frozenset(("instance", q) for q in records))
        call = ir.Call(ir.Const(None, stmt.node), (), stmt.node)
        for name in sorted(n for n in names if "|" in n):
            added += self._call_held(frame, (LAMBDA, name), [(ir.Arg(None, call), record)],
                                     call).taints
        return value.with_taints((*value.taints, *added)) if added else value

    def _marshal_fields(self, frame: Frame) -> set[str]:
        """The keys of the field table of the route's `@marshal_with(...)` (a dict, a
        module-level name of one, or `ns.model("Name", {...})`), and "path|node" of each
        lambda a field is given as a function of the record (see LAMBDA)."""
        out: set[str] = set()
        for dec in frame.fn.function.decorators if frame.fn else ():
            if not isinstance(dec, ir.Call) or not dec.args or dec.args[0].keyword:
                continue
            name = dotted_name(dec.func) or ""
            if self.project.resolve(frame.module, name) not in self.k.marshal_decorators and \
                    not (isinstance(dec.func, ir.Attr) and dec.func.attr in self.k.marshal_methods):
                continue
            table: ir.Expr | None = dec.args[0].value
            module = frame.module
            for _ in range(2):  # a name of a module-level table, itself maybe ns.model(...)
                if isinstance(table, ir.Name):
                    found = self.schemas.module_global(
                        self.project.resolve(module, table.id)) or \
                        self.schemas.module_global(f"{module}.{table.id}")
                    module, table = found if found is not None else (module, None)
                if isinstance(table, ir.Call) and isinstance(table.func, ir.Attr) and \
                        table.func.attr in self.k.marshal_model_methods:
                    table = next((a.value for a in table.args[1:2] if a.keyword is None), None)
            if isinstance(table, ir.Container) and table.kind == "dict":
                out |= {k.value for k, _ in table.items
                        if isinstance(k, ir.Const) and isinstance(k.value, str)}
                path = self.project.modules[module].path if module in self.project.modules \
                    else frame.path
                out |= {f"{path}|{a.value.node}" for _, v in table.items
                        if isinstance(v, ir.Call) for a in v.args
                        if a.keyword in self.k.marshal_callable_keywords and
                        isinstance(a.value, ir.Lambda) and a.value.params}
        return out

    def _response_model_fields(self, frame: Frame) -> set[str]:
        ref = frame.fn
        if ref is None:
            return set()
        out: set[str] = set()
        declared = [arg.value for dec in ref.function.decorators if isinstance(dec, ir.Call)
                    for arg in dec.args if arg.keyword in self.k.response_model_keywords]
        returns = ref.function.returns
        graphql = bool(frame.raised_what) and returns is not None
        if frame.raised_what and returns is not None:
            # a GraphQL resolver: the type it is annotated to return is what the client can
            # select fields of (`-> Contact | None`), its resolvers included
            declared += _alternatives(returns)
        for expr in declared:
            if isinstance(expr, ir.Subscript) and expr.key is not None:  # list[Out]
                expr = expr.key
            name = dotted_name(expr)
            q = self.project.resolve(frame.module, name) if name else ""
            for c in self.project.mro(q) if q in self.project.classes else ():
                cref = self.project.classes.get(c)
                if cref is not None:
                    out |= {a.name for a in cref.cls.attrs if a.annotation is not None}
                    if graphql:
                        out |= {m for m in cref.cls.methods if (f := self.project.functions.get(
                            f"{c}.{m}")) is not None and self._is_route(f, c)}
        return out

    def _method_field(self, cls: str, method: str) -> str | None:
        """The field a `get_<field>` method renders in a serializer (declared with one of
        the spec's method_fields), or None."""
        if not method.startswith("get_"):
            return None
        key = (cls, method)
        if key not in self._method_fields:  # asked for every get_* method at every wave
            self._method_fields[key] = self._find_method_field(cls, method[4:])
        return self._method_fields[key]

    def _find_method_field(self, cls: str, field: str) -> str | None:
        kinds = {f for spec in self.k.declarative for f in spec.method_fields}
        for c in self.project.mro(cls) if kinds else ():
            ref = self.project.classes.get(c)
            if ref is None:
                continue
            for attr in ref.cls.attrs:
                if attr.name == field and isinstance(attr.value, ir.Call) and \
                        (dotted_name(attr.value.func) or "").rsplit(".", 1)[-1] in kinds:
                    return field
        return None

    def _declared_model(self, cls: str) -> str | None:
        if cls in self._declared_models:
            return self._declared_models[cls]
        found: str | None = None
        if cls in self.project.classes:  # a model of the schemas, or None
            found = rendered_model(self.project, self.schemas, self.k, cls)[0]
        self._declared_models[cls] = found
        return found

    def _is_static(self, frame: Frame) -> bool:
        fn = frame.fn.function if frame.fn else None
        return bool(fn and any(dotted_name(d) == "staticmethod" for d in fn.decorators))

    def _is_classmethod(self, frame: Frame) -> bool:
        fn = frame.fn.function if frame.fn else None
        return bool(fn and any(dotted_name(d) == "classmethod" for d in fn.decorators))

    def _annotation_types(self, frame: Frame, ann: ir.Expr) -> frozenset[Type]:
        return self._annotation_types_in(frame.module, ann)

    def _annotation_types_in(self, module: str, ann: ir.Expr) -> frozenset[Type]:
        """The records an annotation written in `module` names."""
        out: set[Type] = set()

        def walk(e: ir.Expr, collection: bool, module: str, depth: int) -> None:
            if isinstance(e, ir.Subscript):
                outer = dotted_name(e.value) or ""
                is_coll = outer.rsplit(".", 1)[-1] in (
                    "list", "List", "Sequence", "Iterable", "set", "Set", "QuerySet")
                if e.key is not None:
                    walk(e.key, collection or is_coll, module, depth)
                    wrapper = self.project.resolve(module, outer) if outer and \
                        not is_coll and not collection else ""
                    if wrapper in self.project.classes and not (
                            wrapper in self.schemas.schemas and
                            self.schemas.schemas[wrapper].orm):
                        # `ChannelContext[Product]`: what its `node: N` holds is a Product
                        out.update((WRAPPED, f"{wrapper}|{q}") for k, q in
                                   self._annotation_types_in(module, e.key) if k == "instance")
            elif isinstance(e, ir.Container):
                for _, v in e.items:
                    walk(v, collection, module, depth)
            elif isinstance(e, ir.BinOp):
                walk(e.left, collection, module, depth)
                walk(e.right, collection, module, depth)
            elif isinstance(e, ir.Const) and isinstance(e.value, str):
                # A forward reference names what the name means in the module (`"User"`
                # for the module's own GraphQL type `User`, not the model); a model of that
                # name when the module does not define or import it.
                q = self.project.resolve(module, e.value) if e.value.isidentifier() else ""
                local = q in self.schemas.schemas or q in self.project.classes
                cands = [q] if local else self.schemas.by_simple_name.get(e.value, [])
                for q in cands[:1]:
                    out.add(("collection" if collection else "instance", q))
            else:
                name = dotted_name(e)
                if name:
                    q = self.project.resolve(module, name)
                    if q in self.schemas.schemas or q in self.project.classes:
                        out.add(("collection" if collection else "instance", q))
                    elif q in self.modelled_classes and not collection:
                        out.add(("ext", q))
                    elif depth < _ALIAS_DEPTH:
                        # `CurrentUser = Annotated[User, Depends(current_user)]`
                        found = self.schemas.module_global(q) or \
                            self.schemas.module_global(f"{module}.{name}")
                        if found is not None:
                            walk(found[1], collection, found[0], depth + 1)

        walk(ann, False, module, 0)
        return frozenset(out)

    def _is_route(self, ref: FunctionRef, class_q: str | None) -> bool:
        known = self._routes.get(ref.qualname)
        if known is None:  # (asked at every evaluation and every demand expansion)
            known = self._routes[ref.qualname] = self._find_route(ref, class_q)
        return known

    def _find_route(self, ref: FunctionRef, class_q: str | None) -> bool:
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
        if class_q and self._method_field(class_q, fn.name) is not None:
            return True
        if class_q and ref.qualname in self._rendered_attributes:
            return True
        if class_q and fn.name in self.k.route_class_methods:
            return any(b in self.k.route_class_bases for b in self.project.mro(class_q))
        return class_q is not None and ref.qualname in self._delegated_routes

    def _raised_what(self, ref: FunctionRef, class_q: str | None) -> str:
        """Where an exception this route raises reaches the client (a GraphQL resolver's
        becomes an error message of the response), or ""."""
        fn = ref.function
        module = self.project.module_names[ref.module.path]
        decorators = {self.project.resolve(module, dotted_name(
            d.func if isinstance(d, ir.Call) else d) or "") for d in fn.decorators}
        for spec in self.k.raising_routes:
            if not decorators.isdisjoint(spec.decorators):
                return spec.what
            if class_q and fn.name.startswith(spec.method_prefixes):
                return spec.what
            if class_q and fn.name in spec.class_methods and any(
                    b in spec.class_bases for b in self.project.mro(class_q)):
                return spec.what
        entry = self._delegated_routes.get(ref.qualname)
        if entry is not None:  # raised through the entry point that calls it
            return self._raised_what(self.project.functions[entry], entry.rsplit(".", 1)[0])
        return ""

    def _raise(self, frame: Frame, expr: ir.Expr, value: Value) -> None:
        """`raise NotFound(f"no ticket {t.id}")` in a route whose exceptions reach the client:
        the message, and any exception built into the raised one, reaches it."""
        parts: list[Value] = [value]
        pending = [expr]
        while pending:
            e = pending.pop()
            if isinstance(e, ir.Call):
                for arg in e.args:
                    parts.append(self._eval(frame, arg.value))
                    pending.append(arg.value)
            elif isinstance(e, ir.Comp):
                pending.append(e.elt)
            elif isinstance(e, ir.Container):
                pending.extend(v for _, v in e.items)
        merged = join(*parts)
        if not merged.taints:
            return
        frame.raised.extend(t for t in merged.taints if t.param is None and t.label != CLIENT)
        if frame.raised_what:
            self._sink(frame, merged, SinkSpec(frame.raised_what, None), expr.node)

    def _hook(self, ref: FunctionRef, class_q: str | None) -> Hook | None:
        """The library hook a method overrides (`get_token` of a simplejwt serializer): the
        library sends what it returns to the client. Asked when the function is first run
        and for each of its returns: worked out once per solve."""
        if class_q is None or not self.k.hooks:
            return None
        key = ("hook", ref.qualname, class_q)
        if key not in self.project.memo:
            mro = self.project.mro(class_q)
            self.project.memo[key] = next((h for h in self.k.hooks if ref.function.name in
                                           h.methods and any(b in h.bases for b in mro)), None)
        found = self.project.memo[key]
        assert found is None or isinstance(found, Hook)
        return found

    def _route_sink(self, frame: Frame) -> SinkSpec:
        name = frame.fn.function.name if frame.fn else ""
        hook = self._hook(frame.fn, frame.class_qualname) if frame.fn else None
        if hook is not None:
            return SinkSpec(hook.what, None)
        if frame.class_qualname and name.startswith(self.k.route_method_prefixes):
            return SinkSpec(f"GraphQL field `{name.split('_', 1)[-1]}`", None)
        field = self._method_field(frame.class_qualname, name) if frame.class_qualname else None
        if field is not None:
            return SinkSpec(f"serializer field `{field}`", None)
        rendered = self._rendered_attributes.get(frame.fn.qualname) if frame.fn else None
        if rendered is not None:
            return SinkSpec(rendered, None)
        return SinkSpec("route response", None)

    @functools.cached_property
    def _rendered_attributes(self) -> dict[str, str]:
        """Model properties and methods a serializer renders as fields: evaluated like a
        SerializerMethodField, their return value reaches the client."""
        return rendered_attributes(self.project, self.schemas, self.k)

    def _is_view(self, ref: FunctionRef, class_q: str | None) -> bool:
        """Django-style views: `def view(request, pk)`; class-based handlers `get(self, request,
        pk)`. Their parameters after `request` come from the URL."""
        params = ref.function.params
        names = [p.name for p in params]
        if class_q is None:
            return bool(names) and names[0] == "request"
        if ref.function.name not in (
                "get", "post", "put", "patch", "delete", "retrieve", "list", "update", "destroy"):
            return False
        return len(names) > 1 and (names[1] == "request" or any(
            b in self.k.view_class_bases for b in self.project.mro(class_q)[1:]))

    def _is_client_param(self, frame: Frame, index: int, p: ir.Param, value: Value) -> bool:
        if p.name in self.k.route_param_exclude:
            return False
        if p.kind in ("*", "**"):
            # `def retrieve(self, request, *args, **kwargs)`: the URL's parameters (a
            # view's), the field's arguments (a resolver's)
            return frame.fn is not None and (frame.is_route or self._is_view(
                frame.fn, frame.class_qualname))
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

    # ============================================================ statements

    def _exec(self, frame: Frame, body: tuple[ir.Stmt, ...],
              first: tuple[ir.Stmt, ...] | None,
              strong: tuple[tuple[str, int], ...] = (),
              looped: frozenset[str] | None = None) -> None:
        # Two passes make the result independent of statement order in loops, which the IR
        # flattens; sinks, flows and returns are only recorded in the second. A body that
        # never reads a name before its last assignment needs only the second, and the first
        # needs only the statements that assign such names (`first`, see order.py). With
        # `looped` (a function's body: the names assigned in loops), the second pass starts
        # the other names afresh, so a read outside a loop sees only what came before it
        # (`if not key: key = ...; _, key = decode(key)`). From where only top-level
        # statements assign a name (`strong`), each assignment replaces its value; a looped
        # one starts the second pass with what it held there in the first.
        starts: dict[int, list[str]] = {}
        for name, i in strong:
            starts.setdefault(i, []).append(name)
        if first is not None:
            frame.emit = False
            record = frame.ret, frame.param_sinks
            frame.ret, frame.param_sinks = [], set()
            initial = dict(frame.env)
            before: dict[str, Value | None] = {}
            active: set[str] = set()
            # where each statement of the first pass stands in the body, so that names
            # become strong from the same place as in the second pass
            chosen = {id(stmt) for stmt in first}
            for i, stmt in enumerate(body):
                for name in starts.get(i, ()):
                    before[name] = frame.env.get(name)
                    active.add(name)
                # (and the ends of the if-bodies' guards, for what they read in the body)
                if id(stmt) in chosen or type(stmt) is ir.GuardEnd or (
                        type(stmt) is ir.Guard and stmt.denial == "branch"):
                    self._stmt(frame, stmt, strong=active)
            frame.ret, frame.param_sinks = record
            if looped is not None:
                kept = {n: v for n, v in frame.env.items() if n in looped or "." in n}
                frame.env.clear()
                frame.env.update(initial)
                frame.env.update(kept)
            for name, held in before.items():
                if looped is not None and name not in looped:
                    continue
                if held is None:
                    frame.env.pop(name, None)
                else:
                    frame.env[name] = held
        frame.emit = True
        active = set()
        for i, stmt in enumerate(body):
            active.update(starts.get(i, ()))
            self._stmt(frame, stmt, final=True, strong=active)

    def _stmt(self, frame: Frame, stmt: ir.Stmt, final: bool = False,
              strong: set[str] | frozenset[str] = frozenset()) -> None:
        if isinstance(stmt, ir.Assign):
            value = self._eval(frame, stmt.value)
            if type(stmt.value) is ir.Attr:  # `search = User.query.search`, called later
                value = self._bound(frame, stmt.value, value)
            if stmt.annotation is not None:
                ann_types = self._annotation_types(frame, stmt.annotation)
                if ann_types:
                    value = Value(value.types | ann_types, value.taints)
            at = NodeRef(frame.path, stmt.value.node) if hasattr(stmt.value, "node") else None
            for target in stmt.targets:
                self._assign(frame, target, value, final, at, strong)
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
            value = self._eval(frame, stmt.value)
            self._mutation(frame, stmt.value)
            if stmt.raised and final:
                self._raise(frame, stmt.value, value)
        elif isinstance(stmt, ir.Return):
            if stmt.value is None:
                return
            value = self._eval(frame, stmt.value)
            if final:
                frame.ret.append(value.moved(NodeRef(frame.path, stmt.node)))
                if frame.is_route:
                    value = self._whole_record(frame, value, stmt)
                    value = self._marshalled(frame, value, stmt)
                if frame.is_route and value.taints:
                    self._sink(frame, value, self._route_sink(frame), stmt.node)
        elif isinstance(stmt, ir.For):
            self._bind_loop(frame, stmt.target, stmt.iter, final, statement=True)
        elif isinstance(stmt, ir.Guard):
            self._guard(frame, stmt)
        elif isinstance(stmt, ir.GuardEnd):
            for name, added, removed in frame.scoped.pop(stmt.node, ()):
                now = frame.env.get(name)
                if now is not None:
                    frame.env[name] = Value((now.types - added) | removed, now.taints)

    def _guard(self, frame: Frame, stmt: ir.Guard) -> None:
        """After `if rec.owner_id != me.id: raise PermissionDenied`, `if rec.user !=
        current_user: abort(403)` or `if not rec.can_edit(request.user): return errors`
        (a method that returns `self.<person key> == <its parameter>`), the rest of the
        function has the requester's own record: as if the lookup had filtered by them
        (`get(id=x, owner=me)`), it is no longer one the client chose, and its foreign key
        to them is theirs."""
        how, _, callee = stmt.denial.partition(":")
        if how == "call" and \
                self.project.resolve(frame.module, callee) not in self.k.staff_denial_calls:
            return  # `if ...: log(...)` goes on
        test = stmt.test
        checks: list[tuple[str, str, Value]] = []  # (local name, field, compared with)
        if isinstance(test, ir.BinOp) and test.op == "==":
            for side, other in ((test.left, test.right), (test.right, test.left)):
                found = _record_field(side)
                if found is not None and found[0] in frame.env:
                    checks.append((*found, self._eval(frame, other)))
        elif isinstance(test, ir.Call) and isinstance(test.func, ir.Attr) and \
                isinstance(test.func.value, ir.Name):
            name = test.func.value.id
            checks += [(name, f, v) for f, v in self._ownership_checked(frame, name, test)]
        for name, field_name, value in checks:
            record = frame.env.get(name)
            if record is None or not record.types:
                continue
            own: set[Type] = set()
            models: set[str] = set()
            *hops, last = field_name.split(".")
            for q in record.types_of("instance"):
                schema = self.schemas.schemas.get(q)
                for hop in hops:  # `face.album.owner`: through the album to its owner
                    target = schema.relations.get(hop) if schema is not None else None
                    schema = self.schemas.schemas.get(target) if target is not None else None
                if schema is None or not self._person_field(schema, last):
                    continue
                got = {t for t in self._own_by(schema.qualname, last, value)
                       if t[0] in (OWN, OWN_FIELD)}
                if got:
                    if not hops:  # (its own field to them; a related record's is not its)
                        own |= got
                    models.add(q)
            if models:
                kept = frozenset(t for t in record.types if not (
                    (t[0] == "selected" and t[1] in models) or
                    (t[0] == SELECTED_BY and t[1].partition("|")[2] in models)))
                if stmt.denial == "branch" and isinstance(test, ir.BinOp):
                    frame.scoped.setdefault(test.node, []).append(
                        (name, frozenset(own) - record.types, record.types - kept))
                frame.env[name] = Value(kept | own, record.taints)

    def _person_field(self, schema: Schema, name: str) -> bool:
        """Whether a model's field names a person: a relation or foreign key to a person's
        record, or the key of a person's own record."""
        target = schema.relations.get(name) or schema.relations.get(name.removesuffix("_id"))
        if target is not None:
            return target in self.schemas.person_models
        serial = schema.serials.get(name)
        if name in ("id", "pk") or (serial is not None and serial.kind == "primary key"):
            return schema.qualname in self.schemas.person_models
        return serial is not None and serial.kind == "foreign key" and \
            serial.origin not in self.schemas.object_origins

    def _ownership_checked(self, frame: Frame, name: str,
                           call: ir.Call) -> list[tuple[str, Value]]:
        """(field, value compared with) of `rec.can_edit(request.user)` when the method of
        the record's class returns only `self.<field> == <its parameter>` (`user`,
        `user.id`, `request.user.id`): the value is what that side is for the argument."""
        assert isinstance(call.func, ir.Attr)
        record = frame.env.get(name)
        out: list[tuple[str, Value]] = []
        for q in record.types_of("instance") if record is not None else ():
            ref = self.project.find_method(q, call.func.attr) \
                if q in self.project.classes else None
            if ref is None:
                continue
            self._read(frame, ref.qualname)  # (its body decides)
            self._demand_function(ref.qualname)
            found = _compared_with_parameter(ref.function, self.project.body(ref))
            if found is None:
                continue
            field_name, param, other = found
            params = ref.function.params
            for i, arg in enumerate(call.args):
                if arg.star:
                    break
                if arg.keyword == param or (arg.keyword is None and i + 1 < len(params) and
                                            params[i + 1].name == param):
                    inner = Frame(ref, self.project.module_names[ref.module.path],
                                  ref.module.path, {param: self._eval(frame, arg.value)},
                                  q, key=frame.key)
                    out.append((field_name, self._eval(inner, other)))
        return out

    def _assign(self, frame: Frame, target: ir.Target, value: Value, final: bool,
                at: NodeRef | None = None,
                strong: set[str] | frozenset[str] = frozenset()) -> None:
        """`at`: the assigned expression, where unpacking a row reads its columns. A name
        in `strong` takes the new value's taints in place of the old ones (what it may
        be keeps both: a call the solver cannot follow says nothing of the type)."""
        if isinstance(target, ir.NameT):
            old = frame.env.get(target.id)
            if old is None:
                frame.env[target.id] = value
            elif target.id in strong:
                frame.env[target.id] = Value(old.types | value.types, value.taints)
            else:
                frame.env[target.id] = join(old, value)
        elif isinstance(target, ir.TupleT):
            rows = at is not None and any(k == "row" for k, _ in value.types)
            for i, elt in enumerate(target.elts):
                if rows and at is not None:
                    # `for pk, name in session.query(Member.id, Member.name)`: by position
                    value_i = Value(frozenset(t for t in value.types if t[0] != "row"),
                                    normalize([*value.taints,
                                               *self._row_field(frame, value, at, position=i)]))
                    self._assign(frame, elt, value_i, final, strong=strong)
                else:
                    self._assign(frame, elt, value, final, strong=strong)
        elif isinstance(target, ir.SubT):
            base = self._eval(frame, target.value)
            if self._is_header_container(target.value, base):
                if value.taints:
                    self._sink(frame, value, SinkSpec("response header", None), target.node)
                return
            if self._addresses_message(target, base):
                return  # `msg["To"] = member.email`: the person the e-mail goes to
            if isinstance(target.value, ir.Name):
                self._assign(frame, ir.NameT(target.value.id), Value(taints=value.taints), final)
            elif isinstance(target.value, ir.Attr) and value.taints:
                # `obj.data["user"] = {...}; return obj.data`: this function's later reads of
                # the attribute see what was put in its container (kept to the function: the
                # attribute of other instances does not hold it)
                path = dotted_name(target.value)
                if path is not None:
                    put = Value(taints=value.taints)
                    old = frame.env.get(path)
                    frame.env[path] = join(old, put) if old is not None else put
        elif isinstance(target, ir.AttrT):
            base = self._eval(frame, target.value)
            for q in base.types_of("instance"):
                if q in self.project.classes:
                    self._store_field(frame, q, target.attr, value.types, value.taints)

    def _addresses_message(self, target: ir.SubT, base: Value) -> bool:
        key = target.key
        return isinstance(key, ir.Const) and isinstance(key.value, str) and \
            key.value.lower() in self.k.recipient_headers and \
            any(q in self.k.recipient_messages for q in base.types_of("ext"))

    def _is_header_container(self, expr: ir.Expr, base: Value) -> bool:
        if isinstance(expr, ir.Attr) and expr.attr in self.k.header_containers:
            return True
        return any(k == "response" for k, _ in base.types)

    def _mutation(self, frame: Frame, expr: ir.Expr) -> None:
        """`ids.append(m.id)`, `h.update(...)`: the receiver now holds what was put in."""
        self._link(frame, expr)
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

    def _link(self, frame: Frame, expr: ir.Expr) -> None:
        """`album.shared_to.add(member)` of a person the client selected by serial: the
        record's relation now holds them, and what renders that relation of the record
        renders them (LINKED)."""
        if not (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and
                expr.func.attr in self.k.queries.link_methods and
                isinstance(expr.func.value, ir.Attr) and
                isinstance(expr.func.value.value, ir.Name)):
            return
        name, relation = expr.func.value.value.id, expr.func.value.attr
        record = frame.env.get(name)
        if record is None:
            return
        chosen = {q for a in expr.args if a.keyword is None
                  for k, q in self._eval(frame, a.value).types if k == "selected"}
        if not chosen:
            return
        added: set[Type] = set()
        for q in record.types_of("instance"):
            schema = self.schemas.schemas.get(q)
            target = schema.relations.get(relation) if schema is not None else None
            if target is None or target not in chosen or \
                    target not in self.schemas.person_models:
                continue
            added.add((LINKED, f"{q}|{relation}|{target}|{expr.node}|{frame.path}"))
        if added:
            frame.env[name] = Value(record.types | added, record.taints)


def _record_field(expr: ir.Expr) -> tuple[str, str] | None:
    """(name, field) of `rec.owner_id`, `rec.owner` or `rec.owner.id`; (name, "pk") of
    `rec` itself; (name, "album.owner") of a chain of relations (`rec.album.owner.id`)."""
    if isinstance(expr, ir.Name):
        return expr.id, "pk"
    parts: list[str] = []
    while isinstance(expr, ir.Attr):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ir.Name) or not parts:
        return None
    parts.reverse()
    if len(parts) > 1 and parts[-1] in ("id", "pk"):
        parts.pop()
    return expr.id, ".".join(parts)


def _compared_with_parameter(fn: ir.Function, body: tuple[ir.Stmt, ...]
                             ) -> tuple[str, str, ir.Expr] | None:
    """(field, parameter, other side) when every return of a method is `self.<field> ==
    <parameter>` or an attribute of it (`user`, `user.id`, `request.user.id`; `self.<field>`
    may be `.id` of a relation): an ownership check (`return self.user_id == user.id`)."""
    names = [p.name for p in fn.params if p.kind == "pos"]
    if len(names) < 2 or any(dotted_name(d) in ("staticmethod", "classmethod")
                             for d in fn.decorators):
        return None
    found: set[tuple[str, str, ir.Expr]] = set()
    for stmt in body:
        if not isinstance(stmt, ir.Return):
            continue
        test = stmt.value
        if not (isinstance(test, ir.BinOp) and test.op == "=="):
            return None
        got = None
        for side, other in ((test.left, test.right), (test.right, test.left)):
            mine = _record_field(side)
            root = other
            while isinstance(root, ir.Attr):
                root = root.value
            if mine is not None and mine[0] == names[0] and mine[1] != "pk" and \
                    isinstance(root, ir.Name) and root.id in names[1:]:
                got = (mine[1], root.id, other)
        if got is None:
            return None
        found.add(got)
    return found.pop() if len(found) == 1 else None


def _alternatives(ann: ir.Expr) -> list[ir.Expr]:
    """The types of an annotation `A | B | None`."""
    if isinstance(ann, ir.BinOp) and ann.op == "|":
        return [*_alternatives(ann.left), *_alternatives(ann.right)]
    return [ann]
