"""SlaTimer: SLA timers on business calendars."""

from __future__ import annotations

import copy
import pickle
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ny, office
from service_recovery import BusinessCalendar, Pause, PauseClock, SlaStatus, SlaTimer
from service_recovery.decisions import Reason
from service_recovery.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    TimerError,
    TimeWentBackwards,
)

NEW_YORK = ZoneInfo("America/New_York")
ONE_US = timedelta(microseconds=1)
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)


def resolution(at: datetime, **options: Any) -> SlaTimer:
    """A 6-hour resolution timer on the office calendar."""
    return SlaTimer.start(
        name="resolution", target=timedelta(hours=6), at=at, calendar=office(), **options
    )


T0 = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def response() -> SlaTimer:
    """R1: respond within 60 seconds, wall-clock time (24x7)."""
    return SlaTimer.start(name="response", target=timedelta(seconds=60), at=T0)


class TestSlaStatus:
    def test_statuses_read_as_lowercase_words(self) -> None:
        assert [str(status) for status in SlaStatus] == [
            "running",
            "paused",
            "met",
            "breached",
            "cancelled",
        ]


class TestPauseClock:
    def test_a_timer_counts_pauses_in_business_time_unless_told_otherwise(self) -> None:
        assert response().pause_clock is PauseClock.BUSINESS


class TestPause:
    def test_a_pause_cannot_end_before_it_starts(self) -> None:
        with pytest.raises(InvalidValueError, match="cannot end at 2026-03-04T09:00:00\\+00:00"):
            Pause(T0, datetime(2026, 3, 4, 9, tzinfo=UTC))

    def test_a_naive_pause_time_is_refused(self) -> None:
        naive = datetime(2026, 3, 4, 10)  # noqa: DTZ001 (the point of the test)

        with pytest.raises(
            NaiveDatetimeError, match="ended_at=2026-03-04T10:00:00 has no time zone"
        ):
            Pause(T0, naive)


