"""SLA timers: how long an incident may take, measured on a business calendar.

A timer starts, may be paused (waiting on the customer) and resumed, and ends when stopped
(the work was done) or cancelled (the timer no longer applies). Its deadline, its warnings
and its status follow from those facts and its calendar; nothing here reads a clock.
"""

from __future__ import annotations

import enum
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs

from service_recovery._base.checks import described, number, of, optional, shown, text, valid
from service_recovery._base.instants import (
    FIRST_DAY,
    LAST_DAY,
    aware,
    before,
    elapsed,
    not_before,
    positive,
    stdlib,
)
from service_recovery._base.kept import Keeps, kept
from service_recovery._base.reasons import Reason
from service_recovery._time.calendar import AROUND_THE_CLOCK, BusinessCalendar
from service_recovery.errors import InvalidTypeError, InvalidValueError, TimerError

_ONE_US = timedelta(microseconds=1)
_NONE = timedelta(0)
_FIRST, _LAST = FIRST_DAY.year, LAST_DAY.year
_THRESHOLD_BITS = 100  # a threshold's denominator: 10**30 fits


class SlaStatus(enum.StrEnum):
    """Where a timer stands at a given time."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"


# An enum's member costs ~200 ns to look up on its class (CPython 3.11); `status` is asked
# of every open timer, so it returns these.
_BREACHED, _RUNNING = SlaStatus.BREACHED, SlaStatus.RUNNING
_CANCELLED, _PAUSED, _MET = SlaStatus.CANCELLED, SlaStatus.PAUSED, SlaStatus.MET


def _utc(at: datetime) -> datetime:
    """`at` as a stdlib datetime in UTC: a pendulum one deep-copied would lose its zone."""
    return stdlib(at if at.tzinfo is UTC else at.astimezone(UTC))


class PauseClock(enum.StrEnum):
    """How a pause moves the deadline when it ends.

    BUSINESS (the default): the clock does not run while paused, so the deadline moves by
    the business time the pause lasted. WALL: the pause's wall-clock length is added to the
    target, as business time still to spend.
    """

    BUSINESS = "business"
    WALL = "wall"


DEFAULT_WARNINGS = (Decimal("0.5"), Decimal("0.75"))


def _micros(span: timedelta) -> int:
    return timedelta.__floordiv__(span, _ONE_US)


_FRACTION = re.compile(r"\s*(\d{1,30})\s*/\s*(\d{1,30})\s*")


def _threshold(value: object) -> Fraction:
    """A warning threshold as an exact Fraction strictly between 0 and 1.

    The range is checked on a bounded Decimal first: ``Fraction("1e10000000")`` would
    compute a ten-million-digit number before anyone could say it is above 1.
    """
    if isinstance(value, float):
        msg = (
            f"warning threshold {value!r} is a float, which cannot hold most fractions "
            f"exactly; pass Decimal('{value}') or the string '{value}'"
        )
        raise InvalidTypeError(msg)
    written = _FRACTION.fullmatch(value) if isinstance(value, str) else None
    if isinstance(value, Fraction):
        ratio = value
    elif written is not None and int(written[2]):
        ratio = Fraction(int(written[1]), int(written[2]))
    elif isinstance(value, Decimal | str | int) and not isinstance(value, bool):
        try:
            ratio = Fraction(number(value, "warning threshold"))
        except InvalidValueError:
            msg = (
                f"warning threshold {shown(value)} is not a number within 10**-30 and "
                f"10**30; write a share of the target such as '0.75' or '3/4'"
            )
            raise InvalidValueError(msg) from None
    else:
        msg = (
            f"a warning threshold must be a Decimal, Fraction or str such as '0.75', "
            f"got {described(value)}"
        )
        raise InvalidTypeError(msg)
    if not 0 < ratio < 1 or ratio.denominator.bit_length() > _THRESHOLD_BITS:
        msg = (
            f"warning threshold {shown(value)} must lie strictly between 0 and 1 (a share of "
            f"the target used, at most 30 digits); the deadline itself is the breach"
        )
        raise InvalidValueError(msg)
    return ratio


def _warnings(value: Iterable[Decimal | Fraction | str]) -> tuple[Fraction, ...]:
    # Every timer of a policy has the same thresholds, and every command rebuilds its
    # timer: convert each distinct tuple once (Fraction arithmetic is slow Python).
    if type(value) is tuple:
        try:
            return _cached_warnings(value)
        except TypeError:  # unhashable items: convert them uncached, and fail clearly
            pass
    return checked_warnings(value)


@functools.lru_cache(maxsize=256)
def _cached_warnings(value: tuple[object, ...]) -> tuple[Fraction, ...]:
    return checked_warnings(value)


def checked_warnings(value: object) -> tuple[Fraction, ...]:
    """Warning thresholds as exact fractions, each between 0 and 1, rising; else an error."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = (
            f"warnings must be a sequence of thresholds such as (Decimal('0.5'), "
            f"Decimal('0.75')), got {described(value)}"
        )
        raise InvalidTypeError(msg)
    ratios = tuple(_threshold(item) for item in value)
    for low, high in itertools.pairwise(ratios):
        if high <= low:
            msg = (
                f"warning thresholds must increase strictly, got {low} then {high}; "
                f"list each once, smallest first"
            )
            raise InvalidValueError(msg)
    return ratios


