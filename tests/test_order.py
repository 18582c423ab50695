"""Which bodies the solver may evaluate in one pass instead of two (order.py): only those
where no statement reads a local name that the same or a later statement assigns."""

from __future__ import annotations

import textwrap

import pytest

from idlint.analysis.perfile import analyse


def flags(source: str) -> dict[str, bool]:
    result = analyse(textwrap.dedent(source).encode(), "m.py", "m", False)
    assert result.module is not None
    return {fn.qualname: fn.one_pass for fn in result.module.functions}


@pytest.mark.parametrize(("body", "expected"), [
    # straight-line code: every read comes after the assignments it can see
    ("m = get(pk)\nreturn {'id': m.id}", True),
    ("ids = []\nids.append(m.id)\nreturn ids", True),  # the receiver only joins into itself
    ("total = 0\ntotal += m.id\nreturn total", True),
    ("d = {}\nd['id'] = m.id\nreturn d", True),
    ("return [x.id for x in items]", True),  # a comprehension variable read after its binding
    ("for m in items:\n    out = m.id\nreturn out", True),
    # a read that a later assignment reaches: loops flattened by the IR, late bindings
    ("for m in items:\n    use(prev)\n    prev = m.id", False),
    ("x = f(x)\nreturn x", False),  # reads what it assigns
    ("r = [x for x in x]\nreturn r", False),  # the iterable is read before the binding
    ("a = [x for x in p] + [x for x in q]\nreturn a", False),  # one name, two bindings
    ("v = [x for x in p]\nx = 1\nreturn v", False),  # a later assignment to the variable
    ("h = sha1()\nh.update(m.id)\nh = other()", False),  # the receiver is reassigned later
    ("cb = lambda: y\ny = m.id\nreturn cb()", False),  # a lambda reads at its call
    ("if c:\n    n = m.id\nelse:\n    n = k\nreturn n", True),
    ("while more():\n    n = n + 1", False),
])
def test_one_pass(body: str, expected: bool) -> None:
    source = "def view(request, m, items, p, q, c, k):\n" + textwrap.indent(body, "    ") + "\n"
    assert flags(source)["view"] is expected


def test_module_body_gets_its_own_flag() -> None:
    assert flags("A = 1\nB = A + 1\n") == {"<module>": True}
    assert flags("B = A + 1\nA = 1\n") == {"<module>": False}


def test_walrus_assigns_before_the_statement_that_holds_it() -> None:
    source = """
    def view(request):
        if (m := get(request)) is not None:
            return m.id
    """
    assert flags(source)["view"] is True


def first_pass_of(body: str) -> list[str]:
    """The statements the first pass over `view` evaluates: the names they assign, or the
    kind of statement."""
    from idlint.analysis import ir
    from idlint.analysis.order import first_pass, names
    from idlint.analysis.project import Project

    source = "def view(request, m, items, obj):\n" + textwrap.indent(body, "    ") + "\n"
    result = analyse(source.encode(), "m.py", "m", False)
    assert result.module is not None
    project = Project([result.module])
    ref = project.functions["m.view"]
    assert not ref.function.one_pass
    stmts = first_pass(project.body(ref))
    assert project.first_pass(ref.module, ref.index) == stmts
    out = []
    for stmt in stmts:
        assigned = sorted(names(stmt)[1])
        out.append(" ".join(assigned) if assigned else type(stmt).__name__)
        if isinstance(stmt, ir.For):
            out[-1] = "for " + out[-1]
    return out


def test_first_pass_evaluates_only_what_an_early_read_needs() -> None:
    body = ("for x in items:\n"
            "    log(prev)\n"
            "    key = x.code\n"
            "    prev = key\n"
            "    other = x.id\n"
            "send(other)\n"
            "return other")
    # `prev` is read before its assignment: it, the `key` it is built from and the `x` that
    # is from are needed; `other` is read only after it is assigned; calls and returns bind
    # nothing
    assert first_pass_of(body) == ["for x", "key", "prev"]


def test_first_pass_keeps_what_binds_names_it_cannot_see() -> None:
    body = ("log(prev)\n"
            "prev = m.id\n"
            "rows = list(map(lambda r: r.id, items))\n"
            "obj.data['k'] = m.id\n"
            "return rows")
    assert first_pass_of(body) == ["prev", "rows", "Assign"]