class TestSlaTimerStart:
    def test_a_timer_starts_running_on_a_24x7_utc_calendar_with_warnings_at_half_and_three_quarters(
        self,
    ) -> None:
        timer = response()

        assert timer.calendar == BusinessCalendar()
        assert timer.warnings == (Fraction(Decimal("0.5")), Fraction(Decimal("0.75")))
        assert timer.status(T0) is SlaStatus.RUNNING
        assert timer.original_due_at == timer.due_at == T0 + timedelta(seconds=60)

    def test_the_due_time_is_in_the_calendars_zone(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9))

        assert timer.due_at == ny(2026, 3, 4, 16)
        assert timer.due_at.tzinfo is NEW_YORK

    def test_thresholds_may_be_decimals_strings_or_fractions_and_are_kept_exact(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9), warnings=[Decimal("0.25"), "1/3", Fraction(9, 10)])

        assert timer.warnings == (Fraction(1, 4), Fraction(1, 3), Fraction(9, 10))

    def test_no_warnings_at_all_is_allowed(self) -> None:
        assert resolution(ny(2026, 3, 4, 9), warnings=()).warnings == ()

    def test_a_float_threshold_is_refused_with_the_decimal_to_use_instead(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"threshold 0\.8 is a float.*Decimal\('0\.8'\)"):
            resolution(ny(2026, 3, 4, 9), warnings=[0.8])

    @pytest.mark.parametrize("threshold", ["0", "1", "1.5", "-0.1"])
    def test_a_threshold_outside_0_to_1_is_refused_naming_it(self, threshold: object) -> None:
        shown = re.escape(repr(threshold))
        with pytest.raises(InvalidValueError, match=f"{shown} must lie strictly between 0 and 1"):
            resolution(ny(2026, 3, 4, 9), warnings=[threshold])

    def test_a_threshold_may_have_a_30_digit_denominator_but_not_a_31_digit_one(self) -> None:
        # 2**99 has 30 digits and a 100-bit denominator is the most a threshold may have.
        finest = Fraction(1, 2**99)

        assert resolution(ny(2026, 3, 4, 9), warnings=[finest]).warnings == (finest,)
        with pytest.raises(InvalidValueError, match=r"Fraction\(1, \d{31}\) must lie strictly"):
            resolution(ny(2026, 3, 4, 9), warnings=[finest / 2])

    @pytest.mark.parametrize("threshold", ["half", Decimal("NaN"), Decimal("Infinity"), "1/0"])
    def test_a_threshold_that_is_not_a_number_is_refused_naming_it(self, threshold: object) -> None:
        shown = re.escape(repr(threshold))
        with pytest.raises(InvalidValueError, match=f"threshold {shown} is not a number"):
            resolution(ny(2026, 3, 4, 9), warnings=[threshold])

    @pytest.mark.parametrize("threshold", [True, None, [Decimal("0.5")]])
    def test_a_threshold_of_the_wrong_type_is_refused_naming_it(self, threshold: object) -> None:
        given = re.escape(f"got {type(threshold).__name__} {threshold!r}")
        with pytest.raises(InvalidTypeError, match=f"must be a Decimal, Fraction or str.*{given}"):
            resolution(ny(2026, 3, 4, 9), warnings=[threshold])

    @pytest.mark.parametrize("warnings", [["0.75", "0.5"], ["0.5", "0.5"]])
    def test_thresholds_must_increase_strictly(self, warnings: list[str]) -> None:
        with pytest.raises(InvalidValueError, match="must increase strictly"):
            resolution(ny(2026, 3, 4, 9), warnings=warnings)

    def test_warnings_must_be_a_sequence(self) -> None:
        with pytest.raises(
            InvalidTypeError, match=r"warnings must be a sequence of thresholds.*got str '0\.5'"
        ):
            resolution(ny(2026, 3, 4, 9), warnings="0.5")

    def test_timers_given_the_same_tuple_of_thresholds_share_one_conversion(self) -> None:
        # Every command rebuilds its timer: a tuple is converted once, not on every build.
        thresholds = (Decimal("0.3"), Decimal("0.6"))

        first = resolution(ny(2026, 3, 4, 9), warnings=thresholds)
        second = resolution(ny(2026, 3, 5, 9), warnings=thresholds)

        assert first.warnings == (Fraction(3, 10), Fraction(3, 5))
        assert second.warnings is first.warnings

    @pytest.mark.parametrize("target", [timedelta(0), timedelta(seconds=-1)])
    def test_a_target_of_zero_or_less_is_refused_naming_it(self, target: timedelta) -> None:
        shown = re.escape(repr(target))
        with pytest.raises(
            InvalidValueError, match=f"target must be longer than zero, got {shown}"
        ):
            SlaTimer.start(name="response", target=target, at=T0)

    def test_a_target_that_is_not_a_timedelta_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="target must be a timedelta, got int 60"):
            SlaTimer.start(name="response", target=60, at=T0)  # type: ignore[arg-type]

    def test_a_timer_needs_a_name(self) -> None:
        with pytest.raises(InvalidValueError, match=r"^name must not be empty; say what it is"):
            SlaTimer.start(name=" ", target=SECOND, at=T0)

    def test_a_name_that_is_not_a_str_is_refused_naming_it(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"^name must be a str, got int 1"):
            SlaTimer.start(name=1, target=SECOND, at=T0)  # type: ignore[arg-type]

    def test_a_naive_start_is_refused(self) -> None:
        naive = datetime(2026, 3, 4, 10)  # noqa: DTZ001 (the point of the test)

        with pytest.raises(
            NaiveDatetimeError, match="started_at=2026-03-04T10:00:00 has no time zone"
        ):
            SlaTimer.start(name="response", target=SECOND, at=naive)

    def test_a_calendar_must_be_a_business_calendar(self) -> None:
        with pytest.raises(InvalidTypeError, match="calendar must be a BusinessCalendar, got str"):
            SlaTimer.start(name="response", target=SECOND, at=T0, calendar="24x7")  # type: ignore[arg-type]

    def test_the_pause_clock_may_be_named_and_an_unknown_one_is_refused(self) -> None:
        assert resolution(ny(2026, 3, 4, 9), pause_clock="wall").pause_clock is PauseClock.WALL
        with pytest.raises(
            InvalidValueError, match="pause_clock must be one of business, wall, got 'hourly'"
        ):
            resolution(ny(2026, 3, 4, 9), pause_clock="hourly")

    def test_a_pendulum_start_is_accepted(self) -> None:
        start = pendulum.datetime(2026, 3, 4, 9, tz="America/New_York")

        assert resolution(start).due_at == ny(2026, 3, 4, 16)


class TestSlaTimerBegin:
    """`_begin`: how an incident starts the timers of its policy, whose settings are checked."""

    def test_it_starts_the_timer_start_would_with_the_same_settings(self) -> None:
        at, thresholds = ny(2026, 3, 4, 9), (Decimal("0.25"), Decimal("0.5"))

        begun = SlaTimer._begin(
            name="resolution",
            target=timedelta(hours=6),
            at=at,
            calendar=office(),
            warnings=thresholds,
            pause_clock=PauseClock.WALL,
        )
        started = resolution(at, warnings=thresholds, pause_clock=PauseClock.WALL)

        assert begun == started
        assert begun.original_due_at == begun.due_at == started.due_at == ny(2026, 3, 4, 16)
        assert [type(threshold) for threshold in begun.warnings] == [Fraction, Fraction]
        assert begun.status(at) is SlaStatus.RUNNING

    def test_a_begun_timer_pauses_and_stops_like_any_other(self) -> None:
        begun = SlaTimer._begin(
            name="response",
            target=timedelta(seconds=60),
            at=T0,
            calendar=BusinessCalendar(),
            warnings=(),
            pause_clock=PauseClock.BUSINESS,
        )

        stopped = (
            begun.pause(at=T0 + 10 * SECOND).resume(at=T0 + 40 * SECOND).stop(at=T0 + 90 * SECOND)
        )

        assert stopped.due_at == T0 + 90 * SECOND
        assert stopped.status(T0 + 90 * SECOND) is SlaStatus.MET


