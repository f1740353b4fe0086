"""A helpdesk's own facts about a ticket: JSON-like values, checked at the edge, immutable.

A host knows things the rules of docs/rules.md do not name: the customer's tier, the
organisation, the product, tags, a region. `Incident.receive(fields=...)` stores them in
the first event, so they are replayed and stored with the history, and every policy
decision reads them (`incident.fields["tier"]`). They are bounded so that a stored
history stays small and a hostile one cannot make reading it expensive.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    """An immutable table of a ticket's own facts, by name.

    The host passes a plain dict to `Incident.receive(fields=...)` (or to `Fields(...)`);
    it is checked and kept as `Fields`, a list inside as a tuple, a table as `Fields`
    again, so it equals a mapping of the same names to those values. Names are 1 to 64
    characters; values are strs of at most 1,000 characters, whole numbers within
    ±(2**53 - 1), finite floats, bools and None, in lists and tables nested at most 4
    deep, 256 values in all (each list and table counts as one). Text is valid Unicode
    without NUL (no lone surrogates), which UTF-8 stores hold. `as_json()` gives the fields back
    as plain JSON values.

    Raises:
        InvalidTypeError: a name that is not a str, a value that is not JSON-like.
        InvalidValueError: a value beyond the bounds, a name given twice.
    """

    __slots__ = ("_items",)
    _items: dict[str, FieldValue]

    def __init__(self, fields: Mapping[str, object] | None = None, /) -> None:
        items = {} if fields is None else host_fields(fields)._items  # noqa: SLF001 (our own)
        object.__setattr__(self, "_items", items)

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

    See `Fields` for what a field may hold. An error's `path` names the value
    (``tags[2]``), relative to `what`, which its message names too (``fields.tags[2]``).
    """
    if type(value) is Fields:
        return value
    return _table(value, what, "", 1, [0])


def _table(value: object, what: str, path: str, depth: int, counted: list[int]) -> Fields:
    if not issubclass(type(value), Mapping):  # type(): a spoofed __class__ does not pass
        msg = f"{join(what, path)} must be a table of names to values, got {described(value)}"
        raise InvalidTypeError(msg, path=path)
    items: dict[str, FieldValue] = {}
    # Read `items` inside `_read`: a mapping of one's own may fail to give it at all.
    for name, item in _read(lambda: value.items(), what, path, "table"):  # type: ignore[attr-defined]  # noqa: PLW0108
        key = _name(name, what, path)
        if key in items:
            msg = f"{join(what, path)} names {shown(key)} twice; give each field once"
            raise InvalidValueError(msg, path=path)
        items[key] = _value(item, what, join(path, key), depth, counted)
    return _made(items)


def _read(
    read: Callable[[], Iterable[tuple[Any, object]]], what: str, path: str, shape: str
) -> Iterator[tuple[Any, object]]:
    """The pairs `read()` gives, one at a time, so a long container is refused early.

    A container of one's own class that fails while it is read is refused, naming its path.
    """
    try:
        pairs = iter(read())
        while True:
            try:
                pair = next(pairs)
            except StopIteration:
                return
            name, item = pair
            yield name, item
    except Exception as err:  # noqa: BLE001 (whatever a container of one's own raises)
        msg = f"{join(what, path)} could not be read as a {shape} ({type(err).__name__})"
        raise InvalidTypeError(msg, path=path) from None


def _name(name: object, what: str, path: str) -> str:
    if not issubclass(type(name), str):
        msg = f"{join(what, path)} has the name {described(name)}; a field's name is a str"
        raise InvalidTypeError(msg, path=path)
    key = str.__str__(name)  # an exact str, as a StrEnum's value
    if not key.strip() or len(key) > MAX_FIELD_NAME or not _unicode(key):
        msg = (
            f"{join(what, path)} has the name {shown(key)}; a field's name is 1 to "
            f"{MAX_FIELD_NAME} characters of valid Unicode, not only spaces"
        )
        raise InvalidValueError(msg, path=path)
    return key


def _value(value: object, what: str, path: str, depth: int, counted: list[int]) -> FieldValue:
    counted[0] += 1
    if counted[0] > MAX_FIELD_VALUES:
        msg = f"{what} hold more than {MAX_FIELD_VALUES} values; keep a ticket's own facts short"
        raise InvalidValueError(msg, path=path)
    kind = type(value)
    if not issubclass(kind, Mapping | list | tuple) or issubclass(kind, str):
        return _scalar(value, what, path)
    if depth >= MAX_FIELD_DEPTH:
        msg = f"{join(what, path)} nests deeper than {MAX_FIELD_DEPTH} lists or tables"
        raise InvalidValueError(msg, path=path)
    if issubclass(kind, Mapping):
        return _table(value, what, path, depth + 1, counted)
    return tuple(
        _value(item, what, f"{path}[{index}]", depth + 1, counted)
        for index, item in _read(lambda: enumerate(value), what, path, "list")  # type: ignore[arg-type]
    )


def _scalar(value: object, what: str, path: str) -> FieldValue:
    """A JSON value that is not a list or a table, as exactly its built-in type.

    Its type is read with `type()` and its value through the built-in's own method, so a
    subclass cannot pass one value to the checks and store another.
    """
    kind = type(value)  # with isinstance, which a spoofed `__class__` alone passes
    if value is None:
        return None
    if kind is bool:
        return value is True
    if isinstance(value, str) and issubclass(kind, str):
        text = str.__str__(value)
        if len(text) > MAX_FIELD_TEXT or not _unicode(text):
            msg = (
                f"{join(what, path)} is not text of at most {MAX_FIELD_TEXT} characters of "
                "valid Unicode"
            )
            raise InvalidValueError(msg, path=path)
        return text
    if isinstance(value, int) and issubclass(kind, int):
        number = int.__int__(value)
        if not -MAX_FIELD_INT <= number <= MAX_FIELD_INT:
            msg = f"{join(what, path)} is {shown(number)}, beyond ±{MAX_FIELD_INT} (2**53 - 1)"
            raise InvalidValueError(msg, path=path)
        return number
    if isinstance(value, float) and issubclass(kind, float):
        real = float.__float__(value)
        if not math.isfinite(real):
            msg = f"{join(what, path)} is {real}; JSON holds finite numbers only"
            raise InvalidValueError(msg, path=path)
        return real
    msg = (
        f"{join(what, path)} is {described(value)}; a field holds a str, a whole number, "
        "a float, a bool, None, or a list or table of them"
    )
    raise InvalidTypeError(msg, path=path)


def _unicode(text: str) -> bool:
    """Whether `text` is valid Unicode without NUL: what UTF-8 stores hold.

    PostgreSQL's text refuses NUL, and every UTF-8 encoder a lone surrogate.
    """
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
