"""Framework and library knowledge: rules/models/*.toml plus the project's own config entries."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path

from idlint.catalog import rules_dir
from idlint.config import Config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LABELS = ("keep", "composite", "encoded", "weak", "sanitize", "decode", "decrypt", "url")


class KnowledgeError(Exception):
    pass


def carries(args: tuple[int | str, ...] | None, position: int | None,
            keyword: str | None) -> bool:
    """Whether the argument at `position` (or named `keyword`) is one of `args` (None: all)."""
    if args is None:
        return True
    return (position is not None and position in args) or (
        keyword is not None and keyword in args
    )


@dataclass(frozen=True, slots=True)
class SinkSpec:
    what: str
    args: tuple[int | str, ...] | None  # None: every argument
    url: bool = False
    receivers: frozenset[str] = frozenset()  # for method sinks: receiver names that qualify
    # the argument is a record whose primary key the call stores for the client (Flask-Login's
    # `login_user(user)` writes it into the session cookie): what that storage is, and the
    # label it gives the key ("keep", "encoded")
    record_key: str = ""
    record_label: str = "keep"
    # the call renders a template: the arguments that name it (positions and keywords), and
    # those that hold its context (a dict), or `context_keywords`: its keyword arguments are
    # the context (`render_template("t.html", users=users)`)
    template: tuple[int | str, ...] = ()
    context: tuple[int | str, ...] = ()
    context_keywords: bool = False

    def carries(self, position: int | None, keyword: str | None) -> bool:
        return carries(self.args, position, keyword)


@dataclass(frozen=True, slots=True)
class TransformSpec:
    label: str  # one of LABELS
    what: str
    args: tuple[int | str, ...] | None = None  # which arguments carry the value through
    keyed_by: tuple[str, ...] = ()  # keyword that turns an unkeyed hash into a MAC
    key_arg: tuple[int | str, ...] = ()
    weak_if_literal_key: bool = False
    weak_modes: tuple[str, ...] = ()
    # The argument is a record whose primary key the result carries (`RefreshToken.for_user(
    # user)` writes `user.id` into a claim): where the key goes, shown in the trace.
    record_key: str = ""
    # The result is the value, a separator and a signature of it (Django's `Signer.sign`):
    # the last part of it split at the separator (`signed.split(signer.sep)[-1]`) is the
    # signature only, which carries nothing of the value.
    signature_last: bool = False

    def carries(self, position: int | None, keyword: str | None) -> bool:
        return carries(self.args, position, keyword)


@dataclass(frozen=True, slots=True)
class OrmSpec:
    name: str
    bases: frozenset[str]
    implicit_pk: str = ""
    pk_alias: str = ""
    serial_fields: frozenset[str] = frozenset()
    integer_fields: frozenset[str] = frozenset()
    pk_keywords: tuple[str, ...] = ("primary_key",)
    foreign_keys: frozenset[str] = frozenset()
    fk_suffix: str = ""
    column_fields: frozenset[str] = frozenset()
    integer_types: frozenset[str] = frozenset()
    foreign_key_markers: frozenset[str] = frozenset()
    # Arguments of a column that make the database number it (`Identity()`, `Sequence("s")`):
    # a serial even when it is not the primary key.
    sequence_markers: frozenset[str] = frozenset()
    # A column whose default (one of `default_keywords`) is a project function that runs SQL
    # drawing from a sequence (text containing one of `sequence_sql`, any case:
    # `SELECT nextval('order_no_seq')`) is numbered by the database too.
    default_keywords: tuple[str, ...] = ()
    sequence_sql: tuple[str, ...] = ()
    relationships: frozenset[str] = frozenset()
    # Of those, the ones whose attribute is a manager of the related records, not one record
    # (Django's `photo.files`: `photo.files.all()` are File records).
    manager_relationships: frozenset[str] = frozenset()
    external_models: frozenset[str] = frozenset()
    user_model: str = ""
    annotated_serials: bool = False
    # Abstract bases from other packages whose primary key is a UUID (no serial to expose).
    uuid_pk_bases: frozenset[str] = frozenset()
    # Keywords of a foreign key naming the attribute that reaches back from the related model
    # (Django's `related_name`): `booking.tickets` is the collection of the booking's tickets.
    related_name_keywords: tuple[str, ...] = ()
    # The name of that attribute when the keyword is absent: the model's name in lower case
    # with this suffix (Django's `ticket_set`); a one-to-one relation drops the suffix.
    reverse_suffix: str = ""
    # The attribute of a many-to-many relation that is its implicit join table's model
    # (Django's `Photo.shared_to.through`), and the keyword that names an explicit one.
    through_attribute: str = ""
    through_keyword: str = ""


@dataclass(frozen=True, slots=True)
class Hook:
    """Methods a library calls on a project subclass of one of its classes and sends what
    they return to the client (simplejwt's login view renders the token `get_token(user)`
    returns). Unlike a route's, their parameters are not client input."""

    what: str
    bases: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RaisingRoutes:
    """Routes whose raised exceptions reach the client with their message (a GraphQL
    resolver's exception becomes an entry of the response's `errors`)."""

    what: str
    decorators: frozenset[str] = frozenset()
    class_bases: frozenset[str] = frozenset()
    class_methods: frozenset[str] = frozenset()
    method_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeclarativeSpec:
    """Classes (or class decorators) that declare which model fields the client receives."""

    bases: frozenset[str]
    what: str
    pk_fields: frozenset[str] = frozenset()
    relay_interfaces: frozenset[str] = frozenset()
    default_all: bool = False
    # Class attributes with an annotation declare fields (`id: strawberry.auto`); those whose
    # value is a call of one of `field_functions` too, unless given a resolver.
    annotated_fields: bool = False
    field_functions: frozenset[str] = frozenset()
    # Fields rendered by a method `get_<field>(self, obj)`: its return value reaches the
    # client and `obj` is a record of the model.
    method_fields: frozenset[str] = frozenset()
    # Without a declared model (`Meta.model`), the model is the one the class is named for:
    # the class name less one of these suffixes names a model, or starts with a model's name
    # (`UserBasicInfoSerializer` renders `User` records).
    name_suffixes: tuple[str, ...] = ()
    # Keywords of a field that name the model attribute it renders (`source="owner.id"`).
    source_keywords: frozenset[str] = frozenset({"source"})
    # Field constructors (shell patterns on the last name) that render the model attribute
    # of the attribute's own name when given no source (`id = IntegerField(read_only=True)`).
    value_fields: tuple[str, ...] = ()
    # With `default_all`: the Meta option that adds the foreign keys to every column
    # (marshmallow-sqlalchemy's `include_fk`, off by default), and Meta options listing
    # fields that are never dumped (`load_only`).
    fk_option: str = ""
    unlisted_options: frozenset[str] = frozenset()
    # Names in `Meta.fields` that are no model field but a property or method of the model
    # render what it returns (DRF's ModelSerializer makes them read-only fields).
    attribute_fields: bool = False
    # Keywords of the class's constructor that choose the fields one instance dumps
    # (marshmallow's `only=`) or leaves out (`exclude=`): a field no instance that reaches a
    # client dumps is not reported.
    only_keywords: frozenset[str] = frozenset()
    exclude_keywords: frozenset[str] = frozenset()
    # Attributes of an instance that hold what it rendered (DRF's `serializer.data`): for a
    # record the client selected by serial, its personal fields the class lists (IDL006).
    output_attributes: frozenset[str] = frozenset()
    # Keywords of a field (a call in the class body) that give the function the framework
    # calls with the rendered record to render the field (strawberry's
    # `id: str = field(resolver=lambda self: ...)`): a lambda given so is evaluated with its
    # first parameter a record of the model, and what it returns reaches the client.
    resolver_keywords: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PeopleSpec:
    """What makes a serial a person's (see rules/models/client.toml `[people]`)."""

    user_bases: frozenset[str] = frozenset()
    personal_fields: frozenset[str] = frozenset()
    profile_fields: frozenset[str] = frozenset()
    fk_words: frozenset[str] = frozenset()
    group_words: frozenset[str] = frozenset()
    head_group_words: frozenset[str] = frozenset()
    group_roles: frozenset[str] = frozenset()
    credit_fields: frozenset[str] = frozenset()
    name_fields: frozenset[str] = frozenset()
    short_name_fields: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class QuerySpec:
    instance_methods: frozenset[str] = frozenset()
    collection_methods: frozenset[str] = frozenset()
    instance_functions: frozenset[str] = frozenset()
    collection_functions: frozenset[str] = frozenset()
    session_instance_methods: frozenset[str] = frozenset()
    session_collection_methods: frozenset[str] = frozenset()
    row_methods: frozenset[str] = frozenset()
    # `in_bulk(ids)`: a dict of the records by the serials given (see queries.toml).
    keyed_methods: frozenset[str] = frozenset()
    keyed_field_keywords: frozenset[str] = frozenset()
    keyed_record_methods: frozenset[str] = frozenset()
    keyed_item_methods: frozenset[str] = frozenset()
    # SQLAlchemy column projections: `query(M.id.label("x"), M.name)` yields rows whose
    # attributes (`row.x`) and positions hold those columns.
    column_label_methods: frozenset[str] = frozenset()
    projection_methods: frozenset[str] = frozenset()
    # Methods whose arguments choose which records a query holds (`filter(owner=user)`), unlike
    # those that exclude records, order or annotate them.
    selecting_methods: frozenset[str] = frozenset()
    # Methods of a record's to-many relation that link records into it (`album.members.add(m)`).
    link_methods: frozenset[str] = frozenset()
    # Attributes of a page of a query that hold its records (`paginate(...).items`).
    page_attributes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Knowledge:
    sink_callables: dict[str, SinkSpec] = field(default_factory=dict)
    sink_methods: dict[str, SinkSpec] = field(default_factory=dict)
    # external classes whose project subclasses are sinks when constructed (a vendored
    # `class Response(SimpleTemplateResponse)` and its `Ok(Response)`)
    sink_bases: dict[str, SinkSpec] = field(default_factory=dict)
    header_containers: frozenset[str] = frozenset()
    # Messages whose headers named here (lower case) address them: a person's address put
    # there goes to that person, it is not content (`msg["To"] = member.email`).
    recipient_messages: frozenset[str] = frozenset()
    recipient_headers: frozenset[str] = frozenset()
    transform_callables: dict[str, TransformSpec] = field(default_factory=dict)
    transform_methods: dict[str, TransformSpec] = field(default_factory=dict)
    orms: tuple[OrmSpec, ...] = ()
    queries: QuerySpec = QuerySpec()
    route_decorator_methods: frozenset[str] = frozenset()
    route_class_bases: frozenset[str] = frozenset()
    route_class_methods: frozenset[str] = frozenset()
    route_method_prefixes: tuple[str, ...] = ()
    route_decorators: frozenset[str] = frozenset()
    raising_routes: tuple[RaisingRoutes, ...] = ()
    hooks: tuple[Hook, ...] = ()
    user_expressions: frozenset[str] = frozenset()
    user_functions: frozenset[str] = frozenset()  # calls that return a user (authenticate)
    user_model_functions: frozenset[str] = frozenset()  # calls that return the model class
    serial_attributes: frozenset[str] = frozenset()
    serial_functions: frozenset[str] = frozenset()
    client_expressions: frozenset[str] = frozenset()
    client_methods: frozenset[str] = frozenset()
    client_method_receivers: frozenset[str] = frozenset()
    # Leading words of callables that look something up by their arguments (`get_user(id)`,
    # `loader.load(pk)`): an unknown one returns a record, not the serial it was given.
    lookup_words: frozenset[str] = frozenset()
    # Decorators (last name) that make a method an attribute: reading it runs the method.
    property_decorators: frozenset[str] = frozenset()
    # Methods that run a task function elsewhere with these arguments (`task.delay(...)`).
    task_call_methods: frozenset[str] = frozenset()
    task_handle_methods: frozenset[str] = frozenset()
    # Promise methods (`p.then(callback)`) that call their first argument with what the
    # promise resolves to, and resolve to what it returns (`[promises]`).
    then_methods: frozenset[str] = frozenset()
    # Library data loader classes (`[dataloaders]`): a project subclass declared with type
    # arguments (`Loader[K, V]`) resolves each key given to one of `load_methods` to a V,
    # and the keys given to one of `load_many_methods` to a list of them.
    dataloader_bases: frozenset[str] = frozenset()
    dataloader_load_methods: frozenset[str] = frozenset()
    dataloader_load_many_methods: frozenset[str] = frozenset()
    # Generic views that load the one record of their model the URL names (`[record_views]`).
    record_view_bases: frozenset[str] = frozenset()
    record_view_model_attributes: tuple[str, ...] = ()
    record_view_methods: frozenset[str] = frozenset()
    record_view_attributes: frozenset[str] = frozenset()
    record_view_lookup_attributes: frozenset[str] = frozenset()
    record_view_owner_methods: frozenset[str] = frozenset()
    record_view_open_permissions: frozenset[str] = frozenset()
    # Decorators that send what a route returns through a table of fields (flask-restx
    # `@marshal_with(fields)`), by qualified name or as a method of any object (`ns.`).
    marshal_decorators: frozenset[str] = frozenset()
    marshal_methods: frozenset[str] = frozenset()
    marshal_model_methods: frozenset[str] = frozenset()  # `ns.model("Name", {...})`
    # Keywords of a table's field whose value may be a function of the record
    # (`fields.String(attribute=lambda o: ...)`): it is called with each record sent.
    marshal_callable_keywords: frozenset[str] = frozenset()
    # Code only staff reach (admin pages, staff-only views): not a client sink.
    staff_decorators: frozenset[str] = frozenset()
    staff_test_decorators: frozenset[str] = frozenset()  # user_passes_test(lambda u: ...)
    staff_attributes: frozenset[str] = frozenset()  # what such a test must read: is_staff
    staff_class_bases: frozenset[str] = frozenset()
    staff_permission_classes: frozenset[str] = frozenset()
    # A guard decorator (a name with one of `guard_words`: `requires`, `roles_required`) whose
    # arguments name an admin requirement (a word of `admin_words`: `IsAdmin`, "admin").
    staff_guard_words: frozenset[str] = frozenset()
    staff_admin_words: frozenset[str] = frozenset()
    # A view that starts by denying the request (raising, `abort(403)`, returning 403) unless
    # a check of one of the admin words, or of `check_words`, passes is staff-only code;
    # so is a route whose `dependencies=[...]` names such a check.
    staff_check_words: frozenset[str] = frozenset()
    staff_denial_calls: frozenset[str] = frozenset()
    staff_denial_words: frozenset[str] = frozenset()
    staff_dependency_keywords: frozenset[str] = frozenset()
    # Class attributes listing decorators applied to every method (Flask's MethodView).
    staff_decorator_attributes: frozenset[str] = frozenset()
    # Sinks that reach someone else even from staff-only code (an e-mail to a user).
    staff_still_reported: frozenset[str] = frozenset()
    route_param_exclude: frozenset[str] = frozenset()
    # Class-based views whose handler methods (`retrieve(self, *args, **kwargs)`) take the
    # URL's parameters whatever the request parameter is called.
    view_class_bases: frozenset[str] = frozenset()
    personal_words: frozenset[str] = frozenset()
    personal_exclude: frozenset[str] = frozenset()
    anonymous_words: tuple[str, ...] = ()
    declarative: tuple[DeclarativeSpec, ...] = ()
    response_model_keywords: frozenset[str] = frozenset()
    people: PeopleSpec = PeopleSpec()
    # (module, the module whose names it re-exports): one name per library callable.
    library_aliases: tuple[tuple[str, str], ...] = ()
    # Sinks (by description) that reach others than the requesting user (an e-mail, a
    # broadcast): the user's own serial still counts there.
    own_reaches_others: frozenset[str] = frozenset()
    # Parameter, annotation or dependency names (lower case, no underscores) that hold the
    # requesting user (`current_user`, `CurrentUser`, `get_current_active_user`).
    current_user_words: frozenset[str] = frozenset()
    # Where the server keeps what identifies the requester (`flask.session`,
    # `request.session`, matched on the end of the written expression), and calls that
    # return it (`get_jwt_identity()`): a record looked up by it is the requester's.
    session_expressions: frozenset[str] = frozenset()
    requester_key_functions: frozenset[str] = frozenset()
    # Generic views that answer `GET .../<pk>/` with no handler code of the project's own
    # (DRF's ModelViewSet, RetrieveAPIView): the record the client's key selects from the
    # view's queryset goes back through the view's serializer.
    generic_retrieve: GenericRetrieveSpec | None = None

    def is_personal(self, field_name: str) -> bool:
        name = field_name.lower()
        if name in self.personal_exclude:
            return False
        return name in self.personal_words or any(
            part in self.personal_words for part in name.split("_") if part)

    @property
    def external_models(self) -> frozenset[str]:
        return frozenset(m for orm in self.orms for m in orm.external_models)

    @property
    def user_model(self) -> str:
        return next((orm.user_model for orm in self.orms if orm.user_model), "")

    @property
    def model_bases(self) -> dict[str, OrmSpec]:
        return {base: orm for orm in self.orms for base in orm.bases}


