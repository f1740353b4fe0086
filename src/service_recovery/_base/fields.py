"""A helpdesk's own facts about a ticket: JSON-like values, checked at the edge, immutable.

A host knows things the rules of docs/rules.md do not name: the customer's tier, the
organisation, the product, tags, a region. `Incident.receive(fields=...)` stores them in
the first event, so they are replayed and stored with the history, and every policy
decision reads them (`incident.fields["tier"]`). They are bounded so that a stored
history stays small and a hostile one cannot make reading it expensive.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

from service_recovery._base.checks import described, join, shown
from service_recovery.errors import InvalidTypeError, InvalidValueError

MAX_FIELD_VALUES = 256
"""The most values the fields of one ticket hold, counting those inside lists and tables."""
MAX_FIELD_DEPTH = 4
"""How deep lists and tables may nest: ``{"a": {"b": [1]}}`` is 3 deep."""
MAX_FIELD_TEXT = 1_000
"""The longest text a field may hold, in characters."""
MAX_FIELD_NAME = 64
"""The longest name of a field, in characters."""
MAX_FIELD_INT = 2**53 - 1
"""The largest whole number a field may hold, either sign: JSON readers keep it exact."""


class Fields(Mapping[str, "FieldValue"]):
    """An immutable table of a ticket's own facts, by name: equal to any mapping of them.

    The host passes a plain dict to `Incident.receive(fields=...)`; it is checked and kept
    as `Fields`, a list inside as a tuple, a table as `Fields` again. Names are 1 to 64
    characters; values are strs of at most 1,000 characters, whole numbers within
    ±(2**53 - 1), finite floats, bools and None, in lists and tables nested at most 4
    deep, 256 values in all. `as_json()` gives them back as plain JSON values.
    """

    __slots__ = ("_items",)
    _items: dict[str, FieldValue]

    def __getitem__(self, name: str) -> FieldValue:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Fields are immutable; cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Fields are immutable; cannot delete {name!r}"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return f"Fields({self._items!r})"

    def __reduce__(self) -> tuple[Any, tuple[dict[str, FieldValue]]]:
        return _rebuilt, (self._items,)

    def as_json(self) -> dict[str, Any]:
        """The fields as plain JSON values: tables as dicts, lists as lists."""
        return {name: _plain(value) for name, value in self._items.items()}


FieldValue: TypeAlias = str | int | float | bool | tuple["FieldValue", ...] | Fields | None
"""What a field holds: JSON's values, a list read back as a tuple, a table as `Fields`."""


def _made(items: dict[str, FieldValue]) -> Fields:
    table = object.__new__(Fields)
    object.__setattr__(table, "_items", items)
    return table


def _rebuilt(items: dict[str, FieldValue]) -> Fields:
    return _made(dict(items))


def _plain(value: FieldValue) -> Any:  # noqa: ANN401 (any JSON value)
    if isinstance(value, Fields):
        return value.as_json()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


NO_FIELDS = _made({})
"""A ticket without fields of its own: what `Incident.receive` records by default."""


def host_fields(value: object, what: str = "fields") -> Fields:
    """`value`, a mapping of names to JSON-like values, as `Fields`; refuse anything else.

    Names are non-empty strs; values are strs, whole numbers, finite floats, bools, None,
    lists and tables of them, within the bounds above. An error's `path` names the value
    (``fields.tags[2]``), relative to `what`.
    """
    if isinstance(value, Fields):
        return value
    counted = [0]
    return _table(value, what, "", 1, counted)


def _table(value: object, what: str, path: str, depth: int, counted: list[int]) -> Fields:
    if not isinstance(value, Mapping):
        msg = f"{join(what, path)} must be a table of names to values, got {described(value)}"
        raise InvalidTypeError(msg, path=path)
    items: dict[str, FieldValue] = {}
    for name, item in value.items():
        if not isinstance(name, str):
            msg = f"{join(what, path)} has the name {described(name)}; a field's name is a str"
            raise InvalidTypeError(msg, path=path)
        if not name.strip() or len(name) > MAX_FIELD_NAME:
            msg = (
                f"{join(what, path)} has the name {shown(name)}; a field's name is 1 to "
                f"{MAX_FIELD_NAME} characters, not only spaces"
            )
            raise InvalidValueError(msg, path=path)
        key = str.__str__(name)  # an exact str: a StrEnum member is stored as its value
        items[key] = _value(item, what, join(path, key), depth, counted)
    return _made(items)


def _value(value: object, what: str, path: str, depth: int, counted: list[int]) -> FieldValue:
    counted[0] += 1
    if counted[0] > MAX_FIELD_VALUES:
        msg = f"{what} hold more than {MAX_FIELD_VALUES} values; keep a ticket's own facts short"
        raise InvalidValueError(msg, path=path)
    if not isinstance(value, Mapping | list | tuple):
        return _scalar(value, what, path)
    if depth >= MAX_FIELD_DEPTH:
        msg = f"{join(what, path)} nests deeper than {MAX_FIELD_DEPTH} lists or tables"
        raise InvalidValueError(msg, path=path)
    if isinstance(value, Mapping):
        return _table(value, what, path, depth + 1, counted)
    return tuple(
        _value(item, what, f"{path}[{index}]", depth + 1, counted)
        for index, item in enumerate(value)
    )


def _scalar(value: object, what: str, path: str) -> FieldValue:
    """A JSON value that is not a list or a table, as exactly its built-in type."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if len(value) > MAX_FIELD_TEXT:
            msg = f"{join(what, path)} is longer than {MAX_FIELD_TEXT} characters"
            raise InvalidValueError(msg, path=path)
        return str.__str__(value)
    if isinstance(value, int):
        if abs(value) > MAX_FIELD_INT:
            msg = f"{join(what, path)} is {shown(value)}, beyond ±{MAX_FIELD_INT} (2**53 - 1)"
            raise InvalidValueError(msg, path=path)
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"{join(what, path)} is {value}; JSON holds finite numbers only"
            raise InvalidValueError(msg, path=path)
        return float(value)
    msg = (
        f"{join(what, path)} is {described(value)}; a field holds a str, a whole number, "
        "a float, a bool, None, or a list or table of them"
    )
    raise InvalidTypeError(msg, path=path)