class TestSlaTimerDeadline:
    """R1 and the inclusive deadline: stopped at the due time is met, a microsecond later is not."""

    def test_a_60_second_response_stopped_at_second_60_is_met(self) -> None:
        assert response().stop(at=T0 + 60 * SECOND).status(T0 + 60 * SECOND) is SlaStatus.MET

    def test_a_60_second_response_stopped_at_second_61_is_breached(self) -> None:
        timer = response().stop(at=T0 + 61 * SECOND)

        assert timer.status(T0 + 61 * SECOND) is SlaStatus.BREACHED
        assert timer.breached_by(T0 + 90 * SECOND) == SECOND

    def test_a_running_timer_breaches_one_microsecond_after_the_due_time(self) -> None:
        timer = response()

        assert timer.status(T0 + 60 * SECOND) is SlaStatus.RUNNING
        assert timer.status(T0 + 60 * SECOND + ONE_US) is SlaStatus.BREACHED

    def test_a_complaint_received_on_friday_evening_is_due_on_monday_afternoon(self) -> None:
        timer = SlaTimer.start(
            name="response", target=timedelta(hours=4), at=ny(2026, 3, 6, 18, 45), calendar=office()
        )

        assert timer.due_at == ny(2026, 3, 9, 14)
        assert timer.remaining(ny(2026, 3, 7, 12)) == timedelta(hours=4)
        assert timer.stop(at=ny(2026, 3, 9, 14)).status(ny(2026, 3, 9, 14)) is SlaStatus.MET
        assert (
            timer.stop(at=ny(2026, 3, 9, 14, 0, 0, 1)).status(ny(2026, 3, 9, 15))
            is SlaStatus.BREACHED
        )

    def test_times_are_compared_as_instants_even_in_the_hour_clocks_repeat(self) -> None:
        # 01:10 EST (the second 01:10 of 1 November) comes 40 minutes after 01:30 EDT.
        timer = SlaTimer.start(
            name="response",
            target=timedelta(minutes=30),
            at=ny(2026, 11, 1, 1),
            calendar=BusinessCalendar(zone="America/New_York"),
        )

        stopped = timer.stop(at=ny(2026, 11, 1, 1, 10, fold=1))

        assert stopped.status(ny(2026, 11, 1, 2)) is SlaStatus.BREACHED
        assert stopped.breached_by(ny(2026, 11, 1, 2)) == timedelta(minutes=40)

    def test_a_running_timer_breaches_by_the_instant_not_the_wall_clock(self) -> None:
        # Due at 01:30 EDT; 01:10 EST (the second 01:10) is 40 minutes later, though its wall
        # clock reads earlier, and 01:20 EDT is 10 minutes before.
        timer = SlaTimer.start(
            name="response",
            target=timedelta(minutes=30),
            at=ny(2026, 11, 1, 1),
            calendar=BusinessCalendar(zone="America/New_York"),
        )

        assert timer.status(ny(2026, 11, 1, 1, 20)) is SlaStatus.RUNNING
        assert timer.status(ny(2026, 11, 1, 1, 10, fold=1)) is SlaStatus.BREACHED

    @given(
        start=st.datetimes(
            min_value=datetime(2026, 1, 1),  # noqa: DTZ001 (hypothesis takes naive bounds)
            max_value=datetime(2027, 12, 31),  # noqa: DTZ001
            timezones=st.just(NEW_YORK),
        ),
        target=st.timedeltas(min_value=ONE_US, max_value=timedelta(days=3)),
        after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=6)),
        zone=st.sampled_from([UTC, NEW_YORK, ZoneInfo("Asia/Tokyo")]),
        paused=st.booleans(),
    )
    def test_status_is_the_exact_comparison_of_the_instants(
        self, start: datetime, target: timedelta, after: timedelta, zone: Any, paused: bool
    ) -> None:
        timer = SlaTimer.start(name="resolution", target=target, at=start, calendar=office())
        at = (start.astimezone(UTC) + after).astimezone(zone)
        if paused:
            timer = timer.pause(at=at)
        past_due = timer.due_at.astimezone(UTC) < at.astimezone(UTC)
        expected = SlaStatus.PAUSED if paused else SlaStatus.RUNNING

        assert timer.status(at) is (SlaStatus.BREACHED if past_due else expected)

    def test_remaining_is_business_time_left_and_negative_past_the_due_time(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9))

        assert timer.remaining(ny(2026, 3, 4, 11)) == timedelta(hours=5)
        assert timer.remaining(ny(2026, 3, 5, 11)) == timedelta(hours=-3)
        assert timer.breached_by(ny(2026, 3, 5, 11)) == timedelta(hours=3)

    def test_past_a_deadline_at_the_close_a_breach_can_be_by_no_business_time_yet(self) -> None:
        timer = resolution(ny(2026, 3, 4, 12))  # due at the close, 18:00

        assert timer.status(ny(2026, 3, 4, 20)) is SlaStatus.BREACHED
        assert timer.breached_by(ny(2026, 3, 4, 20)) == timedelta(0)

    def test_the_elapsed_ratio_is_an_exact_fraction_of_the_target(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9))

        assert timer.elapsed_ratio(ny(2026, 3, 4, 12)) == Fraction(1, 3)
        assert timer.elapsed_ratio(ny(2026, 3, 5, 11)) == Fraction(3, 2)


