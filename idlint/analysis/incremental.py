"""Incremental solving: the state a run leaves for the next one, what an edit changed, and
which worklist keys must be evaluated again because of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from idlint.analysis import ir, order
from idlint.analysis.core import Demand
from idlint.analysis.flows import Flow, FlowKey, Summary
from idlint.analysis.project import Project
from idlint.analysis.schedule import Scheduler
from idlint.analysis.values import Step, Value


@dataclass
class SolverState:
    """What a run leaves for the next one, so that after an edit only the functions that
    depend on the edited code are evaluated again (see Solver.run_incremental)."""

    digests: dict[str, str]  # path -> content digest the state was computed from
    modules: dict[str, str]  # path -> module name
    summaries: dict[str, Summary]
    globals: dict[str, dict[str, Value]]
    class_attrs: dict[tuple[str, str], Value]
    readers: dict[str, set[str]]
    callees: dict[str, set[str]]
    emitted: dict[str, dict[FlowKey, Flow]]
    broken: dict[str, tuple[str, str]]
    selections: dict[str, tuple[Step, ...]]
    writers: dict[str, set[str]]
    demand: Demand
    # template name -> what it resolved to when read (see idlint/templates.py)
    templates: dict[str, str] = field(default_factory=dict)


class Incremental(Scheduler):
    def run_incremental(self, state: SolverState, changes: Changes) -> list[Flow] | None:
        """Start from the state of an earlier run in which the files in `changes` had other
        contents but the same definitions (see interface()): forget everything that was
        computed from that code, directly or through summaries, stored attributes and
        globals, and evaluate only that again. None when too much depends on the change for
        this to pay."""
        self._restore(state)
        reset = self._dependents(changes)
        if len(reset) > max(200, len(self.project.functions) // 3):
            return None
        for key in reset:
            self.summaries.pop(key, None)
            self.emitted.pop(key, None)
            self.broken.pop(key, None)
            self._callees.pop(key, None)
            if key.startswith("<module>:"):
                # evaluated from scratch, but compared with what it was, so that readers of
                # the globals that come out the same are not evaluated again
                self._previous_globals[key[9:]] = self.globals.pop(key[9:], {})
        for stored, writers in self._writers.items():
            if writers & reset:
                kind, _, name = stored.partition(":")
                if kind == "attr":
                    cls, _, attr = name.rpartition(".")
                    self.class_attrs.pop((cls, attr), None)
                else:
                    self.selections.pop(name, None)
                writers -= reset
        modules = sorted(k[9:] for k in reset if k.startswith("<module>:"))
        # (an edit that changed no function's facts needs no call graph)
        order = [q for q in self.project.callee_first_order() if q in reset] \
            if any(k in self.project.functions for k in reset) else []
        self._evaluate([f"<module>:{m}" for m in modules], order)
        self._settle()
        return self._all_flows()

    def state(self, digests: dict[str, str]) -> SolverState:
        return SolverState(
            {p: digests[p] for p in self.project.module_names if p in digests},
            dict(self.project.module_names), self.summaries, self.globals, self.class_attrs,
            self._readers, self._callees, self.emitted, self.broken, self.selections,
            self._writers, self.demand)

    def _restore(self, state: SolverState) -> None:
        """Take over an earlier run's state (not copied: the caller does not keep it)."""
        self.summaries = state.summaries
        self.globals = state.globals
        self.class_attrs = state.class_attrs
        self._readers = state.readers
        self._callees = state.callees
        self.emitted = state.emitted
        self.broken = state.broken
        self.selections = state.selections
        self._writers = state.writers
        self.demand = state.demand

    def _dependents(self, changes: Changes) -> set[str]:
        """Worklist keys whose state was computed from the changed code. A module body that
        changed is evaluated again, but only readers of the globals its edit can reach
        (changes.names) depend on it, unless it read something else that changed."""
        def touched(path: str, key: str) -> bool:
            if path not in changes.keys:
                return False
            keys = changes.keys[path]
            return keys is None or key in keys

        reset: set[str] = set()
        for name, mod in self.project.modules.items():
            if touched(mod.path, f"<module>:{name}"):
                reset.add(f"<module>:{name}")
        for q, ref in self.project.functions.items():
            if q in self.demand.functions and touched(ref.module.path, q):
                reset.add(q)
        writes: dict[str, list[str]] = {}
        for stored, writers in self._writers.items():
            for w in writers:
                writes.setdefault(w, []).append(stored)
        globals_read: dict[str, list[str]] = {}  # module -> "globals:M.name" keys read
        for read in self._readers:
            if read.startswith("globals:"):
                globals_read.setdefault(read[8:].rpartition(".")[0], []).append(read)
        limited = dict(changes.names)
        todo = list(reset)
        while todo:
            key = todo.pop()
            written = [*writes.get(key, ())]
            if key.startswith("<module>:"):
                module = key[9:]
                names = limited.get(module)
                written += ([f"globals:{module}.{n}" for n in sorted(names)] if names is not None
                            else globals_read.get(module, []))
            else:
                written.append(key)
            for w in written:
                for other in (*self._readers.get(w, ()), *self._writers.get(w, ())):
                    if other == key or not self._exists(other):
                        continue
                    if other.startswith("<module>:") and other[9:] in limited:
                        # it read something else that changed: any of its globals may change
                        del limited[other[9:]]
                        if other in reset:
                            todo.append(other)
                    if other not in reset:
                        reset.add(other)
                        todo.append(other)
        return reset

    def _exists(self, key: str) -> bool:
        if key.startswith("<module>:"):
            return key[9:] in self.project.modules
        return key in self.project.functions


