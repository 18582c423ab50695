"""One top-down pass over a libcst tree that produces the file's facts (ir.Module).

It is a hand-written converter rather than a CSTVisitor: it descends only into statements and
expressions, never into whitespace, parentheses or comments, and it uses no metadata
providers. Names are resolved later from the module's own import table. In *locate* mode the
same pass also records which CST node each IR index stands for, so positions can be computed
for the few files that end up in a finding, using exactly the same numbering.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from idlint.analysis import ir
from idlint.analysis.order import assigned, one_pass, statement_uses

_BINOPS: dict[type, str] = {
    cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/",
    cst.FloorDivide: "//", cst.Modulo: "%", cst.Power: "**", cst.LeftShift: "<<",
    cst.RightShift: ">>", cst.BitOr: "|", cst.BitAnd: "&", cst.BitXor: "^",
    cst.MatrixMultiply: "@",
}
# Node classes told apart by their exact type first (see Extractor._expr).
_NUMBERS = (cst.Integer, cst.Float, cst.Imaginary)
_SEQUENCES = (cst.List, cst.Tuple, cst.Set)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_TRIES = (cst.Try, cst.TryStar)
# statements that hold others (told apart by exact type: see _NUMBERS)
_COMPOUND = frozenset({cst.If, cst.For, cst.While, cst.Try, cst.TryStar, cst.Match})
_EQUALITY = (cst.Equal, cst.Is)
_AUG_OPS: dict[type, str] = {
    cst.AddAssign: "+", cst.SubtractAssign: "-", cst.MultiplyAssign: "*",
    cst.DivideAssign: "/", cst.FloorDivideAssign: "//", cst.ModuloAssign: "%",
    cst.PowerAssign: "**", cst.LeftShiftAssign: "<<", cst.RightShiftAssign: ">>",
    cst.BitOrAssign: "|", cst.BitAndAssign: "&", cst.BitXorAssign: "^",
    cst.MatrixMultiplyAssign: "@",
}


def dotted(node: cst.BaseExpression) -> str | None:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: max(0, len(parts) - (level - 1))]
    if name:
        parts.append(name)
    return ".".join(parts)


def _flag_test(test: cst.BaseExpression) -> tuple[str, bool] | None:
    """`if admin:` -> ("admin", True), `if not admin:` -> ("admin", False)."""
    if type(test) is cst.Name:
        return test.value, True
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not and \
            type(test.expression) is cst.Name:
        return test.expression.value, False
    return None


class _FunctionScope:
    __slots__ = ("body", "calls", "catches", "depth", "guards", "loops", "nested", "qualname",
                 "stores", "subscripts", "weak")

    def __init__(self, qualname: str) -> None:
        self.qualname = qualname
        self.body: list[ir.Stmt] = []
        self.guards: list[tuple[str, bool]] = []
        self.calls: set[str] = set()
        self.stores: set[str] = set()
        self.subscripts: set[str] = set()  # see ir.Function.subscript_bases
        self.catches = False
        # (start, end) of the statements of `body` under an if, loop, try or match: they may
        # run zero or many times
        self.nested: list[tuple[int, int]] = []
        self.loops: list[tuple[int, int]] = []  # the same, for loops only
        # names bound where the binding may not run or run again (walrus, comprehensions)
        self.weak: set[str] = set()
        self.depth = 0  # how many ifs, loops, tries and matches the statement is under

    def looped(self, assigns: list[frozenset[str]]) -> frozenset[str]:
        """The names statements in a loop assign (`assigns`: what each statement of the body
        assigns): a read may see what a later statement assigned (in the previous
        iteration)."""
        return frozenset(name for start, end in self.loops for names in assigns[start:end]
                         for name in names)

    def strong(self, assigns: list[frozenset[str]]) -> tuple[tuple[str, int], ...]:
        """(name, i): from statement i on, only statements at the function's top level assign
        the name, once each time the function runs; each of those assignments replaces what
        the name held (`_, key = decode(key)`: the reads before it see the argument)."""
        inner = {i for start, end in self.nested for i in range(start, end)}
        last_nested: dict[str, int] = {}
        top: dict[str, list[int]] = {}
        for i, names in enumerate(assigns):
            for name in names:
                if i in inner:
                    last_nested[name] = i
                else:
                    top.setdefault(name, []).append(i)
        out = []
        for name, indices in top.items():
            after = [i for i in indices if i > last_nested.get(name, -1)]
            if after and name not in self.weak:
                out.append((name, after[0]))
        return tuple(sorted(out))


class Extractor:
    def __init__(self, path: str, module: str, is_package: bool, locate: bool = False) -> None:
        self.path = path
        self.module = module
        self.is_package = is_package
        self.locate = locate
        self.count = 0
        # locate mode only: CST node and enclosing statement for each index
        self.nodes: list[cst.CSTNode] = []
        self.stmts: list[cst.CSTNode | None] = []
        self._stmt: cst.CSTNode | None = None
        self.imports: dict[str, str] = {}
        self.functions: list[ir.Function] = []
        self.classes: list[ir.Class] = []
        self._scope = _FunctionScope(ir.MODULE_BODY)

    # ------------------------------------------------------------- bookkeeping

    def _idx(self, node: cst.CSTNode) -> int:
        i = self.count
        self.count += 1
        if self.locate:
            self.nodes.append(node)
            self.stmts.append(self._stmt)
        return i

    # ---------------------------------------------------------------- module

    def run(self, tree: cst.Module) -> tuple[dict[str, str], list[ir.Function], list[ir.Class]]:
        self._block(tree.body, class_scope=None)
        self.functions.append(
            ir.Function(
                qualname=ir.MODULE_BODY, name=ir.MODULE_BODY, params=(), decorators=(),
                returns=None, body=tuple(self._scope.body), class_name=None, node=-1,
                one_pass=one_pass(tuple(self._scope.body)),
            )
        )
        return self.imports, self.functions, self.classes

    # ------------------------------------------------------------- statements

    def _block(self, stmts: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement],
               class_scope: _ClassBuilder | None) -> None:
        for stmt in stmts:
            self._statement(stmt, class_scope)

    def _suite(self, suite: cst.BaseSuite, class_scope: _ClassBuilder | None = None) -> None:
        if isinstance(suite, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            self._block(suite.body, class_scope)

    def _statement(self, stmt: cst.CSTNode, class_scope: _ClassBuilder | None) -> None:
        if type(stmt) is cst.SimpleStatementLine:
            if self.locate:
                self._stmt = stmt
            for small in stmt.body:
                self._small(small, class_scope)
            return
        if self.locate and not isinstance(stmt, cst.BaseSmallStatement):
            self._stmt = stmt
        if type(stmt) in _COMPOUND:
            scope = self._scope
            start = len(scope.body)
            scope.depth += 1
            self._compound(stmt, class_scope)
            scope.depth -= 1
            scope.nested.append((start, len(scope.body)))
            if type(stmt) is cst.For or type(stmt) is cst.While:
                scope.loops.append((start, len(scope.body)))
            if type(stmt) is cst.If and scope.depth == 0 and class_scope is None and \
                    scope.qualname != ir.MODULE_BODY:
                self._guards(stmt)
        else:
            self._compound(stmt, class_scope)

    def _compound(self, stmt: cst.CSTNode, class_scope: _ClassBuilder | None) -> None:
        # (the exact types first: a failed isinstance of an abstract node class runs Python)
        if type(stmt) is cst.FunctionDef:
            self._function(stmt, class_scope)
        elif type(stmt) is cst.ClassDef:
            self._class(stmt)
        elif type(stmt) is cst.If:
            self._walrus_scan(stmt.test)
            guard = _flag_test(stmt.test)
            guards = self._scope.guards
            if guard is not None:
                guards.append(guard)
            held = self._branch_guards(stmt.test) \
                if class_scope is None and self._scope.qualname != ir.MODULE_BODY else []
            self._scope.body.extend(ir.Guard(test, "branch") for test in held)
            self._suite(stmt.body, class_scope)
            self._scope.body.extend(ir.GuardEnd(test.node) for test in reversed(held))
            if guard is not None:
                guards[-1] = (guard[0], not guard[1])  # the else branch and elif chain
            orelse = stmt.orelse
            if type(orelse) is cst.If:
                self._statement(orelse, class_scope)
            elif type(orelse) is cst.Else:
                self._suite(orelse.body, class_scope)
            if guard is not None:
                guards.pop()
        elif type(stmt) is cst.For:
            self._scope.body.append(ir.For(self._target(stmt.target), self._expr(stmt.iter)))
            self._suite(stmt.body, class_scope)
            if stmt.orelse:
                self._suite(stmt.orelse.body, class_scope)
        elif type(stmt) is cst.While:
            self._walrus_scan(stmt.test)
            self._suite(stmt.body, class_scope)
            if stmt.orelse:
                self._suite(stmt.orelse.body, class_scope)
        elif type(stmt) is cst.With:
            for item in stmt.items:
                value = self._expr(item.item)
                if item.asname is not None:
                    self._scope.body.append(ir.Assign((self._target(item.asname.name),), value))
                else:
                    self._scope.body.append(ir.ExprStmt(value))
            self._suite(stmt.body, class_scope)
        elif type(stmt) in _TRIES and isinstance(stmt, _TRIES):
            self._scope.catches |= bool(stmt.handlers)
            self._suite(stmt.body, class_scope)
            for handler in stmt.handlers:
                self._suite(handler.body, class_scope)
            if stmt.orelse:
                self._suite(stmt.orelse.body, class_scope)
            if stmt.finalbody:
                self._suite(stmt.finalbody.body, class_scope)
        elif type(stmt) is cst.Match:
            subject = self._expr(stmt.subject)
            self._scope.body.append(ir.ExprStmt(subject))
            for case in stmt.cases:
                self._suite(case.body, class_scope)
        elif isinstance(stmt, cst.BaseSmallStatement):
            self._small(stmt, class_scope)

    def _small(self, small: cst.BaseSmallStatement, class_scope: _ClassBuilder | None) -> None:
        body = self._scope.body
        if type(small) is cst.Assign:
            value = self._expr(small.value)
            targets = tuple(self._target(t.target) for t in small.targets)
            if class_scope is not None:
                for t in small.targets:
                    if type(t.target) is cst.Name:
                        class_scope.attrs.append(
                            ir.ClassAttr(t.target.value, value, None, self._idx(t.target))
                        )
            body.append(ir.Assign(targets, value))
        elif type(small) is cst.AnnAssign:
            ann = self._expr(small.annotation.annotation)
            bound = self._expr(small.value) if small.value is not None else None
            if class_scope is not None and type(small.target) is cst.Name:
                class_scope.attrs.append(
                    ir.ClassAttr(small.target.value, bound, ann, self._idx(small.target))
                )
            if bound is not None:
                body.append(ir.Assign((self._target(small.target),), bound, ann))
            elif type(small.target) is cst.Name:
                # `x: Member` declares a type without binding a value
                body.append(ir.Assign((ir.NameT(small.target.value),),
                                      ir.Union_((), -1), ann))
        elif type(small) is cst.AugAssign:
            op = _AUG_OPS.get(type(small.operator), "?")
            body.append(ir.AugAssign(self._target(small.target), op, self._expr(small.value)))
        elif type(small) is cst.Expr:
            node = small.value
            if type(node) is cst.Yield:
                inner = node.value
                expr = self._expr(inner.item if isinstance(inner, cst.From) else inner) \
                    if inner is not None else None
                body.append(ir.Return(expr, self._idx(small), is_yield=True))
            else:
                body.append(ir.ExprStmt(self._expr(node)))
        elif type(small) is cst.Return:
            returned = self._expr(small.value) if small.value is not None else None
            body.append(ir.Return(returned, self._idx(small),
                                  guards=tuple(self._scope.guards)))
        elif type(small) is cst.Raise:
            # `raise HTTPException(detail=...)`: the exception's construction is a call like
            # any other (some exceptions carry their message to the client).
            if small.exc is not None:
                body.append(ir.ExprStmt(self._expr(small.exc), raised=True))
        elif type(small) is cst.Import:
            for alias in small.names:
                full = dotted(alias.name) or ""
                if alias.asname is not None and type(alias.asname.name) is cst.Name:
                    self.imports[alias.asname.name.value] = full
                else:
                    head = full.split(".")[0]
                    self.imports[head] = head
        elif type(small) is cst.ImportFrom:
            self._import_from(small)

    def _import_from(self, node: cst.ImportFrom) -> None:
        base = dotted(node.module) if node.module is not None else None
        if node.relative:
            base = resolve_relative(self.module, self.is_package, len(node.relative), base)
        if base is None:
            return
        if isinstance(node.names, cst.ImportStar):
            # "*module" entries: names not found locally are looked up there
            self.imports[f"*{base}"] = base
            return
        for alias in node.names:
            name = dotted(alias.name) or ""
            local = name
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                local = alias.asname.name.value
            self.imports[local] = f"{base}.{name}" if base else name

    def _guards(self, stmt: cst.If) -> None:
        """`if <test>: <refuse>` at the top level of a function: what holds after it, for
        the statements that follow (see ir.Guard)."""
        holding = _holding(stmt.test)
        if not holding:
            return
        denial = _denial(stmt.body)
        if denial is None or _has_walrus(stmt.test):
            return
        for held in holding:
            # `a != b` refused: a == b after
            test = self._equality(held) if type(held) is cst.Comparison else \
                self._expr(held)
            self._scope.body.append(ir.Guard(test, denial))

    def _branch_guards(self, test: cst.BaseExpression) -> list[ir.BinOp]:
        """The equalities `if <test>:` wants true of a record's field and something not a
        literal (`face.album.owner == request.user`): within its body the record may be the
        requester's (see ir.GuardEnd)."""
        return [self._equality(held) for held in _held(test)
                if type(held) is cst.Comparison and not _has_walrus(held) and all(
                    isinstance(side, (cst.Name, cst.Attribute)) and not _literal_name(side)
                    for side in (held.left, held.comparisons[0].comparator))]

    def _equality(self, node: cst.Comparison) -> ir.BinOp:
        """The IR's equality of a one-comparison test's two sides, whatever its operator
        (a guard's `a != b` stands for the `a == b` that holds after it)."""
        index = self._idx(node)
        return ir.BinOp("==", self._expr(node.left), self._expr(node.comparisons[0].comparator),
                        index)

    def _walrus_scan(self, expr: cst.BaseExpression) -> None:
        if type(expr) is cst.NamedExpr:
            self._expr(expr)

    # ------------------------------------------------------------ definitions

    def _params(self, params: cst.Parameters) -> tuple[ir.Param, ...]:
        out: list[ir.Param] = []

        def add(p: cst.Param, kind: str) -> None:
            ann = self._expr(p.annotation.annotation) if p.annotation is not None else None
            default = self._expr(p.default) if p.default is not None else None
            out.append(ir.Param(p.name.value, ann, default, kind))

        for p in (*params.posonly_params, *params.params):
            add(p, "pos")
        if type(params.star_arg) is cst.Param:
            add(params.star_arg, "*")
        for p in params.kwonly_params:
            add(p, "kwonly")
        if params.star_kwarg is not None:
            add(params.star_kwarg, "**")
        return tuple(out)

    def _function(self, node: cst.FunctionDef, class_scope: _ClassBuilder | None) -> None:
        outer = self._scope
        if class_scope is not None:
            qualname = f"{class_scope.qualname}.{node.name.value}"
            class_scope.methods.append(node.name.value)
        elif outer.qualname == ir.MODULE_BODY:
            qualname = node.name.value
        else:
            qualname = f"{outer.qualname}.<locals>.{node.name.value}"
        decorators = tuple(self._expr(d.decorator) for d in node.decorators)
        params = self._params(node.params)
        returns = self._expr(node.returns.annotation) if node.returns is not None else None
        name_idx = self._idx(node.name)
        self._scope = _FunctionScope(qualname)
        self._suite(node.body)
        inner = self._scope
        body = tuple(inner.body)
        self._scope = outer
        uses = statement_uses(body)
        assigns = assigned(uses)
        self.functions.append(
            ir.Function(
                qualname=qualname, name=node.name.value, params=params, decorators=decorators,
                returns=returns, body=body,
                class_name=class_scope.qualname if class_scope is not None else None,
                node=name_idx, is_async=node.asynchronous is not None,
                calls=frozenset(inner.calls), subscript_bases=frozenset(inner.subscripts),
                stores=frozenset(inner.stores), one_pass=one_pass(body, uses),
                catches=inner.catches, strong=inner.strong(assigns), looped=inner.looped(assigns),
                entry_checks=_entry_checks(node.body),
            )
        )

    def _class(self, node: cst.ClassDef) -> None:
        outer = self._scope
        if outer.qualname == ir.MODULE_BODY:
            qualname = node.name.value
        else:
            qualname = f"{outer.qualname}.{node.name.value}"
        builder = _ClassBuilder(qualname)
        bases = tuple(self._expr(a.value) for a in node.bases if a.keyword is None)
        keywords = tuple(
            ir.Arg(a.keyword.value, self._expr(a.value)) for a in node.bases if a.keyword
        )
        decorators = tuple(self._expr(d.decorator) for d in node.decorators)
        name_idx = self._idx(node.name)
        # The class body runs once at import time; its statements go into a scope of their
        # own so that class attributes do not leak into the module's variables.
        self._scope = _FunctionScope(qualname)
        self._suite(node.body, builder)
        self._scope = outer
        self.classes.append(
            ir.Class(
                qualname=qualname, name=node.name.value, bases=bases, keywords=keywords,
                decorators=decorators, attrs=tuple(builder.attrs),
                methods=tuple(builder.methods), node=name_idx,
            )
        )

    # ---------------------------------------------------------------- targets

    def _target(self, node: cst.BaseExpression) -> ir.Target:
        if type(node) is cst.Name:
            return ir.NameT(node.value)
        if type(node) is cst.Attribute:
            # `self.x = ...` can only store on instances of the method's class (the solver
            # types `self` so); any other receiver can be anything
            own = type(node.value) is cst.Name and node.value.value == "self"
            self._scope.stores.add(f"self.{node.attr.value}" if own else node.attr.value)
            return ir.AttrT(self._expr(node.value), node.attr.value, self._idx(node))
        if type(node) is cst.Subscript:
            base = node.value
            self._scope.subscripts.add(
                f"name:{base.value}" if type(base) is cst.Name else
                f"attr:{base.attr.value}" if type(base) is cst.Attribute else "?")
            return ir.SubT(self._expr(node.value), self._slice_key(node), self._idx(node))
        if isinstance(node, (cst.Tuple, cst.List)):
            return ir.TupleT(tuple(self._target(e.value) for e in node.elements))
        if type(node) is cst.StarredElement:
            return self._target(node.value)
        return ir.TupleT(())

    def _slice_key(self, node: cst.Subscript) -> ir.Expr | None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            return self._expr(node.slice[0].slice.value)
        if node.slice and all(type(e.slice) is cst.Index for e in node.slice):
            # `Annotated[int, Field(gt=0)]`, `d[a, b]`: the key is a tuple
            index = self._idx(node.slice[0])
            return ir.Container("tuple", tuple(
                (None, self._expr(e.slice.value)) for e in node.slice  # type: ignore[attr-defined]
            ), index)
        return None

    # ------------------------------------------------------------ expressions

    def _expr(self, node: cst.BaseExpression) -> ir.Expr:
        # (by the exact type: libcst's node classes are ABCs, whose isinstance goes through
        # Python code when it fails, and none of these has subclasses; see
        # test_node_classes_tested_by_exact_type_have_no_subclasses)
        if type(node) is cst.Name:
            v = node.value
            if v in ("None", "True", "False"):
                return ir.Const({"None": None, "True": True, "False": False}[v], self._idx(node))
            return ir.Name(v, self._idx(node))
        if type(node) is cst.Attribute:
            value = self._expr(node.value)
            return ir.Attr(value, node.attr.value, self._idx(node))
        if type(node) is cst.Call:
            func = self._expr(node.func)
            if isinstance(func, ir.Attr):
                self._scope.calls.add(func.attr)
            elif isinstance(func, ir.Name):
                self._scope.calls.add(func.id)
            args = tuple(
                ir.Arg(a.keyword.value if a.keyword is not None else None,
                       self._expr(a.value), a.star if isinstance(a.star, str) else "")
                for a in node.args
            )
            return ir.Call(func, args, self._idx(node))
        if type(node) is cst.SimpleString:
            return ir.Const(string_value(node), self._idx(node))
        if type(node) in _NUMBERS and isinstance(node, _NUMBERS):
            try:
                num: int | float | str = (
                    int(node.value, 0) if type(node) is cst.Integer else node.value
                )
            except ValueError:
                num = node.value
            return ir.Const(num, self._idx(node))
        if type(node) is cst.FormattedString:
            return self._fstring([node], node)
        if type(node) is cst.ConcatenatedString:
            pieces = self._concat_pieces(node)
            if all(type(p) is cst.SimpleString for p in pieces):
                try:
                    text = node.evaluated_value
                except Exception:
                    text = None
                return ir.Const(text, self._idx(node))
            return self._fstring(pieces, node)
        if type(node) is cst.Subscript:
            return ir.Subscript(self._expr(node.value), self._slice_key(node), self._idx(node))
        if type(node) is cst.BinaryOperation:
            op = _BINOPS.get(type(node.operator), "?")
            if op == "%" and isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString)):
                left = self._expr(node.left)
                literal = left.value if isinstance(left, ir.Const) and \
                    isinstance(left.value, str) else ""
                right = node.right
                parts = tuple(self._expr(e.value) for e in right.elements) \
                    if type(right) is cst.Tuple else (self._expr(right),)
                return ir.Compose("percent", literal, parts, self._idx(node))
            left_e = self._expr(node.left)
            right_e = self._expr(node.right)
            return ir.BinOp(op, left_e, right_e, self._idx(node))
        if type(node) is cst.Dict:
            items: list[tuple[ir.Expr | None, ir.Expr]] = []
            for el in node.elements:
                if type(el) is cst.DictElement:
                    items.append((self._expr(el.key), self._expr(el.value)))
                else:
                    items.append((None, self._expr(el.value)))
            return ir.Container("dict", tuple(items), self._idx(node))
        if type(node) in _SEQUENCES and isinstance(node, _SEQUENCES):
            kind = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}[type(node)]
            return ir.Container(
                kind, tuple((None, self._expr(e.value)) for e in node.elements), self._idx(node)
            )
        if type(node) in _COMPREHENSIONS and isinstance(node, _COMPREHENSIONS):
            gens: list[tuple[ir.Target, ir.Expr]] = []
            comp_for: cst.CompFor | None = node.for_in
            while comp_for is not None:
                self._scope.weak.update(_bound_names(comp_for.target))
                gens.append((self._target(comp_for.target), self._expr(comp_for.iter)))
                comp_for = comp_for.inner_for_in
            if isinstance(node, cst.DictComp):  # (the exact type: no ABC check when it is)
                key = self._expr(node.key)
                elt = self._expr(node.value)
                return ir.Comp("dict", key, elt, tuple(gens), self._idx(node))
            kind = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "gen"}[type(node)]
            return ir.Comp(kind, None, self._expr(node.elt), tuple(gens), self._idx(node))
        if type(node) is cst.Await:
            return self._expr(node.expression)
        if type(node) is cst.IfExp:
            return ir.Union_((self._expr(node.body), self._expr(node.orelse)), self._idx(node))
        if type(node) is cst.BooleanOperation:
            first = self._expr(node.left)
            second = self._expr(node.right)
            if type(node.operator) is cst.And:
                # `a and b` is b, or a when a is falsy: a serial that is 0 or None is no
                # serial, so `p.editor_id and p.editor_id != p.author_id` is a boolean
                return ir.Union_((second,), self._idx(node))
            return ir.Union_((first, second), self._idx(node))
        if type(node) is cst.UnaryOperation:
            if type(node.operator) is cst.Not:
                return ir.Const(False, self._idx(node))
            if type(node.operator) is cst.Minus and type(node.expression) is cst.Integer:
                # `parts[-1]`: the index is known
                return ir.Const(-int(node.expression.value, 0), self._idx(node))
            return ir.Union_((self._expr(node.expression),), self._idx(node))
        if type(node) is cst.NamedExpr:
            value_e = self._expr(node.value)
            if type(node.target) is cst.Name:
                self._scope.weak.add(node.target.value)
            self._scope.body.append(ir.Assign((self._target(node.target),), value_e))
            return value_e
        if type(node) is cst.Lambda:
            names = tuple(p.name.value for p in node.params.params)
            return ir.Lambda(names, self._expr(node.body), self._idx(node))
        if type(node) is cst.Comparison:
            if len(node.comparisons) == 1 and isinstance(node.comparisons[0].operator,
                                                         cst.Equal):
                # `Member.id == key` in a query selects a record; elsewhere it is a boolean
                return self._equality(node)
            return ir.Const(False, self._idx(node))
        if type(node) is cst.StarredElement:
            return self._expr(node.value)
        return ir.Union_((), self._idx(node))

    def _concat_pieces(self, node: cst.BaseExpression) -> list[cst.BaseExpression]:
        if type(node) is cst.ConcatenatedString:
            return self._concat_pieces(node.left) + self._concat_pieces(node.right)
        return [node]

    def _fstring(self, pieces: Sequence[cst.BaseExpression], node: cst.CSTNode) -> ir.Expr:
        literal: list[str] = []
        parts: list[ir.Expr] = []
        for piece in pieces:
            if type(piece) is cst.SimpleString:
                literal.append(str(string_value(piece)))
            elif type(piece) is cst.FormattedString:
                for part in piece.parts:
                    if type(part) is cst.FormattedStringText:
                        literal.append(part.value)
                    elif type(part) is cst.FormattedStringExpression:
                        inner = self._expr(part.expression)
                        spec = part.format_spec
                        if spec:
                            text = "".join(
                                s.value for s in spec if type(s) is cst.FormattedStringText
                            )
                            # f"{n:x}" is a hex encoding, not composition
                            if text.rstrip().endswith(("x", "X", "o", "b")):
                                inner = ir.Call(ir.Name("hex", -1), (ir.Arg(None, inner),),
                                                inner.node)
                        parts.append(inner)
        return ir.Compose("fstring", "".join(literal), tuple(parts), self._idx(node))