class TestSlaTimerPause:
    def test_a_resolution_paused_on_a_customer_reply_resumes_with_a_later_due_time(self) -> None:
        paused = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 12))

        resumed = paused.resume(at=ny(2026, 3, 5, 11))

        # 6 business hours were paused (12:00-18:00) plus 1 (10:00-11:00): due 16:00 + 7h.
        assert resumed.due_at == ny(2026, 3, 5, 15)
        assert resumed.original_due_at == ny(2026, 3, 4, 16)
        assert resumed.pauses == (Pause(ny(2026, 3, 4, 12), ny(2026, 3, 5, 11)),)

    def test_while_paused_the_timer_reports_paused_and_its_remaining_time_stands_still(
        self,
    ) -> None:
        paused = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 12))

        assert paused.status(ny(2026, 3, 6, 12)) is SlaStatus.PAUSED
        assert paused.remaining(ny(2026, 3, 6, 12)) == timedelta(hours=4)
        assert paused.due_at == ny(2026, 3, 4, 16)  # as if resumed the instant it paused

    def test_with_the_wall_pause_clock_the_pauses_length_is_added_to_the_target(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9), pause_clock=PauseClock.WALL)

        resumed = timer.pause(at=ny(2026, 3, 4, 12)).resume(at=ny(2026, 3, 5, 11))

        # 23 wall-clock hours: Wed 16-18, Thu and Fri 10-18, Mon 10-15.
        assert resumed.due_at == ny(2026, 3, 9, 15)

    def test_a_pause_just_covering_the_overrun_is_met_and_one_second_shorter_is_breached(
        self,
    ) -> None:
        # Due Wed 16:00, stopped Thu 11:00: 3 business hours late without a pause.
        start, stop = ny(2026, 3, 4, 10), ny(2026, 3, 5, 11)
        timer = resolution(start).pause(at=ny(2026, 3, 4, 12))

        covering = timer.resume(at=ny(2026, 3, 4, 15)).stop(at=stop)
        short = timer.resume(at=ny(2026, 3, 4, 14, 59, 59)).stop(at=stop)

        assert covering.due_at == stop
        assert covering.status(stop) is SlaStatus.MET
        assert short.status(stop) is SlaStatus.BREACHED
        assert short.breached_by(stop) == SECOND

    def test_after_a_pause_waiting_exactly_the_remaining_time_is_met_and_a_second_more_is_not(
        self,
    ) -> None:
        calendar = office()
        resumed_at = ny(2026, 3, 5, 11)
        timer = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 12)).resume(at=resumed_at)
        left = timer.remaining(resumed_at)

        on_time = calendar.add(resumed_at, left)
        late = calendar.add(resumed_at, left + SECOND)

        assert left == timedelta(hours=4)
        assert timer.stop(at=on_time).status(late) is SlaStatus.MET
        assert timer.stop(at=late).status(late) is SlaStatus.BREACHED

    def test_a_60_second_response_paused_for_exactly_its_overrun_is_met(self) -> None:
        stop = T0 + 90 * SECOND
        paused = response().pause(at=T0 + 10 * SECOND)

        covering = paused.resume(at=T0 + 40 * SECOND).stop(at=stop)
        short = paused.resume(at=T0 + 39 * SECOND).stop(at=stop)

        assert (covering.status(stop), short.status(stop)) == (SlaStatus.MET, SlaStatus.BREACHED)

    def test_each_pause_moves_the_due_time_by_its_own_length(self) -> None:
        once = response().pause(at=T0 + 10 * SECOND).resume(at=T0 + 20 * SECOND)

        twice = once.pause(at=T0 + 30 * SECOND).resume(at=T0 + 45 * SECOND)
        thrice = twice.pause(at=T0 + 50 * SECOND).resume(at=T0 + 51 * SECOND)

        assert once.due_at == T0 + 70 * SECOND
        assert twice.due_at == T0 + 85 * SECOND
        assert thrice.due_at == T0 + 86 * SECOND

    def test_a_timer_paused_after_its_due_time_stays_breached(self) -> None:
        timer = response().pause(at=T0 + 61 * SECOND)

        resumed = timer.resume(at=T0 + 600 * SECOND)

        assert timer.status(T0 + 100 * SECOND) is SlaStatus.BREACHED
        assert resumed.due_at == T0 + 60 * SECOND

    def test_a_pause_in_closed_hours_moves_nothing(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9))

        resumed = timer.pause(at=ny(2026, 3, 4, 20)).resume(at=ny(2026, 3, 5, 9))

        assert resumed.due_at == timer.due_at

    def test_stopping_a_paused_timer_ends_its_pause(self) -> None:
        paused = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 12))

        stopped = paused.stop(at=ny(2026, 3, 6, 12))

        assert stopped.pauses == (Pause(ny(2026, 3, 4, 12), ny(2026, 3, 6, 12)),)
        assert stopped.paused_at is None
        assert stopped.status(ny(2026, 3, 6, 12)) is SlaStatus.MET

    @given(
        pause_start=st.integers(0, 7 * 24 * 3600),
        length=st.integers(0, 7 * 24 * 3600),
        more=st.integers(0, 7 * 24 * 3600),
        pause_clock=st.sampled_from(PauseClock),
    )
    @settings(deadline=None)
    def test_more_pause_never_gives_an_earlier_due_time(
        self, pause_start: int, length: int, more: int, pause_clock: PauseClock
    ) -> None:
        # Aware arithmetic in a DST zone is wall-clock arithmetic: step in UTC instead.
        start = ny(2026, 3, 4, 9).astimezone(UTC)
        timer = resolution(start, pause_clock=pause_clock)
        pause_at = start + pause_start * SECOND
        paused = timer.pause(at=pause_at)

        shorter = paused.resume(at=pause_at + length * SECOND)
        longer = paused.resume(at=pause_at + (length + more) * SECOND)

        assert shorter.due_at <= longer.due_at
        assert timer.due_at <= shorter.due_at

    @given(
        gaps=st.lists(st.integers(0, 3 * 24 * 3600), min_size=1, max_size=12),
        pause_clock=st.sampled_from(PauseClock),
        end=st.sampled_from(["stop", "cancel", None]),
        asked=st.integers(1, 30 * 24 * 3600),
    )
    @settings(deadline=None)
    def test_a_timer_moved_command_by_command_equals_the_timer_built_whole(
        self, gaps: list[int], pause_clock: PauseClock, end: str | None, asked: int
    ) -> None:
        # Each command moves the due time by the pause that just ended and settles its
        # verdict itself; the constructor folds every pause from the start and settles from
        # the fields: both must give the same due times and the same answers.
        timer = resolution(ny(2026, 3, 6, 11).astimezone(UTC), pause_clock=pause_clock)
        at = timer.started_at
        for number, gap in enumerate(gaps):
            at += gap * SECOND
            timer = timer.resume(at=at) if number % 2 else timer.pause(at=at)
        if end == "stop":
            timer = timer.stop(at=at + SECOND)
        elif end == "cancel":
            timer = timer.cancel(at=at + SECOND)

        whole = SlaTimer(
            name=timer.name,
            target=timer.target,
            started_at=timer.started_at,
            calendar=timer.calendar,
            pause_clock=pause_clock,
            pauses=timer.pauses,
            paused_at=timer.paused_at,
            stopped_at=timer.stopped_at,
            cancelled_at=timer.cancelled_at,
        )

        assert (whole.due_at, whole.original_due_at) == (timer.due_at, timer.original_due_at)
        assert whole == timer
        later = at + asked * SECOND
        assert whole.status(later) is timer.status(later)

    @given(pause_start=st.integers(0, 3 * 24 * 3600), later=st.integers(0, 60 * 24 * 3600))
    @settings(deadline=None)
    def test_a_timer_paused_in_time_never_breaches_while_paused(
        self, pause_start: int, later: int
    ) -> None:
        start = ny(2026, 3, 6, 17).astimezone(UTC)  # across the DST change of 8 March
        timer = resolution(start)
        pause_at = start + pause_start * SECOND
        paused = timer.pause(at=pause_at)

        status = paused.status(pause_at + later * SECOND)

        expected = SlaStatus.PAUSED if pause_at <= timer.due_at else SlaStatus.BREACHED
        assert status is expected