@dataclass(frozen=True, slots=True)
class Changes:
    """What an edit changed, for an incremental solve."""

    # path -> keys of its code whose facts changed (module body, functions); None for all
    keys: dict[str, frozenset[str] | None]
    # module -> globals that the edit of its body can change (absent: any of them)
    names: dict[str, frozenset[str]]


def changes_since(project: Project, previous: SolverState, digests: dict[str, str],
             old_module: Callable[[str, str], ir.Module | None]) -> Changes | None:
    """What changed in the paths whose contents changed while their definitions did not;
    None when the set of modules or any definition changed, which needs a full solve."""
    if previous.modules != project.module_names:
        return None
    changes = Changes({}, {})
    for path, name in project.module_names.items():
        if previous.digests.get(path) == digests.get(path):
            continue
        old = old_module(path, previous.digests[path])
        new = project.modules[name]
        if old is None or interface(old) != interface(new):
            return None
        keys = changes.keys[path] = _changed_code(name, old, new)
        if keys is None or f"<module>:{name}" in keys:
            # (a module body that did not change is only evaluated again when it read
            # something that did, and then any of its globals may change)
            names = _changed_globals(old, new)
            if names is not None:
                changes.names[name] = names
    return changes


def _changed_code(name: str, old: ir.Module, new: ir.Module) -> frozenset[str] | None:
    """Keys of the functions (and module body) of `name` whose facts or body differ; None
    when anything else in the file differs, such as the node numbers of class attributes.
    An edit to a comment or to one function leaves the rest of the file's state valid."""
    if (old.classes != new.classes or old.imports != new.imports
            or old.packed is None or new.packed is None
            or len(old.packed) != len(old.functions) or len(new.packed) != len(new.functions)
            or [f.qualname for f in old.functions] != [f.qualname for f in new.functions]):
        return None
    keys = set()
    for index, (a, b) in enumerate(zip(old.functions, new.functions, strict=True)):
        if a != b or old.packed[index] != new.packed[index]:
            keys.add(f"<module>:{name}" if a.qualname == ir.MODULE_BODY
                     else f"{name}.{a.qualname}")
    return frozenset(keys)


def _changed_globals(old: ir.Module, new: ir.Module) -> frozenset[str] | None:
    """Module-level names whose value the edit can change: those assigned by statements that
    were added or removed, and by statements that read such names. Everything else the body
    computes is computed as before, unless it reads what other changed code computes, which
    _dependents checks. None when the bodies cannot be compared."""
    try:
        index = [f.qualname for f in new.functions].index(ir.MODULE_BODY)
        old_body = Counter(ir.unpack_body(old, index))
        new_body = ir.unpack_body(new, index)
    except (ValueError, IndexError, TypeError):
        return None
    new_counts = Counter(new_body)
    changed: set[str] = set()
    for stmt in (*(old_body - new_counts).elements(), *(new_counts - old_body).elements()):
        changed |= order.names(stmt)[1]
    uses = [order.names(stmt) for stmt in new_body]
    grew = bool(changed)
    while grew:
        grew = False
        for reads, assigned in uses:
            if reads & changed and not assigned <= changed:
                changed |= assigned
                grew = True
    return frozenset(changed)


_NOT_INTERFACE = frozenset({"node", "body", "packed", "calls", "subscript_bases", "one_pass",
                            "strong", "looped",
                            "node_count", "line_count", "suppressions"})


def interface(fact: object) -> object:
    """A module's definitions without bodies and node numbers: what other modules' analysis
    can depend on besides the summaries, attributes and globals tracked per reader."""
    if isinstance(fact, tuple):
        return tuple(interface(x) for x in fact)
    if not isinstance(fact, ir._Fact):
        return fact
    names: tuple[str, ...] = fact.__slots__
    return (type(fact).__name__, *(interface(getattr(fact, n)) for n in names
                                   if n not in _NOT_INTERFACE))
