"""Checks on the times callers pass in: the core never reads a clock, so every time is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ._errors import InvalidTypeError, NaiveDatetimeError, TimeWentBackwards

_ALWAYS_AWARE = (timezone, ZoneInfo)


def aware(value: object, name: str = "at") -> datetime:
    """Return `value` if it is an aware datetime; refuse naive ones and non-datetimes.

    Pendulum's `DateTime` is a `datetime` subclass and passes as it is.
    """
    if not isinstance(value, datetime):
        msg = f"{name} must be an aware datetime, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    zone = value.tzinfo
    # utcoffset() costs ~300 ns; the stdlib zones (pendulum's subclass them) never return None.
    if zone is None or (not isinstance(zone, _ALWAYS_AWARE) and value.utcoffset() is None):
        msg = (
            f"{name}={value.isoformat()} has no time zone; pass an aware datetime, "
            f"e.g. datetime(..., tzinfo=ZoneInfo('UTC')) or pendulum.datetime(...)"
        )
        raise NaiveDatetimeError(msg)
    return value


def before(a: datetime, b: datetime) -> bool:
    """True if instant `a` comes before instant `b`.

    Python compares two datetimes that share a tzinfo by their wall clocks, which is
    wrong across a daylight-saving fold (01:30 EDT is before 01:10 EST); a fixed offset
    has no folds, so only named zones take the slower, exact path.
    """
    zone = a.tzinfo
    if zone is b.tzinfo and not isinstance(zone, timezone):
        return a.replace(tzinfo=None) - a.utcoffset() < b.replace(tzinfo=None) - b.utcoffset()  # type: ignore[operator]
    return a < b


def later(at: datetime, span: timedelta) -> datetime:
    """`span` of real time after `at`, read in `at`'s zone.

    ``at + span`` on a named zone adds wall-clock time: across a daylight-saving change it
    is an hour off. This adds in UTC.
    """
    return (at.astimezone(UTC) + span).astimezone(at.tzinfo)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from `start` to `end` (``end - start`` on one named zone is wall-clock)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def not_before(at: datetime, last: datetime, what: str) -> datetime:
    """Return `at` if it is not earlier than `last`: time never runs backwards in one history."""
    if before(at, last):
        msg = (
            f"{what} at {at.isoformat()} is earlier than the last event at "
            f"{last.isoformat()}; pass a time at or after {last.isoformat()}"
        )
        raise TimeWentBackwards(msg, at=at, last=last)
    return at


def duration(value: object, name: str) -> timedelta:
    """Return `value` if it is a timedelta (pendulum's `Duration` included)."""
    if not isinstance(value, timedelta):
        msg = f"{name} must be a timedelta, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    return value
