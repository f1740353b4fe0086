"""Checks on plain values callers pass in, shared by every command and every value.

Each check takes the value and what it is called (``check(value, "score")``), returns
the value (converted where that is the point, as `member` does) or raises a specific
`RecoveryError`. `field` turns a check into an attrs converter whose error names the field
in `err.path`, so a value read back from storage says where it went wrong
(``events[3].score``). Numbers from outside are bounded before any arithmetic, so a short
string such as ``"1e10000000"`` is refused at once instead of computed with.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from service_recovery.errors import (
    InvalidTypeError,
    InvalidValueError,
    RecoveryError,
    RuleViolation,
)

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

_SHOWN = 120  # characters of a value a message repeats
_HUGE_BITS = 1_000  # ints longer than ~300 digits are described, not printed
_NUMBER_BITS = 128  # an int as a number: 10**30 fits in 100 bits
MAX_NUMBER_TEXT = 64
"""The longest number a string may spell: enough for any amount, ratio or factor."""
MAX_EXPONENT = 30
"""Numbers from outside lie within 10**-30 and 10**30 (zero aside): no one means more."""
MAX_DIGITS = 40
"""The most significant digits a number may have: a ratio of 28 digits fits, a million does not."""
# Exponents are unbounded here: only the count of digits is in question.
_DIGITS = decimal.Context(
    prec=MAX_DIGITS, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[decimal.Rounded]
)


def too_long(value: Decimal) -> bool:
    """True if `value` has more than `MAX_DIGITS` digits (checked in C, before any arithmetic)."""
    try:
        _DIGITS.create_decimal(value)
    except decimal.Rounded:
        return True
    return False


def shown(value: object) -> str:
    """`value` as a message repeats it: short, and never failing however odd the value.

    An int of thousands of digits cannot even be printed (Python refuses to convert one
    over 4,300 digits to text), a long string would drown the message, and a caller's
    object may raise from its own ``__repr__``.
    """
    # The built-in's own method: a subclass's, or a class only claimed, may fail or lie.
    if isinstance(value, int) and issubclass(type(value), int):
        bits = int.bit_length(value)
        if bits > _HUGE_BITS:
            return f"an int of about {int(bits * 0.30103)} digits"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 (anything a caller's __repr__ raises, or a huge int inside)
        return f"a {type(value).__name__}"
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 1]}…"


def described(value: object) -> str:
    """``"str 'x'"``: the type and the value, for messages about the wrong type."""
    return f"{type(value).__name__} {shown(value)}"


def join(path: str, step: str) -> str:
    """A path one step deeper: ``events[3]`` and ``score`` give ``events[3].score``."""
    if not path or not step:
        return path or step
    return f"{path}{step}" if step.startswith("[") else f"{path}.{step}"


def _at(err: RecoveryError, where: str) -> RecoveryError:
    """`err`, its path now starting at `where`."""
    err.path = join(where, err.path)
    return err


def unchecked(kind: type[T], **fields: object) -> T:
    """``kind(**fields)`` for fields the library has checked already: no validator runs again.

    Every field is given, defaults included, and `kind` checks field by field (it has no
    `__attrs_post_init__`, which this does not run). Commands build most events from arguments
    they checked to refuse them with their own messages, and the default policy its
    decisions from values it made; running each value's validators once more was a fifth
    of a lifecycle. tests/test_events.py and tests/test_policy.py hold each such value
    equal to the one its validators build.
    """
    value = _new(kind)
    for name, field in fields.items():
        _set(value, name, field)
    return value


_new, _set = object.__new__, object.__setattr__


def valid(check: Callable[[Any, str], object]) -> Any:  # noqa: ANN401 (an attrs validator)
    """An attrs validator that runs ``check(value, field_name)``; errors name the field.

    Validators rather than converters keep each field's annotation as the type of its
    argument, so a type checker sees ``Reason(rule=3)`` as the mistake it is.
    """

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        try:  # `within`, inlined: every field of every value built runs this
            check(value, attribute.name)
        except RecoveryError as err:
            raise _at(err, attribute.name) from None

    return validate


def within(path: str, check: Callable[..., T], *args: Any) -> T:  # noqa: ANN401 (check's)
    """``check(*args)``, its error's path now starting at `path`."""
    try:
        return check(*args)
    except RecoveryError as err:
        raise _at(err, path) from None