class TestSlaTimerWarnings:
    def test_warnings_fall_at_their_share_of_the_target(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9))

        assert timer.warning_at(Decimal("0.5")) == ny(2026, 3, 4, 13)
        assert timer.warning_at("0.75") == ny(2026, 3, 4, 14, 30)

    def test_a_pause_before_a_warning_moves_it_later(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 12))

        resumed = timer.resume(at=ny(2026, 3, 5, 11))

        assert resumed.warning_at("0.5") == ny(2026, 3, 5, 12)
        assert resumed.warning_at("0.75") == ny(2026, 3, 5, 13, 30)

    def test_a_warning_reached_before_a_pause_stays_where_it_was(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 14))

        assert timer.warning_at("0.5") == ny(2026, 3, 4, 13)
        assert timer.resume(at=ny(2026, 3, 5, 10)).warning_at("0.5") == ny(2026, 3, 4, 13)

    def test_a_warning_not_reached_when_paused_is_unknown_until_resumed(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 12))

        assert timer.warning_at("0.75") is None

    def test_a_warning_not_reached_when_stopped_never_comes(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9)).stop(at=ny(2026, 3, 4, 12))

        assert timer.warning_at("0.5") is None

    def test_a_threshold_with_no_exact_microsecond_is_reached_at_the_next_one(self) -> None:
        timer = SlaTimer.start(name="response", target=timedelta(microseconds=10), at=T0)

        assert timer.warning_at("1/3") == T0 + 4 * ONE_US
        assert (
            timer.elapsed_ratio(T0 + 4 * ONE_US)
            >= Fraction(1, 3)
            > timer.elapsed_ratio(T0 + 3 * ONE_US)
        )

    def test_a_bad_threshold_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="is a float"):
            response().warning_at(0.5)  # type: ignore[arg-type]

    @given(
        start=st.integers(0, 14 * 24 * 3600),
        target=st.integers(1, 40 * 3600),
        threshold=st.fractions(  # a threshold's denominator has at most 100 bits
            min_value=Fraction(1, 100), max_value=Fraction(99, 100), max_denominator=10**30
        ),
    )
    @settings(deadline=None)
    def test_the_warning_time_is_the_first_at_which_the_ratio_reaches_the_threshold(
        self, start: int, target: int, threshold: Fraction
    ) -> None:
        begin = ny(2026, 3, 2).astimezone(UTC) + start * SECOND
        timer = SlaTimer.start(
            name="resolution", target=target * SECOND, at=begin, calendar=office()
        )

        reached = timer.warning_at(threshold)

        assert reached is not None
        assert timer.elapsed_ratio(reached) >= threshold
        assert timer.elapsed_ratio(reached.astimezone(UTC) - ONE_US) < threshold


