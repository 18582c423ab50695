"""Generic retrieve views (IDL006): a DRF `ModelViewSet` or `RetrieveAPIView` answers
`GET .../<pk>/` with no handler code of the project's own. The key in the URL selects a record
of the view's queryset, and the view's serializer renders it: when the queryset holds people
and a serializer renders their personal fields, any client reads them by serial.

Read from the class declarations alone (the `queryset` attribute or the model `get_queryset()`
queries, the `serializer_class` attribute or the classes `get_serializer_class()` returns), like
the serializer field lists in declarative.py. The finding points at the queryset."""

from __future__ import annotations

import functools
from collections.abc import Callable

from idlint.analysis import ir
from idlint.analysis.calls import _walk
from idlint.analysis.flows import Flow
from idlint.analysis.project import Project, dotted_name
from idlint.analysis.rendered_model import model_named, personal_field, rendered_model
from idlint.analysis.schema import SchemaBuilder
from idlint.analysis.values import NodeRef, Step
from idlint.knowledge import GenericRetrieveSpec, Knowledge


class GenericRetrieves:
    def __init__(self, project: Project, schemas: SchemaBuilder, knowledge: Knowledge,
                 staff_only: Callable[[str], bool]) -> None:
        self.project = project
        self.schemas = schemas
        self.k = knowledge
        self._staff_only = staff_only  # class qualname -> reached only by staff

    def run(self) -> list[Flow]:
        spec = self.k.generic_retrieve
        if spec is None:
            return []
        flows: list[Flow] = []
        for q in sorted(self.project.classes):
            mro = self.project.mro(q)
            if not any(b in spec.bases for b in mro[1:]):
                continue
            if any(spec.own_method in self.project.classes[c].cls.methods
                   for c in mro if c in self.project.classes):
                continue  # it answers with its own code, analysed as a view
            flow = self._view(q, mro, spec)
            if flow is not None:
                flows.append(flow)
        return flows

    def _member(self, mro: list[str], names: tuple[str, ...],
                methods: tuple[str, ...]) -> tuple[str, ir.ClassAttr | None, str | None]:
        """The nearest definition, in the class or a project base, of one of the attributes
        or methods: (defining class, the attribute or None, the method's qualname or None)."""
        for c in mro:
            ref = self.project.classes.get(c)
            if ref is None:
                continue
            for m in methods:
                if m in ref.cls.methods and f"{c}.{m}" in self.project.functions:
                    return c, None, f"{c}.{m}"
            for a in ref.cls.attrs:
                if a.name in names and a.value is not None:
                    return c, a, None
        return "", None, None

    def _view(self, q: str, mro: list[str], spec: GenericRetrieveSpec) -> Flow | None:
        if self._staff_only(q):
            return None
        owner, method, exprs = self._queryset(mro, spec)
        found = self._queried_person(exprs)
        if found is None:
            return None
        model, query = found
        if self._requester_scoped(method, exprs):
            return None  # `filter(owner=self.request.user)`: the requester's own records
        rendered = self._personal_rendered(mro, spec, model)
        if rendered is None:
            return None
        field, serializer, field_at = rendered
        schema = self.schemas.schemas[model]
        path = self.project.classes[owner].module.path
        cls = self.project.classes[q]
        view_at = NodeRef(cls.module.path, cls.cls.node)
        sink_at = NodeRef(path, query.node) if hasattr(query, "node") else view_at
        steps = (
            Step("source", view_at, f"route parameter `{spec.key}` of the generic retrieve of "
                                    f"`{cls.cls.name}` (client input)"),
            Step("transform", sink_at, f"selects a `{schema.display}` record by this serial"),
            Step("source", field_at, f"personal field `{schema.display}.{field}` of a record "
                                     f"the client chose, rendered by `{serializer}`"),
            Step("sink", sink_at, f"reaches the client: {spec.what}"),
        )
        return Flow("IDL006", f"{schema.display}.{field}", "high", "", spec.what, sink_at,
                    steps, f"{q}.{spec.own_method}")

    def _module_of(self, cls: str) -> str:
        return self.project.module_names[self.project.classes[cls].module.path]

    def _queryset(self, mro: list[str], spec: GenericRetrieveSpec
                  ) -> tuple[str, str | None, list[tuple[str, ir.Expr]]]:
        """Where the view's queryset is defined (class, `get_queryset` method or None) and its
        expressions with their modules: the attribute's value, or what the method assigns and
        returns."""
        owner, attr, method = self._member(mro, spec.queryset_attributes, spec.queryset_methods)
        exprs: list[tuple[str, ir.Expr]] = []
        if attr is not None and attr.value is not None:
            exprs.append((self._module_of(owner), attr.value))
        elif method is not None:
            ref = self.project.functions[method]
            module = self.project.module_names[ref.module.path]
            for stmt in self.project.body(ref):
                if isinstance(stmt, (ir.Assign, ir.Return)) and stmt.value is not None:
                    exprs.append((module, stmt.value))
        return owner, method, exprs

    def _requester_scoped(self, method: str | None, exprs: list[tuple[str, ir.Expr]],
                          selecting: frozenset[str] | None = None,
                          keywords: set[str] | None = None) -> bool:
        """Whether the queryset selects by the requesting user (`filter(owner=request.user)`,
        also through a local name: `user = self.request.user`; see _scoped_to_requester).
        With `keywords`, every keyword that selects them is added to it."""
        users = set(self.k.user_expressions) | {"request.user"}
        for _, e in exprs:  # `user = self.request.user` ... `filter(owner=user)`
            if self._is_requester(dotted_name(e) or "", users):
                users |= {t.id for stmt in self._assigns(method, e) for t in stmt.targets
                          if isinstance(t, ir.NameT)}
        if keywords is None:
            return any(self._scoped_to_requester(module, e, users, selecting)
                       for module, e in exprs)
        for module, e in exprs:
            self._scoped_to_requester(module, e, users, selecting, keywords)
        return bool(keywords)

    def requester_views(self) -> dict[str, list[tuple[str, bool]]]:
        """Serializer -> the view classes that declare it as theirs (`serializer_class`, or
        returned by `get_serializer_class()`), each with whether its queryset is scoped to
        the requesting user by the arguments of a selecting method (`filter(owner=...)`; a
        view with no queryset idlint can read is not)."""
        out: dict[str, list[tuple[str, bool]]] = {}
        for q, serializers, keywords in self._view_scopes:
            for s in dict.fromkeys(serializers):
                out.setdefault(s, []).append((q, keywords is not None))
        return out

    @functools.cached_property
    def _view_scopes(self) -> list[tuple[str, list[str], frozenset[str] | None]]:
        """Each view class that declares serializers: the class, its serializers, and the
        keywords by which its queryset selects the requesting user (see _requester_scoped;
        "" for a positional argument), None when it does not."""
        spec = self.k.generic_retrieve
        out: list[tuple[str, list[str], frozenset[str] | None]] = []
        if spec is None:
            return out
        for q in sorted(self.project.classes):
            mro = self.project.mro(q)
            serializers = self.serializers(mro, spec)
            if not serializers:
                continue
            _, method, exprs = self._queryset(mro, spec)
            found: set[str] = set()
            scoped = bool(exprs) and self._requester_scoped(
                method, exprs, self.k.queries.selecting_methods, found)
            out.append((q, serializers, frozenset(found) if scoped else None))
        return out

    def _queried_person(self, exprs: list[tuple[str, ir.Expr]]) -> tuple[str, ir.Expr] | None:
        """The person model the queryset expressions query (`User.objects.filter(...)`,
        `get_user_model().objects.all()`), with the expression."""
        people = self.schemas.person_models
        for module, expr in exprs:
            model = model_named(self.project, self.schemas, module, expr)
            root = _root(expr)
            if model is None and isinstance(root, ir.Call):
                name = dotted_name(root.func) or ""
                if self.project.resolve(module, name) in self.k.user_model_functions:
                    model = self.schemas.user_model
            if model and model in people:
                return model, expr
        return None

    def _assigns(self, method: str | None, value: ir.Expr) -> list[ir.Assign]:
        if method is None:
            return []
        return [stmt for stmt in self.project.body(self.project.functions[method])
                if isinstance(stmt, ir.Assign) and stmt.value is value]

    @staticmethod
    def _is_requester(name: str, users: set[str]) -> bool:
        """`self.request.user`, `request.user.pk`, or a local name that holds it."""
        for suffix in ("", ".id", ".pk"):
            if name.endswith(suffix):
                stem = name[:len(name) - len(suffix)] if suffix else name
                if stem in users or any(
                        "." in u and stem.endswith(f".{u}") for u in users):
                    return True
        return False

    def requester_keys(self) -> dict[str, frozenset[str]]:
        """Serializer -> the relations by which every view declaring it selects the
        requesting user (`filter(user=self.request.user)` -> "user"): what such a serializer
        renders of that relation is the requester's own key. Only for serializers whose
        views are all scoped to the requester (see requester_views)."""
        out: dict[str, frozenset[str]] = {}
        for _, serializers, keywords in self._view_scopes:
            keys = frozenset(key for k in keywords or () if (key := _relation_of(k)))
            for s in dict.fromkeys(serializers):
                out[s] = keys if s not in out else out[s] & keys
        return {s: keys for s, keys in out.items() if keys}

    def _scoped_to_requester(self, module: str, expr: ir.Expr, users: set[str],
                             selecting: frozenset[str] | None = None,
                             keywords: set[str] | None = None) -> bool:
        """A query argument that is the requesting user (or their key): the view serves only
        the requester's own records. With `selecting`, only an argument of those methods
        counts, also inside a condition object (`filter(Q(owner=user))`), not one of any call
        (`annotate_for(qs, user=request.user)`). A query of another model given as an
        argument (`Prefetch("photos", queryset=Photo.objects.filter(owner=user))`) narrows
        what is fetched with the records, not the records, and is not looked into."""
        nested: set[int] = set()
        inside: set[int] = set()  # within the arguments of a selecting call
        for e in _walk(expr):
            if not isinstance(e, ir.Call) or id(e) in nested:
                continue
            picks = selecting is None or id(e) in inside or (
                isinstance(e.func, ir.Attr) and e.func.attr in selecting)
            for arg in e.args:
                if isinstance(arg.value, (ir.Call, ir.Attr)) and model_named(
                        self.project, self.schemas, module, arg.value) is not None:
                    nested |= {id(x) for x in _walk(arg.value)}
                    continue
                if picks:
                    inside |= {id(x) for x in _walk(arg.value)}
                    if self._is_requester(dotted_name(arg.value) or "", users):
                        if keywords is None:
                            return True
                        keywords.add(arg.keyword or "")
        return bool(keywords)

    def _personal_rendered(self, mro: list[str], spec: GenericRetrieveSpec,
                           model: str) -> tuple[str, str, NodeRef] | None:
        """(field, serializer, where it is declared): a personal field of the model that a
        serializer of the view renders."""
        serializers = self.serializers(mro, spec)
        for s in serializers:
            if self._staff_only(s) or rendered_model(self.project, self.schemas, self.k,
                                                     s)[0] != model:
                continue
            found = personal_field(self.project, self.k, s)
            if found is not None:
                return found[0], self.project.classes[s].cls.name, found[1]
        return None

    def serializers(self, mro: list[str], spec: GenericRetrieveSpec) -> list[str]:
        """The serializers of a view: the classes `get_serializer_class()` returns (the last
        return first: the one for the requests no test singled out), then the attribute's."""
        serializers: list[str] = []
        owner, attr, method = self._member(mro, spec.serializer_attributes,
                                           spec.serializer_methods)
        if method is not None:
            ref = self.project.functions[method]
            module = self.project.module_names[ref.module.path]
            for stmt in reversed(self.project.body(ref)):
                if isinstance(stmt, ir.Return) and stmt.value is not None:
                    serializers += self._classes_named(module, stmt.value, mro)
        if attr is not None and attr.value is not None:
            serializers += self._classes_named(self._module_of(owner), attr.value, mro)
        return serializers

    def _classes_named(self, module: str, expr: ir.Expr, mro: list[str]) -> list[str]:
        """Project classes an expression names: `UserSerializer`, `serializers.X`, or a class
        attribute of the view (`self.serializer_class`)."""
        name = dotted_name(expr) or ""
        if name.startswith("self."):
            for c in mro:
                ref = self.project.classes.get(c)
                attr = next((a for a in ref.cls.attrs if a.name == name[5:]), None) \
                    if ref is not None else None
                if attr is not None and attr.value is not None:
                    return self._classes_named(self._module_of(c), attr.value, [])
            return []
        q = self.project.resolve(module, name) if name else ""
        return [q] if q in self.project.classes else []


def _root(expr: ir.Expr) -> ir.Expr:
    """The start of a chain of calls and attributes: `User` in `User.objects.filter(...)`."""
    while True:
        if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
            expr = expr.func.value
        elif isinstance(expr, ir.Attr):
            expr = expr.value
        else:
            return expr


def _relation_of(keyword: str) -> str:
    """The relation a query keyword selects by itself: `user`, `user_id`, `user__pk` ->
    "user"; "" for one that selects through it (`project__owner`: the project is not the
    requester)."""
    head, _, rest = keyword.partition("__")
    if rest not in ("", "id", "pk", "exact"):
        return ""
    return head.removesuffix("_id")