_PAUSE_CLOCKS = frozenset(PauseClock)


def _pause_clock(value: PauseClock | str) -> PauseClock:
    if isinstance(value, str) and value in _PAUSE_CLOCKS:
        return PauseClock(value)
    msg = f"pause_clock must be one of {', '.join(PauseClock)}, got {shown(value)}"
    raise InvalidValueError(msg)


def _pauses(value: Iterable[Pause]) -> tuple[Pause, ...]:
    if not isinstance(value, Iterable):
        msg = f"pauses must be a sequence of Pause, got {described(value)}"
        raise InvalidTypeError(msg)
    pauses = tuple(value)
    for pause in pauses:
        if not isinstance(pause, Pause):
            msg = f"pauses must hold Pause values, got {described(pause)}"
            raise InvalidTypeError(msg)
    return pauses


@attrs.frozen
class Pause:
    """A pause that has ended: the timer stood still from `started_at` until `ended_at`."""

    started_at: datetime = attrs.field(validator=valid(aware))
    ended_at: datetime = attrs.field(validator=valid(aware))

    def __attrs_post_init__(self) -> None:
        if before(self.ended_at, self.started_at):
            msg = (
                f"a pause cannot end at {self.ended_at.isoformat()}, before it started at "
                f"{self.started_at.isoformat()}"
            )
            raise InvalidValueError(msg)


# What each state of a timer allows: the table every command is checked against first.
_ALLOWED = {
    "running": ("pause", "stop", "cancel"),
    "paused": ("resume", "stop", "cancel"),
    "stopped": (),
    "cancelled": (),
}


