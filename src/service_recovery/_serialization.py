"""To and from JSON-ready dicts, versioned, with cattrs; bad data names its path.

Times are ISO 8601 strings with their offset and, when the zone has a name, the name in
brackets (RFC 9557: ``2026-03-01T10:00:00+01:00[Europe/Madrid]``), so nothing is lost;
amounts are strings (``"12.50"``), never floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import cattrs
from cattrs.v import format_exception

from ._errors import RecoveryError, SerializationError
from ._events import EVENT_TYPES, Event
from ._money import Money

SCHEMA_VERSION = 1
"""The version every serialized event carries under ``"schema"``."""

T = TypeVar("T")


class _DataError(ValueError):
    """A value in stored data is malformed; its message is shown as it is, with the path."""


def _format_time(value: datetime) -> str:
    zone = getattr(value.tzinfo, "key", None)
    return value.isoformat() + (f"[{zone}]" if zone else "")


def _parse_time(value: object, _: object) -> datetime:
    if not isinstance(value, str):
        msg = f"expected an ISO 8601 time string, got {type(value).__name__} {value!r}"
        raise _DataError(msg)
    stamp, _, zone = value.partition("[")
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        msg = f"{value!r} is not an ISO 8601 time such as '2026-11-22T09:30:00+00:00'"
        raise _DataError(msg) from None
    if parsed.tzinfo is None:
        msg = f"{value!r} has no UTC offset; stored times are aware, e.g. '...+00:00'"
        raise _DataError(msg)
    if not zone:
        return parsed
    try:
        return parsed.astimezone(ZoneInfo(zone.removesuffix("]")))
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"{value!r} names an unknown time zone {zone.removesuffix(']')!r}"
        raise _DataError(msg) from None


def _parse_decimal(value: object, _: object) -> Decimal:
    if not isinstance(value, str):
        msg = f"expected a number as a string such as '12.50', got {type(value).__name__} {value!r}"
        raise _DataError(msg)
    try:
        return Decimal(value)
    except InvalidOperation:
        msg = f"{value!r} is not a number; expected digits such as '12.50'"
        raise _DataError(msg) from None


def _money_dict(money: Money) -> dict[str, str]:
    return {"amount": str(money.amount), "currency": money.currency}


def _parse_money(value: object, _: object) -> Money:
    if not isinstance(value, Mapping) or set(value) != {"amount", "currency"}:
        msg = f"expected {{'amount': '12.50', 'currency': 'USD'}}, got {value!r}"
        raise _DataError(msg)
    try:
        return Money.of(_parse_decimal(value["amount"], None), value["currency"])
    except RecoveryError as err:
        raise _DataError(str(err)) from None


def _strict(kind: type[T]) -> Any:  # noqa: ANN401 (a cattrs hook)
    def parse(value: object, _: object) -> T:
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            msg = f"expected {kind.__name__}, got {type(value).__name__} {value!r}"
            raise _DataError(msg)
        return value

    return parse


def _enum_value(member: Enum) -> object:
    return member.value


def _parse_enum(value: object, kind: type[Enum]) -> Enum:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in kind)
        msg = f"{value!r} is not a {kind.__name__}; expected one of {choices}"
        raise _DataError(msg) from None


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(datetime, _format_time)
    converter.register_structure_hook(datetime, _parse_time)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _parse_decimal)
    converter.register_unstructure_hook(Money, _money_dict)
    converter.register_structure_hook(Money, _parse_money)
    # cattrs dispatches on the MRO: StrEnum comes before str, bool before int, so the
    # strict str and int hooks never catch an enum or a bool.
    for base in (Enum, StrEnum):
        converter.register_unstructure_hook(base, _enum_value)
        converter.register_structure_hook(base, _parse_enum)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict(kind))
    return converter


converter = _make_converter()
"""The one cattrs converter for every type the library stores."""


def _describe(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, _DataError | RecoveryError):
        return str(exc)
    return format_exception(exc, kind)


def structure(data: object, kind: type[T], path: str) -> T:
    """Build a `kind` from plain data, or raise `SerializationError` naming every bad path."""
    try:
        return converter.structure(data, kind)
    except (cattrs.BaseValidationError, _DataError, RecoveryError) as err:
        problems = cattrs.transform_error(err, path=path, format_exception=_describe)
        first_path = problems[0].rpartition(" @ ")[2] if " @ " in problems[0] else path
        raise SerializationError("; ".join(problems), path=first_path) from err


def serialize_event(event: Event) -> dict[str, Any]:
    """Return `event` as a JSON-ready dict tagged with its type and the schema version."""
    data: dict[str, Any] = converter.unstructure(event)
    return {"schema": SCHEMA_VERSION, "type": type(event).__name__, **data}


def deserialize_event(data: object, *, path: str = "event") -> Event:
    """Rebuild an event from `serialize_event`'s dict.

    Raises:
        SerializationError: not a dict, an unknown schema or type, or a malformed field;
            the message and `err.path` name where (``events[3].at``).
    """
    if not isinstance(data, Mapping):
        msg = f"{path} must be a dict, got {type(data).__name__} {data!r}"
        raise SerializationError(msg, path=path)
    fields = dict(data)
    schema = fields.pop("schema", None)
    if schema != SCHEMA_VERSION:
        msg = f"{path}.schema is {schema!r}; this version reads schema {SCHEMA_VERSION}"
        raise SerializationError(msg, path=f"{path}.schema")
    tag = fields.pop("type", None)
    kind = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if kind is None:
        msg = f"{path}.type is {tag!r}; expected one of {', '.join(sorted(EVENT_TYPES))}"
        raise SerializationError(msg, path=f"{path}.type")
    return structure(fields, kind, path)


def serialize_events(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Return a history as a list of JSON-ready dicts (see `serialize_event`)."""
    return [serialize_event(event) for event in events]


def deserialize_events(data: Iterable[object]) -> tuple[Event, ...]:
    """Rebuild a history; an error names the event's index (``events[3].at``)."""
    if isinstance(data, str | bytes | Mapping):
        msg = f"events must be a list of dicts, got {type(data).__name__}"
        raise SerializationError(msg, path="events")
    return tuple(deserialize_event(item, path=f"events[{i}]") for i, item in enumerate(data))
