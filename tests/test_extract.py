"""The extractor tells libcst's node classes apart by their exact type (their isinstance is an
ABC check that runs Python code when it fails, for every node): that is only right for
classes that nothing derives from."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst

from idlint.analysis import extract, ir
from idlint.analysis.perfile import analyse


def test_node_classes_tested_by_exact_type_have_no_subclasses() -> None:
    source = Path(extract.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r"type\(\w+\) is cst\.(\w+)", source))
    tuples = (extract._NUMBERS, extract._SEQUENCES, extract._COMPREHENSIONS, extract._TRIES,
              extract._COMPOUND, extract._EQUALITY)
    classes = {getattr(cst, n) for n in named} | {c for t in tuples for c in t}
    assert len(classes) > 30
    assert {c.__name__ for c in classes if c.__subclasses__()} == set()


def test_each_kind_of_node_is_extracted() -> None:
    source = (b"def view(request, rows):\n"
              b"    try:\n"
              b"        n = -1.5 + 2 + 3j\n"
              b"    except ValueError:\n"
              b"        pass\n"
              b"    pairs = {k: v for k, v in rows}\n"
              b"    seq = [1, (2,), {3}]\n"
              b"    return [r.id for r in rows], pairs, seq, n\n")
    result = analyse(source, "m.py", "m", False)
    assert result.module is not None
    fn = next(f for f in result.module.functions if f.qualname == "view")
    assert fn.catches
    body = ir.unpack_body(result.module, result.module.functions.index(fn))
    kinds = [type(s).__name__ for s in body]
    assert kinds == ["Assign", "Assign", "Assign", "Return"]
    number, pairs, seq = (s.value for s in body[:3])  # type: ignore[union-attr]
    assert isinstance(number, ir.BinOp) and isinstance(number.right, ir.Const)
    assert number.right.value == "3j"
    assert isinstance(pairs, ir.Comp) and pairs.kind == "dict"
    assert isinstance(seq, ir.Container) and [type(v).__name__ for _, v in seq.items] == [
        "Const", "Container", "Container"]
    returned = body[3].value  # type: ignore[union-attr]
    assert isinstance(returned, ir.Container) and returned.kind == "tuple"
    assert isinstance(returned.items[0][1], ir.Comp) and returned.items[0][1].kind == "list"
