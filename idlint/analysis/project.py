"""The project index: every module's definitions, name resolution through import tables
(aliases, relative imports, re-exports), class hierarchies."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from idlint.analysis import ir, order

_MAX_HOPS = 8  # re-export chains longer than this are cycles in practice
# Methods of the builtin types: a call of one of these names on an unknown object is most
# likely on a builtin value, not on a project class that happens to define the name too.
BUILTIN_METHODS = frozenset(
    name for t in (object, dict, list, set, frozenset, tuple, str, bytes, bytearray, int,
                   float) for name in dir(t))


@dataclass(frozen=True, slots=True)
class FunctionRef:
    qualname: str  # global: "app.views.show", "app.models.Member.to_dict"
    module: ir.Module
    function: ir.Function
    index: int = 0  # in module.functions, to find the body


@dataclass(frozen=True, slots=True)
class ClassRef:
    qualname: str
    module: ir.Module
    cls: ir.Class


class Project:
    def __init__(self, modules: Iterable[ir.Module],
                 aliases: Iterable[tuple[str, str]] = ()) -> None:
        # Library modules that re-export another's names (`itsdangerous.url_safe.X` is
        # `itsdangerous.X`): longest prefix first.
        self._aliases = sorted(aliases, key=lambda a: -len(a[0]))
        self.modules: dict[str, ir.Module] = {}
        for mod in sorted(modules, key=lambda m: m.path):
            # Two files can claim one module name (scripts in different folders): first wins,
            # the other is still analysed, under its path.
            name = mod.name if mod.name not in self.modules else f"{mod.name}@{mod.path}"
            self.modules[name] = mod
        self.module_names = {mod.path: name for name, mod in self.modules.items()}
        self.functions: dict[str, FunctionRef] = {}
        self.classes: dict[str, ClassRef] = {}
        self._imports: dict[str, dict[str, str]] = {}
        self._toplevel: dict[str, set[str]] = {}
        self._module_body: dict[str, int] = {}
        self._bodies: dict[tuple[str, int], tuple[ir.Stmt, ...]] = {}
        self._first_passes: dict[tuple[str, int], tuple[ir.Stmt, ...]] = {}
        for name, mod in self.modules.items():
            self._imports[name] = dict(mod.imports)
            top: set[str] = set()
            for index, fn in enumerate(mod.functions):
                if fn.qualname == ir.MODULE_BODY:
                    self._module_body[name] = index
                    continue
                self.functions[f"{name}.{fn.qualname}"] = FunctionRef(
                    f"{name}.{fn.qualname}", mod, fn, index
                )
                if "." not in fn.qualname:
                    top.add(fn.qualname)
            for cls in mod.classes:
                qualname = f"{name}.{cls.qualname}"
                self.classes[qualname] = ClassRef(qualname, mod, cls)
                if "." not in cls.qualname:
                    top.add(cls.qualname)
            self._toplevel[name] = top
        self._bases_cache: dict[str, tuple[str, ...]] = {}
        self._via_instance: dict[str, str | None] = {}
        self._resolved: dict[tuple[str, str], str] = {}
        # answers that depend only on the project and the knowledge (rendered_model.spec_for)
        self.memo: dict[tuple, object] = {}
        self._canonical: dict[str, str] = {}
        self._mro_cache: dict[str, list[str]] = {}
        self._method_cache: dict[tuple[str, str], FunctionRef | None] = {}
        self._subclasses: dict[str, tuple[str, ...]] | None = None
        self._override_cache: dict[tuple[str, str], tuple[FunctionRef, ...]] = {}
        self._interface_cache: dict[str, tuple[FunctionRef, ...]] = {}
        # Projects often import relative to a source root below the scanned folder
        # (`from dcim.models import Device` for netbox/dcim/models.py): index every module by
        # its dotted suffixes, keeping only suffixes that name exactly one module.
        suffixes: dict[str, set[str]] = {}
        for name in self.modules:
            parts = name.split(".")
            for i in range(1, len(parts)):
                suffixes.setdefault(".".join(parts[i:]), set()).add(name)
        self._by_suffix = {k: next(iter(v)) for k, v in suffixes.items()
                           if len(v) == 1 and k not in self.modules}

    # --------------------------------------------------------------- bodies

    def body(self, ref: FunctionRef) -> tuple[ir.Stmt, ...]:
        return self._body(ref.module, ref.index)

    def module_body_index(self, name: str) -> int | None:
        return self._module_body.get(name)

    def module_body(self, name: str) -> tuple[ir.Stmt, ...] | None:
        index = self._module_body.get(name)
        if index is None:
            return None
        return self._body(self.modules[name], index)

    def first_pass(self, mod: ir.Module, index: int) -> tuple[ir.Stmt, ...]:
        """The statements of a body that its first pass evaluates (see order.first_pass)."""
        key = (mod.path, index)
        stmts = self._first_passes.get(key)
        if stmts is None:
            stmts = self._first_passes[key] = order.first_pass(self._body(mod, index))
        return stmts

    def _body(self, mod: ir.Module, index: int) -> tuple[ir.Stmt, ...]:
        key = (mod.path, index)
        body = self._bodies.get(key)
        if body is None:
            body = self._bodies[key] = ir.unpack_body(mod, index)
        return body

    # ------------------------------------------------------------ resolution

    def resolve(self, module: str, dotted: str) -> str:
        """The qualified name a dotted name written in `module` refers to."""
        key = (module, dotted)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolved[key] = self._resolve(module, dotted)
        return cached

    def _resolve(self, module: str, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        if head in self._toplevel.get(module, ()):
            q = f"{module}.{head}"
        elif head in self._imports.get(module, {}):
            q = self._imports[module][head]
        else:
            star = self._from_star(module, head)
            if star is None:
                return dotted  # a builtin or an unknown global
            q = star
        return self.canonical(f"{q}.{rest}" if rest else q)

    def _from_star(self, module: str, name: str, depth: int = 0) -> str | None:
        """`name` as provided by a `from x import *` in `module`, if x is project code."""
        if depth > 3:
            return None
        for key, target in self._imports.get(module, {}).items():
            if not key.startswith("*"):
                continue
            star_mod = self._rooted(target)
            if star_mod not in self.modules:
                continue
            if name in self._toplevel.get(star_mod, ()):
                return f"{star_mod}.{name}"
            if name in self._imports.get(star_mod, {}):
                return self._imports[star_mod][name]
            found = self._from_star(star_mod, name, depth + 1)
            if found is not None:
                return found
        return None

    def _rooted(self, qualname: str) -> str:
        """`dcim.models.Device` -> `netbox.dcim.models.Device` when only a source-root-relative
        import can explain the name."""
        parts = qualname.split(".")
        for i in range(len(parts), 0, -1):
            head = ".".join(parts[:i])
            if head in self.modules:
                return qualname
            full = self._by_suffix.get(head)
            if full is not None:
                if i == 1 < len(parts) and not self._defines(full, parts[1]):
                    # `jwt.api_jwt.encode` beside a project module `core/jwt.py` that has no
                    # `api_jwt`: the installed library of that name, not the module
                    return qualname
                return ".".join([full, *parts[i:]])
        return qualname

    def _defines(self, module: str, name: str) -> bool:
        """Whether `module.name` can be a project name: a top-level function or class, an
        import or a submodule of the module."""
        return name in self._toplevel.get(module, ()) or \
            name in self._imports.get(module, {}) or f"{module}.{name}" in self.modules

    def canonical(self, qualname: str) -> str:
        """Follow re-exports (`from .member import Member` in a package __init__)."""
        cached = self._canonical.get(qualname)
        if cached is None:
            cached = self._canonical[qualname] = self._follow(qualname)
        return cached

    def _library_name(self, qualname: str) -> str:
        for alias, target in self._aliases:
            if qualname.startswith(f"{alias}."):
                return f"{target}.{qualname[len(alias) + 1:]}"
        return qualname

    def _follow(self, qualname: str) -> str:
        qualname = self._rooted(qualname)
        for _ in range(_MAX_HOPS):
            if qualname in self.functions or qualname in self.classes or qualname in self.modules:
                return qualname
            mod, _, name = qualname.rpartition(".")
            # the longest prefix that is a project module
            while mod and mod not in self.modules:
                mod, _, head = mod.rpartition(".")
                name = f"{head}.{name}"
            if not mod:
                return self._library_name(qualname)
            head, _, rest = name.partition(".")
            target = self._imports[mod].get(head)
            if target is None:
                target = self._from_star(mod, head)
            if target is None:
                return qualname
            qualname = self._rooted(f"{target}.{rest}" if rest else target)
        return qualname

    # -------------------------------------------------------------- classes

    def via_instance(self, qualname: str) -> str | None:
        """`pkg.ext.ma.Schema` where the module `pkg.ext` sets `ma = Marshmallow()`:
        `flask_marshmallow.Marshmallow.Schema`, the attribute of the library class's
        instance (extensions expose their base classes so)."""
        if qualname in self._via_instance:
            return self._via_instance[qualname]
        found: str | None = None
        mod, _, rest = qualname.rpartition(".")
        while mod and mod not in self.modules:
            mod, _, head = mod.rpartition(".")
            rest = f"{head}.{rest}"
        var, _, attr = rest.partition(".")
        if mod and attr and var not in self._toplevel.get(mod, ()):
            for stmt in self.module_body(mod) or ():
                if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and any(
                        isinstance(t, ir.NameT) and t.id == var for t in stmt.targets):
                    name = dotted_name(stmt.value.func)
                    if name:
                        cls = self.resolve(mod, name)
                        if cls not in self.classes and cls not in self.functions:
                            found = f"{cls}.{attr}"
                    break
        self._via_instance[qualname] = found
        return found

    def bases(self, class_qualname: str) -> tuple[str, ...]:
        """Resolved qualified names of the direct bases of a project class."""
        cached = self._bases_cache.get(class_qualname)
        if cached is not None:
            return cached
        ref = self.classes.get(class_qualname)
        out: list[str] = []
        if ref is not None:
            mod = self.module_names[ref.module.path]
            for base in ref.cls.bases:
                name = dotted_name(base)
                if name:
                    out.append(self.resolve(mod, name))
        result = tuple(out)
        self._bases_cache[class_qualname] = result
        return result

    def class_of(self, ref: FunctionRef) -> str | None:
        """The qualified name of the class a method is defined in; None for a function."""
        cls = ref.function.class_name
        return f"{self.module_names[ref.module.path]}.{cls}" if cls else None

    def mro(self, class_qualname: str) -> list[str]:
        """The class and all its ancestors (project and external), nearest first."""
        cached = self._mro_cache.get(class_qualname)
        if cached is None:
            cached = self._mro_cache[class_qualname] = self._mro(class_qualname)
        return cached

    def _mro(self, class_qualname: str) -> list[str]:
        seen: list[str] = []
        todo = [class_qualname]
        while todo:
            q = todo.pop(0)
            if q in seen:
                continue
            seen.append(q)
            todo.extend(self.bases(q))
        return seen

    def subclasses(self, class_qualname: str) -> tuple[str, ...]:
        """Project classes that derive from the class, directly or not, in name order."""
        if self._subclasses is None:
            index: dict[str, list[str]] = {}
            for q in sorted(self.classes):
                for base in self.mro(q)[1:]:
                    index.setdefault(base, []).append(q)
            self._subclasses = {k: tuple(v) for k, v in index.items()}
        return self._subclasses.get(class_qualname, ())

    def overrides(self, class_qualname: str, name: str) -> tuple[FunctionRef, ...]:
        """The methods of this name that project subclasses of the class define."""
        key = (class_qualname, name)
        if key not in self._override_cache:
            self._override_cache[key] = tuple(
                ref for sub in self.subclasses(class_qualname)
                if (ref := self.functions.get(f"{sub}.{name}")) is not None)
        return self._override_cache[key]

    def find_method(self, class_qualname: str, name: str) -> FunctionRef | None:
        key = (class_qualname, name)
        if key not in self._method_cache:
            self._method_cache[key] = next(
                (ref for q in self.mro(class_qualname)
                 if (ref := self.functions.get(f"{q}.{name}")) is not None), None)
        return self._method_cache[key]

    def interface_methods(self, name: str, limit: int) -> tuple[FunctionRef, ...]:
        """The methods of this name when project classes of one hierarchy alone define it:
        two to `limit` of them, all derived from one common project class (a plugin or
        channel interface its implementations fill in). A call of the name on an object of
        unknown type most likely reaches one of them. Names of the builtin types' methods
        (`update`, `append`, `get`) say nothing of the receiver and are never followed, nor
        are private names: an interface is called from outside its classes."""
        cached = self._interface_cache.get(name)
        if cached is not None:
            return cached
        found: tuple[FunctionRef, ...] = ()
        if name not in BUILTIN_METHODS and not name.startswith("_"):
            refs = [self.functions[q] for q in self._by_name.get(name, ())
                    if q.rsplit(".", 1)[0] in self.classes]
            if 2 <= len(refs) <= limit:
                common: set[str] | None = None
                for ref in refs:
                    ancestors = {c for c in self.mro(ref.qualname.rsplit(".", 1)[0])
                                 if c in self.classes}
                    common = ancestors if common is None else common & ancestors
                # ... and one of them is the interface itself: a stub that only raises
                # (`raise NotImplementedError`), passes or is abstract. Without that mark,
                # the name is ordinary shared behaviour (Django's own `get_col`), and running
                # every variant of it cost a third of the solve on Django's internals.
                if common and any(self._is_stub(ref) for ref in refs):
                    found = tuple(refs)
        self._interface_cache[name] = found
        return found

    def _is_stub(self, ref: FunctionRef) -> bool:
        if any((dotted_name(d) or "").endswith("abstractmethod")
               for d in ref.function.decorators):
            return True
        return all((isinstance(stmt, ir.ExprStmt) and (stmt.raised or isinstance(
            stmt.value, ir.Const))) for stmt in self.body(ref))

    # Calls are matched to functions by their last name; a name shared by more functions
    # than this says too little about which one runs to be worth following.
    _NAME_TARGETS = 3

    def _likely_callees(self, q: str) -> list[str]:
        out: list[str] = []
        for name in sorted(self.functions[q].function.calls, reverse=True):
            targets = self._by_name.get(name, ())
            if 0 < len(targets) <= self._NAME_TARGETS:
                out.extend(targets)
            for cls in self._classes_by_name.get(name, ())[: self._NAME_TARGETS]:
                init = self.find_method(cls, "__init__")
                if init is not None:
                    out.append(init.qualname)
        return out

    @functools.cached_property
    def _by_name(self) -> dict[str, list[str]]:
        by_name: dict[str, list[str]] = {}
        for q, ref in sorted(self.functions.items()):
            by_name.setdefault(ref.function.name, []).append(q)
        return by_name

    @functools.cached_property
    def _classes_by_name(self) -> dict[str, list[str]]:
        by_name: dict[str, list[str]] = {}
        for q, ref in sorted(self.classes.items()):
            by_name.setdefault(ref.cls.name, []).append(q)
        return by_name

    @functools.cached_property
    def _callee_first(self) -> list[str]:
        order: list[str] = []
        done: set[str] = set()
        for root in sorted(self.functions):
            if root in done:
                continue
            stack = [(root, False)]
            while stack:
                q, expanded = stack.pop()
                if expanded:
                    order.append(q)
                    continue
                if q in done:
                    continue
                done.add(q)
                stack.append((q, True))
                stack.extend((t, False) for t in self._likely_callees(q) if t not in done)
        return order

    def callee_first_order(self) -> list[str]:
        """Functions ordered so that, as far as names tell, callees come before callers: a
        first pass in this order mostly reads final summaries, which saves re-evaluation."""
        return self._callee_first


def dotted_name(expr: ir.Expr) -> str | None:
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr}" if base else None
    if isinstance(expr, ir.Subscript):  # Generic[T], Mapped[int]
        return dotted_name(expr.value)
    return None