@dataclass(frozen=True, slots=True)
class GenericRetrieveSpec:
    bases: frozenset[str]  # library classes whose subclasses retrieve by themselves
    own_method: str  # a class (or project base) defining it handles the request itself
    queryset_attributes: tuple[str, ...]
    queryset_methods: tuple[str, ...]
    serializer_attributes: tuple[str, ...]
    serializer_methods: tuple[str, ...]
    key: str  # the route parameter, for the trace
    what: str
    # methods that build the view's serializer for a record (`get_serializer(obj)`)
    serializer_instance_methods: tuple[str, ...] = ()
    # a project class defining all these methods and class attributes reimplements the
    # library's generic view (a vendored copy): called on a subclass, they answer as the
    # library's do, for the subclass's model and serializer
    mirror_methods: tuple[str, ...] = ()
    mirror_attributes: tuple[str, ...] = ()


def _strs(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _args(data: dict, where: str) -> tuple[int | str, ...] | None:
    raw = data.get("args", "all")
    if raw == "all":
        return None
    if not isinstance(raw, list) or not all(isinstance(a, (int, str)) for a in raw):
        raise KnowledgeError(f"{where}: 'args' must be \"all\" or a list of positions and names")
    return tuple(raw)


def _positions(data: dict, key: str, where: str) -> tuple[int | str, ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(a, (int, str)) for a in raw):
        raise KnowledgeError(f"{where}: '{key}' must be a list of positions and names")
    return tuple(raw)


def _load_file(path: Path, acc: dict) -> None:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    _load_data(data, path.name, acc)


def _load_project_models(path: Path, acc: dict) -> None:
    """A models file of the scanned project: hostile input like its code, so every error is
    a KnowledgeError naming the file, never a traceback."""
    from idlint.config import ConfigError, read_toml

    try:
        data = read_toml(path)
    except ConfigError as exc:
        raise KnowledgeError(str(exc)) from None
    try:
        _load_data(data, path.name, acc)
    except KnowledgeError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise KnowledgeError(f"{path.name}: not a models file: {exc}") from None


def _load_data(data: dict, where: str, acc: dict) -> None:
    for i, raw in enumerate(data.get("sinks", [])):
        w = f"{where}: sinks[{i}]"
        spec = SinkSpec(
            what=str(raw.get("what", "client-visible output")),
            args=_args(raw, w),
            url=bool(raw.get("url", False)),
            receivers=frozenset(_strs(raw, "receivers", w)),
            record_key=str(raw.get("record_key", "")),
            record_label=str(raw.get("record_label", "keep")),
            template=_positions(raw, "template", w),
            context=() if raw.get("context") == "keywords" else _positions(raw, "context", w),
            context_keywords=raw.get("context") == "keywords",
        )
        if spec.record_label not in LABELS:
            raise KnowledgeError(f"{w}: 'record_label' must be one of {', '.join(LABELS)}")
        for name in _strs(raw, "callable", w):
            acc["sink_callables"][name] = spec
        for name in _strs(raw, "method", w):
            acc["sink_methods"][name] = spec
        for name in _strs(raw, "subclass_of", w):
            acc["sink_bases"][name] = spec
        acc["header_containers"].update(_strs(raw, "subscript_of", w))
    for i, raw in enumerate(data.get("transforms", [])):
        w = f"{where}: transforms[{i}]"
        label = raw.get("label")
        if label not in LABELS:
            raise KnowledgeError(f"{w}: 'label' must be one of {', '.join(LABELS)}")
        tspec = TransformSpec(
            label=label,
            what=str(raw.get("what", label)),
            args=_args(raw, w),
            keyed_by=_strs(raw, "keyed_by", w),
            key_arg=tuple(raw.get("key_arg", ())),
            weak_if_literal_key=bool(raw.get("weak_if_literal_key", False)),
            weak_modes=_strs(raw, "weak_modes", w),
            record_key=str(raw.get("record_key", "")),
            signature_last=bool(raw.get("signature_last", False)),
        )
        for name in _strs(raw, "callable", w):
            acc["transform_callables"][name] = tspec
        for name in _strs(raw, "method", w):
            acc["transform_methods"][name] = tspec
    for i, raw in enumerate(data.get("orm", [])):
        w = f"{where}: orm[{i}]"
        acc["orms"].append(
            OrmSpec(
                name=str(raw.get("name", where)),
                bases=frozenset(_strs(raw, "bases", w)),
                implicit_pk=str(raw.get("implicit_pk", "")),
                pk_alias=str(raw.get("pk_alias", "")),
                serial_fields=frozenset(_strs(raw, "serial_fields", w)),
                integer_fields=frozenset(_strs(raw, "integer_fields", w)),
                pk_keywords=_strs(raw, "pk_keywords", w) or ("primary_key",),
                foreign_keys=frozenset(_strs(raw, "foreign_keys", w)),
                fk_suffix=str(raw.get("fk_suffix", "")),
                column_fields=frozenset(_strs(raw, "column_fields", w)),
                integer_types=frozenset(_strs(raw, "integer_types", w)),
                foreign_key_markers=frozenset(_strs(raw, "foreign_key_markers", w)),
                sequence_markers=frozenset(_strs(raw, "sequence_markers", w)),
                default_keywords=_strs(raw, "default_keywords", w),
                sequence_sql=tuple(t.lower() for t in _strs(raw, "sequence_sql", w)),
                relationships=frozenset(_strs(raw, "relationships", w)),
                manager_relationships=frozenset(_strs(raw, "manager_relationships", w)),
                external_models=frozenset(_strs(raw, "external_models", w)),
                user_model=str(raw.get("user_model", "")),
                annotated_serials=bool(raw.get("annotated_serials", False)),
                uuid_pk_bases=frozenset(_strs(raw, "uuid_pk_bases", w)),
                related_name_keywords=_strs(raw, "related_name_keywords", w),
                reverse_suffix=str(raw.get("reverse_suffix", "")),
                through_attribute=str(raw.get("through_attribute", "")),
                through_keyword=str(raw.get("through_keyword", "")),
            )
        )
    queries = data.get("queries")
    if isinstance(queries, dict):
        w = f"{where}: queries"
        acc["queries"] = QuerySpec(
            **{k: frozenset(_strs(queries, k, w)) for k in QuerySpec.__dataclass_fields__}
        )
    for i, raw in enumerate(data.get("routes", [])):
        w = f"{where}: routes[{i}]"
        acc["route_decorator_methods"].update(_strs(raw, "decorator_methods", w))
        acc["route_class_bases"].update(_strs(raw, "class_bases", w))
        acc["route_class_methods"].update(_strs(raw, "class_methods", w))
        acc["route_method_prefixes"].update(_strs(raw, "method_prefixes", w))
        acc["route_decorators"].update(_strs(raw, "decorators", w))
        if "raised_what" in raw:
            acc["raising_routes"].append(RaisingRoutes(
                what=str(raw["raised_what"]),
                decorators=frozenset(_strs(raw, "decorators", w)),
                class_bases=frozenset(_strs(raw, "class_bases", w)),
                class_methods=frozenset(_strs(raw, "class_methods", w)),
                method_prefixes=_strs(raw, "method_prefixes", w)))
    for i, raw in enumerate(data.get("hooks", [])):
        w = f"{where}: hooks[{i}]"
        acc["hooks"].append(Hook(what=str(raw.get("what", "response")),
                                 bases=frozenset(_strs(raw, "bases", w)),
                                 methods=frozenset(_strs(raw, "methods", w))))
    for i, raw in enumerate(data.get("declarative", [])):
        w = f"{where}: declarative[{i}]"
        acc["declarative"].append(DeclarativeSpec(
            bases=frozenset(_strs(raw, "bases", w)),
            what=str(raw.get("what", "declared field")),
            pk_fields=frozenset(_strs(raw, "pk_fields", w)),
            relay_interfaces=frozenset(_strs(raw, "relay_interfaces", w)),
            default_all=bool(raw.get("default_all", False)),
            annotated_fields=bool(raw.get("annotated_fields", False)),
            field_functions=frozenset(_strs(raw, "field_functions", w)),
            method_fields=frozenset(_strs(raw, "method_fields", w)),
            name_suffixes=tuple(_strs(raw, "name_suffixes", w)),
            source_keywords=frozenset(_strs(raw, "source_keywords", w)) or frozenset(
                {"source"}),
            value_fields=tuple(_strs(raw, "value_fields", w)),
            fk_option=str(raw.get("fk_option", "")),
            unlisted_options=frozenset(_strs(raw, "unlisted_options", w)),
            attribute_fields=bool(raw.get("attribute_fields", False)),
            only_keywords=frozenset(_strs(raw, "only_keywords", w)),
            exclude_keywords=frozenset(_strs(raw, "exclude_keywords", w)),
            output_attributes=frozenset(_strs(raw, "output_attributes", w)),
            resolver_keywords=frozenset(_strs(raw, "resolver_keywords", w)),
        ))
    people = data.get("people")
    if isinstance(people, dict):
        w = f"{where}: people"
        for key in PeopleSpec.__dataclass_fields__:
            acc["people"][key].update(_strs(people, key, w))
    response_models = data.get("response_models")
    if isinstance(response_models, dict):
        acc["response_model_keywords"].update(
            _strs(response_models, "keywords", f"{where}: response_models"))
    client = data.get("client_input")
    if isinstance(client, dict):
        w = f"{where}: client_input"
        acc["client_expressions"].update(_strs(client, "expressions", w))
        acc["client_methods"].update(_strs(client, "methods", w))
        acc["client_method_receivers"].update(_strs(client, "method_receivers", w))
        acc["route_param_exclude"].update(_strs(client, "route_param_exclude", w))
        acc["view_class_bases"].update(_strs(client, "view_class_bases", w))
    personal = data.get("personal_fields")
    if isinstance(personal, dict):
        acc["personal_words"].update(_strs(personal, "words", f"{where}: personal_fields"))
        acc["personal_exclude"].update(_strs(personal, "exclude", f"{where}: personal_fields"))
    unknown = data.get("unknown_calls")
    if isinstance(unknown, dict):
        acc["lookup_words"].update(_strs(unknown, "lookup_words", f"{where}: unknown_calls"))
    aliases = data.get("library_aliases")
    if isinstance(aliases, dict):
        for alias, target in aliases.items():
            if not isinstance(target, str):
                raise KnowledgeError(f"{where}: library_aliases.{alias} must be a string")
            acc["library_aliases"][alias] = target
    recipients = data.get("recipients")
    if isinstance(recipients, dict):
        w = f"{where}: recipients"
        acc["recipient_messages"].update(_strs(recipients, "messages", w))
        acc["recipient_headers"].update(h.lower() for h in _strs(recipients, "headers", w))
    own = data.get("own_serial")
    if isinstance(own, dict):
        acc["own_reaches_others"].update(_strs(own, "reaches_others", f"{where}: own_serial"))
        acc["current_user_words"].update(_strs(own, "current_user_words", f"{where}: own_serial"))
        acc["session_expressions"].update(_strs(own, "session_expressions",
                                                f"{where}: own_serial"))
        acc["requester_key_functions"].update(_strs(own, "key_functions",
                                                    f"{where}: own_serial"))
    staff = data.get("staff_only")
    if isinstance(staff, dict):
        w = f"{where}: staff_only"
        acc["staff_decorators"].update(_strs(staff, "decorators", w))
        acc["staff_test_decorators"].update(_strs(staff, "test_decorators", w))
        acc["staff_attributes"].update(_strs(staff, "attributes", w))
        acc["staff_class_bases"].update(_strs(staff, "class_bases", w))
        acc["staff_permission_classes"].update(_strs(staff, "permission_classes", w))
        acc["staff_still_reported"].update(_strs(staff, "still_reported", w))
        acc["staff_guard_words"].update(_strs(staff, "guard_words", w))
        acc["staff_admin_words"].update(_strs(staff, "admin_words", w))
        acc["staff_decorator_attributes"].update(_strs(staff, "decorator_attributes", w))
        acc["staff_check_words"].update(_strs(staff, "check_words", w))
        acc["staff_denial_calls"].update(_strs(staff, "denial_calls", w))
        acc["staff_denial_words"].update(_strs(staff, "denial_words", w))
        acc["staff_dependency_keywords"].update(_strs(staff, "dependency_keywords", w))
    generic = data.get("generic_retrieve")
    if isinstance(generic, dict):
        w = f"{where}: generic_retrieve"
        acc["generic_retrieve"] = GenericRetrieveSpec(
            bases=frozenset(_strs(generic, "bases", w)),
            own_method=str(generic.get("own_method", "retrieve")),
            queryset_attributes=_strs(generic, "queryset_attributes", w),
            queryset_methods=_strs(generic, "queryset_methods", w),
            serializer_attributes=_strs(generic, "serializer_attributes", w),
            serializer_methods=_strs(generic, "serializer_methods", w),
            key=str(generic.get("key", "pk")),
            what=str(generic.get("what", "generic retrieve response")),
            serializer_instance_methods=_strs(generic, "serializer_instance_methods", w),
            mirror_methods=_strs(generic, "mirror_methods", w),
            mirror_attributes=_strs(generic, "mirror_attributes", w),
        )
    tasks = data.get("tasks")
    if isinstance(tasks, dict):
        acc["task_call_methods"].update(_strs(tasks, "call_methods", f"{where}: tasks"))
        acc["task_handle_methods"].update(_strs(tasks, "handle_methods", f"{where}: tasks"))
    promises = data.get("promises")
    if isinstance(promises, dict):
        acc["then_methods"].update(_strs(promises, "then_methods", f"{where}: promises"))
    loaders = data.get("dataloaders")
    if isinstance(loaders, dict):
        w = f"{where}: dataloaders"
        acc["dataloader_bases"].update(_strs(loaders, "bases", w))
        acc["dataloader_load_methods"].update(_strs(loaders, "load_methods", w))
        acc["dataloader_load_many_methods"].update(_strs(loaders, "load_many_methods", w))
    properties = data.get("properties")
    if isinstance(properties, dict):
        acc["property_decorators"].update(_strs(properties, "decorators", f"{where}: properties"))
    views = data.get("record_views")
    if isinstance(views, dict):
        w = f"{where}: record_views"
        acc["record_view_bases"].update(_strs(views, "bases", w))
        for name in _strs(views, "model_attributes", w):
            if name not in acc["record_view_model_attributes"]:
                acc["record_view_model_attributes"].append(name)
        acc["record_view_methods"].update(_strs(views, "methods", w))
        acc["record_view_attributes"].update(_strs(views, "attributes", w))
        acc["record_view_lookup_attributes"].update(_strs(views, "lookup_attributes", w))
        acc["record_view_owner_methods"].update(_strs(views, "owner_methods", w))
        acc["record_view_open_permissions"].update(_strs(views, "open_permissions", w))
    marshal = data.get("marshal")
    if isinstance(marshal, dict):
        w = f"{where}: marshal"
        acc["marshal_decorators"].update(_strs(marshal, "decorators", w))
        acc["marshal_methods"].update(_strs(marshal, "methods", w))
        acc["marshal_model_methods"].update(_strs(marshal, "model_methods", w))
        acc["marshal_callable_keywords"].update(_strs(marshal, "callable_keywords", w))
    anonymous = data.get("anonymous")
    if isinstance(anonymous, dict):
        acc["anonymous_words"].update(_strs(anonymous, "words", f"{where}: anonymous"))
    for i, raw in enumerate(data.get("user_sources", [])):
        w = f"{where}: user_sources[{i}]"
        acc["user_expressions"].update(_strs(raw, "expressions", w))
        acc["user_functions"].update(_strs(raw, "functions", w))
        acc["user_model_functions"].update(_strs(raw, "model_functions", w))


@functools.cache
def _bundled(directory: Path) -> dict:
    acc: dict = {
        "sink_callables": {}, "sink_methods": {}, "sink_bases": {}, "header_containers": set(),
        "recipient_messages": set(), "recipient_headers": set(),
        "transform_callables": {}, "transform_methods": {}, "orms": [],
        "queries": QuerySpec(), "route_decorator_methods": set(), "route_class_bases": set(),
        "route_class_methods": set(), "route_method_prefixes": set(), "route_decorators": set(),
        "raising_routes": [], "hooks": [],
        "user_expressions": set(), "client_expressions": set(),
        "client_methods": set(), "client_method_receivers": set(),
        "route_param_exclude": set(), "view_class_bases": set(), "personal_words": set(),
        "personal_exclude": set(),
        "anonymous_words": set(), "declarative": [], "response_model_keywords": set(),
        "lookup_words": set(), "property_decorators": set(), "user_functions": set(),
        "user_model_functions": set(), "task_call_methods": set(), "task_handle_methods": set(),
        "then_methods": set(), "dataloader_bases": set(), "dataloader_load_methods": set(),
        "dataloader_load_many_methods": set(),
        "record_view_bases": set(), "record_view_model_attributes": [],
        "record_view_methods": set(), "record_view_attributes": set(),
        "record_view_lookup_attributes": set(), "record_view_owner_methods": set(),
        "record_view_open_permissions": set(), "marshal_decorators": set(),
        "marshal_methods": set(), "marshal_model_methods": set(),
        "marshal_callable_keywords": set(),
        "staff_decorators": set(), "staff_test_decorators": set(), "staff_attributes": set(),
        "staff_class_bases": set(), "staff_permission_classes": set(),
        "staff_still_reported": set(), "staff_guard_words": set(), "staff_admin_words": set(),
        "staff_decorator_attributes": set(), "library_aliases": {},
        "staff_check_words": set(), "staff_denial_calls": set(), "staff_denial_words": set(),
        "staff_dependency_keywords": set(),
        "own_reaches_others": set(), "current_user_words": set(),
        "session_expressions": set(), "requester_key_functions": set(), "generic_retrieve": None,
        "people": {k: set() for k in PeopleSpec.__dataclass_fields__},
    }
    for path in sorted(directory.glob("*.toml")):
        _load_file(path, acc)
    return acc


def load_knowledge(config: Config | None = None, directory: Path | None = None) -> Knowledge:
    acc = _bundled(directory or rules_dir() / "models")
    if config is not None and config.models:
        # the bundled knowledge is cached: the project's files add to a copy of it
        acc = {k: (v.copy() if isinstance(v, (dict, set, list)) else v) for k, v in acc.items()}
        for path in config.models:
            _load_project_models(path, acc)
    sink_callables = dict(acc["sink_callables"])
    transforms = dict(acc["transform_callables"])
    if config is not None:
        for name in config.sinks:
            sink_callables[name] = SinkSpec(what=f"{name}()", args=None)
        for name in config.encoders:
            transforms[name] = TransformSpec("encoded", f"{name} (project encoder)")
        for name in config.weak_protections:
            transforms[name] = TransformSpec("weak", f"{name} (project weak protection)")
        for name in config.sanitizers:
            transforms[name] = TransformSpec("sanitize", f"{name} (project sanitizer)")
    return Knowledge(
        sink_callables=sink_callables,
        sink_methods=dict(acc["sink_methods"]),
        sink_bases=dict(acc["sink_bases"]),
        header_containers=frozenset(acc["header_containers"]),
        recipient_messages=frozenset(acc["recipient_messages"]),
        recipient_headers=frozenset(acc["recipient_headers"]),
        transform_callables=transforms,
        transform_methods=dict(acc["transform_methods"]),
        orms=tuple(acc["orms"]),
        queries=acc["queries"],
        route_decorator_methods=frozenset(acc["route_decorator_methods"]),
        route_class_bases=frozenset(acc["route_class_bases"]),
        route_class_methods=frozenset(acc["route_class_methods"]),
        route_method_prefixes=tuple(sorted(acc["route_method_prefixes"])),
        route_decorators=frozenset(acc["route_decorators"]),
        raising_routes=tuple(acc["raising_routes"]),
        hooks=tuple(acc["hooks"]),
        user_expressions=frozenset(acc["user_expressions"]),
        user_functions=frozenset(acc["user_functions"]),
        user_model_functions=frozenset(acc["user_model_functions"]),
        serial_attributes=frozenset(config.serial_attributes if config else ()),
        serial_functions=frozenset(config.serial_functions if config else ()),
        client_expressions=frozenset(acc["client_expressions"]),
        client_methods=frozenset(acc["client_methods"]),
        client_method_receivers=frozenset(acc["client_method_receivers"]),
        lookup_words=frozenset(acc["lookup_words"]),
        property_decorators=frozenset(acc["property_decorators"]),
        task_call_methods=frozenset(acc["task_call_methods"]),
        task_handle_methods=frozenset(acc["task_handle_methods"]),
        then_methods=frozenset(acc["then_methods"]),
        dataloader_bases=frozenset(acc["dataloader_bases"]),
        dataloader_load_methods=frozenset(acc["dataloader_load_methods"]),
        dataloader_load_many_methods=frozenset(acc["dataloader_load_many_methods"]),
        record_view_bases=frozenset(acc["record_view_bases"]),
        record_view_model_attributes=tuple(acc["record_view_model_attributes"]),
        record_view_methods=frozenset(acc["record_view_methods"]),
        record_view_attributes=frozenset(acc["record_view_attributes"]),
        record_view_lookup_attributes=frozenset(acc["record_view_lookup_attributes"]),
        record_view_owner_methods=frozenset(acc["record_view_owner_methods"]),
        record_view_open_permissions=frozenset(acc["record_view_open_permissions"]),
        marshal_decorators=frozenset(acc["marshal_decorators"]),
        marshal_methods=frozenset(acc["marshal_methods"]),
        marshal_model_methods=frozenset(acc["marshal_model_methods"]),
        marshal_callable_keywords=frozenset(acc["marshal_callable_keywords"]),
        staff_decorators=frozenset(acc["staff_decorators"]),
        staff_test_decorators=frozenset(acc["staff_test_decorators"]),
        staff_attributes=frozenset(acc["staff_attributes"]),
        staff_class_bases=frozenset(acc["staff_class_bases"]),
        staff_permission_classes=frozenset(acc["staff_permission_classes"]),
        staff_still_reported=frozenset(acc["staff_still_reported"]),
        staff_guard_words=frozenset(acc["staff_guard_words"]),
        staff_admin_words=frozenset(acc["staff_admin_words"]),
        staff_decorator_attributes=frozenset(acc["staff_decorator_attributes"]),
        staff_check_words=frozenset(acc["staff_check_words"]),
        staff_denial_calls=frozenset(acc["staff_denial_calls"]),
        staff_denial_words=frozenset(acc["staff_denial_words"]),
        staff_dependency_keywords=frozenset(acc["staff_dependency_keywords"]),
        library_aliases=tuple(sorted(acc["library_aliases"].items())),
        own_reaches_others=frozenset(acc["own_reaches_others"]),
        current_user_words=frozenset(acc["current_user_words"]),
        session_expressions=frozenset(acc["session_expressions"]),
        requester_key_functions=frozenset(acc["requester_key_functions"]),
        generic_retrieve=acc["generic_retrieve"],
        route_param_exclude=frozenset(acc["route_param_exclude"]),
        view_class_bases=frozenset(acc["view_class_bases"]),
        personal_words=frozenset(acc["personal_words"]) | frozenset(
            w.lower() for w in (config.personal_fields if config else ())),
        personal_exclude=frozenset(acc["personal_exclude"]),
        declarative=tuple(acc["declarative"]),
        response_model_keywords=frozenset(acc["response_model_keywords"]),
        people=PeopleSpec(**{k: frozenset(v) for k, v in acc["people"].items()}),
        anonymous_words=tuple(sorted(acc["anonymous_words"] | set(
            w.lower() for w in (config.anonymous_contexts if config else ())))),
    )
