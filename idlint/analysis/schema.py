"""Model schemas read from the scanned project's class definitions: which attributes of which
model hold serial numbers, which are relations to other models."""

from __future__ import annotations

from dataclasses import dataclass, field

from idlint.analysis import ir
from idlint.analysis.project import Project, dotted_name
from idlint.knowledge import Knowledge, OrmSpec, PeopleSpec


@dataclass(frozen=True, slots=True)
class SerialField:
    origin: str  # "Member.id"
    kind: str  # "primary key" | "foreign key" | "serial field" | "numbered column"
    confidence: str


@dataclass(slots=True)
class Schema:
    qualname: str
    display: str
    orm: str
    serials: dict[str, SerialField] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)  # attr -> model qualname
    nonserial: set[str] = field(default_factory=set)
    pk_serial: bool | None = None  # None: not known
    # attr -> what a foreign key names when its model is not known: the table of
    # `ForeignKey("users.id")`
    fk_tables: dict[str, str] = field(default_factory=dict)
    one_to_one: set[str] = field(default_factory=set)  # relations that make a profile
    table: str = ""  # `__tablename__`
    field_names: set[str] = field(default_factory=set)
    # attr -> model: the related model's records that point here (`booking.tickets`, the
    # reverse side of a foreign key declared on the other model)
    reverse: dict[str, str] = field(default_factory=dict)
    # relations whose attribute manages the related records (OrmSpec.manager_relationships)
    managers: set[str] = field(default_factory=set)


def _person_word(name: str, people: PeopleSpec) -> bool:
    """`owner_id`, `created_by_id`, `users`: a name that says it points at a person, and
    does not name a group, a place or a thing (`team_contact_id`, see `_names_group`)."""
    stem = name.lower().removesuffix("_id").removesuffix("s")
    words = people.fk_words
    return (stem in words or stem.rsplit("_", 1)[-1] in words) and \
        not _names_group(stem, people)


def _names_group(name: str, people: PeopleSpec) -> bool:
    """`teams`, `venue`, `team_contact`, `album_user`: a snake_case name with a word for a
    group, a place or a thing names that, not a person, even with a person's word in it;
    unless its last word is a role someone holds in the group (`project_member`). So does a
    name that ends in a word for a business or a gathering (`city_gym`, `event`)."""
    words = [w for w in name.lower().split("_") if w]
    if not words or words[-1] in people.group_roles or \
            words[-1].removesuffix("s") in people.group_roles:
        return False
    if _is_word_of(words[-1], people.head_group_words):
        return True
    return any(_is_word_of(w, people.group_words) for w in words)


def _is_word_of(word: str, words: frozenset[str]) -> bool:
    """`teams` -> "team", `companies` -> "company": the word or its singular is in `words`."""
    return word in words or word.removesuffix("s") in words or \
        (word.endswith("ies") and f"{word[:-3]}y" in words)


def _personal_fields(schema: Schema, people: PeopleSpec) -> bool:
    """Whether the model has a field that only a person's record has: an e-mail, a phone,
    a birth date, a name in parts, or a full name, unless the full name is all and the
    model is also named in short form (`full_name` and `short_name`: a language, a
    licence, a country)."""
    names = {f.lower() for f in schema.field_names}
    personal = names & people.personal_fields
    if personal and personal <= people.name_fields and names & people.short_name_fields:
        return False
    return bool(personal)


def _snake(name: str) -> str:
    """`OrganizationMember` -> `organization_member`."""
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))


def _last(expr: ir.Expr | None) -> str:
    name = dotted_name(expr) if expr is not None else None
    return name.rsplit(".", 1)[-1] if name else ""


def _kw(call: ir.Call, names: tuple[str, ...] | frozenset[str]) -> ir.Expr | None:
    for arg in call.args:
        if arg.keyword in names:
            return arg.value
    return None


