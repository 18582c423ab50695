"""The solver's worklist: a function is evaluated again only when something it reads changed
in a way it can see, and code that reads an attribute sees what its writers store at once."""

from __future__ import annotations

import textwrap
from collections import Counter

from idlint.analysis import ir
from idlint.analysis.core import attr_seen
from idlint.analysis.flows import Summary
from idlint.analysis.perfile import analyse
from idlint.analysis.project import Project
from idlint.analysis.solve import Solver
from idlint.analysis.values import OWN_ONLY, RAW, NodeRef, Step, Taint, Value
from idlint.knowledge import load_knowledge

AT_1 = NodeRef("app/store.py", 1)
AT_2 = NodeRef("app/store.py", 2)


def serial(at: NodeRef, steps: int, origin: str = "Ticket.id") -> Taint:
    trace = tuple(Step("call", AT_1, f"step {i}") for i in range(steps))
    return Taint(origin, RAW, "high", "", trace, at)


class CountingSolver(Solver):
    """Counts the evaluations of each worklist key."""

    def _run_key(self, key: str) -> None:
        self.counted[key] += 1
        super()._run_key(key)


def solver(files: dict[str, str]) -> CountingSolver:
    modules = []
    for path, source in files.items():
        name = path.removesuffix(".py").replace("/", ".")
        result = analyse(textwrap.dedent(source).encode(), path, name, False)
        assert result.module is not None
        modules.append(result.module)
    knowledge = load_knowledge(None)
    s = CountingSolver(Project(modules, knowledge.library_aliases), knowledge)
    s.counted = Counter()
    return s


def test_a_read_attribute_looks_the_same_when_a_serial_is_stored_elsewhere_with_a_longer_trace(
) -> None:
    before = Value(taints=frozenset({serial(AT_1, 1)}))
    longer_elsewhere = Value(taints=frozenset({serial(AT_1, 1), serial(AT_2, 3)}))
    shorter_elsewhere = Value(taints=frozenset({serial(AT_1, 1), serial(AT_2, 0)}))
    other_serial = Value(taints=frozenset({serial(AT_1, 1), serial(AT_2, 3, "Seat.id")}))
    assert attr_seen(before) == attr_seen(longer_elsewhere)
    assert attr_seen(before) != attr_seen(shorter_elsewhere)
    assert attr_seen(before) != attr_seen(other_serial)
    assert attr_seen(before) != attr_seen(Value(frozenset({("instance", "app.Seat")}),
                                                before.taints))


def test_callers_see_a_summary_without_the_functions_own_marks_and_return_places() -> None:
    s = solver({"app/tickets.py": """
        def pick(flag=False):
            if flag:
                return 1
            return 2
    """})
    ref = s.project.functions["app.tickets.pick"]
    returns = [stmt.node for stmt in s.project.body(ref) if isinstance(stmt, ir.Return)]
    guarded, plain = (NodeRef("app/tickets.py", n) for n in returns)
    assert s._guarded_returns(ref) == {guarded.node: (("flag", True),)}
    base = Summary(Value(taints=frozenset({serial(plain, 1)})))
    same = [
        Summary(Value(frozenset({(OWN_ONLY, "app.Ticket")}), base.ret.taints)),
        Summary(Value(taints=frozenset({serial(NodeRef("app/tickets.py", 99), 1)}))),
    ]
    different = [
        Summary(Value(taints=frozenset({serial(guarded, 1)}))),  # a call may skip it
        Summary(Value(frozenset({("ext", "json.dumps")}), base.ret.taints)),
        Summary(base.ret, closure=(("x", base.ret),)),
    ]
    for summary in same:
        assert s._summary_seen(ref, summary) == s._summary_seen(ref, base)
    for summary in different:
        assert s._summary_seen(ref, summary) != s._summary_seen(ref, base)


