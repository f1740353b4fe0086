"""The one cattrs converter for every type the library stores; bad data names its path.

Times are ISO 8601 strings with their offset and, when the zone has a name, the name in
brackets (RFC 9557: ``2026-03-01T10:00:00+01:00[Europe/Madrid]``), so nothing is lost;
amounts are strings (``"12.50"``), never floats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, TypeVar, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.errors import ForbiddenExtraKeysError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from service_recovery._base.checks import described, join, member, number, shown
from service_recovery._base.checks import zone as zone_info
from service_recovery._base.fields import Fields, host_fields
from service_recovery._money.money import Money
from service_recovery.errors import PolicyError, RecoveryError, SerializationError
from service_recovery.events import Received

SCHEMA_VERSION = 1
"""The version every serialized event carries under ``"schema"``."""

T = TypeVar("T")


class DataError(ValueError):
    """A value in stored data is malformed; its message is shown as it is, with the path."""


def _format_time(value: datetime) -> str:
    zone = getattr(value.tzinfo, "key", None)
    return value.isoformat() + (f"[{zone}]" if zone else "")


def _parse_time(value: object, _: object) -> datetime:
    if not isinstance(value, str):
        msg = f"expected an ISO 8601 time string, got {described(value)}"
        raise DataError(msg)
    stamp, _, zone = value.partition("[")
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        msg = f"{shown(value)} is not an ISO 8601 time such as '2026-11-22T09:30:00+00:00'"
        raise DataError(msg) from None
    if parsed.tzinfo is None:
        msg = f"{shown(value)} has no UTC offset; stored times are aware, e.g. '...+00:00'"
        raise DataError(msg)
    if not zone:
        return parsed
    try:
        named = zone_info(zone.removesuffix("]"))
    except RecoveryError as err:
        msg = f"{shown(value)}: {err}"
        raise DataError(msg) from None
    # Give back the very wall time and fold that were stored (a time in a DST gap or
    # fold included), so the value compares equal to the original in its zone.
    for fold in (0, 1):
        local = parsed.replace(tzinfo=named, fold=fold)
        if local.utcoffset() == parsed.utcoffset():
            return local
    return parsed.astimezone(named)


def parse_decimal(value: object, _: object) -> Decimal:
    if not isinstance(value, str):
        msg = f"expected a number as a string such as '12.50', got {described(value)}"
        raise DataError(msg)
    return bounded(value)


def bounded(value: str | int) -> Decimal:
    """`value` as a Decimal, its length and exponent bounded before anything is computed."""
    try:
        return number(value, "the number")
    except RecoveryError as err:
        raise DataError(str(err)) from None


def _money_dict(money: Money) -> dict[str, str]:
    return {"amount": str(money.amount), "currency": money.currency}


_MONEY_KEYS = frozenset({"amount", "currency"})


def _parse_money(value: object, _: object) -> Money:
    # JSON gives a dict: the ABC's check (about 1 µs) only for anything else.
    if (type(value) is not dict and not isinstance(value, Mapping)) or value.keys() != _MONEY_KEYS:
        msg = f"expected {{'amount': '12.50', 'currency': 'USD'}}, got {shown(value)}"
        raise DataError(msg)
    try:
        amount = value["amount"]
        if type(amount) is not str:
            parse_decimal(amount, None)  # refuses it, as for any stored number not a str
        # A str goes to `Money.of` whole: it bounds the text as `parse_decimal` would.
        return Money.of(amount, value["currency"])
    except RecoveryError as err:
        raise DataError(str(err)) from None


def _strict(kind: type[T]) -> Any:  # noqa: ANN401 (a cattrs hook)
    def parse(value: object, _: object) -> T:
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            msg = f"expected {kind.__name__}, got {described(value)}"
            raise DataError(msg)
        return value

    return parse


def _enum_value(member: Enum) -> object:
    return member.value


def _parse_enum(value: object, kind: type[Enum]) -> Enum:
    return member(kind, value, f"a {kind.__name__}")


def _tables(kind: type) -> str:
    fields = ", ".join(f.name for f in attrs.fields(get_origin(kind) or kind))
    return f"a table with {fields}"


def shaped(converter: cattrs.Converter) -> None:
    """Check the shape of data before cattrs reads it: a table or a list, as the type says.

    So ``{"authority": "manager"}`` is an error naming its path, rather than an
    ``AttributeError`` from deep inside cattrs.
    """

    def table(kind: type) -> Any:  # noqa: ANN401 (a cattrs hook)
        read: Callable[[Any, Any], Any] = make_dict_structure_fn(kind, converter)
        expected = _tables(kind)

        def structure(value: object, _: object) -> Any:  # noqa: ANN401
            # JSON gives a dict: the ABC's check (about 1 µs) only for anything else.
            if type(value) is not dict and not isinstance(value, Mapping):
                msg = f"expected {expected}, got {described(value)}"
                raise DataError(msg)
            return read(value, kind)

        return structure

    def listed(kind: type) -> Any:  # noqa: ANN401 (a cattrs hook)
        read: Callable[[Any, Any], Any] = homogenous_tuple_structure_factory(kind, converter)

        def structure(value: object, _: object) -> Any:  # noqa: ANN401
            if type(value) is not list and (
                isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple)
            ):
                msg = f"expected a list, got {described(value)}"
                raise DataError(msg)
            return read(value, kind)

        return structure

    converter.register_structure_hook_factory(attrs.has, table)
    converter.register_structure_hook_factory(is_sequence, listed)


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    shaped(converter)
    converter.register_unstructure_hook(datetime, _format_time)
    converter.register_structure_hook(datetime, _parse_time)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, parse_decimal)
    converter.register_unstructure_hook(Money, _money_dict)
    converter.register_structure_hook(Money, _parse_money)
    # cattrs dispatches on the MRO: StrEnum comes before str, bool before int, so the
    # strict str and int hooks never catch an enum or a bool.
    for base in (Enum, StrEnum):
        converter.register_unstructure_hook(base, _enum_value)
        converter.register_structure_hook(base, _parse_enum)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict(kind))
    converter.register_unstructure_hook(Fields, Fields.as_json)
    converter.register_structure_hook(Fields, _parse_fields)
    # A ticket without fields of its own is stored as it was before they existed.
    converter.register_unstructure_hook(
        Received,
        make_dict_unstructure_fn(Received, converter, fields=override(omit_if_default=True)),
    )
    return converter


def _parse_fields(value: object, _: object) -> Fields:
    return host_fields(value, "fields")


converter = _make_converter()
"""The one cattrs converter for every type the library stores."""


def problems_of(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Every problem inside a cattrs error as (path, message), deepest path first."""
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        with_notes, without = exc.group_exceptions()
        found = []
        for inner, note in with_notes:
            step = f"[{note.index}]" if isinstance(note, IterableValidationNote) else note.name
            found.extend(problems_of(inner, join(path, step)))
        for inner in without:
            found.extend(problems_of(inner, path))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        known = ", ".join(f.name for f in attrs.fields(exc.cl)) if attrs.has(exc.cl) else ""
        return [
            (join(path, str(key)), f"unknown key {shown(key)}; expected one of {known}")
            for key in sorted(exc.extra_fields, key=repr)
        ]
    if isinstance(exc, KeyError):
        return [(path, "required field missing")]
    if isinstance(exc, PolicyError):
        return [(join(path, where) if where else path, problem) for where, problem in exc.errors]
    deeper = getattr(exc, "path", "")
    if isinstance(exc, DataError | RecoveryError):
        return [(join(path, deeper) if deeper else path, str(exc))]
    return [(path, format_exception(exc, None))]


def structure(data: object, kind: type[T], path: str, using: cattrs.Converter | None = None) -> T:
    """Build a `kind` from plain data, or raise `SerializationError` naming every bad path."""
    try:
        return (using or converter).structure(data, kind)
    except (cattrs.BaseValidationError, DataError, RecoveryError) as err:
        problems = problems_of(err, path)
        message = "; ".join(f"{problem} @ {where}" for where, problem in problems)
        raise SerializationError(message, path=problems[0][0], errors=problems) from err


def versioned(data: object, path: str) -> dict[str, Any]:
    """The fields of a stored dict, once its schema version is one this library reads."""
    if type(data) is not dict and not isinstance(data, Mapping):
        msg = f"{path} must be a dict, got {described(data)}"
        raise SerializationError(msg, path=path)
    fields = dict(data)
    schema = fields.pop("schema", None)
    if type(schema) is not int or schema != SCHEMA_VERSION:
        msg = f"{path}.schema is {shown(schema)}; this version reads schema {SCHEMA_VERSION}"
        raise SerializationError(msg, path=f"{path}.schema")
    return fields