def optional(check: Callable[[Any, str], T]) -> Callable[[object, str], T | None]:
    """`check`, letting None through."""

    def maybe(value: object, what: str) -> T | None:
        return None if value is None else check(value, what)

    return maybe


def text(value: object, what: str) -> str:
    """Return `value` if it is a non-empty str; refuse anything else, naming `what`."""
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {described(value)}"
        raise InvalidTypeError(msg)
    if not value.strip():
        msg = f"{what} must not be empty; say what it is in words"
        raise InvalidValueError(msg)
    return value


def note(value: object, what: str = "note") -> str:
    """Return `value` if it is a str, empty or not: free text such as a note."""
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {described(value)}"
        raise InvalidTypeError(msg)
    return value


def instance(value: object, kind: type[T], what: str) -> T:
    """Return `value` if it is a `kind`; refuse anything else, naming `what` and `kind`."""
    if not isinstance(value, kind):
        article = "an" if kind.__name__[0] in "AEIOU" else "a"
        msg = f"{what} must be {article} {kind.__name__}, got {described(value)}"
        raise InvalidTypeError(msg)
    return value


def of(kind: type[T]) -> Callable[[object, str], T]:
    """The check `instance` makes for `kind`, as a check of its own."""

    def checked(value: object, what: str) -> T:
        return value if isinstance(value, kind) else instance(value, kind, what)

    return checked


def flag(value: object, what: str) -> bool:
    """Return `value` if it is a real bool (1, 'no' and None are not)."""
    if not isinstance(value, bool):
        msg = f"{what} must be True or False, got {described(value)}"
        raise InvalidTypeError(msg)
    return value


def member(enum: type[E], value: object, what: str) -> E:
    """Return `value` as a member of `enum`, accepting its value string; refuse others by name."""
    if type(value) is enum:  # the common case, ten times cheaper than enum(value)
        return value
    try:
        return enum(value)
    except (ValueError, TypeError):  # TypeError: an unhashable value
        choices = ", ".join(repr(m.value) for m in enum)
        msg = f"{what} {shown(value)} is not one of {choices}"
        raise InvalidValueError(msg) from None


def one_of(enum: type[E]) -> Callable[[object, str], E]:
    """The check `member` makes for `enum`, as a check of its own."""
    return functools.partial(member, enum)


def exactly(enum: type[E]) -> Callable[[object, str], E]:
    """A check that `value` is a member of `enum` itself, as a stored fact must be.

    Commands accept a member's value (``"email"``) and convert it; a hand-built value
    does not, and the message says which member to pass, or lists them all.
    """

    def checked(value: object, what: str) -> E:
        if isinstance(value, enum):
            return value
        known = member(enum, value, what)  # refuses an unknown value, listing the known
        msg = f"{what} must be {enum.__name__}.{known.name}, got {described(value)}"
        raise InvalidTypeError(msg)

    return checked


