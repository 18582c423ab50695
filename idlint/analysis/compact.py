"""A base for the frozen, slotted dataclasses that are pickled in bulk (facts, solver state)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

# class -> a C-level getter of its field values as a tuple (see Compact.__reduce__)
_FIELDS: dict[type, Callable[[Any], tuple]] = {}


class Compact:
    """Pickles as (class, field values). The generic state protocol of slotted dataclasses
    looks the fields up again for every object, which made loading a warm cache slower than
    parsing and saving the solver's state a noticeable share of a warm run. The values are
    read by one `operator.attrgetter` per class, not a generator over the field names: a
    third less time to pickle a file's function bodies."""

    __slots__: tuple[str, ...] = ()

    def __reduce__(self) -> tuple:
        cls = type(self)
        fields = _FIELDS.get(cls)
        if fields is None:
            fields = _FIELDS[cls] = _fields_of(tuple(cls.__slots__))
        return (cls, fields(self))


def _fields_of(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    if len(names) > 1:
        return operator.attrgetter(*names)  # (a tuple of the values)
    if names:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()
