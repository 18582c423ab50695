"""The global phase: evaluates every function over abstract values, computes function
summaries to a fixpoint (which parameters reach which sinks, what a function returns), and
collects the flows of serials into client-visible sinks.

Inside a function the analysis is flow-insensitive (a variable holds the union of everything
assigned to it), which is cheap and, for view code, rarely less precise. Across functions it
is summary-based, in the style of Pysa: a parameter is a symbolic taint `param:N`; a summary
records where each one goes; a call site substitutes its arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from idlint.analysis import ir
from idlint.analysis.core import Demand
from idlint.analysis.flows import LABEL_WORDS, Flow, ParamSink, Summary, rule_for
from idlint.analysis.incremental import Changes, Incremental, SolverState, changes_since, interface
from idlint.analysis.project import Project
from idlint.analysis.schedule import MAX_WAVES
from idlint.knowledge import Knowledge
from idlint.templates import TemplateSource

# Names used elsewhere, and the classes of the solver state: states cached before the solver
# was split into modules name their classes under this one, and still load through these.
__all__ = [
    "LABEL_WORDS",
    "MAX_WAVES",
    "Changes",
    "Demand",
    "Flow",
    "ParamSink",
    "SolveResult",
    "Solver",
    "SolverState",
    "Summary",
    "interface",
    "rule_for",
    "solve",
]


class Solver(Incremental):
    """The whole solver, built in layers: each is a class in its own module that extends the
    one before. core (the state), expressions, library (the transforms and queries the
    knowledge describes), calls (callees, sinks, summaries applied at call sites), bodies
    (functions, parameters, statements), schedule (demand and worklist), incremental (the
    state between runs). Evaluation recurses across layers; the few calls into a later one
    are declared in core. Methods are found on the class as before: no delegation in the
    evaluation loops."""


@dataclass(frozen=True, slots=True)
class SolveResult:
    flows: list[Flow]
    broken: list[tuple[str, str]]  # (path, message) for code whose evaluation failed
    state: SolverState | None  # for the next run, when digests were given
    mode: str  # "full" or "incremental"
    evaluated: int  # evaluations of module bodies and functions, re-evaluations included


def solve(modules: Iterable[ir.Module], knowledge: Knowledge, *,
          digests: dict[str, str] | None = None, previous: SolverState | None = None,
          old_module: Callable[[str, str], ir.Module | None] | None = None,
          templates: TemplateSource | None = None) -> SolveResult:
    """The flows in `modules`. With `previous` and `old_module(path, digest)` (an earlier
    version of a file's facts), only code affected by what changed is evaluated again.
    With `templates`, the templates render calls name are read (see rendered_templates.py);
    a previous state is used only while the templates it read are unchanged."""
    if previous is not None and previous.templates and (
            templates is None or not templates.unchanged(previous.templates)):
        previous = None
    solver = Solver(Project(modules, knowledge.library_aliases), knowledge)
    solver.templates = templates
    flows = None
    mode = "full"
    evaluated = 0
    if previous is not None and digests is not None and old_module is not None:
        changes = changes_since(solver.project, previous, digests, old_module)
        if changes is not None:
            flows = solver.run_incremental(previous, changes)
            mode = "incremental"
            if flows is None:  # the project index holds no state: keep it
                evaluated = solver.evaluations
                solver = Solver(solver.project, knowledge)
                solver.templates = templates
                mode = "full"
    if flows is None:
        flows = solver.run()
    state = solver.state(digests) if digests is not None else None
    if state is not None and templates is not None:
        # (an incremental run read only the templates of what it evaluated again)
        kept = previous.templates if previous is not None and mode == "incremental" else {}
        state.templates = {**kept, **templates.fingerprints}
    return SolveResult(flows, sorted(set(solver.broken.values())), state, mode,
                       evaluated + solver.evaluations)