@attrs.frozen(slots=False)
class SlaTimer(Keeps):
    """A named deadline on a business calendar: `target` of business time from `started_at`.

    Deadlines are inclusive: a timer stopped at its due time is MET, one microsecond later
    BREACHED. A paused timer never breaches while paused; if it was already past due when
    paused, it reports BREACHED, because a pause does not undo a breach. Each pause that
    began by the due time moves the due time later when it ends, by its length measured
    by `pause_clock`.

    Build one with `SlaTimer.start`; `pause`, `resume`, `stop` and `cancel` return new
    timers. Queries take the time they are asked at, which must not be before the timer's
    last change: a timer answers about now, not about its past.

    `original_due_at` is the due time at start, in the calendar's zone; `due_at` the due
    time given the pauses that have ended. While paused, `due_at` is the due time as if
    the timer resumed the instant it paused, the earliest it can now be; `status` is the
    authority on breaches, and never reports one for a pause that began in time.
    """

    name: str = attrs.field(validator=valid(text))
    target: timedelta = attrs.field(validator=valid(positive))
    started_at: datetime = attrs.field(validator=valid(aware))
    calendar: BusinessCalendar = attrs.field(
        default=AROUND_THE_CLOCK, validator=valid(of(BusinessCalendar))
    )
    warnings: tuple[Fraction, ...] = attrs.field(default=DEFAULT_WARNINGS, converter=_warnings)
    pause_clock: PauseClock = attrs.field(default=PauseClock.BUSINESS, converter=_pause_clock)
    pauses: tuple[Pause, ...] = attrs.field(default=(), converter=_pauses)
    paused_at: datetime | None = attrs.field(default=None, validator=valid(optional(aware)))
    stopped_at: datetime | None = attrs.field(default=None, validator=valid(optional(aware)))
    cancelled_at: datetime | None = attrs.field(default=None, validator=valid(optional(aware)))
    original_due_at: datetime = attrs.field(init=False, eq=False)
    due_at: datetime = attrs.field(init=False, eq=False)
    # What `status` reads, worked out once per timer: it is asked far more often than moved.
    # The last change and the due time in UTC, and the verdict once the clock is frozen.
    _asked_of: tuple[datetime, datetime, SlaStatus | None] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        self._check_history()
        object.__setattr__(self, "original_due_at", self.calendar.add(self.started_at, self.target))
        object.__setattr__(self, "due_at", self._due())
        self._settle()

    def __getstate__(self) -> dict[str, object]:
        """The settings and the moments: what follows from them is worked out on reading."""
        fields = self.__dict__
        return {name: fields[name] for name in _SETTABLE}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in _SETTABLE:
            object.__setattr__(self, name, state[name])
        self.__attrs_post_init__()

    @classmethod
    def start(
        cls,
        *,
        name: str,
        target: timedelta,
        at: datetime,
        calendar: BusinessCalendar | None = None,
        warnings: Iterable[Decimal | Fraction | str] = DEFAULT_WARNINGS,
        pause_clock: PauseClock | str = PauseClock.BUSINESS,
    ) -> SlaTimer:
        """Start a timer at `at` (24x7 in UTC unless a calendar is given)."""
        return cls(
            name=name,
            target=target,
            started_at=at,
            calendar=AROUND_THE_CLOCK if calendar is None else calendar,
            warnings=warnings,
            pause_clock=pause_clock,
        )

    # ------------------------------------------------------------------ commands

    def pause(self, *, at: datetime) -> SlaTimer:
        """Stop the clock, e.g. while waiting on the customer's reply."""
        return self._paused(self._checked("pause", at))

    def resume(self, *, at: datetime) -> SlaTimer:
        """Run the clock again; the due time moves later by the pause's length."""
        return self._resumed(self._checked("resume", at))

    def stop(self, *, at: datetime) -> SlaTimer:
        """The work is done: the timer is MET if `at` is at or before the due time."""
        return self._stopped(self._checked("stop", at))

    def cancel(self, *, at: datetime) -> SlaTimer:
        """The timer no longer applies (the incident was abandoned): CANCELLED from now on."""
        return self._cancelled(self._checked("cancel", at))

    # The commands without their checks, for a history whose order a record has checked
    # (an incident's timers read from its events): each public command checks, then calls
    # its own.

    def _paused(self, at: datetime) -> SlaTimer:
        return self._with(at, _PAUSED, paused_at=at)

    def _resumed(self, at: datetime) -> SlaTimer:
        return self._with(at, None, pauses=self._with_pause_until(at), paused_at=None)

    def _stopped(self, at: datetime) -> SlaTimer:
        pauses = self._with_pause_until(at)
        return self._with(at, _MET, pauses=pauses, paused_at=None, stopped_at=at)

    def _cancelled(self, at: datetime) -> SlaTimer:
        pauses = self._with_pause_until(at)
        return self._with(at, _CANCELLED, pauses=pauses, paused_at=None, cancelled_at=at)

    @classmethod
    def _begin(
        cls,
        *,
        name: str,
        target: timedelta,
        at: datetime,
        calendar: BusinessCalendar,
        warnings: tuple[Decimal, ...],
        pause_clock: PauseClock,
    ) -> SlaTimer:
        """`start`, for arguments a policy has already checked: no conversions.

        An incident reads its timers from its events on every tick and every scorecard.
        """
        settings = {
            "name": name,
            "target": target,
            "started_at": at,
            "calendar": calendar,
            "warnings": _warnings(warnings),
            "pause_clock": pause_clock,
            "pauses": (),
            "paused_at": None,
            "stopped_at": None,
            "cancelled_at": None,
        }
        timer: SlaTimer = object.__new__(cls)
        due = calendar.add(at, target)  # a fresh timer has one moment: no history to check
        timer.__dict__.update(
            settings, original_due_at=due, due_at=due, _asked_of=(_utc(at), _utc(due), None)
        )
        return timer

    def _with(self, at: datetime, frozen: SlaStatus | None, **changes: object) -> SlaTimer:
        """This timer with `changes` its command made at `at` and checked; the due times follow.

        `frozen` is what the timer says from now on (BREACHED instead of PAUSED or MET if it
        was past due at `at`), None if it runs again. Cheaper than `attrs.evolve`, which would
        convert every field again.
        """
        timer: SlaTimer = object.__new__(SlaTimer)
        fields = timer.__dict__
        fields.update(self.__dict__)
        fields.update(changes)
        # The command checked its state and time against this timer's last change, so the
        # history stays in order: only the due times may move.
        due = self.due_at
        if timer.pauses is not self.pauses:  # the open pause ended: it moves the due time
            due = self._moved(due, timer.pauses[-1])
        # Otherwise the same due time (a pause, or a stop while running): a pause moves the
        # due time only once it has ended.
        due_utc = self._asked_of[1] if due is self.due_at else _utc(due)
        if (frozen is _PAUSED or frozen is _MET) and due_utc < _utc(at):
            frozen = _BREACHED
        fields["due_at"] = due
        fields["_asked_of"] = (_utc(at), due_utc, frozen)
        return timer

    def _settle(self) -> None:
        """Work out what `status` reads from the fields (`_with` knows it from its command)."""
        frozen = self._frozen_at
        if self.cancelled_at is not None:
            verdict: SlaStatus | None = _CANCELLED
        elif frozen is None:
            verdict = None  # running: the answer depends on when it is asked
        elif before(self.due_at, frozen):
            verdict = _BREACHED
        else:
            verdict = _PAUSED if self.stopped_at is None else _MET
        asked_of = (_utc(self._last_change), _utc(self.due_at), verdict)
        object.__setattr__(self, "_asked_of", asked_of)

    # ------------------------------------------------------------------ queries

    def status(self, at: datetime) -> SlaStatus:
        """Where the timer stands at `at`.

        A host asks it of every open timer, so it costs two comparisons: both sides are
        compared in UTC, which is exact across a daylight-saving change whatever the
        zone of `at` (only times in one named zone compare by their wall clocks).
        """
        since, due, verdict = self._asked_of
        try:
            asked = isinstance(at, datetime) and at >= since and _FIRST <= at.year <= _LAST
        except Exception:  # noqa: BLE001 (naive, or a tzinfo of one's own that fails)
            asked = False
        if not asked:
            self._asked(at)  # refuses what is not an aware time at or after the last change
        if verdict is not None:
            return verdict
        return _BREACHED if due < at else _RUNNING

    def remaining(self, at: datetime) -> timedelta:
        """Business time left until the due time; negative past it, frozen while paused or ended."""
        now = self._asked(at)
        frozen = self._frozen_at
        return self.calendar.between(now if frozen is None else frozen, self.due_at)

    def breached_by(self, at: datetime) -> timedelta:
        """Business time spent past the due time; zero if not past it.

        It can be zero for a BREACHED timer: past a deadline at the close of a day, no
        business time passes until the next opening, yet the deadline has gone by.
        """
        return max(timedelta(0), -self.remaining(at))

    def elapsed_ratio(self, at: datetime) -> Fraction:
        """The share of the target used, ``(target - remaining) / target``, as an exact Fraction.

        It reaches 1 at the due time and exceeds it past the due time. With the WALL pause
        clock a long pause can give back more than was used, and the ratio goes below 0.
        """
        target = _micros(self.target)
        return Fraction(target - _micros(self.remaining(at)), target)

    def explain(self, rule: str) -> tuple[Reason, ...]:
        """Why the timer is due when it is, each step a `Reason` under `rule` (``"R19"``).

        The target and where it counts from; each working span of the calendar it counted
        (``R19.counted``); each pause and what it did to the due time; the holidays and the
        dates closed all day that it skipped; a due time at the close of a span staying on
        that day; the inclusive deadline, or how the timer ended. So support staff can
        answer "why is this due Monday 11:00". Times are in the calendar's zone, named.
        """
        rule = text(rule, "rule").partition(".")[0]  # each step names its own topic
        zone = ZoneInfo(self.calendar.zone)

        def at(moment: datetime) -> str:
            return f"{moment.astimezone(zone):%a %d %b %Y %H:%M %Z}"

        target = f"{self.target} of business time from {at(self.started_at)}"
        reasons = [Reason(f"{rule}.target", target)]
        counted: list[tuple[datetime, datetime]] = []
        runs = list(self._runs())
        for index, (start, end, due) in enumerate(runs):
            last = index == len(runs) - 1  # counts to the due time, whatever froze it since
            stop = due if last or end is None or before(due, end) else end
            for begin, close in self.calendar.open_spans(start, stop):
                counted.append((begin, close))
                same_day = (close.date(), close.tzname()) == (begin.date(), begin.tzname())
                until = f"{close:%H:%M}" if same_day else at(close)
                detail = f"counted {at(begin)} to {until} ({elapsed(begin, close)})"
                reasons.append(Reason(f"{rule}.counted", detail))
        reasons.extend(self._pauses_explained(rule, runs, at))
        reasons.extend(self._skipped(rule, counted))
        due = self.due_at
        if counted and elapsed(counted[-1][1], due) == _NONE and not self.calendar.is_open(due):
            detail = f"due at the close at {at(due)}: it stays on that day"
            reasons.append(Reason(f"{rule}.close", detail))
        reasons.append(self._verdict(rule, at))
        return tuple(reasons)

    def _pauses_explained(
        self,
        rule: str,
        runs: list[tuple[datetime, datetime | None, datetime]],
        at: Callable[[datetime], str],
    ) -> list[Reason]:
        """What each pause did to the due time, and the one still open."""
        reasons = []
        for pause, (_, _, due) in zip(self.pauses, runs, strict=False):
            span = f"{at(pause.started_at)} to {at(pause.ended_at)}"
            if before(due, pause.started_at):
                what = "it began after the due time, which stays"
            elif self.pause_clock is PauseClock.WALL:
                length = elapsed(pause.started_at, pause.ended_at)
                what = f"its wall-clock length, {length}, was added as business time"
            else:
                length = self.calendar.between(pause.started_at, pause.ended_at)
                what = f"the due time moved by the {length} of business time it lasted"
            reasons.append(Reason(f"{rule}.paused", f"paused {span}: {what}"))
        if self.paused_at is not None:
            detail = f"paused since {at(self.paused_at)}: the due time moves when it resumes"
            reasons.append(Reason(f"{rule}.paused", detail))
        return reasons

    def _verdict(self, rule: str, at: Callable[[datetime], str]) -> Reason:
        """The inclusive deadline, or how the timer ended."""
        due = at(self.due_at)
        if self.cancelled_at is not None:
            detail = f"cancelled at {at(self.cancelled_at)}: no deadline applies"
            return Reason(f"{rule}.cancelled", detail)
        if self.stopped_at is not None:
            met = "after" if before(self.due_at, self.stopped_at) else "at or before"
            detail = f"stopped at {at(self.stopped_at)}, {met} the due time {due}"
            return Reason(f"{rule}.stopped", detail)
        return Reason(f"{rule}.inclusive", f"met if stopped at or before {due}")

    def _skipped(self, rule: str, counted: list[tuple[datetime, datetime]]) -> list[Reason]:
        """The holidays from the start's date to the due's, and the closed dates between."""
        zone = ZoneInfo(self.calendar.zone)
        first = self.started_at.astimezone(zone).date()
        last = self.due_at.astimezone(zone).date()
        worked = {  # every date a counted span touches
            begin.date() + timedelta(days=n)
            for begin, close in counted
            for n in range(((close - _ONE_US).date() - begin.date()).days + 1)
        }
        holidays = [day for day in self.calendar.holidays if first <= day <= last]
        between = (first + timedelta(days=n) for n in range(1, (last - first).days))
        closed = [day for day in between if day not in worked and day not in holidays]
        reasons = [
            Reason(f"{rule}.holiday", f"{day:%a %d %b %Y} is a holiday: skipped")
            for day in holidays
        ]
        if closed:
            days = ", ".join(f"{day:%a %d %b}" for day in closed)
            reasons.append(Reason(f"{rule}.closed", f"closed on {days}: skipped"))
        return reasons

    def warning_at(self, threshold: Decimal | Fraction | str) -> datetime | None:
        """When `elapsed_ratio` reaches `threshold`, given the pauses so far.

        The time may be past or future (assuming no further pause). None when the timer
        was paused, stopped or cancelled before reaching it: a paused timer's next warning
        time is known once it resumes.
        """
        return self._warning_at(_threshold(threshold))

    @kept
    def _alarms(self) -> tuple[tuple[Decimal, datetime | None], ...]:
        """Each of `warnings` as a Decimal share, and when it is reached (see `warning_at`).

        Worked out the first time a tick or a wake-up asks, once per timer.
        """
        return tuple(
            (Decimal(ratio.numerator) / Decimal(ratio.denominator), self._warning_at(ratio))
            for ratio in self.warnings
        )

    def _warning_at(self, ratio: Fraction) -> datetime | None:
        """`warning_at` for a threshold already checked, such as one of `warnings`."""
        target = _micros(self.target)
        left = timedelta(microseconds=target - math.ceil(ratio * target))
        for start, end, due in self._runs():
            reached = self.calendar.add(start, self.calendar.between(start, due) - left)
            if end is None or not before(end, reached):
                return reached
        return None

    # ------------------------------------------------------------------ helpers

    @property
    def _state(self) -> str:
        if self.cancelled_at is not None:
            return "cancelled"
        if self.stopped_at is not None:
            return "stopped"
        return "running" if self.paused_at is None else "paused"

    @property
    def _frozen_at(self) -> datetime | None:
        """When the clock stopped for good or for now; None while it runs."""
        if self.paused_at is not None:
            return self.paused_at
        return self.stopped_at if self.cancelled_at is None else self.cancelled_at

    @property
    def _last_change(self) -> datetime:
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return self.pauses[-1].ended_at if self.pauses else self.started_at

    def _due(self) -> datetime:
        """The due time given the ended pauses; an open pause moves it only when it ends."""
        if not self.pauses:
            return self.original_due_at
        *_, (_start, _end, due) = self._runs()
        return due

    def _runs(self) -> Iterator[tuple[datetime, datetime | None, datetime]]:
        """Each stretch the clock ran: its start, its end (None if still running), the due time.

        A pause moves the due time only if it began at or before it: a breach stays a breach.
        """
        start, due = self.started_at, self.original_due_at
        for pause in self.pauses:
            yield start, pause.started_at, due
            due = self._moved(due, pause)
            start = pause.ended_at
        yield start, self._frozen_at, due

    def _moved(self, due: datetime, pause: Pause) -> datetime:
        """`due` after `pause` ended: later by its length if it began by then (see `_runs`)."""
        if before(due, pause.started_at):
            return due
        # The pause's length in business time, or in wall-clock time (24x7).
        ruler = AROUND_THE_CLOCK if self.pause_clock is PauseClock.WALL else self.calendar
        return self.calendar.add(due, ruler.between(pause.started_at, pause.ended_at))

    def _with_pause_until(self, at: datetime) -> tuple[Pause, ...]:
        if self.paused_at is None:
            return self.pauses
        return (*self.pauses, Pause(self.paused_at, at))

    def _checked(self, action: str, at: datetime) -> datetime:
        """Refuse `action` unless the timer's state allows it at `at`; return `at`."""
        state = self._state
        allowed = _ALLOWED[state]
        if action not in allowed:
            what = ", ".join(allowed) if allowed else f"nothing, a {state} timer is final"
            msg = f"cannot {action} timer {shown(self.name)} while it is {state}; allowed: {what}"
            raise TimerError(msg)
        return self._dated(at, action)

    def _asked(self, at: datetime) -> datetime:
        return self._dated(at, "a query")

    def _dated(self, at: datetime, action: str) -> datetime:
        """Return `at` if it is aware and not before the timer's last change."""
        last = self._last_change
        if before(aware(at, "at"), last):  # the message only when it is needed
            not_before(at, last, f"{action} of timer {shown(self.name)}")
        return at

    def _check_history(self) -> None:
        """Refuse a history out of order: start, pauses, then pause, stop or cancel."""
        if self.stopped_at is not None and self.cancelled_at is not None:
            msg = f"timer {shown(self.name)} cannot be both stopped and cancelled; keep the first"
            raise TimerError(msg)
        if self.paused_at is not None and self._state != "paused":
            msg = (
                f"timer {shown(self.name)} cannot be paused once stopped or cancelled; "
                f"close the pause with Pause(paused_at, stopped_at) instead"
            )
            raise TimerError(msg)
        moments = [self.started_at]
        for pause in self.pauses:
            moments += [pause.started_at, pause.ended_at]
        if self._frozen_at is not None:
            moments.append(self._frozen_at)
        for earlier, later in itertools.pairwise(moments):
            if before(later, earlier):
                msg = (
                    f"timer {shown(self.name)} has events out of order: {later.isoformat()} is "
                    f"listed after {earlier.isoformat()}; list them oldest first"
                )
                raise TimerError(msg)


_SETTABLE = tuple(field.name for field in attrs.fields(SlaTimer) if field.init)
