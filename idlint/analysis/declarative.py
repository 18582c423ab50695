"""Exposure that is declared rather than written as a call: serializer field lists, GraphQL
object types, response models. The finding points at the declaration."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase

from idlint.analysis import ir
from idlint.analysis.calls import _words
from idlint.analysis.project import ClassRef, FunctionRef, Project, dotted_name
from idlint.analysis.rendered_model import rendered_model, spec_for, string_items
from idlint.analysis.schema import Schema, SchemaBuilder
from idlint.analysis.solve import Flow, rule_for
from idlint.analysis.values import ENCODED, OWN_NOTE, RAW, RELATION_NOTE, NodeRef, Step
from idlint.knowledge import DeclarativeSpec, Knowledge


@dataclass(frozen=True, slots=True)
class _Use:
    """One instantiation of a declarative class: the fields it dumps (`None`: all of them but
    `exclude`), and whether only staff reach it."""

    only: frozenset[str] | None
    exclude: frozenset[str]
    staff: bool

    def shows(self, field: str) -> bool:
        return not self.staff and field not in self.exclude and (
            self.only is None or field in self.only)


@dataclass
class _Index:
    """By last name: the functions (and module bodies) that call something of that name, the
    modules that import it (with the local name) and the class attributes that name it; and
    the functions of each module."""

    callers: dict[str, list[FunctionRef]] = field(default_factory=dict)
    functions: dict[str, list[FunctionRef]] = field(default_factory=dict)  # by module
    imports: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    attributes: dict[str, list[tuple[str, ir.ClassAttr]]] = field(default_factory=dict)
    holder: dict[int, str] = field(default_factory=dict)  # id of a class attribute -> class


class Declarations:
    def __init__(self, project: Project, schemas: SchemaBuilder, knowledge: Knowledge,
                 staff_only: Callable[[FunctionRef], bool] | None = None,
                 requester_types: frozenset[str] = frozenset(),
                 own_returns: Mapping[str, frozenset[str]] | None = None,
                 requester_views: Mapping[str, list[tuple[str, bool]]] | None = None,
                 requester_keys: Mapping[str, frozenset[str]] | None = None) -> None:
        self.project = project
        # serializer -> relations by which all its views select the requester (see
        # GenericRetrieves.requester_keys)
        self.requester_keys = requester_keys or {}
        # serializer -> the views that declare it, each with whether its queryset is scoped
        # to the requester (see GenericRetrieves.requester_views)
        self.requester_views = requester_views or {}
        self._own_serializers: dict[str, bool] = {}
        self._within: dict[str, bool] = {}
        # types rendered only from the requester's own record (see Scheduler._requester_types)
        self.requester_types = requester_types
        # route -> what it returns only of the requester's ("Model", "Model|field"; see
        # Bodies._only_own_returned)
        self.own_returns = own_returns or {}
        self.schemas = schemas
        self.k = knowledge
        self.flows: list[Flow] = []
        self._emitted: set[tuple[str, NodeRef]] = set()
        self._staff_only = staff_only
        self._built: _Index | None = None

    def run(self) -> list[Flow]:
        for q in sorted(self.project.classes):
            ref = self.project.classes[q]
            spec = spec_for(self.project, self.k, q)
            if spec is not None:
                self._declared_class(q, ref, spec)
        self._response_models()
        return self.flows

    # ------------------------------------------------------------- helpers

    def _module(self, ref: ClassRef) -> str:
        return self.project.module_names[ref.module.path]

    def _anonymous(self, text: str) -> bool:
        return any(w in text.lower() for w in self.k.anonymous_words)

    def _emit(self, label: int, schema: Schema, field: str, how: str, what: str,
              path: str, node: int, source_node: int, context: str,
              rendered: Schema | None = None, out: str = "", hop: bool = False,
              own: bool = False) -> None:
        """A flow of `schema`'s serial `field`, rendered as the field `out` of a
        representation of `rendered` (the serializer's, type's or response model's model);
        `hop`: `schema` is a model `rendered` refers to by a relation (one or many); `own`: the
        requester's own serial."""
        serial = schema.serials.get(field)
        if serial is None:
            return
        code = rule_for(label, self._anonymous(context), False)
        if code is None:
            return
        at = NodeRef(path, node)
        if (code, at) in self._emitted:  # a mixin's field, rendered by several serializers
            return
        self._emitted.add((code, at))
        # the record's own key, when the serializer renders only the requester's records
        own_record = rendered is schema and serial.kind == "primary key" and \
            self._requester_serializer(context)
        # the relation the views select the requester by (`filter(user=request.user)`): its
        # key, or the key of the record it points to, is the requester's
        relation = (out or field) if hop else \
            field.removesuffix("_id") if rendered is schema and serial.kind == "foreign key" \
            else None
        own_key = relation is not None and relation in self.requester_keys.get(context, ()) \
            and self._requester_serializer(context)
        mine = OWN_NOTE if own or own_record or own_key or context in self.requester_types or \
            f"{context}|{field}" in self.requester_types else ""
        note = RELATION_NOTE if code == "IDL001" and (self._relation(
            schema, field, rendered, out or field, hop) or self._person_within_objects(
            context, rendered, serial.origin)) else ""
        steps = (
            Step("source", NodeRef(path, source_node),
                 f"serial {serial.kind} `{serial.origin}` of model `{schema.display}`{mine}"),
            Step("sink", at, f"reaches the client: {what} `{field}`{note}"),
        )
        self.flows.append(Flow(code, serial.origin, serial.confidence, how, what, at, steps,
                               context))

    def _relation(self, schema: Schema, field: str, rendered: Schema | None, out: str,
                  hop: bool) -> bool:
        """A relation reference: a person's key rendered in a representation of an object
        record, as a field of its own that is not the representation's key. A foreign key of
        the record (a task's `owner_id`), a person's key read through a relation of the
        record, single or many (`owner.id`, the `PrimaryKeyRelatedField(many=True)` list of
        its watchers), also on a join record (a project membership's `user_id`). Whoever may
        see the task sees who it refers to. Not one: a person's key served as the `id` of a
        representation, and any serial of a person's own representation (a user serializer,
        a profile's)."""
        serial = schema.serials[field]
        if rendered is None or out in ("id", "pk") or \
                serial.origin in self.schemas.object_origins or \
                not self._object_record(rendered.qualname):
            return False
        if serial.kind == "foreign key":
            return schema.qualname not in self.schemas.person_models or \
                self._object_record(schema.qualname)
        return hop and serial.kind == "primary key"

    def _object_record(self, model: str) -> bool:
        """A record that is no person's own: an object model, or a join record (a person
        model with a foreign key to a person and one to an object model, not a user model
        nor a profile: a membership of a user in a project, an invitation)."""
        people = self.schemas.person_models
        if model not in people:
            return True
        schema = self.schemas.schemas.get(model)
        if schema is None or model == self.schemas.user_model or any(
                schema.relations.get(r) in people for r in schema.one_to_one):
            return False
        keys = {r: t for r, t in schema.relations.items() if f"{r}_id" in schema.serials}
        return any(t in people and t != model for t in keys.values()) and \
            any(t not in people for t in keys.values())

    # ------------------------------------------------- serializers, object types

    def _declared_class(self, q: str, ref: ClassRef, spec: DeclarativeSpec) -> None:
        module = self._module(ref)
        path = ref.module.path
        meta = self.project.classes.get(f"{q}.Meta")
        attrs = {a.name: a for a in (meta.cls.attrs if meta else ())}
        model_attr = attrs.get("model")
        model_q, named_at = rendered_model(self.project, self.schemas, self.k, q)
        source_node = named_at if named_at is not None else ref.cls.node
        for d in ref.cls.decorators:  # @strawberry_django.type(Member, fields=[...])
            if isinstance(d, ir.Call) and d.args and d.args[0].keyword is None:
                fields_kw = next((a for a in d.args if a.keyword == "fields"), None)
                if fields_kw is not None:
                    attrs["fields"] = ir.ClassAttr("fields", fields_kw.value, None, ref.cls.node)
        schema = self.schemas.schemas.get(model_q or "")
        if schema is None:
            return
        relay = False
        interfaces = attrs.get("interfaces")
        if interfaces is not None and isinstance(interfaces.value, ir.Container):
            for _, item in interfaces.value.items:
                name = dotted_name(item) or ""
                if name in spec.relay_interfaces or self.project.resolve(
                        module, name) in spec.relay_interfaces:
                    relay = True
        context = f"{module}.{ref.cls.qualname}"
        what = spec.what
        uses = self._uses(q, spec)

        def shown(field: str) -> bool:
            """Whether some instance that reaches a client dumps the field (when every
            instantiation of the class is known)."""
            return uses is None or any(u.shows(field) for u in uses)

        # A field declared on the serializer itself (a nested serializer, a SerializerMethod
        # field, `source=`) is governed by that declaration, handled below; listing it in
        # Meta.fields does not expose the model attribute of the same name.
        explicit = {a.name for c in self.project.mro(q) if c in self.project.classes
                    for a in self.project.classes[c].cls.attrs if isinstance(a.value, ir.Call)}

        def expose(field: str, node: int) -> None:
            if field in explicit or not shown(field):
                return
            label, how = RAW, ""
            target = field
            if field in schema.relations and field not in schema.serials:
                # a foreign key rendered as the related object's primary key
                target = next((f for f in (f"{field}_id",) if f in schema.serials), field)
            if relay and field in ("id", "pk"):
                label, how = ENCODED, "a relay global ID (base64 of Type:pk)"
            self._emit(label, schema, target, how, what, path, node, source_node, context,
                       schema, field)

        fields = attrs.get("fields")
        exclude = attrs.get("exclude")
        if fields is not None and isinstance(fields.value, ir.Const) and \
                fields.value.value == "__all__":
            for name in sorted(schema.serials):
                if name != "pk":
                    expose(name, fields.value.node)
        elif fields is not None and isinstance(fields.value, ir.Container):
            for _, item in fields.value.items:
                if isinstance(item, ir.Const) and isinstance(item.value, str):
                    expose(item.value, item.node)
        elif exclude is not None and isinstance(exclude.value, ir.Container):
            excluded = {i.value for _, i in exclude.value.items if isinstance(i, ir.Const)}
            for name in sorted(schema.serials):
                if name != "pk" and name not in excluded and not self._unlisted(
                        spec, attrs, schema, name):
                    expose(name, exclude.node)
        elif fields is None and exclude is None and spec.default_all and meta is not None:
            listed = _listed_names(ref.cls.attrs)
            for name in sorted(schema.serials):
                if name == "pk" or self._unlisted(spec, attrs, schema, name):
                    continue
                # every column is dumped; a list of field names on the class (the views
                # passed as `only=`) says where this one is chosen for the client
                expose(name, listed.get(name, model_attr.node if model_attr else ref.cls.node))
        if spec.annotated_fields:
            for attr in ref.cls.attrs:
                # a method of the same name (a resolver) replaces the annotated attribute:
                # `id: strawberry.ID` then `@strawberry.field def id(self)` renders the method
                if attr.annotation is not None and attr.name in schema.serials and \
                        attr.name not in ref.cls.methods and shown(attr.name) and \
                        self._plain_field(module, attr.value, spec):
                    self._emit(RAW, schema, attr.name, "", what, path, attr.node, source_node,
                               context, schema)
        # explicit fields, also those a base or mixin declares:
        # member_id = serializers.IntegerField(source="member.id"), owner = Field(attr="owner_id")
        seen: set[str] = set()  # a subclass's declaration overrides its base's
        for c in self.project.mro(q):
            cref = self.project.classes.get(c)
            if cref is None:
                continue
            here = cref is ref
            # the last assignment of a name in the class body is the field (a later
            # `invited_by = NestedSerializer()` replaces `invited_by = Field(attr=...)`)
            for attr in reversed(cref.cls.attrs):
                if attr.name in seen:
                    continue
                seen.add(attr.name)
                if not isinstance(attr.value, ir.Call) or not shown(attr.name):
                    continue
                at_path = path if here else cref.module.path
                at_source = source_node if here else attr.node
                self._explicit_field(schema, spec, module if here else self._module(cref),
                                     attr, attr.value, at_path, at_source, context, what)

    # ------------------------------------------------------ where a class is used

    def _uses(self, q: str, spec: DeclarativeSpec) -> list[_Use] | None:
        """Every instantiation of the class in the project, with the fields each dumps, or
        None when some use cannot be seen (none found, a module that imports the class without
        calling it, the class passed around by name): then every field counts."""
        if not spec.only_keywords and not spec.exclude_keywords:
            return None
        short = q.rsplit(".", 1)[-1]
        views = self._views(q)
        uses: list[_Use] = []
        index = self._index()
        modules, refs = self._referrers(q)
        named_in: set[str] = set()
        for ref in refs.values():
            if ref.qualname.startswith(f"{q}."):
                continue  # its own methods (`super(UserSchema, self)`) run on an instance
            module = self.project.module_names[ref.module.path]
            staff = self._staff_only(ref) if self._staff_only and ref.function.qualname != \
                ir.MODULE_BODY else False
            calls = 0
            fn = ref.function
            for e in ir.expressions_in((self.project.body(ref), fn.decorators, fn.params)):
                if isinstance(e, ir.Call) and self._names_class(module, e.func, q):
                    calls += 1
                    named_in.add(module)
                    uses.append(self._use(e, spec, views, staff))
                elif isinstance(e, (ir.Name, ir.Attr)) and self._names_class(module, e, q):
                    calls -= 1  # every reference is a call's function, or the class escapes
            if calls < 0:
                return None
        attr_uses = self._attribute_uses(index.attributes.get(short, []), q, spec, views)
        if attr_uses is None:
            return None
        uses += attr_uses
        named_in |= {m for m, _ in index.attributes.get(short, [])}
        if any(m not in named_in for m in modules
               if m != self.project.module_names[self.project.classes[q].module.path]):
            return None  # imported and never named in code idlint reads: used unseen
        return uses or None

    def _referrers(self, q: str) -> tuple[set[str], dict[str, FunctionRef]]:
        """The modules that define or import the class, and the functions that may name it:
        those that call something of its name, and every function of those modules (where it
        may be named without a call)."""
        short = q.rsplit(".", 1)[-1]
        index = self._index()
        modules = {self.project.module_names[self.project.classes[q].module.path]}
        modules |= {m for m, local in index.imports.get(short, [])
                    if not self.project.modules[m].is_package
                    and self.project.resolve(m, local) == q}
        refs = {r.qualname: r for r in index.callers.get(short, [])}
        refs.update((r.qualname, r) for m in sorted(modules) for r in index.functions[m])
        return modules, refs

    def _requester_serializer(self, q: str) -> bool:
        """Whether the serializer `q` renders only the requesting user's records: every view
        class that declares it as its serializer (`serializer_class`, `get_serializer_class()`)
        scopes its queryset to the requester (`filter(owner=self.request.user)`), and the
        class is named nowhere else than in those views' methods, called on their queryset
        (`Serializer(self.get_queryset(), many=True)`) or returned by
        `get_serializer_class()`. Any other use, or no view known, and it is not."""
        if q not in self._own_serializers:
            self._own_serializers[q] = self._served_own(q)
        return self._own_serializers[q]

    def _served_own(self, q: str) -> bool:
        views = self.requester_views.get(q)
        spec = self.k.generic_retrieve
        if not views or spec is None or not all(scoped for _, scoped in views):
            return False
        classes = {v for v, _ in views}
        index = self._index()
        short = q.rsplit(".", 1)[-1]
        declared = {id(a) for v in classes for a in self.project.classes[v].cls.attrs
                    if a.name in spec.serializer_attributes}
        named_in: set[str] = set()
        for module, attr in index.attributes.get(short, []):
            if any(isinstance(e, (ir.Name, ir.Attr)) and self._names_class(module, e, q)
                   for e in ir.expressions_in((attr.value,))):
                if id(attr) not in declared:
                    return False  # `serializer = UserSerializer()` nested in another
                named_in.add(module)
        modules, refs = self._referrers(q)
        for ref in refs.values():
            if ref.qualname.startswith(f"{q}."):
                continue  # its own methods
            module = self.project.module_names[ref.module.path]
            fn = ref.function
            exprs = ir.expressions_in((self.project.body(ref), fn.decorators, fn.params))
            named = [e for e in exprs
                     if isinstance(e, (ir.Name, ir.Attr)) and self._names_class(module, e, q)]
            if not named:
                continue
            named_in.add(module)
            if self.project.class_of(ref) not in classes:
                return False
            calls = [e for e in exprs
                     if isinstance(e, ir.Call) and self._names_class(module, e.func, q)]
            if fn.name in spec.serializer_methods and not calls:
                continue  # returned as the view's serializer class
            if len(calls) != len(named) or not all(
                    self._of_queryset(ref, c, spec.queryset_methods + spec.queryset_attributes)
                    for c in calls):
                return False
        defined_in = self.project.module_names[self.project.classes[q].module.path]
        return all(m in named_in for m in modules if m != defined_in)

    def _within_objects(self, q: str) -> bool:
        """Whether the declarative class `q` is rendered only inside representations of
        object records: every reference to it is a field of a declarative class that renders
        an object record, not under `id` (`owner = UserSerializer()`,
        `watchers = UserSerializer(many=True)`), or in a method of one
        (`UserSerializer(obj.owner).data` in `get_owner`). Then a person's key it renders is
        one the record refers to. A class used any other way (a view's serializer, a call in
        a view or a task) is also a person's own representation."""
        if q not in self.project.classes:
            return False  # a route declaring a response model
        if q not in self._within:
            self._within[q] = self._only_nested(q)
        return self._within[q]

    def _only_nested(self, q: str) -> bool:
        index = self._index()
        short = q.rsplit(".", 1)[-1]

        def object_renderer(c: str | None) -> bool:
            if c is None or c == q or c not in self.project.classes or \
                    spec_for(self.project, self.k, c) is None:
                return False
            model = rendered_model(self.project, self.schemas, self.k, c)[0]
            return model in self.schemas.schemas and self._object_record(model)

        named_in: set[str] = set()
        for module, attr in index.attributes.get(short, []):
            if any(isinstance(e, (ir.Name, ir.Attr)) and self._names_class(module, e, q)
                   for e in ir.expressions_in((attr.value,))):
                holder = index.holder.get(id(attr))
                if attr.name in ("id", "pk") or not object_renderer(holder):
                    return False
                named_in.add(module)
        modules, refs = self._referrers(q)
        for ref in refs.values():
            if ref.qualname.startswith(f"{q}."):
                continue
            module = self.project.module_names[ref.module.path]
            fn = ref.function
            if any(isinstance(e, (ir.Name, ir.Attr)) and self._names_class(module, e, q)
                   for e in ir.expressions_in((self.project.body(ref), fn.decorators, fn.params))):
                if not object_renderer(self.project.class_of(ref)):
                    return False
                named_in.add(module)
        defined_in = self.project.module_names[self.project.classes[q].module.path]
        return bool(named_in) and all(m in named_in for m in modules if m != defined_in)

    def _person_within_objects(self, serializer: str, rendered: Schema | None,
                               origin: str) -> bool:
        """A person's key rendered by a person's representation nested only in object
        records' (see _within_objects)."""
        return rendered is not None and origin not in self.schemas.object_origins and \
            not self._object_record(rendered.qualname) and self._within_objects(serializer)

    def _of_queryset(self, ref: FunctionRef, call: ir.Call, queryset: tuple[str, ...]) -> bool:
        """Whether a view method's call renders records of the view's queryset: its first
        argument is read from `self.get_queryset()` or `self.queryset`, or from a local name
        assigned from one (`qs = self.get_queryset()`, `page = self.paginate_queryset(qs)`)."""
        first = next((a.value for a in call.args if a.keyword is None and not a.star), None)
        params = ref.function.params
        if first is None or not params:
            return False
        me = params[0].name
        derived: set[str] = set()

        def read(expr: ir.Expr) -> bool:
            return any(
                (isinstance(e, ir.Name) and e.id in derived) or (
                    isinstance(e, ir.Attr) and isinstance(e.value, ir.Name) and
                    e.value.id == me and e.attr in queryset)
                for e in ir.expressions_in((expr,)))

        for stmt in self.project.body(ref):
            if isinstance(stmt, ir.Assign) and read(stmt.value):
                derived |= {t.id for t in stmt.targets if isinstance(t, ir.NameT)}
        return read(first)

    def method_field(self, flow: Flow, serializer: str, field: str) -> Flow:
        """A serial that a serializer's method field returns (`get_watchers(self, obj)`):
        the requester's own when it is the rendered record's key and the serializer renders
        only the requester's records; a person the rendered record refers to when the
        serializer renders an object record (or a join record), the field is not its key
        and the serial is a person's (the ids of a task's watchers)."""
        model = rendered_model(self.project, self.schemas, self.k, serializer)[0]
        schema = self.schemas.schemas.get(model or "")
        if schema is None or not flow.steps:
            return flow
        steps = list(flow.steps)
        first, last = steps[0], steps[-1]
        if first.kind == "source" and not first.message.endswith(OWN_NOTE) and any(
                s.origin == flow.origin and s.kind == "primary key"
                for s in schema.serials.values()) and self._requester_serializer(serializer):
            steps[0] = Step(first.kind, first.at, first.message + OWN_NOTE)
        refers = field not in ("id", "pk") and flow.origin not in \
            self.schemas.object_origins and self._object_record(schema.qualname)
        if flow.code == "IDL001" and not last.message.endswith(RELATION_NOTE) and (
                refers or self._person_within_objects(serializer, schema, flow.origin)):
            steps[-1] = Step(last.kind, last.at, last.message + RELATION_NOTE)
        return replace(flow, steps=tuple(steps))

    def _index(self) -> _Index:
        """Who calls, imports or names what, by last name (built once, on first need)."""
        if self._built is not None:
            return self._built
        index = self._built = _Index()
        for name, mod in self.project.modules.items():
            for i, fn in enumerate(mod.functions):
                ref = self.project.functions.get(f"{name}.{fn.qualname}") or \
                    FunctionRef(f"{name}.{fn.qualname}", mod, fn, i)
                index.functions.setdefault(name, []).append(ref)
                for called in fn.calls:
                    index.callers.setdefault(called, []).append(ref)
            for local, target in mod.imports:
                index.imports.setdefault(target.rsplit(".", 1)[-1], []).append((name, local))
            for cls in mod.classes:
                for attr in cls.attrs:
                    index.holder[id(attr)] = f"{name}.{cls.qualname}"
                    named = {_last_name(e) for e in ir.expressions_in((attr.value,))}
                    for n in named:
                        index.attributes.setdefault(n, []).append((name, attr))
        return index

    def _names_class(self, module: str, expr: ir.Expr, q: str) -> bool:
        """Whether the expression names the class (the last names are compared first)."""
        name = dotted_name(expr)
        return name is not None and name.rsplit(".", 1)[-1] == q.rsplit(".", 1)[-1] and \
            self.project.resolve(module, name) == q

    def _attribute_uses(self, attrs: list[tuple[str, ir.ClassAttr]], q: str,
                        spec: DeclarativeSpec,
                        views: tuple[dict[str, frozenset[str]], str, int] | None
                        ) -> list[_Use] | None:
        """Uses in class attributes: `Nested(UserSchema, only=[...])`,
        `Nested(UserSchema(only=[...]))`; None when the class is named any other way."""
        out: list[_Use] = []
        for module, attr in attrs:
            named = 0
            for e in ir.expressions_in((attr.value,)):
                if not isinstance(e, ir.Call):
                    if isinstance(e, (ir.Name, ir.Attr)) and self._names_class(module, e, q):
                        named += 1
                    continue
                if self._names_class(module, e.func, q):
                    named -= 1
                    out.append(self._use(e, spec, views, False))
                elif e.args and e.args[0].keyword is None and (
                        self._names_class(module, e.args[0].value, q) or
                        _last_name(e.args[0].value) == q.rsplit(".", 1)[-1]):
                    # a nested field of the class, with its own only= (by its name in the
                    # library's class registry: `Nested("UserSchema")`)
                    named -= isinstance(e.args[0].value, (ir.Name, ir.Attr))
                    out.append(self._use(e, spec, None, False))
            if named > 0:
                return None
        return out

    def _views(self, q: str) -> tuple[dict[str, frozenset[str]], str, int] | None:
        """A mapping of view names to field lists that the constructor applies to the
        instance (`views = {"user": [...]}`, `__init__(self, view=None, ...)` reading
        `self.views[view]`): the mapping, the parameter and its position."""
        mappings: dict[str, dict[str, frozenset[str]]] = {}
        for c in self.project.mro(q):
            cref = self.project.classes.get(c)
            for attr in cref.cls.attrs if cref else ():
                value = attr.value
                if isinstance(value, ir.Container) and value.kind == "dict" and value.items \
                        and attr.name not in mappings:
                    lists = {k.value: frozenset(string_items(v)) for k, v in value.items
                             if isinstance(k, ir.Const) and isinstance(k.value, str)
                             and isinstance(v, ir.Container)}
                    if len(lists) == len(value.items):
                        mappings[attr.name] = lists
        init = self.project.find_method(q, "__init__") if mappings else None
        if init is None:
            return None
        params = [p.name for p in init.function.params if p.kind == "pos"]
        for e in ir.expressions_in(self.project.body(init)):
            if isinstance(e, ir.Subscript) and isinstance(e.value, ir.Attr) and \
                    isinstance(e.value.value, ir.Name) and params and \
                    e.value.value.id == params[0] and e.value.attr in mappings and \
                    isinstance(e.key, ir.Name) and e.key.id in params[1:]:
                return mappings[e.value.attr], e.key.id, params.index(e.key.id) - 1
        return None

    def _use(self, call: ir.Call, spec: DeclarativeSpec,
             views: tuple[dict[str, frozenset[str]], str, int] | None, staff: bool) -> _Use:
        only: frozenset[str] | None = None
        exclude: frozenset[str] = frozenset()
        for i, arg in enumerate(a for a in call.args if a.keyword is None and not a.star):
            if views is not None and i == views[2]:
                only, staff = self._view(arg.value, views[0], staff)
        for arg in call.args:
            if arg.star:
                return _Use(None, frozenset(), staff)  # **options: anything
            if arg.keyword in spec.only_keywords:
                named = _constant_strings(arg.value)
                if named is not None:
                    only = named if only is None else only & named
            elif arg.keyword in spec.exclude_keywords:
                exclude |= _constant_strings(arg.value) or frozenset()
            elif views is not None and arg.keyword == views[1]:
                only, staff = self._view(arg.value, views[0], staff)
        return _Use(only, exclude, staff)

    def _view(self, value: ir.Expr, views: dict[str, frozenset[str]],
              staff: bool) -> tuple[frozenset[str] | None, bool]:
        """The fields a view argument chooses, and whether it is a staff view."""
        if isinstance(value, ir.Const) and isinstance(value.value, str):
            if value.value not in views:
                return None, staff
            return views[value.value], staff or self._admin_view(value.value)
        if isinstance(value, ir.Const):  # view=None: every field
            return None, staff
        listed = _constant_strings(value)
        if listed is not None:
            return listed, staff
        # a view chosen at run time: any of them, the admin views for staff only
        return frozenset().union(*(f for v, f in views.items() if not self._admin_view(v))), \
            staff

    def _admin_view(self, name: str) -> bool:
        return bool(_words(name) & self.k.staff_admin_words)

    def _unlisted(self, spec: DeclarativeSpec, meta: dict[str, ir.ClassAttr], schema: Schema,
                  name: str) -> bool:
        """A column the Meta options leave out of the dump: a foreign key without the option
        that adds them, a `load_only` field."""
        if spec.fk_option and schema.serials[name].kind == "foreign key" and \
                not _true(meta.get(spec.fk_option)):
            return True
        return any(name in _names(meta.get(o)) for o in spec.unlisted_options)

    def _explicit_field(self, schema: Schema, spec: DeclarativeSpec, module: str,
                        attr: ir.ClassAttr, value: ir.Call, path: str, source_node: int,
                        context: str, what: str) -> None:
        field_type = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
        source = next((a.value.value for a in value.args if a.keyword in spec.source_keywords
                       and isinstance(a.value, ir.Const) and isinstance(a.value.value, str)),
                      None)
        if any(a.keyword == "write_only" and isinstance(a.value, ir.Const) and
               a.value.value is True for a in value.args):
            return
        if field_type in spec.pk_fields and (source is None or source in schema.relations):
            # renders the primary keys of the related model named by the field (or by its
            # source: `PrimaryKeyRelatedField(many=True, source="followers")`)
            related = self.schemas.schemas.get(schema.relations.get(source or attr.name, ""))
            if related is None:
                related = self._queryset_model(module, value)
            if related is not None:  # the keys of the records the field refers to
                self._emit(RAW, related, "id", "", what, path, attr.node, source_node,
                           context, schema, attr.name, hop=True)
        elif source is not None:
            self._expose_path(schema, source, attr, path, source_node, context, what)
        elif field_type not in spec.method_fields and any(
                fnmatchcase(field_type, pattern) for pattern in spec.value_fields):
            # id = IntegerField(read_only=True): the model attribute of the same name
            self._emit(RAW, schema, attr.name, "", what, path, attr.node, source_node, context,
                       schema)

    def _plain_field(self, module: str, value: ir.Expr | None, spec: DeclarativeSpec) -> bool:
        """An annotated attribute that renders the model's attribute of the same name: no
        value, or a field() call without a resolver."""
        if value is None:
            return True
        if not isinstance(value, ir.Call):
            return False
        name = self.project.resolve(module, dotted_name(value.func) or "")
        return name in spec.field_functions and not any(
            a.keyword == "resolver" or (a.keyword is None and not a.star) for a in value.args)

    def _queryset_model(self, module: str, call: ir.Call) -> Schema | None:
        """The model of `queryset=Model.objects...` in a related field."""
        for arg in call.args:
            if arg.keyword != "queryset":
                continue
            expr = arg.value
            while isinstance(expr, (ir.Call, ir.Attr)):
                if isinstance(expr, ir.Attr) and expr.attr == "objects":
                    name = dotted_name(expr.value)
                    return self.schemas.schemas.get(self.project.resolve(module, name or ""))
                expr = expr.func if isinstance(expr, ir.Call) else expr.value
        return None

    def _expose_path(self, schema: Schema, source: str, attr: ir.ClassAttr, path: str,
                     source_node: int, context: str, what: str) -> None:
        parts = source.split(".")
        current: Schema | None = schema
        for part in parts[:-1]:  # relations of the record (`owner`, `members`)
            target = current.relations.get(part) if current else None
            current = self.schemas.schemas.get(target) if target else None
        if current is not None:
            self._emit(RAW, current, parts[-1], "", what, path, attr.node, source_node, context,
                       schema, attr.name, len(parts) > 1)

    # ---------------------------------------------------------- response models

    def _response_models(self) -> None:
        keywords = self.k.response_model_keywords
        if not keywords:
            return
        routes: dict[str, list[str]] = {}  # response model -> the routes that declare it
        for fq in sorted(self.project.functions):
            fref = self.project.functions[fq]
            module = self.project.module_names[fref.module.path]
            for dec in fref.function.decorators:
                if not isinstance(dec, ir.Call):
                    continue
                for arg in dec.args:
                    if arg.keyword in keywords:
                        q = self._response_model(module, arg.value)
                        if q is not None:
                            routes.setdefault(q, []).append(fq)
        nested = self._nested_models(set(routes)) if self.own_returns else set()
        for q, declared_by in routes.items():
            schema = self.schemas.schemas[q]
            seen: set[str] = set()
            # the model's fields and those it inherits from the project's models
            # (`class ReadEntry(UpdateEntry)` with `id: int` declared on UpdateEntry), each
            # reported where it is declared
            for cq in self.project.mro(q):
                ref = self.project.classes.get(cq)
                if ref is None:
                    continue
                for attr in ref.cls.attrs:
                    if attr.name not in schema.serials or attr.name in seen:
                        continue
                    seen.add(attr.name)
                    # the requester's own when every route returns only the requester's
                    # records, or records whose field of that name is theirs, and no other
                    # model nests it (`settings: SettingsRead` of any user's `UserRead`)
                    own = q not in nested and all(
                        any("|" not in m or m.endswith(f"|{attr.name}")
                            for m in self.own_returns.get(r, ()))
                        for r in declared_by)
                    self._emit(RAW, schema, attr.name, "", "response model field",
                               ref.module.path, attr.node, ref.cls.node, declared_by[0],
                               rendered=schema, own=own)

    def _nested_models(self, models: set[str]) -> set[str]:
        """Those of `models` that a field of another class names (in its annotation, a
        forward reference included): they reach the client wherever that class does."""
        out: set[str] = set()
        by_name = {q.rsplit(".", 1)[-1]: q for q in models}
        for cq, cref in self.project.classes.items():
            module = self._module(cref)
            for attr in cref.cls.attrs:
                if attr.annotation is None:
                    continue
                for e in _walk_names(attr.annotation):
                    if isinstance(e, ir.Const) and isinstance(e.value, str):
                        found = {by_name[w] for w in _identifiers(e.value) if w in by_name}
                    else:
                        name = dotted_name(e)
                        found = {self.project.resolve(module, name)} if name else set()
                    out |= (found & models) - {cq}
        return out

    def _response_model(self, module: str, expr: ir.Expr) -> str | None:
        name = dotted_name(expr)
        if isinstance(expr, ir.Subscript) and expr.key is not None:  # list[MemberOut]
            name = dotted_name(expr.key)
        if not name:
            return None
        q = self.project.resolve(module, name)
        if q not in self.schemas.schemas or q not in self.project.classes:
            return None
        return q


def _walk_names(expr: ir.Expr) -> list[ir.Expr]:
    """The names, attributes and strings of an annotation (`list["ItemRead"] | None`)."""
    if isinstance(expr, (ir.Name, ir.Attr, ir.Const)):
        return [expr]
    if isinstance(expr, ir.Subscript):
        return _walk_names(expr.value) + (_walk_names(expr.key) if expr.key else [])
    if isinstance(expr, ir.BinOp):
        return _walk_names(expr.left) + _walk_names(expr.right)
    if isinstance(expr, ir.Container):
        return [e for _, v in expr.items for e in _walk_names(v)]
    return []


def _identifiers(text: str) -> list[str]:
    """The identifiers of a forward reference: `"UserSettingsRead | None"`."""
    return "".join(c if c.isalnum() or c == "_" else " " for c in text).split()


def _names(attr: ir.ClassAttr | None) -> list[str]:
    """The strings of a class attribute's list or tuple (`load_only = ("password",)`)."""
    return string_items(attr.value) if attr is not None else []


def _true(attr: ir.ClassAttr | None) -> bool:
    return attr is not None and isinstance(attr.value, ir.Const) and attr.value.value is True


def _listed_names(attrs: tuple[ir.ClassAttr, ...]) -> dict[str, int]:
    """Field names listed in the class's own lists, or in a dict of lists
    (`views = {"public": ["id", "name"]}`): the first node that names each."""
    out: dict[str, int] = {}
    for attr in attrs:
        value = attr.value
        if not isinstance(value, ir.Container):
            continue
        lists = [value] if value.kind != "dict" else [
            v for _, v in value.items if isinstance(v, ir.Container)]
        for container in lists:
            for _, item in container.items:
                if isinstance(item, ir.Const) and isinstance(item.value, str):
                    out.setdefault(item.value, item.node)
    return out


def _constant_strings(expr: ir.Expr) -> frozenset[str] | None:
    """The names of a literal list of strings (`only=["id", "name"]`), else None."""
    if not isinstance(expr, ir.Container) or expr.kind == "dict" or not all(
            isinstance(i, ir.Const) and isinstance(i.value, str) for _, i in expr.items):
        return None
    return frozenset(string_items(expr))


def _last_name(expr: ir.Expr) -> str:
    """The last name of a name, attribute or string (`"app.UserSchema"`), else ""."""
    if isinstance(expr, ir.Const):
        return expr.value.rsplit(".", 1)[-1] if isinstance(expr.value, str) else ""
    if isinstance(expr, (ir.Name, ir.Attr)):
        return (dotted_name(expr) or "").rsplit(".", 1)[-1]
    return ""
