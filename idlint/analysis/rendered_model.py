"""Which model a serializer, schema or object type renders: declared in `Meta.model` or a
class decorator, else (for specs that allow it) the model the class is named for."""

from __future__ import annotations

from fnmatch import fnmatchcase

from idlint.analysis import ir
from idlint.analysis.project import Project, dotted_name
from idlint.analysis.schema import SchemaBuilder
from idlint.analysis.values import NodeRef
from idlint.knowledge import DeclarativeSpec, Knowledge


def spec_for(project: Project, knowledge: Knowledge, q: str) -> DeclarativeSpec | None:
    """The declarative spec whose base (or class decorator) the class `q` uses."""
    key = ("spec_for", q)  # (asked for every class at several stages of a solve)
    known = project.memo.get(key)
    if not (isinstance(known, tuple) and known[0] is knowledge):
        known = project.memo[key] = (knowledge, _spec_for(project, knowledge, q))
    return known[1]


def _spec_for(project: Project, knowledge: Knowledge, q: str) -> DeclarativeSpec | None:
    ref = project.classes[q]
    module = project.module_names[ref.module.path]
    mro = project.mro(q)
    decorators = [project.resolve(module, dotted_name(
        d.func if isinstance(d, ir.Call) else d) or "") for d in ref.cls.decorators]
    for spec in knowledge.declarative:
        if any(b in spec.bases for b in mro[1:]) or any(d in spec.bases for d in decorators):
            return spec
    # `class S(ma.SQLAlchemyAutoSchema)` with `ma = Marshmallow()`: a base class that a
    # library object holds
    held = [h for b in mro[1:] if b not in project.classes
            and (h := project.via_instance(b)) is not None]
    for spec in knowledge.declarative if held else ():
        if any(h in spec.bases for h in held):
            return spec
    return None


def declared_model(project: Project, q: str) -> tuple[str | None, int | None]:
    """The model named by `class Meta: model = X` or `@decorator(X, ...)`, and the node that
    names it."""
    ref = project.classes[q]
    module = project.module_names[ref.module.path]
    for d in ref.cls.decorators:  # @strawberry_django.type(Member, fields=[...])
        if isinstance(d, ir.Call) and d.args and d.args[0].keyword is None:
            name = dotted_name(d.args[0].value)
            if name:
                return project.resolve(module, name), ref.cls.node
    meta = project.classes.get(f"{q}.Meta")
    for attr in meta.cls.attrs if meta else ():
        if attr.name == "model" and attr.value is not None:
            name = dotted_name(attr.value)
            return (project.resolve(module, name) if name else None), attr.node
    return None, None


def model_by_name(project: Project, schemas: SchemaBuilder, q: str,
                  suffixes: tuple[str, ...]) -> str | None:
    """The ORM model a class is named for: `MilestoneSerializer` renders `Milestone`,
    `UserBasicInfoSerializer` renders `User` (the longest model name the rest starts with, at
    a word boundary). Among models of the same name, the one nearest in the package tree."""
    ref = project.classes[q]
    name = ref.cls.name
    stem = next((name[:-len(s)] for s in suffixes if name.endswith(s) and len(name) > len(s)),
                None)
    if not stem:
        return None
    module = project.module_names[ref.module.path]
    for i in range(len(stem), 0, -1):  # the longest name first
        if i < len(stem) and not stem[i].isupper():
            continue
        models = [cand for cand in schemas.by_simple_name.get(stem[:i], ())
                  if (schema := schemas.schemas.get(cand)) is not None and schema.orm]
        if models:  # the nearest; max keeps the first of equals
            return max(models, key=lambda cand: _shared_prefix(module, cand))
    return None


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x != y:
            break
        n += 1
    return n


def rendered_model(project: Project, schemas: SchemaBuilder, knowledge: Knowledge,
                   q: str) -> tuple[str | None, int | None]:
    """The model whose records the declarative class `q` renders, and the node that says so
    (None for a model known by the class name only)."""
    spec = spec_for(project, knowledge, q)
    if spec is None:
        return None, None
    model, node = declared_model(project, q)
    if model is not None and model in schemas.schemas:
        return model, node
    if model is None and spec.name_suffixes:
        return model_by_name(project, schemas, q, spec.name_suffixes), None
    return None, None


def rendered_attributes(project: Project, schemas: SchemaBuilder,
                        knowledge: Knowledge) -> dict[str, str]:
    """Properties and methods of models that declarative classes render as fields (a name in
    `Meta.fields` that is no model field, an explicit field of the method's name or with it
    as `source`): the method's qualified name -> the field the client receives."""
    out: dict[str, str] = {}
    for q in sorted(project.classes):
        spec = spec_for(project, knowledge, q)
        if spec is None or not (spec.attribute_fields or spec.value_fields):
            continue
        model = rendered_model(project, schemas, knowledge, q)[0]
        if model is None or model not in project.classes:
            continue
        for name in sorted(_attribute_names(project, spec, q)):
            ref = project.find_method(model, name)
            if ref is not None and ref.function.class_name is not None:
                out.setdefault(ref.qualname, f"{spec.what} `{name}`")
    return out


