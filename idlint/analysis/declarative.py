"""Exposure that is declared rather than written as a call: serializer field lists, GraphQL
object types, response models. The finding points at the declaration."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase

from idlint.analysis import ir
from idlint.analysis.project import ClassRef, Project, dotted_name
from idlint.analysis.rendered_model import rendered_model, spec_for
from idlint.analysis.schema import Schema, SchemaBuilder
from idlint.analysis.solve import Flow, rule_for
from idlint.analysis.values import ENCODED, OWN_NOTE, RAW, NodeRef, Step
from idlint.knowledge import DeclarativeSpec, Knowledge


class Declarations:
    def __init__(self, project: Project, schemas: SchemaBuilder, knowledge: Knowledge,
                 requester_types: frozenset[str] = frozenset(),
                 own_returns: Mapping[str, frozenset[str]] | None = None) -> None:
        self.project = project
        # types rendered only from the requester's own record (see Scheduler._requester_types)
        self.requester_types = requester_types
        # route -> what it returns only of the requester's ("Model", "Model|field"; see
        # Bodies._only_own_returned)
        self.own_returns = own_returns or {}
        self.schemas = schemas
        self.k = knowledge
        self.flows: list[Flow] = []
        self._emitted: set[tuple[str, NodeRef]] = set()

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
              path: str, node: int, source_node: int, context: str, own: bool = False) -> None:
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
        note = OWN_NOTE if own or context in self.requester_types or \
            f"{context}|{field}" in self.requester_types else ""
        steps = (
            Step("source", NodeRef(path, source_node),
                 f"serial {serial.kind} `{serial.origin}` of model `{schema.display}`{note}"),
            Step("sink", at, f"reaches the client: {what} `{field}`"),
        )
        self.flows.append(Flow(code, serial.origin, serial.confidence, how, what, at, steps,
                               context))

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

        # A field declared on the serializer itself (a nested serializer, a SerializerMethod
        # field, `source=`) is governed by that declaration, handled below; listing it in
        # Meta.fields does not expose the model attribute of the same name.
        explicit = {a.name for c in self.project.mro(q) if c in self.project.classes
                    for a in self.project.classes[c].cls.attrs if isinstance(a.value, ir.Call)}

        def expose(field: str, node: int) -> None:
            if field in explicit:
                return
            label, how = RAW, ""
            target = field
            if field in schema.relations and field not in schema.serials:
                # a foreign key rendered as the related object's primary key
                target = next((f for f in (f"{field}_id",) if f in schema.serials), field)
            if relay and field in ("id", "pk"):
                label, how = ENCODED, "a relay global ID (base64 of Type:pk)"
            self._emit(label, schema, target, how, what, path, node, source_node, context)

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
                if attr.annotation is not None and attr.name in schema.serials and \
                        self._plain_field(module, attr.value, spec):
                    self._emit(RAW, schema, attr.name, "", what, path, attr.node, source_node,
                               context)
        # explicit fields, also those a base or mixin declares:
        # member_id = serializers.IntegerField(source="member.id"), owner = Field(attr="owner_id")
        seen: set[str] = set()  # a subclass's declaration overrides its base's
        for c in self.project.mro(q):
            cref = self.project.classes.get(c)
            if cref is None:
                continue
            here = cref is ref
            for attr in cref.cls.attrs:
                if attr.name in seen or not isinstance(attr.value, ir.Call):
                    continue
                seen.add(attr.name)
                at_path = path if here else cref.module.path
                at_source = source_node if here else attr.node
                self._explicit_field(schema, spec, module if here else self._module(cref),
                                     attr, attr.value, at_path, at_source, context, what)

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
        if source is not None:
            self._expose_path(schema, source, attr, path, source_node, context, what)
        elif field_type in spec.pk_fields:
            # renders the primary key of the related model named by the field
            related = self.schemas.schemas.get(schema.relations.get(attr.name, ""))
            if related is None:
                related = self._queryset_model(module, value)
            if related is not None:
                self._emit(RAW, related, "id", "", what, path, attr.node, source_node,
                           context)
        elif field_type not in spec.method_fields and any(
                fnmatchcase(field_type, pattern) for pattern in spec.value_fields):
            # id = IntegerField(read_only=True): the model attribute of the same name
            self._emit(RAW, schema, attr.name, "", what, path, attr.node, source_node, context)

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
        for part in parts[:-1]:
            target = current.relations.get(part) if current else None
            current = self.schemas.schemas.get(target) if target else None
        if current is not None:
            self._emit(RAW, current, parts[-1], "", what, path, attr.node, source_node, context)

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
            ref = self.project.classes[q]
            for attr in ref.cls.attrs:
                if attr.name in schema.serials:
                    # the requester's own when every route returns only the requester's
                    # records, or records whose field of that name is theirs, and no other
                    # model nests it (`settings: SettingsRead` of any user's `UserRead`)
                    own = q not in nested and all(
                        any("|" not in m or m.endswith(f"|{attr.name}")
                            for m in self.own_returns.get(r, ()))
                        for r in declared_by)
                    self._emit(RAW, schema, attr.name, "", "response model field",
                               ref.module.path, attr.node, ref.cls.node, declared_by[0], own)

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
                        found = {by_name[w] for w in _words(e.value) if w in by_name}
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


def _words(text: str) -> list[str]:
    """The identifiers of a forward reference: `"UserSettingsRead | None"`."""
    return "".join(c if c.isalnum() or c == "_" else " " for c in text).split()


def _names(attr: ir.ClassAttr | None) -> list[str]:
    """The strings of a class attribute's list or tuple (`load_only = ("password",)`)."""
    if attr is None or not isinstance(attr.value, ir.Container):
        return []
    return [i.value for _, i in attr.value.items
            if isinstance(i, ir.Const) and isinstance(i.value, str)]


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