def _is_true(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is True


def _positional(call: ir.Call) -> list[ir.Expr]:
    return [a.value for a in call.args if a.keyword is None and not a.star]


def _mentions_int(ann: ir.Expr | None) -> bool | None:
    """Mapped[int] -> True, Mapped[str] / Mapped[uuid.UUID] -> False, no annotation -> None."""
    if ann is None:
        return None
    names: list[str] = []

    def walk(e: ir.Expr) -> None:
        if isinstance(e, ir.Subscript):
            walk(e.value)
            if e.key is not None:
                walk(e.key)
        elif isinstance(e, ir.Container):
            for _, v in e.items:
                walk(v)
        elif isinstance(e, ir.BinOp):
            walk(e.left)
            walk(e.right)
        else:
            n = dotted_name(e)
            if n:
                names.append(n.rsplit(".", 1)[-1])

    walk(ann)
    if "int" in names:
        return True
    inner = [n for n in names if n not in ("Mapped", "Optional", "None", "Union", "Annotated")]
    return False if inner else None


# Type forms whose first argument is the type of the value: `Optional[int]`,
# `Annotated[int, Field(gt=0)]`, `Mapped[int]`, `Required[int]`.
_WRAPPERS = frozenset({"Optional", "Annotated", "Mapped", "Required", "NotRequired", "Final",
                       "ReadOnly"})
_ALIAS_DEPTH = 4


def _type_args(key: ir.Expr | None) -> list[ir.Expr]:
    if isinstance(key, ir.Container) and key.kind == "tuple":
        return [v for _, v in key.items]
    return [key] if key is not None else []


def _is_none(expr: ir.Expr) -> bool:
    return (isinstance(expr, ir.Const) and expr.value is None) or _last(expr) == "None"


class SchemaBuilder:
    def __init__(self, project: Project, knowledge: Knowledge) -> None:
        self.project = project
        self.knowledge = knowledge
        self.by_simple_name: dict[str, list[str]] = {}
        for q, ref in project.classes.items():
            self.by_simple_name.setdefault(ref.cls.name, []).append(q)
        self.schemas: dict[str, Schema] = {}
        self._model_bases = knowledge.model_bases
        # (model pointed at, attribute, model pointing, one-to-one) of foreign keys
        self._backrefs: list[tuple[str, str, str, bool]] = []
        self._pending_fks: list[tuple[Schema, str, str]] = []
        # (model, many-to-many attribute, target, ORM) of relations whose join table is
        # implicit (see _join_tables)
        self._throughs: list[tuple[Schema, str, str, OrmSpec]] = []
        for q in sorted(project.classes):
            schema = self._build(q)
            if schema is not None:
                self.schemas[q] = schema
        for schema, fk_attr, target in self._pending_fks:
            # a foreign key to a model whose key is a UUID or a string holds no serial
            target_schema = self.schemas.get(target)
            if target_schema is not None and target_schema.pk_serial is False:
                schema.serials.pop(fk_attr, None)
        self._link_backrefs()
        self._join_tables()
        for ext in sorted(knowledge.external_models):
            name = ext.rsplit(".", 1)[-1]
            self.schemas.setdefault(ext, Schema(ext, name, "external", serials={
                "id": SerialField(f"{name}.id", "primary key", "high"),
                "pk": SerialField(f"{name}.pk", "primary key", "high"),
            }, pk_serial=True))
        self.user_model = self._find_user_model()
        self.person_models = self._person_models()
        self.object_origins = self._object_origins()

    # ---------------------------------------------------------------- lookup

    def target_class(self, module: str, expr: ir.Expr | None, owner: str) -> str | None:
        """The model a ForeignKey/relationship points at, from a class or a string."""
        if expr is None:
            return None
        if isinstance(expr, ir.Const) and isinstance(expr.value, str):
            text = expr.value
            if text == "self":
                return owner
            app, _, simple = text.rpartition(".")
            # "files_upload.File": prefer the class of that app (a GraphQL type or form of
            # the same name lives elsewhere), then one in a models module.
            candidates = sorted(self.by_simple_name.get(simple, []), key=lambda q: (
                bool(app) and app not in q.split("."), "models" not in q.split("."), q))
            return candidates[0] if candidates else None
        name = dotted_name(expr)
        if name is None:
            return None
        if name.endswith("AUTH_USER_MODEL"):
            return self.user_model_hint()
        return self.project.resolve(module, name)

    def user_model_hint(self) -> str | None:
        return getattr(self, "user_model", None) or self._find_user_model()

    def _find_user_model(self) -> str | None:
        markers = ("AbstractUser", "AbstractBaseUser", "UserMixin")
        for q in sorted(self.project.classes):
            if any(b.rsplit(".", 1)[-1] in markers for b in self.project.mro(q)[1:]):
                return q
        named = sorted(q for q in self.schemas if q.rsplit(".", 1)[-1] == "User")
        if named:
            return named[0]
        return self.knowledge.user_model or None

    # ---------------------------------------------------------------- people

    def _person_models(self) -> frozenset[str]:
        """Models whose records are people: user models (by their bases, or the one
        `AUTH_USER_MODEL`-like knowledge names), models with personal fields, profiles
        (a one-to-one relation to one of these), and models named for a person (`Member`),
        except credit records (see `_credit_records`)."""
        people = self.knowledge.people
        out: set[str] = set()
        if self.user_model:
            out.add(self.user_model)
        library_users = {orm.user_model for orm in self.knowledge.orms if orm.user_model}
        # A model named for a group, a place or a thing (`Team`, `Venue`, `TeamContact`)
        # is none, whatever its fields (a team's account has an e-mail and a password),
        # unless it is a user model.
        groups = {q for q, schema in self.schemas.items()
                  if _names_group(_snake(schema.display), people)}
        by_name: set[str] = set()
        for q, schema in self.schemas.items():
            mro = self.project.mro(q) if q in self.project.classes else []
            if (q in library_users  # Django's auth User; not its Group or Permission
                    or any(b.rsplit(".", 1)[-1] in people.user_bases for b in mro[1:])
                    or (q not in groups and _personal_fields(schema, people))):
                out.add(q)
            elif q not in groups and _person_word(_snake(schema.display), people):
                by_name.add(q)
        out |= by_name - self._credit_records(by_name, out)
        changed = True
        while changed:  # a profile of a profile is still a person
            changed = False
            for q, schema in self.schemas.items():
                if q not in out and q not in groups and any(
                        schema.relations.get(r) in out for r in schema.one_to_one):
                    out.add(q)
                    changed = True
        return frozenset(out)

    def _credit_records(self, by_name: set[str], people_set: set[str]) -> set[str]:
        """Models named for a role held in something (`CastMember`, `ProjectMember`: two
        words or more, the last one of `group_roles`, none before it a person's) that are
        people only by that name: a printed name (`credit_fields`) and no other personal
        field, no
        project base that is a person, and no relation to a person either way (a foreign key,
        one-to-one or many-to-many to a person model or named for one, or a person model's
        relation to them). Such a record is a credit line (a name and a role on a
        production): its key links no account across contexts, so it is an object's."""
        people = self.knowledge.people
        tables = {s.table: q for q, s in self.schemas.items() if s.table}
        named = people_set | by_name
        pointed_at = {target for q in named for target in (
            *self.schemas[q].relations.values(), *self.schemas[q].reverse.values())}
        credits: set[str] = set()
        for q in by_name:
            schema = self.schemas[q]
            words = [w for w in _snake(schema.display).split("_") if w]
            if len(words) < 2 or words[-1] not in people.group_roles or \
                    any(_person_word(w, people) for w in words[:-1]):
                continue
            if q in pointed_at or any(
                    b in named for b in (self.project.mro(q)[1:]
                                         if q in self.project.classes else [])):
                continue
            names = {f.lower() for f in schema.field_names}
            if not names & people.credit_fields or any(
                    self.knowledge.is_personal(f) and f not in people.credit_fields
                    for f in names):
                continue  # no printed name (`ClubMember(nickname)`), or a contact field
            targets = [*schema.relations.values(), *schema.reverse.values()]
            if any(t in named for t in targets):
                continue
            if any(_person_word(r, people) for r in schema.relations) or any(
                    _person_word(n, people) for n, s in schema.serials.items()
                    if s.kind == "foreign key"):
                continue
            if any((tables.get(t) in named) if t in tables else _person_word(t, people)
                   for t in schema.fk_tables.values()):
                continue
            credits.add(q)
        return credits

    def _object_origins(self) -> frozenset[str]:
        """Origins (`Ticket.id`) of the serials that are no person's: not a person model's
        key, not a foreign key that points at a person (an origin shared by a person serial
        of a model of the same name stays a person's)."""
        people = self.knowledge.people
        tables = {s.table: q for q, s in self.schemas.items() if s.table}
        person: set[str] = set()
        other: set[str] = set()
        for q, schema in self.schemas.items():
            by_fk: dict[str, str] = {}
            for rel, target in schema.relations.items():
                by_fk[rel] = target
                by_fk[f"{rel}_id"] = target
            for name, serial in schema.serials.items():
                if serial.kind in ("primary key", "numbered column") or name in ("id", "pk"):
                    is_person = q in self.person_models
                elif name in by_fk:
                    is_person = by_fk[name] in self.person_models
                elif name in schema.fk_tables:
                    table = schema.fk_tables[name]
                    table_model = tables.get(table)
                    is_person = table_model in self.person_models if table_model else \
                        _person_word(table, people)
                else:
                    is_person = _person_word(name, people)
                (person if is_person else other).add(serial.origin)
        return frozenset(other - person)

    # ---------------------------------------------------------------- build

    def _join_tables(self) -> None:
        """The model of a many-to-many relation's implicit join table
        (`Photo.shared_to.through`): a record per pair, with its own key and a foreign key to
        each side, named for that side in lower case (`photo_id`, `user_id`)."""
        for owner, attr, target, spec in self._throughs:
            target_schema = self.schemas.get(target)
            if target_schema is None:
                continue
            qual = f"{owner.qualname}.{attr}.{spec.through_attribute}"
            join = Schema(qual, f"{owner.display}_{attr}", spec.name, pk_serial=True)
            join.serials["id"] = SerialField(f"{join.display}.id", "primary key", "high")
            for side in (owner, target_schema):
                rel = side.display.lower()
                join.relations[rel] = side.qualname
                join.field_names |= {rel, f"{rel}_id"}
                if side.pk_serial is not False:
                    join.serials[f"{rel}_id"] = SerialField(
                        f"{join.display}.{rel}_id", "foreign key", "high")
            join.field_names.add("id")
            self.schemas.setdefault(qual, join)

    def _link_backrefs(self) -> None:
        """The reverse side of each foreign key: `booking.tickets` holds Ticket records (a
        one-to-one relation's reverse side holds one record)."""
        for target, name, owner, single in self._backrefs:
            schema = self.schemas.get(target)
            if schema is None or owner not in self.schemas or name in schema.field_names:
                continue
            if single:
                schema.relations.setdefault(name, owner)
            else:
                schema.reverse.setdefault(name, owner)

    def _orm_for(self, mro: list[str]) -> OrmSpec | None:
        for q in mro:
            orm = self._model_bases.get(q)
            if orm is not None:
                return orm
        return None

    def _build(self, qualname: str) -> Schema | None:
        project = self.project
        mro = project.mro(qualname)
        orm = self._orm_for(mro)
        chain = [q for q in reversed(mro) if q in project.classes]
        ref = project.classes[qualname]
        schema = Schema(qualname, ref.cls.name, orm.name if orm else "")
        found_any = False
        for q in chain:
            cref = project.classes[q]
            module = project.module_names[cref.module.path]
            is_dataclass = any(_last(d).endswith("dataclass") or
                               (isinstance(d, ir.Call) and _last(d.func).endswith("dataclass"))
                               for d in cref.cls.decorators)
            for attr in cref.cls.attrs:
                found_any |= self._field(schema, orm, module, attr, is_dataclass)
        if not schema.orm and not found_any:
            return None
        if orm is not None and schema.pk_serial is None and any(
                q in orm.uuid_pk_bases for q in mro):
            schema.pk_serial = False
            schema.nonserial.add(orm.implicit_pk)
        if orm is not None and orm.implicit_pk and schema.pk_serial is None:
            schema.serials.setdefault(
                orm.implicit_pk,
                SerialField(f"{schema.display}.{orm.implicit_pk}", "primary key", "high"),
            )
            schema.pk_serial = True
        if orm is not None and orm.pk_alias:
            if schema.pk_serial:
                schema.serials[orm.pk_alias] = SerialField(
                    f"{schema.display}.{orm.pk_alias}", "primary key", "high"
                )
            else:
                schema.nonserial.add(orm.pk_alias)
        return schema

    def int_annotation(self, module: str, ann: ir.Expr, depth: int = 0) -> bool:
        """Whether an annotation written in `module` declares an integer: `int`, `int | None`,
        `Optional[int]`, `Annotated[int, ...]`, an alias of one of these
        (`PrimaryKey = Annotated[int, Field(gt=0)]`), `NewType("Id", int)` or a subclass of
        int defined in the project."""
        if isinstance(ann, ir.BinOp) and ann.op == "|":
            parts = [ann.left, ann.right]
            return any(self.int_annotation(module, p, depth) for p in parts) and all(
                _is_none(p) or self.int_annotation(module, p, depth) for p in parts)
        if isinstance(ann, ir.Subscript):
            head = _last(ann.value)
            args = _type_args(ann.key)
            if head in _WRAPPERS:
                return bool(args) and self.int_annotation(module, args[0], depth)
            if head == "Union":
                kept = [a for a in args if not _is_none(a)]
                return bool(kept) and all(self.int_annotation(module, a, depth) for a in kept)
            return False
        name = dotted_name(ann)
        if not name:
            return False
        if name.rsplit(".", 1)[-1] == "int":
            return True
        if depth >= _ALIAS_DEPTH:
            return False
        qual = self.project.resolve(module, name)
        ref = self.project.classes.get(qual)
        if ref is not None:  # class UserId(int)
            return any(self.int_annotation(ref.module.name, b, depth + 1)
                       for b in ref.cls.bases)
        found = self.module_global(qual) or self.module_global(f"{module}.{name}")
        if found is None:
            return False
        where, value = found
        if isinstance(value, ir.Call) and _last(value.func) == "NewType":
            args = _positional(value)
            return len(args) == 2 and self.int_annotation(where, args[1], depth + 1)
        return self.int_annotation(where, value, depth + 1)

    def module_global(self, qual: str) -> tuple[str, ir.Expr] | None:
        """The module and value of a module-level `NAME = value` that `qual` names."""
        module, _, attr = qual.rpartition(".")
        if module not in self.project.modules or not attr:
            return None
        body = self.project.module_body(module)
        for stmt in body or ():
            if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and \
                    isinstance(stmt.targets[0], ir.NameT) and stmt.targets[0].id == attr:
                return module, stmt.value
        return None

    def _field(self, schema: Schema, orm: OrmSpec | None, module: str, attr: ir.ClassAttr,
               is_dataclass: bool) -> bool:
        """Record what one class attribute declares; True if it is a model field."""
        name, value, ann = attr.name, attr.value, attr.annotation
        schema.field_names.add(name)
        if name == "__tablename__" and isinstance(value, ir.Const) and \
                isinstance(value.value, str):
            schema.table = value.value
        display = f"{schema.display}.{name}"
        orms = [orm] if orm is not None else list(self.knowledge.orms)
        if isinstance(value, ir.Call):
            fname = _last(value.func)
            for spec in orms:
                if self._orm_field(schema, spec, module, name, value, ann, fname):
                    if not schema.orm:
                        schema.orm = spec.name
                    return True
            pk_words = {k for spec in orms for k in spec.pk_keywords}
            if any(_is_true(_kw(value, (k,))) for k in pk_words) and ann is not None and \
                    self.int_annotation(module, ann):
                # SQLModel's `id: int | None = Field(default=None, primary_key=True)`: the
                # database allocates an integer key, a serial like any auto-increment column
                schema.serials[name] = SerialField(display, "primary key", "high")
                schema.pk_serial = True
                schema.nonserial.discard(name)
                return True
            if any(_is_true(_kw(value, (k,))) for k in pk_words):
                # UUIDField(primary_key=True), CharField(primary_key=True), ...
                schema.pk_serial = False
                schema.nonserial.add(name)
                schema.serials.pop(name, None)  # overrides a base class's integer key
                return True
        if name in self.knowledge.serial_attributes:
            schema.serials[name] = SerialField(display, "serial field", "high")
            return True
        annotated = (orm is not None and orm.annotated_serials) or is_dataclass
        if annotated and ann is not None and (name == "id" or name.endswith("_id")) and \
                self.int_annotation(module, ann):
            kind = "primary key" if name == "id" else "foreign key"
            schema.serials[name] = SerialField(display, kind, "medium")
            return True
        return False

    def _orm_field(self, schema: Schema, spec: OrmSpec, module: str, name: str, call: ir.Call,
                   ann: ir.Expr | None, fname: str) -> bool:
        display = f"{schema.display}.{name}"
        is_pk = any(_is_true(_kw(call, (k,))) for k in spec.pk_keywords)
        if fname in spec.serial_fields:
            schema.serials[name] = SerialField(display, "primary key", "high")
            schema.pk_serial = True
            return True
        if fname in spec.integer_fields and is_pk:
            schema.serials[name] = SerialField(display, "primary key", "high")
            schema.pk_serial = True
            return True
        if fname in spec.integer_fields and self._numbered_default(spec, module, call):
            schema.serials[name] = SerialField(display, "numbered column", "high")
            return True
        if fname in spec.foreign_keys:
            args = _positional(call)
            target_expr = args[0] if args else _kw(call, ("to", "model_name", "model"))
            target = self.target_class(module, target_expr, schema.qualname)
            if target:
                schema.relations[name] = target
            if fname in self.knowledge.people.profile_fields:
                schema.one_to_one.add(name)
            if target:
                self._backref(spec, call, target, schema, name in schema.one_to_one)
            fk_attr = f"{name}{spec.fk_suffix}" if spec.fk_suffix else name
            target_schema = self.schemas.get(target) if target else None
            if target_schema is None or target_schema.pk_serial is not False:
                confidence = "high" if target_schema else "medium"
                schema.serials[fk_attr] = SerialField(
                    f"{schema.display}.{fk_attr}", "foreign key", confidence
                )
                if target and target_schema is None:
                    # the target is built later: its key decides once every model is known
                    self._pending_fks.append((schema, fk_attr, target))
            if is_pk:
                schema.pk_serial = fk_attr in schema.serials
            return True
        if fname in spec.column_fields:
            args = _positional(call)
            fk = any(isinstance(a, ir.Call) and _last(a.func) in spec.foreign_key_markers
                     for a in args)
            type_names = [_last(a.func) if isinstance(a, ir.Call) else _last(a) for a in args]
            integer: bool | None = None
            if any(t in spec.integer_types for t in type_names):
                integer = True
            elif any(t and t not in spec.foreign_key_markers and t not in spec.sequence_markers
                     for t in type_names):
                integer = False
            if integer is None:
                integer = _mentions_int(ann)
            if is_pk:
                if integer is False:
                    schema.pk_serial = False
                    schema.nonserial.add(name)
                    schema.serials.pop(name, None)  # overrides a base class's integer key
                else:
                    conf = "high" if integer else "medium"
                    schema.serials[name] = SerialField(display, "primary key", conf)
                    schema.pk_serial = True
            elif integer is not False and any(
                    isinstance(a, ir.Call) and _last(a.func) in spec.sequence_markers
                    for a in args):
                # `Column(Integer, Identity(), unique=True)`: numbered by the database, the
                # record's own number like its key
                schema.serials[name] = SerialField(display, "numbered column", "high")
            elif fk and integer is not False:
                schema.serials[name] = SerialField(display, "foreign key", "high")
                for a in args:
                    if isinstance(a, ir.Call) and _last(a.func) in spec.foreign_key_markers:
                        first = _positional(a)[:1]
                        if first and isinstance(first[0], ir.Const) and \
                                isinstance(first[0].value, str):
                            schema.fk_tables[name] = first[0].value.split(".")[0]
            return True
        if fname in spec.relationships:
            args = _positional(call)
            target = self.target_class(module, args[0] if args else None, schema.qualname)
            if target:
                schema.relations[name] = target
                if fname in spec.manager_relationships:
                    schema.managers.add(name)
                self._backref(spec, call, target, schema, False)
                # SQLAlchemy's `relationship("Member", backref="team")`: each Member has a team
                back = _kw(call, ("backref",))
                if isinstance(back, ir.Call):  # backref("team", lazy="joined")
                    back = next(iter(_positional(back)), None)
                if isinstance(back, ir.Const) and isinstance(back.value, str) and \
                        back.value.isidentifier():
                    self._backrefs.append((target, back.value, schema.qualname, True))
                if spec.through_attribute and target != schema.qualname and \
                        (not spec.through_keyword or
                         _kw(call, (spec.through_keyword,)) is None):
                    self._throughs.append((schema, name, target, spec))
            return True
        return False

    def _numbered_default(self, spec: OrmSpec, module: str, call: ir.Call) -> bool:
        """Whether the column's default is a project function that draws the value from a
        database sequence (its SQL text: `SELECT nextval('order_number_seq')`)."""
        if not spec.default_keywords or not spec.sequence_sql:
            return False
        given = _kw(call, spec.default_keywords)
        name = dotted_name(given) if given is not None else None
        ref = self.project.functions.get(self.project.resolve(module, name)) if name else None
        if ref is None:
            return False
        return any(marker in text.lower() for text in _strings(self.project.body(ref))
                   for marker in spec.sequence_sql)

    def _backref(self, spec: OrmSpec, call: ir.Call, target: str, schema: Schema,
                 single: bool) -> None:
        """Note the attribute by which `target`'s records reach back to `schema`'s."""
        if not spec.related_name_keywords:
            return
        given = _kw(call, spec.related_name_keywords)
        if given is None:
            if not spec.reverse_suffix:
                return
            name = schema.display.lower() + ("" if single else spec.reverse_suffix)
        elif isinstance(given, ir.Const) and isinstance(given.value, str):
            name = given.value
        else:
            return
        # "+" declares no reverse side; "%(class)s" templates of abstract bases are not names
        if name.isidentifier():
            self._backrefs.append((target, name, schema.qualname, single))


def _strings(node: object, depth: int = 0) -> list[str]:
    """The string constants in a function body's facts (bounded depth)."""
    if depth > 30:
        return []
    if isinstance(node, ir.Const):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, (tuple, list)):
        return [s for item in node for s in _strings(item, depth + 1)]
    out: list[str] = []
    for slot in getattr(node, "__slots__", ()):
        value = getattr(node, slot, None)
        if isinstance(value, (tuple, list)) or hasattr(value, "__slots__"):
            out += _strings(value, depth + 1)
    return out