class TestSlaTimerCancel:
    def test_a_cancelled_timer_never_breaches(self) -> None:
        timer = response().cancel(at=T0 + 30 * SECOND)

        assert timer.status(T0 + 3600 * SECOND) is SlaStatus.CANCELLED
        assert timer.remaining(T0 + 3600 * SECOND) == 30 * SECOND

    def test_a_timer_cancelled_past_its_due_time_is_cancelled_not_breached(self) -> None:
        # R1: an abandoned complaint past its target counts as missed only through a stop.
        timer = response().cancel(at=T0 + 3600 * SECOND)

        assert timer.status(T0 + 3600 * SECOND) is SlaStatus.CANCELLED

    def test_cancelling_a_paused_timer_ends_its_pause(self) -> None:
        timer = response().pause(at=T0 + 10 * SECOND).cancel(at=T0 + 20 * SECOND)

        assert timer.pauses == (Pause(T0 + 10 * SECOND, T0 + 20 * SECOND),)


class TestSlaTimerCopies:
    def test_a_pickle_holds_the_settings_and_moments_and_reads_back_equal(self) -> None:
        timer = resolution(ny(2026, 3, 4, 9)).pause(at=ny(2026, 3, 4, 10))
        state = timer.__getstate__()

        assert set(state) == {f.name for f in attrs.fields(SlaTimer) if f.init}
        back = pickle.loads(pickle.dumps(timer))  # noqa: S301 (our own value)
        assert back == timer
        assert back.due_at == timer.due_at
        assert back.status(ny(2026, 3, 5, 9)) is SlaStatus.PAUSED

    @pytest.mark.parametrize("paused", [False, True])
    def test_a_deep_copy_of_a_pendulum_timer_still_refuses_a_naive_time(
        self, *, paused: bool
    ) -> None:
        start = pendulum.datetime(2026, 11, 1, 9, tz="America/New_York")
        timer = SlaTimer.start(name="response", target=timedelta(hours=1), at=start)
        if paused:
            timer = timer.pause(at=start.add(minutes=5))
        copied = copy.deepcopy(timer)

        with pytest.raises(NaiveDatetimeError):
            copied.status(datetime(2026, 11, 1, 20))  # noqa: DTZ001 (the point of the test)
        assert copied.status(start.add(hours=3)) is timer.status(start.add(hours=3))


