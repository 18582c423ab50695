"""Whether one pass over a flattened body gives what two passes give.

The solver is flow-insensitive inside a function: a local name holds the join of everything
assigned to it anywhere in the body. It gets there by walking the body twice, the first time
only to collect assignments, so that a read sees assignments that come after it in the text
(loop bodies, which the IR flattens). Most bodies never read a name before its last
assignment; for them the first pass changes nothing and is skipped, which halves the cost of
evaluating them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from idlint.analysis import ir

# Method calls that put their arguments into the receiver (`ids.append(m.id)`); the solver
# treats them as assignments to the receiver.
MUTATORS = frozenset({"append", "extend", "add", "update", "insert", "setdefault",
                      "appendleft", "__setitem__"})


def mutation_receiver(expr: ir.Expr) -> str | None:
    """The local name a call like `ids.append(m.id)` puts its arguments into, if it is one.
    A container nested in a local one is the local one (`groups[k].append(v)`,
    `groups.setdefault(k, []).append(v)`): what goes into the inner list is read back through
    the outer container."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in MUTATORS:
        return _container_root(expr.func.value)
    return None


def _container_root(expr: ir.Expr) -> str | None:
    while True:
        if isinstance(expr, ir.Name):
            return expr.id
        if isinstance(expr, ir.Subscript):
            expr = expr.value
        elif (isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr)
              and expr.func.attr == "setdefault"):
            expr = expr.func.value
        else:
            return None


def _inner_reads(expr: ir.Expr, u: _Uses) -> None:
    """What the path from a mutated container down to the nested one reads (its keys and
    `setdefault` arguments), the container itself aside."""
    while not isinstance(expr, ir.Name):
        if isinstance(expr, ir.Subscript):
            _expr(expr.key, u, frozenset())
            expr = expr.value
        elif isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
            for arg in expr.args:
                _expr(arg.value, u, frozenset())
            expr = expr.func.value
        else:
            return


@dataclass(slots=True)
class _Uses:
    reads: set[str] = field(default_factory=set)
    # reads whose value only joins into the same name (`x += v`, `ids.append(v)`, `d[k] = v`)
    self_reads: set[str] = field(default_factory=set)
    # names read inside a comprehension that binds them, before the read
    bound_reads: set[str] = field(default_factory=set)
    # how many times each name is assigned (read with .get: a read must not add a name);
    # a defaultdict, not a Counter, which costs a Python call to build for every statement
    assigned: defaultdict[str, int] = field(default_factory=partial(defaultdict, int))
    comp_bound: defaultdict[str, int] = field(default_factory=partial(defaultdict, int))
    # binds what the names above do not tell: a lambda's parameter (`map(lambda m: ...)`),
    # a container reached through an attribute (`obj.data["k"] = v`)
    hidden: bool = False


def statement_uses(body: tuple[ir.Stmt, ...]) -> list[_Uses]:
    """What each statement reads and assigns: worked out once per body by the extractor,
    which asks several questions of it (`one_pass`, `assigned`)."""
    return [_statement(stmt) for stmt in body]


def assigned(uses: list[_Uses]) -> list[frozenset[str]]:
    """The names each statement assigns."""
    return [frozenset(u.assigned) for u in uses]


def one_pass(body: tuple[ir.Stmt, ...], uses: list[_Uses] | None = None) -> bool:
    """True when no statement reads a local name that the same or a later statement assigns
    (reads that only feed the name itself, and comprehension variables read after their own
    binding, excepted)."""
    if uses is None:
        uses = statement_uses(body)
    later: set[str] = set()
    for u in reversed(uses):
        here = set(u.assigned)
        if u.reads & (here | later):
            return False
        if u.self_reads & later:
            return False
        for name in u.bound_reads:
            if name in later or u.assigned.get(name, 0) != 1 or u.comp_bound.get(name, 0) != 1:
                return False
        later |= here
    return True


def first_pass(body: tuple[ir.Stmt, ...]) -> tuple[ir.Stmt, ...]:
    """The statements the first of two passes over a body must evaluate: those that assign
    a name some statement reads before (or where) it is last assigned, and what those read,
    transitively. Every other name is read only after all its assignments, in the second
    pass, which evaluates them again with at least what the first pass knew; and the first
    pass records no flow, return or parameter sink."""
    uses = [_statement(stmt) for stmt in body]
    need: set[str] = set()
    later: set[str] = set()
    for u in reversed(uses):
        here = set(u.assigned)
        need |= u.reads & (here | later)
        need |= u.self_reads & later
        need |= {name for name in u.bound_reads
                 if name in later or u.assigned.get(name, 0) != 1 or
                 u.comp_bound.get(name, 0) != 1}
        later |= here
    keep = [u.hidden for u in uses]
    pending = [i for i, u in enumerate(uses) if u.hidden]
    while True:
        for i in pending:
            u = uses[i]
            need |= u.reads | u.self_reads | u.bound_reads
        pending = [i for i, u in enumerate(uses) if not keep[i] and not need.isdisjoint(
            u.assigned)]
        if not pending:
            break
        for i in pending:
            keep[i] = True
    return tuple(stmt for stmt, kept in zip(body, keep, strict=True) if kept)


