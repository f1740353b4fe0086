"""Checks on plain values callers pass in, shared by every command."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from ._errors import InvalidTypeError, InvalidValueError

E = TypeVar("E", bound=Enum)


def text(value: object, what: str) -> str:
    """Return `value` if it is a non-empty str; refuse anything else, naming `what`."""
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    if not value.strip():
        msg = f"{what} must not be empty; say what it is in words"
        raise InvalidValueError(msg)
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