class TestSlaTimerRefusals:
    def test_resume_without_a_pause_is_refused_naming_the_timer_its_state_and_what_is_allowed(
        self,
    ) -> None:
        with pytest.raises(
            TimerError,
            match="cannot resume timer 'response' while it is running; allowed: pause, stop",
        ):
            response().resume(at=T0)

    def test_pausing_twice_is_refused(self) -> None:
        with pytest.raises(TimerError, match="while it is paused; allowed: resume, stop, cancel"):
            response().pause(at=T0).pause(at=T0)

    def test_stopping_twice_is_refused(self) -> None:
        with pytest.raises(TimerError, match="cannot stop timer 'response' while it is stopped"):
            response().stop(at=T0).stop(at=T0)

    @pytest.mark.parametrize("action", ["pause", "resume", "stop", "cancel"])
    def test_nothing_is_allowed_after_a_cancel(self, action: str) -> None:
        timer = response().cancel(at=T0)

        with pytest.raises(TimerError, match="allowed: nothing, a cancelled timer is final"):
            getattr(timer, action)(at=T0)

    def test_a_command_dated_before_the_last_change_is_refused_naming_both_times(self) -> None:
        paused = response().pause(at=T0 + 10 * SECOND)

        with pytest.raises(
            TimeWentBackwards, match=r"resume of timer 'response' at .*09:30:05"
        ) as caught:
            paused.resume(at=T0 + 5 * SECOND)

        assert caught.value.last == T0 + 10 * SECOND

    def test_a_query_before_the_last_change_is_refused(self) -> None:
        with pytest.raises(TimeWentBackwards, match="a query of timer 'response'"):
            response().status(T0 - SECOND)

    def test_a_naive_command_time_is_refused(self) -> None:
        naive = datetime(2026, 3, 4, 10)  # noqa: DTZ001 (the point of the test)

        with pytest.raises(NaiveDatetimeError, match="at=2026-03-04T10:00:00 has no time zone"):
            response().pause(at=naive)

    def test_a_refused_command_leaves_the_timer_as_it_was(self) -> None:
        timer = response()
        before = SlaTimer.start(name="response", target=timedelta(seconds=60), at=T0)

        with pytest.raises(TimerError):
            timer.resume(at=T0)

        assert timer == before
        assert timer.paused_at is None

    def test_a_timer_cannot_be_both_stopped_and_cancelled(self) -> None:
        with pytest.raises(
            TimerError, match="timer 'response' cannot be both stopped and cancelled"
        ):
            SlaTimer(name="response", target=SECOND, started_at=T0, stopped_at=T0, cancelled_at=T0)

    def test_a_timer_cannot_be_paused_once_stopped(self) -> None:
        with pytest.raises(TimerError, match="timer 'response' cannot be paused once stopped"):
            SlaTimer(name="response", target=SECOND, started_at=T0, paused_at=T0, stopped_at=T0)

    def test_a_history_out_of_order_is_refused(self) -> None:
        with pytest.raises(TimerError, match="timer 'response' has events out of order"):
            SlaTimer(
                name="response",
                target=SECOND,
                started_at=T0,
                pauses=(Pause(T0 - SECOND, T0),),
            )

    def test_pauses_must_be_pause_values(self) -> None:
        with pytest.raises(InvalidTypeError, match="pauses must hold Pause values, got tuple"):
            SlaTimer(name="response", target=SECOND, started_at=T0, pauses=cast("Any", ((T0, T0),)))

    def test_pauses_must_be_a_sequence(self) -> None:
        with pytest.raises(InvalidTypeError, match="pauses must be a sequence of Pause, got int 5"):
            SlaTimer(name="response", target=SECOND, started_at=T0, pauses=cast("Any", 5))

    def test_a_timer_knows_no_holidays_it_was_not_given(self) -> None:
        timer = resolution(ny(2026, 12, 31, 17))

        assert timer.due_at == ny(2027, 1, 1, 15)
        assert not timer.calendar.knows_holidays_on(timer.due_at.date())
        assert timer.calendar.knows_holidays_on(date(2026, 12, 31))