def _attribute_names(project: Project, spec: DeclarativeSpec, q: str) -> set[str]:
    """The attribute names of its records that the declarative class `q` renders."""
    names: set[str] = set()
    explicit: set[str] = set()
    for c in project.mro(q):
        cref = project.classes.get(c)
        for attr in cref.cls.attrs if cref else ():
            if not isinstance(attr.value, ir.Call) or attr.name in explicit:
                continue
            explicit.add(attr.name)
            call = attr.value
            if _write_only(call):
                continue
            source = next((a.value.value for a in call.args if a.keyword in spec.source_keywords
                           and isinstance(a.value, ir.Const) and isinstance(a.value.value, str)),
                          None)
            kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
            if source is not None:
                names.add(source)
            elif kind not in spec.method_fields and kind not in spec.pk_fields and any(
                    fnmatchcase(kind, pattern) for pattern in spec.value_fields):
                names.add(attr.name)
    meta = project.classes.get(f"{q}.Meta")
    fields = next((a.value for a in meta.cls.attrs if a.name == "fields"), None) if meta else None
    if spec.attribute_fields:
        names |= set(string_items(fields)) - explicit
    return names


def model_named(project: Project, schemas: SchemaBuilder, module: str,
                expr: ir.Expr) -> str | None:
    """The model `Member`, `Member.objects.all()` or `models.Member.objects` starts with."""
    e: ir.Expr | None = expr
    while e is not None:
        name = dotted_name(e)
        q = project.resolve(module, name) if name else ""
        if q in schemas.schemas:
            return q
        e = e.func if isinstance(e, ir.Call) else e.value if isinstance(e, ir.Attr) else None
    return None


def string_items(expr: ir.Expr | None) -> list[str]:
    """The strings of a literal list, tuple or set (`fields = ["id", "name"]`)."""
    if not isinstance(expr, ir.Container):
        return []
    return [i.value for _, i in expr.items if isinstance(i, ir.Const) and isinstance(i.value, str)]


def personal_field(project: Project, knowledge: Knowledge,
                   serializer: str) -> tuple[str, NodeRef] | None:
    """A personal field the serializer lists (`Meta.fields`) or declares."""
    for c in project.mro(serializer):
        meta = project.classes.get(f"{c}.Meta")
        ref = project.classes.get(c)
        if ref is None:
            continue
        for attr in ref.cls.attrs:
            if isinstance(attr.value, ir.Call) and knowledge.is_personal(attr.name) and \
                    not _write_only(attr.value):
                return attr.name, NodeRef(ref.module.path, attr.node)
        if meta is None:
            continue
        for attr in meta.cls.attrs:
            if attr.name == "fields" and isinstance(attr.value, ir.Container):
                for _, item in attr.value.items:
                    if isinstance(item, ir.Const) and isinstance(item.value, str) and \
                            knowledge.is_personal(item.value):
                        return item.value, NodeRef(meta.module.path, item.node)
    return None


def _write_only(field: ir.Call) -> bool:
    """`EmailField(write_only=True)`: read from the client, never rendered."""
    return any(a.keyword == "write_only" and isinstance(a.value, ir.Const) and
               a.value.value is True for a in field.args)


def related_personal_field(project: Project, schemas: SchemaBuilder, knowledge: Knowledge,
                           serializer: str, model: str, only: str | None = None
                           ) -> tuple[str, str, str, NodeRef] | None:
    """A personal field of the person a record of `model` (no person) refers to by one
    relation, as the serializer renders it: a field with `source="holder.email"`, a method
    field whose `get_<name>(self, obj)` returns `obj.holder.email`, or a nested serializer of
    the person's records with a personal field (`holder = GuardianSerializer()`).
    (relation, person model, personal field, where the serializer declares it); with `only`,
    through that relation alone."""
    spec = spec_for(project, knowledge, serializer)
    schema = schemas.schemas.get(model)
    if spec is None or schema is None:
        return None
    people = schemas.person_models
    for c in project.mro(serializer):
        ref = project.classes.get(c)
        if ref is None:
            continue
        for attr in ref.cls.attrs:
            call = attr.value
            if not isinstance(call, ir.Call) or _write_only(call):
                continue
            where = NodeRef(ref.module.path, attr.node)
            source = next((a.value.value for a in call.args if a.keyword in spec.source_keywords
                           and isinstance(a.value, ir.Const) and isinstance(a.value.value, str)),
                          None)
            kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
            path = source.split(".") if source is not None else []
            if source is None and kind in spec.method_fields:
                path = _returned_path(project, serializer, f"get_{attr.name}")
            if only is not None and (path[0] if path else attr.name) != only:
                continue
            if len(path) == 2 and schema.relations.get(path[0]) in people and \
                    knowledge.is_personal(path[1]) and \
                    path[1] not in schemas.schemas[schema.relations[path[0]]].serials:
                return path[0], schema.relations[path[0]], path[1], where
            relation = path[0] if len(path) == 1 else attr.name if not path else None
            target = schema.relations.get(relation or "")
            nested = project.resolve(project.module_names[ref.module.path],
                                     dotted_name(call.func) or "")
            if target in people and nested in project.classes and \
                    rendered_model(project, schemas, knowledge, nested)[0] == target:
                found = personal_field(project, knowledge, nested)
                if found is not None and relation is not None:
                    return relation, target, found[0], where
    return None


def _returned_path(project: Project, cls: str, method: str) -> list[str]:
    """`["holder", "email"]` for a method `def get_x(self, obj): return obj.holder.email`."""
    ref = project.find_method(cls, method)
    if ref is None or len(ref.function.params) < 2:
        return []
    obj = ref.function.params[1].name
    for stmt in project.body(ref):
        value = stmt.value if isinstance(stmt, ir.Return) else None
        if isinstance(value, ir.Attr) and isinstance(value.value, ir.Attr) and \
                isinstance(value.value.value, ir.Name) and value.value.value.id == obj:
            return [value.value.attr, value.attr]
    return []
