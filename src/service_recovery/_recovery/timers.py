"""The incident's clocks, read from its record, and the alerts true of them at an instant.

The response (R1), the resolution (R19) and one timer per follow-up promise (R10).

The targets and calendars are the policy's to choose; they are passed in, so the clocks
read the record and nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

from service_recovery._base.instants import before, elapsed, later
from service_recovery._recovery.record import AlertKey, IncidentRecord
from service_recovery._time.calendar import AROUND_THE_CLOCK, BusinessCalendar
from service_recovery._time.timer import PauseClock, SlaStatus, SlaTimer
from service_recovery.decisions import TargetDecision
from service_recovery.events import (
    Abandoned,
    Acknowledged,
    Alert,
    AlertKind,
    CustomerContacted,
    CustomerReplied,
    Declined,
    Event,
    PromiseMade,
    Resolved,
    WaitingOnCustomer,
)

PROMISE = "promise-"
"""The prefix of a promise's timer: ``promise-1`` is the first promise's."""


def rule_of(name: str) -> str:
    """The rule a timer keeps: R1 the response, R19 the resolution, R10 a promise."""
    return "R10" if name.startswith(PROMISE) else {"response": "R1"}.get(name, "R19")


def timers_of(
    record: IncidentRecord,
    *,
    response: TargetDecision,
    resolution: TargetDecision,
    calendar: BusinessCalendar,
    warnings: tuple[Decimal, ...],
    pause_clock: PauseClock,
) -> dict[str, SlaTimer]:
    """The record's timers by name, each as its events left it.

    Each target counts on its decision's calendar: the response by default around the
    clock, the resolution on `calendar`, which pauses while we wait on the customer; a
    promise is due at its promised time.
    """
    received = record.received_at
    timers = {
        "response": SlaTimer._begin(  # noqa: SLF001 (the policy checked these)
            name="response",
            target=response.target,
            at=received,
            calendar=response.calendar or AROUND_THE_CLOCK,
            warnings=warnings,
            pause_clock=PauseClock.BUSINESS,
        ),
        "resolution": SlaTimer._begin(  # noqa: SLF001
            name="resolution",
            target=resolution.target,
            at=received,
            calendar=resolution.calendar or calendar,
            warnings=warnings,
            pause_clock=pause_clock,
        ),
    }
    for event in record.events:
        kind = type(event)
        if kind is PromiseMade:
            name = f"{PROMISE}{event.number}"  # type: ignore[attr-defined]
            timers[name] = SlaTimer._begin(  # noqa: SLF001
                name=name,
                target=elapsed(event.at, event.due),  # type: ignore[attr-defined]
                at=event.at,
                calendar=AROUND_THE_CLOCK,
                warnings=warnings,
                pause_clock=PauseClock.BUSINESS,
            )
        elif kind is CustomerContacted:  # R10: any contact keeps every promise made
            for name, timer in timers.items():
                if name.startswith(PROMISE) and _running(timer):
                    timers[name] = timer._stopped(event.at)  # noqa: SLF001
        for name, change in _CHANGES.get(kind, ()):
            if _running(timers[name]):
                timers[name] = change(timers[name], event.at)
    return timers


def alerts(
    timers: Mapping[str, SlaTimer], at: datetime, noticed: AbstractSet[AlertKey]
) -> Iterator[Alert]:
    """Every alert not in `noticed` that is true of `timers` at `at`.

    A warning is true once its threshold is reached, a breach once the due time passed.
    """
    for name, timer in timers.items():
        if timer.cancelled_at is not None:
            continue
        for share, reached in timer._alarms:  # noqa: SLF001 (worked out once per timer)
            if (
                reached is not None
                and (AlertKind.WARNING, name, share) not in noticed
                and not before(at, reached)
            ):
                yield Alert(AlertKind.WARNING, name, timer.due_at, reached, share)
        kind = AlertKind.BROKEN_PROMISE if name.startswith(PROMISE) else AlertKind.BREACH
        if (kind, name, None) not in noticed and timer.status(at) is SlaStatus.BREACHED:
            yield Alert(kind, name, timer.due_at, timer.due_at)


def next_alert_at(
    timers: Mapping[str, SlaTimer], noticed: AbstractSet[AlertKey]
) -> datetime | None:
    """The earliest instant at which `alerts` holds one not in `noticed`, or None.

    A warning holds from the time its threshold is reached; a breach from the first
    instant after the due time (a deadline is inclusive). A paused timer warns and breaches
    again only once a command resumes it, and a stopped one never, so neither gives an
    instant beyond what it already reached.
    """
    found: list[datetime] = []
    for name, timer in timers.items():
        if timer.cancelled_at is not None:
            continue
        found.extend(
            reached
            for share, reached in timer._alarms  # noqa: SLF001 (worked out once per timer)
            if reached is not None and (AlertKind.WARNING, name, share) not in noticed
        )
        kind = AlertKind.BROKEN_PROMISE if name.startswith(PROMISE) else AlertKind.BREACH
        frozen = timer.stopped_at or timer.paused_at
        breaches = frozen is None or before(timer.due_at, frozen)
        if breaches and (kind, name, None) not in noticed:
            found.append(later(timer.due_at, _TICK))
    return min(found, key=_instant, default=None)


_TICK = timedelta(microseconds=1)  # the resolution of a datetime: the first instant after


def _instant(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _running(timer: SlaTimer) -> bool:
    return timer.stopped_at is None and timer.cancelled_at is None


def _unanswered(timer: SlaTimer, at: datetime) -> SlaTimer:
    # R1: a complaint left unanswered past its target was missed, not cancelled.
    return timer._stopped(at) if before(timer.due_at, at) else timer._cancelled(at)  # noqa: SLF001


# The record checked the order of its events, so its timers move without their checks.
_stop, _pause, _resume = SlaTimer._stopped, SlaTimer._paused, SlaTimer._resumed  # noqa: SLF001


_Change = Callable[[SlaTimer, datetime], SlaTimer]

_CHANGES: Mapping[type[Event], tuple[tuple[str, _Change], ...]] = MappingProxyType(
    {
        Acknowledged: (("response", _stop),),
        Resolved: (("resolution", _stop),),
        Abandoned: (("response", _unanswered), ("resolution", _stop)),
        Declined: (("response", _unanswered), ("resolution", _stop)),
        WaitingOnCustomer: (("resolution", _pause),),
        CustomerReplied: (("resolution", _resume),),
    }
)
"""What each event does to the response and resolution timers (R1, R19)."""
