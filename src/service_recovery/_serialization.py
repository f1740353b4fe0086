"""To and from JSON-ready dicts, versioned, with cattrs; bad data names its path.

Times are ISO 8601 strings with their offset and, when the zone has a name, the name in
brackets (RFC 9557: ``2026-03-01T10:00:00+01:00[Europe/Madrid]``), so nothing is lost;
amounts are strings (``"12.50"``), never floats.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, TypeVar, get_origin

import attrs
import cattrs
import pendulum
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.errors import ForbiddenExtraKeysError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception

from ._calendar import BusinessCalendar
from ._checks import described, join, member, number, shown
from ._checks import zone as zone_info
from ._compensation import CompensationBudget
from ._errors import PolicyError, RecoveryError, SerializationError
from ._events import EVENT_TYPES, Event
from ._money import Money
from ._policy import RecoveryPolicy

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
        msg = f"expected an ISO 8601 time string, got {described(value)}"
        raise _DataError(msg)
    stamp, _, zone = value.partition("[")
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        msg = f"{shown(value)} is not an ISO 8601 time such as '2026-11-22T09:30:00+00:00'"
        raise _DataError(msg) from None
    if parsed.tzinfo is None:
        msg = f"{shown(value)} has no UTC offset; stored times are aware, e.g. '...+00:00'"
        raise _DataError(msg)
    if not zone:
        return parsed
    try:
        named = zone_info(zone.removesuffix("]"))
    except RecoveryError as err:
        msg = f"{shown(value)}: {err}"
        raise _DataError(msg) from None
    # Give back the very wall time and fold that were stored (a time in a DST gap or
    # fold included), so the value compares equal to the original in its zone.
    for fold in (0, 1):
        local = parsed.replace(tzinfo=named, fold=fold)
        if local.utcoffset() == parsed.utcoffset():
            return local
    return parsed.astimezone(named)


def _parse_decimal(value: object, _: object) -> Decimal:
    if not isinstance(value, str):
        msg = f"expected a number as a string such as '12.50', got {described(value)}"
        raise _DataError(msg)
    return _bounded(value)


def _bounded(value: str | int) -> Decimal:
    """`value` as a Decimal, its length and exponent bounded before anything is computed."""
    try:
        return number(value, "the number")
    except RecoveryError as err:
        raise _DataError(str(err)) from None


def _money_dict(money: Money) -> dict[str, str]:
    return {"amount": str(money.amount), "currency": money.currency}


def _parse_money(value: object, _: object) -> Money:
    if not isinstance(value, Mapping) or set(value) != {"amount", "currency"}:
        msg = f"expected {{'amount': '12.50', 'currency': 'USD'}}, got {shown(value)}"
        raise _DataError(msg)
    try:
        return Money.of(_parse_decimal(value["amount"], None), value["currency"])
    except RecoveryError as err:
        raise _DataError(str(err)) from None


def _strict(kind: type[T]) -> Any:  # noqa: ANN401 (a cattrs hook)
    def parse(value: object, _: object) -> T:
        if isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
            msg = f"expected {kind.__name__}, got {described(value)}"
            raise _DataError(msg)
        return value

    return parse


def _enum_value(member: Enum) -> object:
    return member.value


def _parse_enum(value: object, kind: type[Enum]) -> Enum:
    return member(kind, value, f"a {kind.__name__}")


def _tables(kind: type) -> str:
    fields = ", ".join(f.name for f in attrs.fields(get_origin(kind) or kind))
    return f"a table with {fields}"


def _shaped(converter: cattrs.Converter) -> None:
    """Check the shape of data before cattrs reads it: a table or a list, as the type says.

    So ``{"authority": "manager"}`` is an error naming its path, rather than an
    ``AttributeError`` from deep inside cattrs.
    """

    def table(kind: type) -> Any:  # noqa: ANN401 (a cattrs hook)
        read: Callable[[Any, Any], Any] = make_dict_structure_fn(kind, converter)
        expected = _tables(kind)

        def structure(value: object, _: object) -> Any:  # noqa: ANN401
            if not isinstance(value, Mapping):
                msg = f"expected {expected}, got {described(value)}"
                raise _DataError(msg)
            return read(value, kind)

        return structure

    def listed(kind: type) -> Any:  # noqa: ANN401 (a cattrs hook)
        read: Callable[[Any, Any], Any] = homogenous_tuple_structure_factory(kind, converter)

        def structure(value: object, _: object) -> Any:  # noqa: ANN401
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple):
                msg = f"expected a list, got {described(value)}"
                raise _DataError(msg)
            return read(value, kind)

        return structure

    converter.register_structure_hook_factory(attrs.has, table)
    converter.register_structure_hook_factory(is_sequence, listed)


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    _shaped(converter)
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


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Every problem inside a cattrs error as (path, message), deepest path first."""
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        with_notes, without = exc.group_exceptions()
        found = []
        for inner, note in with_notes:
            step = f"[{note.index}]" if isinstance(note, IterableValidationNote) else note.name
            found.extend(_problems(inner, join(path, step)))
        for inner in without:
            found.extend(_problems(inner, path))
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
    if isinstance(exc, _DataError | RecoveryError):
        return [(join(path, deeper) if deeper else path, str(exc))]
    return [(path, format_exception(exc, None))]


