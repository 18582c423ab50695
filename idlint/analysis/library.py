"""Calls the knowledge describes: transforms (encoders, hashes, keyed pseudonyms), methods of
string literals, and ORM queries (which records they select, which rows they read)."""

from __future__ import annotations

import functools
import string

from idlint.analysis import ir
from idlint.analysis.core import Frame
from idlint.analysis.expressions import Expressions, _own_model
from idlint.analysis.project import dotted_name
from idlint.analysis.schema import Schema
from idlint.analysis.values import (
    ARG_RECORDS,
    ARG_SELECTED,
    COMPOSITE,
    DECODED,
    DECRYPTED,
    EMPTY,
    ENCODED,
    KEYED,
    LABEL_OF,
    OWN,
    OWN_FIELD,
    OWN_IF,
    PII,
    PSEUDONYM,
    SAME,
    SELECTED_BY,
    SIGNED,
    SIGNED_PARTS,
    WEAK,
    NodeRef,
    Step,
    Taint,
    Type,
    Value,
    join,
    kind_of,
    normalize,
)
from idlint.knowledge import TransformSpec

# str methods that split a value at a separator (see SIGNED)
_SPLITS = frozenset({"split", "rsplit", "rpartition"})


def _last_part(method: str, maxsplit: object) -> str:
    """The indexes that pick the last part of what `method` returned, "|"-separated."""
    if method == "rpartition":
        return "-1|2"
    return "-1|1" if method == "rsplit" and maxsplit == 1 else "-1"


def _by_serial(schema: Schema, arg: ir.Arg, key_only: bool = False) -> bool:
    """Whether a query argument looks records up by a serial: positional (the key), `id`,
    `pk` or a serial field (`owner_id__exact`); with `key_only`, by the record's own key."""
    field = (arg.keyword or "").split("__")[0]
    if arg.keyword is None or field in ("id", "pk"):
        return True
    serial = schema.serials.get(field)
    return serial is not None and (not key_only or serial.kind == "primary key")


def _template_text(template: str) -> str:
    """The literal text of a `str.format` template."""
    try:
        return "".join(literal for literal, _, _, _ in string.Formatter().parse(template))
    except ValueError:  # not a valid template: str.format would raise
        return template


_CARRIED = ("selected", SELECTED_BY, OWN, OWN_FIELD, OWN_IF)


def _argument_records(value: Value) -> dict[int, str]:
    """Parameter -> "collection"/"instance": the records of a parameter the value holds, the
    parameter itself (a queryset, by its untouched taint) or a query of it (ARG_RECORDS)."""
    out: dict[int, str] = {}
    for kind, text in value.types:
        if kind == ARG_RECORDS:
            n, _, held = text.partition("|")
            out[int(n)] = held
    if any(k in ("class", "collection", "instance") for k, _ in value.types):
        return out
    for t in value.taints:
        if t.param is not None and not t.steps and t.label == SAME and not t.param_field:
            out.setdefault(t.param, "collection")
    return out