def test_the_writer_of_a_read_attribute_runs_before_the_reader_goes_on() -> None:
    # `stamp` is called by nothing: it is demanded by the read of `note` in the view, which
    # sees what it stores in the same evaluation and is not evaluated a second time.
    s = solver({
        "app/models.py": """
            from django.db import models

            class Ticket(models.Model):
                code = models.CharField(max_length=8)
        """,
        "app/views.py": """
            from django.http import JsonResponse
            from app.models import Ticket

            class Card:
                def __init__(self):
                    self.title = "card"

            def stamp(card: Card, ticket: Ticket):
                card.note = ticket.id

            def show(request):
                card = Card()
                return JsonResponse({"note": card.note})
        """,
    })
    flows = s.run()
    assert s.counted["app.views.show"] == 1
    assert s.counted["app.views.stamp"] == 1
    assert [(f.code, f.origin, f.function) for f in flows] == [
        ("IDL001", "Ticket.id", "app.views.show")]


def test_a_recursive_function_storing_its_parameter_keeps_one_store_per_attribute() -> None:
    # `clean` passes `value` on to itself along three paths and stores what it gets on a
    # wrapper: the summary keeps one store (the shortest trace), not one per path taken, which
    # grew with every evaluation and never settled.
    s = solver({"app/settings_view.py": """
        from django.http import JsonResponse

        class Wrapper:
            def __init__(self, wrapped):
                self.wrapped = wrapped

        def clean(key, value):
            if isinstance(value, dict):
                out = {k: clean(k, v) for k, v in value.items()}
            elif isinstance(value, list):
                out = [clean("", v) for v in value]
            elif isinstance(value, tuple):
                out = tuple([clean("", v) for v in value])
            else:
                out = value
            if callable(out):
                out = Wrapper(out)
            return out

        def show(request):
            return JsonResponse({"shown": repr(clean("q", request.GET))})
    """})
    s.run()
    stores = s.summaries["app.settings_view.clean"].param_stores
    assert [(st.param, st.cls, st.attr, len(st.steps)) for st in stores] == [
        (1, "app.settings_view.Wrapper", "wrapped", 0)]
    assert s.counted["app.settings_view.clean"] <= 3


DEMAND = {
    "app/store.py": """
        from django.http import JsonResponse


        class Feed:
            def get(self, value):
                return JsonResponse({"v": value})

            def push(self, value):
                return JsonResponse({"v": value})


        def totals(rows):
            counts = {}
            for row in rows:
                counts[row] = counts.get(row, 0) + 1
            return counts


        def relay(feed, value):
            feed.push(value)


        def forward(response, value):
            response["X-Value"] = value


        def recurse(value, depth):
            if depth:
                recurse(value, depth - 1)
            return JsonResponse({"v": value})
    """,
}


def test_only_code_that_can_report_is_evaluated_first() -> None:
    # `totals` assigns items of a dict and calls dict's `get`: neither can reach a client,
    # though a method named `get` has a parameter sink. `relay` calls `push`, a name only
    # project code defines, and `forward` writes into a name for a response.
    s = solver(DEMAND)
    s.run()
    assert sorted(q for q in s.counted if not q.startswith("<module>")) == [
        "app.store.Feed.get", "app.store.Feed.push", "app.store.forward", "app.store.recurse",
        "app.store.relay"]


def test_a_recursive_function_keeps_one_parameter_sink_per_place() -> None:
    # each evaluation of `recurse` used to add a sink one call step longer, without end
    s = solver(DEMAND)
    s.run()
    sinks = s.summaries["app.store.recurse"].param_sinks
    assert [(ps.param, len(ps.steps)) for ps in sorted(sinks)] == [(0, 1)]
    assert s.counted["app.store.recurse"] <= 3


def test_parameter_sinks_are_kept_apart_by_everything_but_their_trace() -> None:
    from idlint.analysis.flows import ParamSink, shortest_sinks

    def sink(steps: int, field: str = "") -> ParamSink:
        trace = tuple(Step("call", AT_1, f"step {i}") for i in range(steps))
        return ParamSink(0, RAW, "", trace, AT_2, "response", "app.store.f", field=field)

    # the same sink reached by a longer path is dropped; a sink of another field of the
    # parameter (a built object's `self.note` and `self.owner`) is another sink
    assert shortest_sinks({sink(1), sink(3), sink(2, "note"), sink(1, "owner")}) == {
        sink(1), sink(2, "note"), sink(1, "owner")}