def names(stmt: ir.Stmt) -> tuple[set[str], set[str]]:
    """The names a statement reads and the names it assigns."""
    u = _statement(stmt)
    return u.reads | u.self_reads | u.bound_reads, set(u.assigned)


def _statement(stmt: ir.Stmt) -> _Uses:
    u = _Uses()
    if isinstance(stmt, ir.Assign):
        _expr(stmt.value, u, frozenset())
        if stmt.annotation is not None:
            _expr(stmt.annotation, u, frozenset())
        for target in stmt.targets:
            _target(target, u)
    elif isinstance(stmt, ir.AugAssign):
        _expr(stmt.value, u, frozenset())
        if isinstance(stmt.target, ir.NameT):
            u.self_reads.add(stmt.target.id)
            u.assigned[stmt.target.id] += 1
        else:
            _target(stmt.target, u)
    elif isinstance(stmt, ir.ExprStmt):
        receiver = mutation_receiver(stmt.value)
        if receiver is not None and isinstance(stmt.value, ir.Call):
            u.self_reads.add(receiver)
            u.assigned[receiver] += 1
            if isinstance(stmt.value.func, ir.Attr):
                _inner_reads(stmt.value.func.value, u)
            for arg in stmt.value.args:
                _expr(arg.value, u, frozenset())
        else:
            _expr(stmt.value, u, frozenset())
    elif isinstance(stmt, ir.Return):
        if stmt.value is not None:
            _expr(stmt.value, u, frozenset())
    elif isinstance(stmt, ir.For):
        _expr(stmt.iter, u, frozenset())
        _target(stmt.target, u)
    elif isinstance(stmt, ir.Guard):
        _expr(stmt.test, u, frozenset())
    u.self_reads -= u.reads
    return u


def _target(target: ir.Target, u: _Uses) -> None:
    if isinstance(target, ir.NameT):
        u.assigned[target.id] += 1
    elif isinstance(target, ir.TupleT):
        for elt in target.elts:
            _target(elt, u)
    elif isinstance(target, ir.SubT):
        if isinstance(target.value, ir.Name):
            # `d[k] = v` joins v into d; reading d here only decides whether it is a header map
            u.self_reads.add(target.value.id)
            u.assigned[target.value.id] += 1
        else:
            u.hidden = True
            _expr(target.value, u, frozenset())
        if target.key is not None:
            _expr(target.key, u, frozenset())
    elif isinstance(target, ir.AttrT):
        _expr(target.value, u, frozenset())


def _names(target: ir.Target) -> set[str]:
    if isinstance(target, ir.NameT):
        return {target.id}
    if isinstance(target, ir.TupleT):
        return {n for elt in target.elts for n in _names(elt)}
    return set()


def _expr(expr: ir.Expr | None, u: _Uses, bound: frozenset[str]) -> None:
    if expr is None:
        return
    if isinstance(expr, ir.Name):
        (u.bound_reads if expr.id in bound else u.reads).add(expr.id)
    elif isinstance(expr, ir.Attr):
        _expr(expr.value, u, bound)
    elif isinstance(expr, ir.Call):
        _expr(expr.func, u, bound)
        for arg in expr.args:
            _expr(arg.value, u, bound)
    elif isinstance(expr, ir.Subscript):
        _expr(expr.value, u, bound)
        _expr(expr.key, u, bound)
    elif isinstance(expr, (ir.Compose, ir.Union_)):
        for part in expr.parts:
            _expr(part, u, bound)
    elif isinstance(expr, ir.Container):
        for key, value in expr.items:
            _expr(key, u, bound)
            _expr(value, u, bound)
    elif isinstance(expr, ir.BinOp):
        _expr(expr.left, u, bound)
        _expr(expr.right, u, bound)
    elif isinstance(expr, ir.Lambda):
        u.hidden = True
        _expr(expr.body, u, bound)
    elif isinstance(expr, ir.Comp):
        inner = set(bound)
        for target, it in expr.generators:
            _expr(it, u, frozenset(inner))
            names = _names(target)
            for name in names:
                u.assigned[name] += 1
                u.comp_bound[name] += 1
            _target_reads(target, u, frozenset(inner))
            inner |= names
        _expr(expr.elt, u, frozenset(inner))
        _expr(expr.key, u, frozenset(inner))


def _target_reads(target: ir.Target, u: _Uses, bound: frozenset[str]) -> None:
    """What a comprehension target other than a plain name reads and assigns
    (`for x.a in ...`, `for d[k] in ...`: legal, if rare)."""
    if isinstance(target, ir.TupleT):
        for elt in target.elts:
            _target_reads(elt, u, bound)
    elif isinstance(target, ir.AttrT):
        _expr(target.value, u, bound)
    elif isinstance(target, ir.SubT):
        _expr(target.value, u, bound)
        if isinstance(target.value, ir.Name):
            u.assigned[target.value.id] += 1
