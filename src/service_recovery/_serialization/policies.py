"""Policies to and from plain data (a TOML file read by the host), names and fingerprints."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum
from attrs import AttrsInstance

from service_recovery._base.checks import shown
from service_recovery._money.money import Money
from service_recovery._serialization.converter import (
    DataError,
    bounded,
    converter,
    parse_decimal,
    problems_of,
    shaped,
)
from service_recovery._time.calendar import BusinessCalendar
from service_recovery.errors import PolicyError, RecoveryError

_DURATION = re.compile(
    r"(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+(?:\.\d{1,6})?)s)?"
)


def _parse_duration(value: object, kind: object) -> timedelta:
    """A policy duration: '90s', '1h30m', '2d', ISO 8601 ('PT4H'), or whole seconds."""
    try:
        return _duration(value, kind)
    except OverflowError:
        msg = f"{shown(value)} is too long a duration; keep it under a few thousand years"
        raise DataError(msg) from None


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
            raise DataError(msg)
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
        raise DataError(msg)
    if span <= timedelta(0):
        msg = f"a duration must be above zero, got {shown(value)}"
        raise DataError(msg)
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
        return bounded(value)
    return parse_decimal(value, kind)


def _parse_money_text(value: object, _: object) -> Money:
    amount, _, currency = value.strip().partition(" ") if isinstance(value, str) else ("", "", "")
    if not currency:
        msg = f"expected an amount and a currency such as '100 USD', got {shown(value)}"
        raise DataError(msg)
    try:
        return Money.of(amount, currency.strip())
    except RecoveryError as err:
        raise DataError(str(err)) from None


def _parse_calendar(value: object, _: object) -> BusinessCalendar:
    if not isinstance(value, Mapping):
        msg = f"a calendar is a table with zone, hours and holidays, got {shown(value)}"
        raise DataError(msg)
    return BusinessCalendar.from_mapping(value)


def _make_policy_converter() -> cattrs.Converter:
    policy = converter.copy()
    shaped(policy)  # hooks that read nested values with the policy's own converter
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


P = TypeVar("P", bound=AttrsInstance)


def policy_to_mapping(policy: AttrsInstance) -> dict[str, Any]:
    """Return a policy as plain data that `policy_from_mapping` reads back."""
    data: dict[str, Any] = policy_converter.unstructure(policy)
    return {key: value for key, value in data.items() if value is not None}  # TOML has no null


_FINGERPRINTS: dict[int, tuple[AttrsInstance, str]] = {}
_KEPT_FINGERPRINTS = 64


def policy_name(policy: AttrsInstance) -> str:
    """The policy's class as ``module.Class``: what a stored history says decided it."""
    kind = type(policy)
    # The library's own classes by their public home, whatever private module holds them.
    module = (
        "service_recovery" if kind.__module__.startswith("service_recovery._") else kind.__module__
    )
    return f"{module}.{kind.__qualname__}"


def policy_fingerprint(policy: AttrsInstance) -> str:
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
    except (cattrs.BaseValidationError, DataError, RecoveryError) as err:
        raise _FieldError(problems_of(err, field.name)) from err
    if field.validator is not None:
        try:
            field.validator(None, field, parsed)
        except PolicyError as err:  # the policy's own validators name the field
            raise _FieldError(problems_of(err, "")) from err
        except RecoveryError as err:
            raise _FieldError(problems_of(err, field.name)) from err
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
            problems.extend(problems_of(err, ""))
    lines = "\n".join(f"  {where or '(policy)'}: {problem}" for where, problem in problems)
    msg = f"the policy has {len(problems)} problem(s):\n{lines}"
    raise PolicyError(msg, errors=problems)


# ---------------------------------------------------------------------- budgets