class TestSlaTimerExplain:
    """A due time explains itself (issue 12): each step a Reason of the timer's rule."""

    OFFICE = BusinessCalendar.weekdays(
        "09:00", "17:00", zone="America/New_York", holidays=[date(2026, 11, 30)]
    )

    def test_r19_the_spans_counted_the_pause_the_holiday_and_the_closed_days(self) -> None:
        timer = (
            SlaTimer.start(
                name="resolution", target=10 * HOUR, at=ny(2026, 11, 27, 16), calendar=self.OFFICE
            )
            .pause(at=ny(2026, 12, 1, 10))
            .resume(at=ny(2026, 12, 1, 11))
        )

        assert [str(reason) for reason in timer.explain("R19")] == [
            "R19.target: 10:00:00 of business time from Fri 27 Nov 2026 16:00 EST",
            "R19.counted: counted Fri 27 Nov 2026 16:00 EST to 17:00 (1:00:00)",
            "R19.counted: counted Tue 01 Dec 2026 09:00 EST to 10:00 (1:00:00)",
            "R19.counted: counted Tue 01 Dec 2026 11:00 EST to 17:00 (6:00:00)",
            "R19.counted: counted Wed 02 Dec 2026 09:00 EST to 11:00 (2:00:00)",
            (
                "R19.paused: paused Tue 01 Dec 2026 10:00 EST to Tue 01 Dec 2026 11:00 EST: the "
                "due time moved by the 1:00:00 of business time it lasted"
            ),
            "R19.holiday: Mon 30 Nov 2026 is a holiday: skipped",
            "R19.closed: closed on Sat 28 Nov, Sun 29 Nov: skipped",
            "R19.inclusive: met if stopped at or before Wed 02 Dec 2026 11:00 EST",
        ]
        assert timer.due_at == ny(2026, 12, 2, 11)

    def test_r19_a_due_time_at_the_close_says_it_stays_on_that_day(self) -> None:
        timer = SlaTimer.start(
            name="resolution", target=8 * HOUR, at=ny(2026, 12, 1, 9), calendar=self.OFFICE
        )

        assert Reason(
            "R19.close", "due at the close at Tue 01 Dec 2026 17:00 EST: it stays on that day"
        ) in timer.explain("R19")

    def test_a_pause_after_the_due_time_says_it_changed_nothing(self) -> None:
        timer = response().pause(at=T0 + 90 * SECOND).resume(at=T0 + 120 * SECOND)

        assert "it began after the due time, which stays" in timer.explain("R1")[-2].detail

    def test_how_the_timer_ended_or_stands_is_the_last_step(self) -> None:
        paused = response().pause(at=T0 + 10 * SECOND)

        assert paused.explain("R1")[-2].detail.endswith("the due time moves when it resumes")
        stopped = paused.stop(at=T0 + 90 * SECOND)  # the pause moved the due time by 80 s
        assert stopped.explain("R1")[-1] == Reason(
            "R1.stopped",
            "stopped at Wed 04 Mar 2026 09:31 UTC, at or before the due time Wed 04 Mar 2026 "
            "09:32 UTC",
        )
        assert response().cancel(at=T0).explain("R1")[-1].rule == "R1.cancelled"

    def test_a_span_over_several_days_leaves_no_date_closed(self) -> None:
        timer = SlaTimer.start(name="resolution", target=100 * HOUR, at=T0)

        assert not [r for r in timer.explain("R19") if r.rule == "R19.closed"]

    def test_lengths_are_real_time_across_a_daylight_saving_change(self) -> None:
        lord_howe = ZoneInfo("Australia/Lord_Howe")
        calendar = BusinessCalendar.weekly({"mon-sun": ["01:30-02:30"]}, zone="Australia/Lord_Howe")
        timer = SlaTimer.start(
            name="resolution",
            target=30 * 60 * SECOND,
            at=datetime(2026, 10, 4, 1, tzinfo=lord_howe),
            calendar=calendar,
        )

        assert timer.explain("R19")[1].detail.endswith("(0:30:00)")

    def test_the_rule_must_be_one_of_docs_rules(self) -> None:
        with pytest.raises(InvalidValueError, match="not a rule id"):
            response().explain("R99")

    @given(
        start=st.integers(0, 14 * 24 * 3600),
        target=st.integers(1, 5 * 24 * 3600),
        gaps=st.lists(st.integers(0, 2 * 24 * 3600), max_size=6),
    )
    @settings(deadline=None)
    def test_the_spans_counted_add_up_to_the_target(
        self, start: int, target: int, gaps: list[int]
    ) -> None:
        # R19: business time is counted until the due time, and pauses count none of it.
        timer = SlaTimer.start(
            name="resolution",
            target=target * SECOND,
            at=ny(2026, 11, 20) + start * SECOND,
            calendar=self.OFFICE,
        )
        at = timer.started_at
        for number, gap in enumerate(gaps):
            at += gap * SECOND
            timer = timer.resume(at=at) if number % 2 else timer.pause(at=at)

        counted = [reason.detail for reason in timer.explain("R19") if reason.rule == "R19.counted"]
        lengths = [re.search(r"\((\d+ days?, )?(\d+):(\d\d):(\d\d)\)$", d) for d in counted]
        total = sum(
            (
                timedelta(
                    days=int((m.group(1) or "0 ").split()[0]),
                    hours=int(m.group(2)),
                    minutes=int(m.group(3)),
                    seconds=int(m.group(4)),
                )
                for m in lengths
                if m is not None
            ),
            timedelta(0),
        )
        assert None not in lengths
        assert total == timer.target
