"""Workers skip libcst's validation of the nodes its parser builds (perfile.trust_parser)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass

from idlint.analysis.perfile import trust_parser


@dataclass
class _Checked:
    checked = 0  # (a class attribute: not a field)

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        type(self).checked += 1


@dataclass
class _DoesMore:
    def __post_init__(self) -> None:
        self._validate()
        self.extra = 1

    def _validate(self) -> None:
        raise AssertionError("never called here")


def test_a_plain_validation_hook_is_replaced() -> None:
    cls = dataclass(type("Node", (_Checked,), {"__post_init__": _Checked.__post_init__}))
    cls()
    assert cls.checked == 1
    assert trust_parser(cls) is True
    cls()
    assert cls.checked == 1
    assert trust_parser(cls) is True  # asked again: already replaced


def test_a_hook_that_does_more_is_kept() -> None:
    cls = dataclass(type("Node", (_DoesMore,), {"__post_init__": _DoesMore.__post_init__}))
    assert trust_parser(cls) is False
    assert cls.__dict__["__post_init__"] is _DoesMore.__post_init__


def test_libcst_nodes_in_a_trusting_process() -> None:
    # (in a child process: this one keeps libcst's validation for the other tests)
    code = textwrap.dedent("""
        import libcst
        from idlint.analysis.perfile import parse, trust_parser
        try:
            libcst.Name("not a name")
        except libcst.CSTValidationError:
            print("validated")
        print(trust_parser())
        libcst.Name("not a name")
        tree, text = parse(b"def f(x):\\n    return x.id\\n")
        print(type(tree.body[0]).__name__, tree.code == text)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == ["validated", "True", "FunctionDef True"]