def structure(data: object, kind: type[T], path: str, using: cattrs.Converter | None = None) -> T:
    """Build a `kind` from plain data, or raise `SerializationError` naming every bad path."""
    try:
        return (using or converter).structure(data, kind)
    except (cattrs.BaseValidationError, _DataError, RecoveryError) as err:
        problems = _problems(err, path)
        message = "; ".join(f"{problem} @ {where}" for where, problem in problems)
        raise SerializationError(message, path=problems[0][0], errors=problems) from err


def _versioned(data: object, path: str) -> dict[str, Any]:
    """The fields of a stored dict, once its schema version is one this library reads."""
    if not isinstance(data, Mapping):
        msg = f"{path} must be a dict, got {described(data)}"
        raise SerializationError(msg, path=path)
    fields = dict(data)
    schema = fields.pop("schema", None)
    if type(schema) is not int or schema != SCHEMA_VERSION:
        msg = f"{path}.schema is {shown(schema)}; this version reads schema {SCHEMA_VERSION}"
        raise SerializationError(msg, path=f"{path}.schema")
    return fields


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
    fields = _versioned(data, path)
    tag = fields.pop("type", None)
    kind = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if kind is None:
        msg = f"{path}.type is {shown(tag)}; expected one of {', '.join(sorted(EVENT_TYPES))}"
        raise SerializationError(msg, path=f"{path}.type")
    return structure(fields, kind, path)