def _entry_checks(body: cst.BaseSuite) -> tuple[tuple[str, ...], ...]:
    """The `if <test>: <stop>` statements a function body starts with (before its first
    return or any other compound statement): (how it stops, *what passing the test takes).
    How: "raise", "call:<callee>" (`abort(403)`) or "return:<names and numbers returned>".
    What: the checks the test wants true (`if not user.is_staff` -> is_staff,
    `if user.role != "admin"` -> admin)."""
    if type(body) is not cst.IndentedBlock:
        return ()
    out: list[tuple[str, ...]] = []
    for stmt in body.body:
        if type(stmt) is cst.SimpleStatementLine:
            if any(type(s) is cst.Return or type(s) is cst.Raise for s in stmt.body):
                break
            continue
        if type(stmt) is not cst.If or stmt.orelse is not None:
            break
        denial = _denial(stmt.body)
        if denial is None:
            break
        out.append((denial, *sorted(_passing(stmt.test))))
    return tuple(out)


def _holding(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """What holds after an `if <test>:` whose branch refuses: the calls and comparisons the
    test wants true (`not rec.can_edit(user)`, `rec.owner_id != me.id`, either side of an
    `or`). Comparisons are returned as written (`!=`, `is not`: equal after)."""
    if type(test) is cst.BooleanOperation and type(test.operator) is cst.Or:
        return [*_holding(test.left), *_holding(test.right)]
    if type(test) is cst.Comparison:
        if len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator,
                                                     (cst.NotEqual, cst.IsNot)):
            return [test]
        return []
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return _held(test.expression)
    return []


