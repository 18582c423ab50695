"""A base for the frozen, slotted dataclasses that are pickled in bulk (facts, solver state)."""

from __future__ import annotations


class Compact:
    """Pickles as (class, field values). The generic state protocol of slotted dataclasses
    looks the fields up again for every object, which made loading a warm cache slower than
    parsing and saving the solver's state a noticeable share of a warm run."""

    __slots__: tuple[str, ...] = ()

    def __reduce__(self) -> tuple:
        return (type(self), tuple(getattr(self, name) for name in self.__slots__))
