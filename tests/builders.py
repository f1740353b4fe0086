"""What the test files share: times in a zone, the office calendar, an incident received.

Each builder takes what its tests vary and defaults the rest, so a test says only what
matters to it (``answered(received(at=T0, severity=Severity.HIGH))``). Times are always given:
each file keeps its own start, since its expected due times are written against it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import holidays

from service_recovery import (
    BusinessCalendar,
    Category,
    Channel,
    Incident,
    RecoveryPolicy,
    Severity,
)

NEW_YORK = ZoneInfo("America/New_York")


def ny(  # noqa: PLR0917 (the fields of `datetime`, in its order)
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    us: int = 0,
    *,
    fold: int = 0,
) -> datetime:
    """A wall-clock time in New York (`fold=1`: the second 01:30 of a November night)."""
    return datetime(year, month, day, hour, minute, second, us, tzinfo=NEW_YORK, fold=fold)


def utc(  # noqa: PLR0917 (the fields of `datetime`, in its order)
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A time in UTC."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def office() -> BusinessCalendar:
    """The worked examples' calendar: Mon-Fri 10:00-18:00 in New York, US holidays of 2026."""
    return BusinessCalendar.weekdays(
        "10:00",
        "18:00",
        zone="America/New_York",
        holidays=holidays.country_holidays("US", years=2026),
    )


IncidentT = TypeVar("IncidentT", bound=Incident)


def received_as(
    kind: type[IncidentT],
    *,
    at: datetime,
    policy: RecoveryPolicy | None = None,
    incident_id: str = "INC-1",
    customer: str = "ana",
    channel: Channel | str = Channel.PHONE,
    category: Category | str = Category.POOR_SERVICE,
    severity: Severity | str = Severity.MEDIUM,
    fields: Mapping[str, object] | None = None,
) -> IncidentT:
    """A complaint received at `at`, as an incident of `kind` (`Incident` or a subclass)."""
    return kind.receive(
        incident_id=incident_id,
        customer=customer,
        channel=channel,
        category=category,
        severity=severity,
        at=at,
        policy=policy,
        fields=fields,
    )


received = functools.partial(received_as, Incident)
"""A complaint received at `at`: a medium-severity phone call about poor service."""


def answered(
    incident: Incident, *, after: timedelta = timedelta(seconds=30), by: str = "luis"
) -> Incident:
    """`incident`, answered by `by` `after` its receipt (R1)."""
    return incident.acknowledge(by=by, at=incident.received_at + after)