def serialize_events(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Return a history as a list of JSON-ready dicts (see `serialize_event`)."""
    return [serialize_event(event) for event in events]


def deserialize_events(data: Iterable[object]) -> tuple[Event, ...]:
    """Rebuild a history; an error names the event's index (``events[3].at``)."""
    if isinstance(data, str | bytes | Mapping) or not isinstance(data, Iterable):
        msg = f"events must be a list of dicts, got {type(data).__name__}"
        raise SerializationError(msg, path="events")
    return tuple(deserialize_event(item, path=f"events[{i}]") for i, item in enumerate(data))


# ---------------------------------------------------------------------- policies as data

_DURATION = re.compile(
    r"(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+(?:\.\d{1,6})?)s)?"
)


def _parse_duration(value: object, kind: object) -> timedelta:
    """A policy duration: '90s', '1h30m', '2d', ISO 8601 ('PT4H'), or whole seconds."""
    try:
        return _duration(value, kind)
    except OverflowError:
        msg = f"{shown(value)} is too long a duration; keep it under a few thousand years"
        raise _DataError(msg) from None


def _duration(value: object, _: object) -> timedelta:
    if isinstance(value, int) and not isinstance(value, bool):
        span = timedelta(seconds=value)
    elif isinstance(value, str) and value.strip().upper().startswith("P"):
        try:
            parsed = pendulum.parse(value.strip())
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            parsed = None
        if not isinstance(parsed, pendulum.Duration) or parsed.years or parsed.months:
            msg = f"{shown(value)} is not an ISO 8601 duration of fixed length such as 'PT4H'"
            raise _DataError(msg)
        span = timedelta(seconds=parsed.total_seconds())
    elif (
        isinstance(value, str)
        and (match := _DURATION.fullmatch(value.replace(" ", "")))
        and any(match.groups())
    ):
        parts = {k: Decimal(v) for k, v in match.groupdict().items() if v}
        micros = sum(parts.get(k, 0) * n for k, n in _MICROS.items())
        span = timedelta(microseconds=int(micros))
    elif isinstance(value, str) and value.strip().startswith("-"):
        span = timedelta(0)
    else:
        msg = f"expected a duration such as '60s', '1h30m', '2d' or 'PT4H', got {shown(value)}"
        raise _DataError(msg)
    if span <= timedelta(0):
        msg = f"a duration must be above zero, got {shown(value)}"
        raise _DataError(msg)
    return span


_MICROS = {"d": 86_400_000_000, "h": 3_600_000_000, "m": 60_000_000, "s": 1_000_000}


def format_duration(span: timedelta) -> str:
    """Write a duration the way policy files do: '60s', '1h30m', '2d', '1.5s'."""
    # From the fields, not span // timedelta(...): pendulum's Duration cannot divide so.
    micros = (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds
    parts = []
    for unit, size in _MICROS.items():
        whole, micros = divmod(micros, size)
        if unit == "s" and (whole or micros):
            fraction = f".{micros:06d}".rstrip("0") if micros else ""
            parts.append(f"{whole}{fraction}s")
        elif whole:
            parts.append(f"{whole}{unit}")
    return "".join(parts) or "0s"


def _parse_policy_decimal(value: object, kind: object) -> Decimal:
    # TOML writes 0.95 as a float; its shortest repr is the decimal the author typed.
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _bounded(value)
    return _parse_decimal(value, kind)


def _parse_money_text(value: object, _: object) -> Money:
    amount, _, currency = value.strip().partition(" ") if isinstance(value, str) else ("", "", "")
    if not currency:
        msg = f"expected an amount and a currency such as '100 USD', got {shown(value)}"
        raise _DataError(msg)
    try:
        return Money.of(amount, currency.strip())
    except RecoveryError as err:
        raise _DataError(str(err)) from None


def _parse_calendar(value: object, _: object) -> BusinessCalendar:
    if not isinstance(value, Mapping):
        msg = f"a calendar is a table with zone, hours and holidays, got {shown(value)}"
        raise _DataError(msg)
    return BusinessCalendar.from_mapping(value)


def _make_policy_converter() -> cattrs.Converter:
    policy = converter.copy()
    _shaped(policy)  # hooks that read nested values with the policy's own converter
    policy.register_structure_hook(BusinessCalendar, _parse_calendar)
    policy.register_unstructure_hook(BusinessCalendar, BusinessCalendar.to_mapping)
    policy.register_structure_hook(timedelta, _parse_duration)
    policy.register_unstructure_hook(timedelta, format_duration)
    policy.register_structure_hook(Decimal, _parse_policy_decimal)
    policy.register_structure_hook(Money, _parse_money_text)
    policy.register_unstructure_hook(Money, str)
    return policy


policy_converter = _make_policy_converter()
"""The converter for policies as plain data (a TOML file read by the host)."""


P = TypeVar("P", bound=RecoveryPolicy)


def policy_to_mapping(policy: RecoveryPolicy) -> dict[str, Any]:
    """Return a policy as plain data that `policy_from_mapping` reads back."""
    data: dict[str, Any] = policy_converter.unstructure(policy)
    return {key: value for key, value in data.items() if value is not None}  # TOML has no null


_FINGERPRINTS: dict[int, tuple[RecoveryPolicy, str]] = {}
_KEPT_FINGERPRINTS = 64


def policy_name(policy: RecoveryPolicy) -> str:
    """The policy's class as ``module.Class``: what a stored history says decided it."""
    kind = type(policy)
    # The library's own classes by their public home, whatever private module holds them.
    module = (
        "service_recovery" if kind.__module__.startswith("service_recovery._") else kind.__module__
    )
    return f"{module}.{kind.__qualname__}"


def policy_fingerprint(policy: RecoveryPolicy) -> str:
    """A digest of the policy's class and settings: equal for equal policies of one class.

    Worked out once per policy object (a host uses a few, millions of times). The code of a
    subclass's override points is not in it: changing it is the author's to version.
    """
    kept = _FINGERPRINTS.get(id(policy))
    if kept is not None and kept[0] is policy:
        return kept[1]
    canonical = json.dumps(
        {"class": policy_name(policy), "settings": policy_to_mapping(policy)},
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    if len(_FINGERPRINTS) >= _KEPT_FINGERPRINTS:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(policy)] = (policy, digest)
    return digest


class _FieldError(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems


def _read_field(field: attrs.Attribute[Any], value: object) -> Any:  # noqa: ANN401 (any field)
    """One setting, parsed, converted and validated as the policy's own field would be."""
    try:
        parsed = policy_converter.structure(value, field.type or object)
        if callable(field.converter):
            parsed = field.converter(parsed)
    except (cattrs.BaseValidationError, _DataError, RecoveryError) as err:
        raise _FieldError(_problems(err, field.name)) from err
    if field.validator is not None:
        try:
            field.validator(None, field, parsed)
        except PolicyError as err:  # the policy's own validators name the field
            raise _FieldError(_problems(err, "")) from err
        except RecoveryError as err:
            raise _FieldError(_problems(err, field.name)) from err
    return parsed


def policy_from_mapping(data: object, kind: type[P]) -> P:
    """Build a policy of class `kind` from plain data, reporting every problem at once.

    Raises:
        PolicyError: unknown keys, wrong types, bad durations or amounts, a malformed
            ladder, a value a field refuses; `err.errors` lists each as (path, message).
    """
    if not isinstance(data, Mapping):
        msg = f"a policy must be a mapping of settings, got {type(data).__name__}"
        raise PolicyError(msg, errors=[("", msg)])
    fields = {field.name: field for field in attrs.fields(attrs.resolve_types(kind))}
    problems = [
        (
            key if isinstance(key, str) else shown(key),
            f"unknown key {shown(key)}; expected one of {', '.join(fields)}",
        )
        for key in data
        if key not in fields
    ]
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in fields:
            try:
                values[name] = _read_field(fields[name], value)
            except _FieldError as err:
                problems.extend(err.problems)
    if not problems:
        try:
            return kind(**values)
        except RecoveryError as err:
            problems.extend(_problems(err, ""))
    lines = "\n".join(f"  {where or '(policy)'}: {problem}" for where, problem in problems)
    msg = f"the policy has {len(problems)} problem(s):\n{lines}"
    raise PolicyError(msg, errors=problems)


# ---------------------------------------------------------------------- budgets


def serialize_budget(budget: CompensationBudget) -> dict[str, Any]:
    """Return a budget, its ledger included, as a JSON-ready dict with the schema version.

    Store it with compare-and-set on `budget.version` (see the compensation docs).
    """
    data: dict[str, Any] = converter.unstructure(budget)
    return {"schema": SCHEMA_VERSION, **data}


def deserialize_budget(data: object, *, path: str = "budget") -> CompensationBudget:
    """Rebuild a budget from `serialize_budget`'s dict; its ledger is checked grant by grant.

    Raises:
        SerializationError: malformed data, or a ledger no budget could have recorded
            (out of time order, over the pool or the cap, a reference twice, a `version`
            below the number of grants); the path names where.
    """
    return structure(_versioned(data, path), CompensationBudget, path)