class LibraryCalls(Expressions):
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

    def _string_method(self, frame: Frame, call: ir.Call, text: str, method: str,
                       args: list[tuple[ir.Arg, Value]], at: NodeRef) -> Value:
        values = [v for _, v in args]
        if method == "format":
            # compared like an f-string's text, without the replacement fields: "{}" alone
            # is a conversion, "{}:{}" composes, "/items/{}" is a path
            return self._compose(frame, call, values, _template_text(text))
        if method == "join":
            merged = join(*values) if values else EMPTY
            if not merged.taints:
                return EMPTY
            if text and not any(c.isspace() for c in text):
                step = Step("transform", at, f"joined into an identifier with `{text}`")
                return self._label(merged, COMPOSITE, "join", step, at)
            return Value(taints=frozenset(t.moved(at) for t in merged.taints))
        return EMPTY

    def _transform(self, frame: Frame, spec: TransformSpec, name: str, call: ir.Call,
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
                if spec.record_key and not arg.star:  # `for_user(user)`: the user's key
                    inputs.extend(self._record_keys(frame, spec.record_key, "keep", arg,
                                                    value, at))
        if method:
            inputs.extend(receiver.taints)
        types: frozenset[Type] = frozenset({("ext", name)})
        if spec.label == "url":
            # the step points at the argument that carries the serial (`user_id=self.uid`
            # in a call over several lines)
            return Value(types, normalize(
                t.transformed(SAME, "", Step("transform", t.at or at,
                                             f"placed in a URL by {name}()")
                              if kind_of(t.label) in ("serial", "any") else None, at,
                              in_url=True)
                for t in inputs))
        if spec.label == "keep":
            keep_types = frozenset(
                t for _, v in args for t in v.types if t[0] in ("collection", "instance")
            ) if not method else receiver.types & frozenset(
                t for t in receiver.types if t[0] in ("collection",))
            if method and name in _SPLITS and any(k == SIGNED for k, _ in receiver.types):
                # the parts of a signed value: its last one is the signature (see SIGNED)
                maxsplit = next((a.value.value for a in call.args[1:2]
                                 if isinstance(a.value, ir.Const)), None)
                keep_types |= {(SIGNED_PARTS, _last_part(name, maxsplit))}
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
                DECODED: "decoded by", DECRYPTED: "decrypted by"}.get(label, "passed through")
        step = Step("transform", at, f"{verb} {name}(): {what}")
        out = normalize(t.transformed(label, f"{name}() ({what})", step, at) for t in inputs)
        if spec.signature_last:
            types |= {(SIGNED, name)}
        return Value(types, out)

    def _record_keys(self, frame: Frame, record_key: str, record_label: str, arg: ir.Arg,
                     value: Value, at: NodeRef) -> list[Taint]:
        """The serial primary key of a record a call stores or carries by its key
        (`login_user(user)`, `RefreshToken.for_user(user)`): of the model the value is an
        instance of, else (an untyped `user`) the model its name tells."""
        schemas = [self.schemas.schemas[q] for k, q in sorted(value.types)
                   if k == "instance" and q in self.schemas.schemas]
        confidence = "high"
        if not schemas and isinstance(arg.value, ir.Name) and \
                all(k == "ext" for k, _ in value.types):
            word = arg.value.id.replace("_", "").lower()
            user_model = self.schemas.user_model
            # `user` is the project's user model, whatever its name
            guess = self.schemas.schemas.get(user_model) if word == "user" and user_model \
                else None
            guess = guess or self._schemas_by_name.get(word)
            schemas, confidence = ([guess] if guess is not None else []), "medium"
        node = getattr(arg.value, "node", None)
        at = NodeRef(frame.path, node) if isinstance(node, int) else at
        out: list[Taint] = []
        label = LABEL_OF[record_label]
        name = dotted_name(arg.value) or "record"
        for schema in schemas:
            pk = next((s for s in schema.serials.values() if s.kind == "primary key"), None)
            if pk is None:
                continue
            source = self._source(frame, pk.origin, pk.kind, confidence, at,
                                  note=f" (the key of `{name}`)")
            step = Step("transform", at, f"stored by its key: {record_key}")
            out.append(source.transformed(label, record_key, step, at))
        return out

    def _custom_single(self, method: str, models: list[str]) -> list[str]:
        """The models whose one record a custom manager or queryset method returns, by its
        return annotation naming the model (`-> "EmailTemplate"`): a project method of that
        name in a class deriving from a library class, annotated with one of the models."""
        names = self._custom_returns.get(method)
        if not names:
            return []
        return [m for m in models if self.schemas.schemas[m].display in names]

    @functools.cached_property
    def _custom_returns(self) -> dict[str, frozenset[str]]:
        """Method name -> the last names of the classes that methods of that name in
        project classes with a library base (querysets, managers) say they return."""
        out: dict[str, set[str]] = {}
        for q, ref in sorted(self.project.functions.items()):
            fn = ref.function
            ann = fn.returns
            if fn.class_name is None or ann is None:
                continue
            text = ann.value if isinstance(ann, ir.Const) and isinstance(ann.value, str) \
                else dotted_name(ann)
            if not text or not text.replace(".", "").replace("_", "").isalnum():
                continue
            cls = q.rsplit(".", 1)[0]
            if cls not in self.project.classes or all(
                    b in self.project.classes for b in self.project.mro(cls)[1:]):
                continue
            out.setdefault(fn.name, set()).add(text.rsplit(".", 1)[-1])
        return {k: frozenset(v) for k, v in out.items()}

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

    # ---------------------------------------------------------------- queries

    def _query(self, frame: Frame, call: ir.Call, func: ir.Expr, receiver: Value,
               method: str | None, names: list[str],
               args: list[tuple[ir.Arg, Value]]) -> Value | None:
        q = self.k.queries
        keyed = receiver.types_of(KEYED)
        if keyed and method is not None:
            # `found.values()`, `found[key]` of `found = M.objects.in_bulk(ids)`: its records
            kept = frozenset(t for t in receiver.types if t[0] in _CARRIED)
            if method in q.keyed_record_methods:
                return Value(frozenset(("collection", m) for m in keyed) | kept)
            if method in q.keyed_item_methods:
                return Value(frozenset(("instance", m) for m in keyed) | kept)
        if method is not None or names:
            rows = self._projection(frame, call, receiver, method, names, args)
            if rows is not None:
                return rows
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
            elif method in q.keyed_methods:
                result = Value(frozenset((KEYED, m) for m in models))
            elif any(k == "collection" for k, _ in receiver.types):
                # Any other method of a manager or queryset (a custom one: `of_user(user.id)`)
                # answers with the model's records: its arguments filter them, they are not
                # in the result, and the records it selects stay selected.
                own = {t for t in receiver.types if t[0] in (OWN, OWN_FIELD, OWN_IF)}
                single = self._custom_single(method, models)
                if single:  # `def get_by_identifier(self, identifier) -> "EmailTemplate"`
                    return Value(frozenset(("instance", m) for m in single) | frozenset(
                        t for t in receiver.types if t[0] in ("selected", SELECTED_BY)) | own)
                return Value(frozenset(("collection", m) for m in models) | frozenset(
                    t for t in receiver.types if t[0] in ("selected", SELECTED_BY)) |
                    own | self._custom_filter_own(models, method, args))
            key_args = args if method not in q.keyed_methods else self._keyed_args(args)
        # `session.execute(select(M).where(M.id == key))` runs a statement that already
        # selected its records
        carried: frozenset[Type] = frozenset()
        if result is None:
            arg_models = sorted({m for _, v in args[:1] for k, m in v.types
                                 if k in ("class", "collection") and m in self.schemas.schemas})
            if not arg_models:
                return self._argument_query(receiver, method, names, args)
            models = arg_models
            key_args = args[1:]
            carried = frozenset(t for _, v in args[:1] for t in v.types
                                if t[0] in ("selected", SELECTED_BY))
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
        # (any model's: a record of a thing leads to the people it refers to, whose personal
        # fields are those of a record the client chose; its own fields are no person's)
        selected |= self._selected_by_client(frame, call, models, key_args)
        by_param = {t for t in receiver.types if t[0] == SELECTED_BY}
        by_param |= {(SELECTED_BY, f"{p}|{m}")
                     for p, m in self._selected_by_param(models, key_args)}
        if (selected or by_param) and (self._restricted_to_user(frame, args, receiver) or any(
                t[0] in (OWN, OWN_FIELD) and _own_model(t) in selected for t in receiver.types)):
            # (among the requester's own: `filter(owner=request.user).in_bulk(ids)`)
            selected, by_param = set(), set()
        # what was selected or created for the requester stays theirs down the chain
        result_models = {q for _, q in result.types}
        own = {t for t in receiver.types if t[0] in (OWN, OWN_FIELD, OWN_IF) and
               _own_model(t) in result_models}
        own |= self._own_records(sorted(result_models), key_args)
        return Value(result.types | frozenset(("selected", m) for m in selected) | by_param |
                     carried | own)

    def _argument_query(self, receiver: Value, method: str | None, names: list[str],
                        args: list[tuple[ir.Arg, Value]]) -> Value | None:
        """A query of records the function does not know but its caller does: a method of a
        parameter's queryset (`queryset.filter(...)`, also after earlier such calls) or a
        query function given one (`get_object_or_404(queryset, **kwargs)`). The summary says
        which argument's records it returns and which parameters pick them (ARG_RECORDS,
        ARG_SELECTED); the caller fills in the models."""
        q = self.k.queries
        if method is not None and method in q.collection_methods:
            kind, records, key_args = "collection", _argument_records(receiver), args
        elif method is not None and method in q.instance_methods:
            kind, records, key_args = "instance", _argument_records(receiver), args
        else:
            records, key_args, kind = {}, args[1:], ""
        if not records and args and args[0][0].keyword is None and not args[0][0].star:
            if any(n in q.instance_functions for n in names) or (
                    method is not None and method in q.session_instance_methods):
                kind, records = "instance", _argument_records(args[0][1])
            elif any(n in q.collection_functions for n in names) or (
                    method is not None and method in q.session_collection_methods):
                kind, records = "collection", _argument_records(args[0][1])
        if not records:
            return None
        types: set[Type] = {(ARG_RECORDS, f"{n}|{kind if kind == 'instance' else held}")
                            for n, held in records.items()}
        types |= {t for t in receiver.types if t[0] == ARG_SELECTED}
        for arg, value in key_args:
            keyword = "**" if arg.star == "**" else "" if arg.star else arg.keyword or ""
            if arg.star == "*":
                continue
            for t in value.taints:
                if t.param is not None and not t.steps and t.label == SAME and \
                        not t.param_field:
                    types |= {(ARG_SELECTED, f"{n}|{t.param}|{keyword}") for n in records}
        return Value(frozenset(types))

    def _keyed_args(self, args: list[tuple[ir.Arg, Value]]) -> list[tuple[ir.Arg, Value]]:
        """The serials `in_bulk(ids, field_name="pk")` selects by, as a lookup by the field
        (`pk=ids`); its other arguments choose nothing."""
        keywords = self.k.queries.keyed_field_keywords
        named = [a.value for a, _ in args if a.keyword in keywords]
        field = "pk"
        if named:
            if not (isinstance(named[0], ir.Const) and isinstance(named[0].value, str)):
                return []  # a field named by a variable: not known
            field = named[0].value
        return [(ir.Arg(field, a.value), v) for a, v in args
                if a.keyword is None and not a.star][:1]

    def _custom_filter_own(self, models: list[str], method: str,
                           args: list[tuple[ir.Arg, Value]]) -> frozenset[Type]:
        """A custom queryset or manager method of the model's own (`objects =
        MemberQuerySet.as_manager()`) that filters by its parameters (`def of_user(self,
        user): return self.filter(owner=user)`): the records it picks by the requester are
        theirs, as if the caller had filtered so itself."""
        out: set[Type] = set()
        for m in models:
            for cls in self._query_classes(m):
                ref = self.project.find_method(cls, method)
                if ref is None:
                    continue
                params = [p.name for p in ref.function.params[1:]]
                bound: dict[str, Value] = {}
                for i, (arg, value) in enumerate(args):
                    name = arg.keyword if arg.keyword is not None else (
                        params[i] if i < len(params) and not arg.star else None)
                    if name in params:
                        bound[name] = value
                for stmt in self.project.body(ref):
                    if not isinstance(stmt, ir.Return) or not isinstance(stmt.value, ir.Call):
                        continue
                    for a in stmt.value.args:  # `self.filter(owner=user)`
                        if a.keyword and isinstance(a.value, ir.Name) and \
                                a.value.id in bound:
                            out |= self._own_by(m, a.keyword.split("__")[0], bound[a.value.id])
        return frozenset(out)

    def _query_classes(self, model: str) -> list[str]:
        """The project's queryset and manager classes a model's managers are built from:
        `objects = MemberManager()`, `MemberQuerySet.as_manager()`,
        `Manager.from_queryset(MemberQuerySet)()`."""
        ref = self.project.classes.get(model)
        if ref is None:
            return []
        module = self.project.module_names[ref.module.path]
        out: list[str] = []
        for attr in ref.cls.attrs:
            expr = attr.value
            while isinstance(expr, (ir.Call, ir.Attr)):
                if isinstance(expr, ir.Call):
                    for a in expr.args:
                        name = dotted_name(a.value)
                        q = self.project.resolve(module, name) if name else None
                        if q in self.project.classes and q not in self.schemas.schemas \
                                and q not in out:
                            out.append(q)
                    expr = expr.func
                else:
                    expr = expr.value
            name = dotted_name(expr) if expr is not None else None
            q = self.project.resolve(module, name) if name else None
            if q in self.project.classes and q not in self.schemas.schemas and q not in out:
                out.append(q)
        return out

    def _own_records(self, models: list[str],
                     args: list[tuple[ir.Arg, Value]]) -> frozenset[Type]:
        """Records a query selects or a constructor creates for the requester, by its
        keyword arguments (see _own_by) or by a condition that says so itself
        (`filter(Vote.voter_id == me.id)`)."""
        out: set[Type] = set()
        for arg, value in args:
            if arg.star:
                continue
            if arg.keyword is None:
                said = {t for t in value.types if t[0] in (OWN, OWN_FIELD, OWN_IF) and
                        _own_model(t) in models}
                if said:
                    out |= said
                    continue
            field = (arg.keyword or "pk").split("__")[0]
            for m in models:
                out |= self._own_by(m, field, value)
        return frozenset(out)

    def _selected_by_param(self, models: list[str],
                           args: list[tuple[ir.Arg, Value]]) -> set[tuple[int, str]]:
        """(parameter, model): this query picks records by the serial a parameter of the
        function holds; the caller decides whether the client chose it (a service's
        `get(db, contact_id)` called from a route)."""
        out: set[tuple[int, str]] = set()
        people = self.schemas.person_models
        for m in models:
            schema = self.schemas.schemas[m]
            if schema.pk_serial is False:
                continue
            for arg, value in args:
                if _by_serial(schema, arg, key_only=m not in people):
                    out |= {(t.param, m) for t in value.taints
                            if t.param is not None and not t.param_field}
        return out

    def _selected_by_client(self, frame: Frame, call: ir.Call, models: list[str],
                            args: list[tuple[ir.Arg, Value]]) -> set[str]:
        """Models whose records this query picks by a serial the client chose."""
        out: set[str] = set()
        people = self.schemas.person_models
        for m in models:
            schema = self.schemas.schemas[m]
            for arg, value in args:
                client = [t for t in value.taints if kind_of(t.label) == "client"]
                if not client:
                    continue
                # a thing's record by its own key (the records of a thing another serial
                # names, `filter(event_id=...)`, are not one record the client picked)
                if _by_serial(schema, arg, key_only=m not in people):
                    # by the key (not a serial one) unless by a serial foreign key
                    if schema.pk_serial is False and (
                            arg.keyword is None or
                            arg.keyword.split("__")[0] not in schema.serials):
                        continue
                    at = NodeRef(frame.path, call.node)
                    t = sorted(client)[0]
                    self._note_selection(frame, m, (*t.steps, Step(
                        "transform", at, f"selects a `{schema.display}` record by this serial")))
                    out.add(m)
        return out

    def _restricted_to_user(self, frame: Frame, args: list[tuple[ir.Arg, Value]],
                            receiver: Value) -> bool:
        user = self.schemas.user_model
        for _, value in args:
            if user and ("instance", user) in value.types:
                return True
            if any(t.origin.startswith(f"{user.rsplit('.', 1)[-1]}.") for t in value.taints
                   if user):
                return True
        return False

    def _rows(self, frame: Frame, call: ir.Call, models: list[str],
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
                elif ("selected", m) in receiver.types and self.k.is_personal(f) and \
                        m in self.schemas.person_models:
                    step = Step("source", at, f"personal field `{schema.display}.{f}` of a "
                                              "record the client chose")
                    taints.append(Taint(f"{schema.display}.{f}", PII, "high", "",
                                        (*self._selection_steps(frame, m), step), at))
        return Value(taints=normalize(taints))

    # ------------------------------------------------------------ projections

    def _column_label(self, receiver: Value, args: list[tuple[ir.Arg, Value]]) -> Value | None:
        """`Member.id.label("owner")`: the column, named `owner` in the rows it is selected
        into."""
        name = args[0][0].value if args and args[0][0].keyword is None else None
        if not (isinstance(name, ir.Const) and isinstance(name.value, str)):
            return None
        columns = self._columns(receiver)
        if not columns:
            return None
        return Value(frozenset(("column", f"{m}|{f}|{name.value}") for m, f, _ in columns))

    def _columns(self, value: Value) -> list[tuple[str, str, str]]:
        """(model, field, name in the rows) of the serial columns a value stands for: a model
        class's attribute (`Member.id`) or a labelled one."""
        out: list[tuple[str, str, str]] = []
        for kind, q in value.types:
            if kind == "member":
                model, _, field = q.rpartition(".")
                schema = self.schemas.schemas.get(model)
                if schema is not None and field in schema.serials:
                    out.append((model, field, field))
            elif kind == "column":
                model, field, name = q.split("|")
                out.append((model, field, name))
        return sorted(out)

    def _projection(self, frame: Frame, call: ir.Call, receiver: Value, method: str | None,
                    names: list[str], args: list[tuple[ir.Arg, Value]]) -> Value | None:
        """Rows of selected columns: a query of a row projection keeps its rows (`.filter()`,
        `.all()`; `.first()` gives one row), and a session query, `select()` or
        `with_entities()` of columns starts one. Only serial columns are kept, with their
        name and position in the row."""
        q = self.k.queries
        rows = frozenset(t for t in receiver.types if t[0] == "rows") if receiver.types \
            else frozenset()
        if method is not None and method in q.column_label_methods:
            return self._column_label(receiver, args)
        if rows and method is not None:
            if method in q.collection_methods or method in q.session_collection_methods:
                return Value(rows)
            one = Value(frozenset(("row", r) for _, r in rows))
            if method.startswith("scalar") and method != "scalars":
                # `query(Member.id).scalar()`: the first column's value
                at = NodeRef(frame.path, call.node)
                return Value(taints=normalize(self._row_field(frame, one, at, position=0)))
            if method in q.instance_methods:
                return one
            return None
        if not (any(n in q.collection_functions for n in names) or (method is not None and (
                method in q.projection_methods or (method in q.session_collection_methods
                and not any(k in ("class", "collection") for k, _ in receiver.types))))):
            return None
        # `session.execute(select(...))`: the statement's rows
        passed = frozenset(t for _, v in args[:1] for t in v.types if t[0] == "rows")
        if passed:
            return Value(passed)
        if any(k == "class" and m in self.schemas.schemas for _, v in args for k, m in v.types):
            return None  # records with columns (`query(Member, Team.id)`): the records' query
        found: set[Type] = set()
        position = 0
        for arg, value in args:
            if arg.keyword is not None:
                continue
            items = [value]
            if isinstance(arg.value, ir.Container) and arg.value.kind in ("list", "tuple"):
                items = [self._eval(frame, e) for _, e in arg.value.items]  # select([a, b])
            for item in items:
                if arg.star:
                    position = -1  # `*more`: the positions after it are not known
                for m, f, name in self._columns(item):
                    found.add(("rows", f"{m}|{f}|{name}|{position}"))
                if position >= 0:
                    position += 1
        return Value(frozenset(found)) if found else None
