"""Positions for the IR nodes that became findings or trace steps.

The extractor numbers nodes in its walk order; re-running it in locate mode over the same
source yields the same numbering plus the CST node behind each number, and libcst's
PositionProvider turns those into line/column ranges. Only files that appear in a finding
pay for this."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from idlint.analysis.perfile import parse


@dataclass(frozen=True, slots=True)
class NodeLocation:
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int  # 1-based, exclusive
    stmt_first: int  # lines of the statement that holds the node (for suppressions)
    stmt_last: int


def locate(source: bytes, path: str, module: str, is_package: bool,
           wanted: Iterable[int]) -> dict[int, NodeLocation]:
    import libcst as cst  # only files with findings are located; see perfile
    from libcst.metadata import MetadataWrapper, PositionProvider

    from idlint.analysis.extract import Extractor

    tree, _ = parse(source)
    ex = Extractor(path, module, is_package, locate=True)
    ex.run(tree)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    out: dict[int, NodeLocation] = {}
    for idx in wanted:
        if not 0 <= idx < len(ex.nodes):
            continue
        node = ex.nodes[idx]
        rng = positions.get(node)
        if rng is None:
            continue
        stmt = ex.stmts[idx]
        first, last = rng.start.line, rng.end.line
        srng = positions.get(stmt) if stmt is not None else None
        if srng is not None:
            if isinstance(stmt, cst.SimpleStatementLine):
                first, last = srng.start.line, srng.end.line
            else:  # a compound statement: only its header counts
                first = srng.start.line
        out[idx] = NodeLocation(rng.start.line, rng.start.column + 1, rng.end.line,
                                rng.end.column + 1, min(first, rng.start.line),
                                max(last, rng.end.line))
    return out