def stated(rule: str, why: str) -> Callable[[object, str], str]:
    """A check of free text a rule demands (R6's root cause, R15's reason), naming the rule."""

    def checked(value: object, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            msg = f"{rule}: {what} {why}, got {shown(value)}"
            raise RuleViolation(msg, rule=rule)
        return value

    return checked


def whole(value: object, what: str, low: int, high: int) -> int:
    """Return `value` if it is an int (not a bool) from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{what} must be a whole number from {low} to {high}, got {described(value)}"
        raise InvalidTypeError(msg)
    if not low <= value <= high:
        msg = f"{what} must be a whole number from {low} to {high}, got {shown(value)}"
        raise InvalidValueError(msg)
    return value


def number(value: object, what: str) -> Decimal:
    """`value` as a finite Decimal within 10**-30 and 10**30, checked before any arithmetic.

    Accepts a Decimal, an int or a str; a float is refused, since it cannot hold most
    decimals exactly. A string is at most 64 characters long.
    """
    if isinstance(value, float):
        msg = (
            f"{what} {value!r} is a float, which cannot hold most decimals exactly; "
            f"pass a str or Decimal such as {str(value)!r}"
        )
        raise InvalidTypeError(msg)
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT:
            msg = f"{what} {shown(value)} is longer than {MAX_NUMBER_TEXT} characters for a number"
            raise InvalidValueError(msg)
        try:
            parsed = Decimal(value.strip())
        except decimal.InvalidOperation:
            msg = f"{what} {shown(value)} is not a number; write digits such as '12.50'"
            raise InvalidValueError(msg) from None
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value).bit_length() > _NUMBER_BITS:
            msg = f"{what} is {shown(value)}, beyond 10**{MAX_EXPONENT}"
            raise InvalidValueError(msg)
        parsed = Decimal(value)
    elif isinstance(value, Decimal):
        parsed = value
    else:
        msg = f"{what} must be a Decimal, int or str number, got {described(value)}"
        raise InvalidTypeError(msg)
    return _within_range(parsed, value, what)


def _within_range(parsed: Decimal, value: object, what: str) -> Decimal:
    """`parsed` if it is finite, short and within the exponents; `value` is what was given."""
    if not parsed.is_finite():
        msg = f"{what} {shown(value)} is not a finite number; pass one such as '0.95'"
        raise InvalidValueError(msg)
    if too_long(parsed):
        msg = f"{what} has more than {MAX_DIGITS} digits; round it, e.g. to {parsed:.6}"
        raise InvalidValueError(msg)
    # adjusted() reads the exponent without arithmetic, so it cannot overflow.
    if parsed and not -MAX_EXPONENT <= parsed.adjusted() < MAX_EXPONENT:
        msg = (
            f"{what} {shown(value)} is out of range; numbers lie within "
            f"10**-{MAX_EXPONENT} and 10**{MAX_EXPONENT}"
        )
        raise InvalidValueError(msg)
    return parsed


def sequence(value: object, what: str) -> tuple[object, ...]:
    """`value` as a tuple, if it is a list-like sequence (not a str, bytes or mapping)."""
    if type(value) is tuple:
        return value
    if type(value) is list:  # as JSON gives it: no ABC check (about 1 µs)
        return tuple(value)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"{what} must be a list, got {described(value)}"
        raise InvalidTypeError(msg)
    return tuple(value)


def each(check: Callable[[Any, str], T]) -> Callable[[object, str], tuple[T, ...]]:
    """A check of a sequence whose items each pass `check` (``offers[2]``)."""

    def checked(value: object, what: str) -> tuple[T, ...]:
        items = sequence(value, what)
        out = []
        for index, item in enumerate(items):
            try:  # `within`, inlined: the path is built only for an error
                out.append(check(item, f"{what}[{index}]"))
            except RecoveryError as err:
                raise _at(err, f"[{index}]") from None
        return tuple(out)

    return checked


def zone(value: object, error: type[RecoveryError] = InvalidValueError) -> ZoneInfo:
    """Return the IANA time zone `value` names (or is); refuse anything else with `error`."""
    if isinstance(value, ZoneInfo) and value.key is not None:
        return value
    if not isinstance(value, str):
        msg = (
            f"zone must be an IANA time zone name such as 'America/New_York', "
            f"got {described(value)}"
        )
        raise InvalidTypeError(msg)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder's name
        msg = (
            f"unknown time zone {shown(value)}; use an IANA name such as "
            f"'America/New_York' or 'UTC'"
        )
        raise error(msg) from None
