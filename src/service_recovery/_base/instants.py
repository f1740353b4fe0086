"""Checks on the times callers pass in: the core never reads a clock, so every time is given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from pendulum.tz.timezone import FixedTimezone, Timezone

from service_recovery._base.checks import described, shown
from service_recovery.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    TimeWentBackwards,
)

# The exact classes whose offsets are always a timedelta under a day; a subclass of one's
# own may answer anything, so it takes the checked path.
_ALWAYS_AWARE = frozenset({timezone, ZoneInfo, Timezone, FixedTimezone})
FIRST_DAY = date(1900, 1, 1)
"""The first date the library counts in: every time it is given lies within
`FIRST_DAY` and `LAST_DAY`, so business-time arithmetic across daylight-saving changes
has a bounded cost (see the timers docs)."""
LAST_DAY = date(2199, 12, 31)
"""The last date the library counts in."""


def aware(value: object, name: str = "at") -> datetime:
    """Return `value` if it is an aware datetime from 1900 to 2199; refuse anything else.

    Pendulum's `DateTime` is a `datetime` subclass and passes as it is. A tzinfo of
    one's own must answer a UTC offset under a day, as `datetime` requires.
    """
    if not isinstance(value, datetime):
        msg = f"{name} must be an aware datetime, got {described(value)}"
        raise InvalidTypeError(msg)
    zone = value.tzinfo
    # utcoffset() costs ~300 ns; the stdlib's and pendulum's zones never need it.
    if zone is not None and type(zone) not in _ALWAYS_AWARE:
        try:
            offset = value.utcoffset()
        except Exception as err:  # noqa: BLE001 (whatever a tzinfo of one's own raises)
            msg = (
                f"{name}: its tzinfo {described(zone)} gives no usable UTC offset "
                f"({type(err).__name__}); an offset must be a timedelta under 24 hours"
            )
            raise InvalidValueError(msg) from None
        if offset is None:
            zone = None
    if zone is None:
        msg = (
            f"{name}={value.replace(tzinfo=None).isoformat()} has no time zone; pass an aware "
            f"datetime, e.g. datetime(..., tzinfo=ZoneInfo('UTC')) or pendulum.datetime(...)"
        )
        raise NaiveDatetimeError(msg)
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        msg = (
            f"{name}={value.replace(tzinfo=None).isoformat()} is outside {FIRST_DAY} to "
            f"{LAST_DAY}, the dates the library counts in"
        )
        raise InvalidValueError(msg)
    return value


def stdlib(moment: datetime) -> datetime:
    """`moment` as a stdlib datetime (pendulum's `DateTime` converted), same zone and fold.

    Stdlib arithmetic is faster, and a pendulum time in UTC loses its zone when deep-copied.
    """
    if type(moment) is datetime:
        return moment
    return datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        moment.tzinfo,
        fold=moment.fold,
    )


def before(a: datetime, b: datetime) -> bool:
    """True if instant `a` comes before instant `b`.

    Python compares two datetimes that share a tzinfo by their wall clocks, which is
    wrong across a daylight-saving fold (01:30 EDT is before 01:10 EST); a fixed offset
    has no folds, so only named zones take the slower, exact path.
    """
    zone = a.tzinfo
    if zone is b.tzinfo and not isinstance(zone, timezone):
        # a - b is the wall-clock difference here; the instants differ by it less the
        # offsets' difference. Cheaper than converting both (no datetime is built).
        return a - b < a.utcoffset() - b.utcoffset()  # type: ignore[operator]
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
        msg = f"{name} must be a timedelta, got {described(value)}"
        raise InvalidTypeError(msg)
    return value


def positive(value: object, name: str) -> timedelta:
    """Return `value` if it is a timedelta above zero."""
    span = duration(value, name)
    if span <= timedelta(0):
        msg = f"{name} must be longer than zero, got {shown(span)}; e.g. timedelta(seconds=60)"
        raise InvalidValueError(msg)
    return span
