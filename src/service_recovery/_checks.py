"""Checks on plain values callers pass in, shared by every command."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._errors import InvalidTypeError, InvalidValueError, RecoveryError

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


def text(value: object, what: str) -> str:
    """Return `value` if it is a non-empty str; refuse anything else, naming `what`."""
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    if not value.strip():
        msg = f"{what} must not be empty; say what it is in words"
        raise InvalidValueError(msg)
    return value


def note(value: object, what: str = "note") -> str:
    """Return `value` if it is a str, empty or not: free text such as a note."""
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    return value


def instance(value: object, kind: type[T], what: str) -> T:
    """Return `value` if it is a `kind`; refuse anything else, naming `what` and `kind`."""
    if not isinstance(value, kind):
        msg = f"{what} must be a {kind.__name__}, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    return value


def flag(value: object, what: str) -> bool:
    """Return `value` if it is a real bool (1, 'no' and None are not)."""
    if not isinstance(value, bool):
        msg = f"{what} must be True or False, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    return value


def member(enum: type[E], value: object, what: str) -> E:
    """Return `value` as a member of `enum`, accepting its value string; refuse others by name."""
    if type(value) is enum:  # the common case, ten times cheaper than enum(value)
        return value
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(repr(m.value) for m in enum)
        msg = f"{what} {value!r} is not one of {choices}"
        raise InvalidValueError(msg) from None


def zone(value: object, error: type[RecoveryError] = InvalidValueError) -> ZoneInfo:
    """Return the IANA time zone `value` names (or is); refuse anything else with `error`."""
    if isinstance(value, ZoneInfo) and value.key is not None:
        return value
    if not isinstance(value, str):
        msg = (
            f"zone must be an IANA time zone name such as 'America/New_York', "
            f"got {type(value).__name__} {value!r}"
        )
        raise InvalidTypeError(msg)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder's name
        msg = f"unknown time zone {value!r}; use an IANA name such as 'America/New_York' or 'UTC'"
        raise error(msg) from None
