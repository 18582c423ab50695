"""The compact per-file facts the extractor produces and the solver consumes.

Nothing here refers to libcst: facts cross process boundaries and live in the cache, so they
are small picklable frozen dataclasses. Every expression that may appear in a finding or a
trace carries `node`, its index in the extractor's walk order; positions are resolved from
that index only for the few files that have findings (see locate.py), because computing
positions for every node costs about as much as parsing.
"""

from __future__ import annotations

import operator
import pickle
from dataclasses import dataclass, replace

from idlint.analysis.compact import Compact


class _Fact(Compact):
    """Base of every fact (pickled compactly, see compact.py)."""

    __slots__ = ()


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Name(_Fact):
    id: str
    node: int


@dataclass(frozen=True, slots=True)
class Attr(_Fact):
    value: Expr
    attr: str
    node: int


@dataclass(frozen=True, slots=True)
class Arg(_Fact):
    keyword: str | None  # None for positional
    value: Expr
    star: str = ""  # "", "*" or "**"


@dataclass(frozen=True, slots=True)
class Call(_Fact):
    func: Expr
    args: tuple[Arg, ...]
    node: int


@dataclass(frozen=True, slots=True)
class Subscript(_Fact):
    value: Expr
    key: Expr | None  # None for slices
    node: int


@dataclass(frozen=True, slots=True)
class Const(_Fact):
    value: str | bytes | int | float | bool | None
    node: int


@dataclass(frozen=True, slots=True)
class Compose(_Fact):
    """String building: f-strings, `%` formatting, implicit concatenation with f-strings.

    `literal` is the constant text of the template; whether it reads as prose (has
    whitespace) or as an identifier decides between IDL001 and IDL002."""

    kind: str  # "fstring" | "percent"
    literal: str
    parts: tuple[Expr, ...]
    node: int


@dataclass(frozen=True, slots=True)
class Container(_Fact):
    kind: str  # "dict" | "list" | "tuple" | "set"
    items: tuple[tuple[Expr | None, Expr], ...]  # (key, value); key None for non-dicts and **spread
    node: int


@dataclass(frozen=True, slots=True)
class BinOp(_Fact):
    op: str  # "+", "-", "*", "^", "|", "&", "<<", ">>", "/", "//", "**", "@"
    left: Expr
    right: Expr
    node: int


@dataclass(frozen=True, slots=True)
class Comp(_Fact):
    """A comprehension; for dict comprehensions `key` is set."""

    kind: str  # "list" | "set" | "dict" | "gen"
    key: Expr | None
    elt: Expr
    generators: tuple[tuple[Target, Expr], ...]
    node: int


@dataclass(frozen=True, slots=True)
class Union_(_Fact):
    """A value that is any of its parts (`a or b`, `x if c else y`, unary minus)."""

    parts: tuple[Expr, ...]
    node: int


@dataclass(frozen=True, slots=True)
class Lambda(_Fact):
    params: tuple[str, ...]
    body: Expr
    node: int


Expr = (
    Name | Attr | Call | Subscript | Const | Compose | Container | BinOp | Comp | Union_ | Lambda
)

# -------------------------------------------------------------------- targets


@dataclass(frozen=True, slots=True)
class NameT(_Fact):
    id: str


@dataclass(frozen=True, slots=True)
class AttrT(_Fact):
    value: Expr
    attr: str
    node: int


@dataclass(frozen=True, slots=True)
class SubT(_Fact):
    value: Expr
    key: Expr | None
    node: int


@dataclass(frozen=True, slots=True)
class TupleT(_Fact):
    elts: tuple[Target, ...]


Target = NameT | AttrT | SubT | TupleT

# ----------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Assign(_Fact):
    targets: tuple[Target, ...]
    value: Expr
    annotation: Expr | None = None


@dataclass(frozen=True, slots=True)
class AugAssign(_Fact):
    target: Target
    op: str
    value: Expr


@dataclass(frozen=True, slots=True)
class ExprStmt(_Fact):
    value: Expr
    raised: bool = False  # `raise value`


@dataclass(frozen=True, slots=True)
class Return(_Fact):
    value: Expr | None
    node: int  # the `return` statement
    is_yield: bool = False
    # (name, truthy) of the enclosing `if name:` / `if not name:` / `else:` tests: a return
    # under `if admin:` does not run for a call that leaves `admin=False` at its default
    guards: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class For(_Fact):
    target: Target
    iter: Expr


@dataclass(frozen=True, slots=True)
class Guard(_Fact):
    """A check the rest of the function runs only after: an `if` at the top level of the
    body (not under another if, loop, try or match) whose branch refuses (`if not
    rec.can_edit(user): raise ...`, `if rec.owner_id != me.id: return errors`). `test` is
    what holds after it (`rec.owner_id == me.id`, `rec.can_edit(user)`); `denial` how the
    branch refuses, as in Function.entry_checks ("raise", "call:<callee>", "return:...").
    Denial "branch": the first statement of the body of `if rec.owner == me:` (any depth),
    holding until the GuardEnd of its test's node."""

    test: Expr
    denial: str


@dataclass(frozen=True, slots=True)
class GuardEnd(_Fact):
    """The end of the body of `if rec.owner == me:`, which starts with a Guard of denial
    "branch" and the same `node` as its test: what that Guard made of the names in its test
    ends here (the IR flattens the branch and its else)."""

    node: int


Stmt = Assign | AugAssign | ExprStmt | Return | For | Guard | GuardEnd

# ---------------------------------------------------------------- definitions