def _held(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The calls and equalities an expression wanted true holds (`a and b`: both)."""
    if type(expr) is cst.BooleanOperation and type(expr.operator) is cst.And:
        return [*_held(expr.left), *_held(expr.right)]
    if type(expr) is cst.Call or (
            type(expr) is cst.Comparison and len(expr.comparisons) == 1 and
            type(expr.comparisons[0].operator) in _EQUALITY):
        return [expr]
    return []


def _literal_name(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value in ("None", "True", "False")


def _has_walrus(node: cst.CSTNode) -> bool:
    pending = [node]
    while pending:
        n = pending.pop()
        if type(n) is cst.NamedExpr:
            return True
        pending.extend(_kids(n))
    return False


def _kids(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The expressions directly inside `node`, for the kinds tests and returned values are
    mostly made of; libcst's `children`, which runs a visitor over every field and its
    whitespace, only for the rest."""
    kind = type(node)
    if kind is cst.Name or kind is cst.Integer or kind is cst.SimpleString:
        return []
    if kind is cst.Attribute:
        return [node.value]  # type: ignore[attr-defined]
    if kind is cst.Call:
        return [node.func, *(a.value for a in node.args)]  # type: ignore[attr-defined]
    if kind is cst.Comparison:
        return [node.left, *(c.comparator for c in node.comparisons)]  # type: ignore[attr-defined]
    if kind is cst.BooleanOperation or kind is cst.BinaryOperation:
        return [node.left, node.right]  # type: ignore[attr-defined]
    if kind is cst.UnaryOperation:
        return [node.expression]  # type: ignore[attr-defined]
    return list(node.children)


def _denial(suite: cst.BaseSuite) -> str | None:
    if not isinstance(suite, (cst.IndentedBlock, cst.SimpleStatementSuite)) or not suite.body:
        return None
    last = suite.body[-1]
    small = last.body[-1] if type(last) is cst.SimpleStatementLine and last.body else last
    if type(small) is cst.Raise:
        return "raise"
    if type(small) is cst.Expr and type(small.value) is cst.Call:
        return f"call:{dotted(small.value.func) or ''}"
    if type(small) is cst.Return:
        return "return:" + (",".join(sorted(_texts(small.value))) if small.value else "")
    return None


def _passing(test: cst.BaseExpression) -> set[str]:
    """What the test of a denying `if` wants true for the code after it to run."""
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return _checked(test.expression)
    if type(test) is cst.Comparison and any(
            isinstance(c.operator, (cst.NotEqual, cst.NotIn, cst.IsNot))
            for c in test.comparisons):
        return _constants(test)
    if type(test) is cst.BooleanOperation:
        return _passing(test.left) | _passing(test.right)
    return set()


def _checked(expr: cst.BaseExpression) -> set[str]:
    """The names of a check: `user.is_staff` -> is_staff, `is_owner(org)` -> is_owner,
    `user.role == "admin"` -> role's constant."""
    if type(expr) is cst.Call:
        name = dotted(expr.func)
        return ({name.rsplit(".", 1)[-1]} if name else set()) | _constants(expr)
    if type(expr) is cst.Attribute:
        return {expr.attr.value}
    if type(expr) is cst.Name:
        return {expr.value}
    if type(expr) is cst.BooleanOperation:
        return _checked(expr.left) | _checked(expr.right)
    if type(expr) is cst.Comparison:
        return _constants(expr)
    return set()


def _constants(expr: cst.CSTNode) -> set[str]:
    """String constants and enumeration members (`Role.ADMIN`) in an expression."""
    out: set[str] = set()
    pending: list[cst.CSTNode] = [expr]
    while pending:
        node = pending.pop()
        if type(node) is cst.SimpleString:
            out.add(str(string_value(node)))
        elif type(node) is cst.Attribute and type(node.value) is cst.Name and \
                node.value.value[:1].isupper():
            out.add(node.attr.value)
        else:
            pending.extend(_kids(node))
    return out


def _texts(expr: cst.CSTNode) -> set[str]:
    """The last parts of the names and the integers in an expression."""
    out: set[str] = set()
    pending: list[cst.CSTNode] = [expr]
    while pending:
        node = pending.pop()
        if type(node) is cst.Name:
            out.add(node.value)
        elif type(node) is cst.Attribute:
            out.add(node.attr.value)
            pending.append(node.value)
        elif type(node) is cst.Integer:
            out.add(node.value)
        else:
            pending.extend(_kids(node))
    return out


def _bound_names(target: cst.BaseExpression) -> set[str]:
    if type(target) is cst.Name:
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in _bound_names(e.value)}
    if type(target) is cst.StarredElement:
        return _bound_names(target.value)
    return set()