@dataclass(frozen=True, slots=True)
class Param(_Fact):
    name: str
    annotation: Expr | None
    default: Expr | None
    kind: str  # "pos" | "kwonly" | "*" | "**"


@dataclass(frozen=True, slots=True)
class Function(_Fact):
    qualname: str  # within the module: "f", "C.m", "f.<locals>.g"
    name: str
    params: tuple[Param, ...]
    decorators: tuple[Expr, ...]
    returns: Expr | None
    body: tuple[Stmt, ...]  # flattened: the analysis is flow-insensitive inside a function
    class_name: str | None  # qualname of the enclosing class for methods
    node: int  # the function's name
    is_async: bool = False
    # last names of everything called, and what items are assigned into ("name:response"
    # for `response[k] = v`, "attr:headers" for `r.headers[k] = v`, "?" for anything else):
    # lets the solver tell code that can report without walking its IR again
    calls: frozenset[str] = frozenset()
    subscript_bases: frozenset[str] = frozenset()
    # attributes assigned: "name" for `x.name = ...`, "self.name" for `self.name = ...`; the
    # solver evaluates a function that stores an attribute only once some code it evaluates
    # reads that attribute
    stores: frozenset[str] = frozenset()
    # no statement reads a name that it or a later statement assigns: the solver's first pass
    # over the body would change nothing (see order.py)
    one_pass: bool = False
    # has a `try` with `except` clauses: what the functions it calls raise may be caught
    catches: bool = False
    # (name, i): from the body's statement i on, only statements at the top level of the
    # function (not under an if, loop, try or match) assign the local name: the solver lets
    # each of those assignments replace the name's value
    strong: tuple[tuple[str, int], ...] = ()
    # local names statements inside a loop assign: only their reads may see what a later
    # statement assigns; the solver's second pass reads the others in the order of the text
    looped: frozenset[str] = frozenset()
    # the `if <test>: <deny>` statements the body starts with: (how it denies, *the names
    # and constants of the check the test wants passed); see extract._entry_checks
    entry_checks: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class ClassAttr(_Fact):
    name: str
    value: Expr | None
    annotation: Expr | None
    node: int


@dataclass(frozen=True, slots=True)
class Class(_Fact):
    qualname: str
    name: str
    bases: tuple[Expr, ...]
    keywords: tuple[Arg, ...]
    decorators: tuple[Expr, ...]
    attrs: tuple[ClassAttr, ...]
    methods: tuple[str, ...]  # method names; the functions are in Module.functions
    node: int


@dataclass(frozen=True, slots=True)
class SuppressionComment(_Fact):
    line: int
    column: int  # 1-based column of the `#`
    codes: tuple[str, ...]  # empty for a bare `# idlint: ignore`
    reason: str


@dataclass(frozen=True, slots=True)
class Module(_Fact):
    path: str  # relative POSIX path
    name: str  # dotted module name
    is_package: bool
    imports: tuple[tuple[str, str], ...]  # local name -> qualified name
    functions: tuple[Function, ...]  # includes "<module>" for the top-level statements
    classes: tuple[Class, ...]
    suppressions: tuple[SuppressionComment, ...]
    node_count: int
    line_count: int
    # With `packed`, every function's body is empty here and each body is a pickle of its
    # own (in the order of `functions`): loading facts then costs a fraction of building
    # every body object, a solve unpickles only the functions it evaluates, and an edit can
    # be narrowed to the functions whose pickles differ.
    packed: tuple[bytes, ...] | None = None

    def function(self, qualname: str) -> Function | None:
        for fn in self.functions:
            if fn.qualname == qualname:
                return fn
        return None


MODULE_BODY = "<module>"


def pack_bodies(module: Module) -> Module:
    if module.packed is not None:
        return module
    packed = tuple(pickle.dumps(fn.body, protocol=pickle.HIGHEST_PROTOCOL)
                   for fn in module.functions)
    return replace(module, packed=packed,
                   functions=tuple(_without_body(fn) for fn in module.functions))


# (dataclasses.replace looks the fields up again for every function: a tenth of a file's
# extraction went into it)
_FUNCTION_VALUES = operator.attrgetter(*Function.__slots__)
_BODY = Function.__slots__.index("body")


def _without_body(fn: Function) -> Function:
    values = _FUNCTION_VALUES(fn)
    return Function(*values[:_BODY], (), *values[_BODY + 1:])  # type: ignore[call-arg]


def unpack_body(module: Module, index: int) -> tuple[Stmt, ...]:
    """The body of `module.functions[index]`."""
    if module.packed is None:
        return module.functions[index].body
    if len(module.packed) != len(module.functions):
        raise ValueError(f"corrupt packed bodies in {module.path}")
    body = pickle.loads(module.packed[index])
    if not isinstance(body, tuple):
        raise ValueError(f"corrupt packed body in {module.path}")
    return body


def expressions_in(items: tuple[object, ...]) -> list[Expr]:
    """Every expression in statements or expressions, at any depth (iterative: a deep body
    cannot exhaust the stack)."""
    out: list[Expr] = []
    stack: list[object] = list(items)
    while stack:
        item = stack.pop()
        if isinstance(item, (tuple, list)):
            stack.extend(item)
            continue
        slots = getattr(item, "__slots__", None)
        if not slots:
            continue
        if isinstance(item, (Name, Attr, Call, Subscript, Container, BinOp, Lambda, Compose,
                             Comp, Union_, Const)):
            out.append(item)
        for slot in slots:
            value = getattr(item, slot, None)
            if isinstance(value, (tuple, list)) or hasattr(value, "__slots__"):
                stack.append(value)
    return out