class _ClassBuilder:
    __slots__ = ("attrs", "methods", "qualname")

    def __init__(self, qualname: str) -> None:
        self.qualname = qualname
        self.attrs: list[ir.ClassAttr] = []
        self.methods: list[str] = []


def extract(tree: cst.Module, path: str, module: str, is_package: bool, line_count: int,
            suppressions: tuple[ir.SuppressionComment, ...] = ()) -> ir.Module:
    ex = Extractor(path, module, is_package)
    imports, functions, classes = ex.run(tree)
    return ir.Module(
        path=path, name=module, is_package=is_package,
        imports=tuple(sorted(imports.items())), functions=tuple(functions),
        classes=tuple(classes), suppressions=suppressions, node_count=ex.count,
        line_count=line_count,
    )


_PLAIN_PREFIXES = frozenset({"", "r", "u", "b", "rb", "br"})


def string_value(node: cst.SimpleString) -> str | bytes:
    """The value of a string literal. Most literals have no escapes and no line breaks, and
    their value is the text between the quotes: libcst's evaluated_value compiles every one
    of them, a sixth of the extraction time."""
    text = node.value
    if "\\" not in text and "\r" not in text:
        start = 0
        while start < len(text) and text[start] not in "'\"":
            start += 1
        prefix = text[:start].lower()
        if prefix in _PLAIN_PREFIXES:
            q = 3 if text.startswith(text[start] * 3, start) and len(text) - start >= 6 else 1
            body = text[start + q:len(text) - q]
            if "b" not in prefix:
                return body
            if body.isascii():
                return body.encode("ascii")
    try:
        return node.evaluated_value
    except Exception:  # odd escapes: the text itself is good enough
        return text
