"""BusinessCalendar: business calendars and business-time arithmetic."""

from __future__ import annotations

import bisect
import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any, cast
from zoneinfo import ZoneInfo

import holidays
import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from builders import ny, office, utc
from service_recovery import BusinessCalendar, Weekday, WorkingHours
from service_recovery._time.calendar import _Change, _Shift, _zone_year
from service_recovery.errors import (
    CalendarError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
)

NEW_YORK = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
GOOSE_BAY = ZoneInfo("America/Goose_Bay")
MINUTE = timedelta(minutes=1)
ONE_US = timedelta(microseconds=1)

# Added to the profile's own suppressions rather than replacing them (the mutation profile
# of conftest.py suppresses one more).
SLOW_IS_FINE = [*settings().suppress_health_check, HealthCheck.too_slow]


def madrid(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MADRID)


# ---------------------------------------------------------------------- a reference to agree with


def first_instant(zone: ZoneInfo, reading: datetime) -> datetime:
    """The first instant at which `zone`'s clock reads `reading` or later, found naively."""
    earlier = reading.replace(tzinfo=zone, fold=0)
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == reading:
        return earlier.astimezone(UTC)
    instant = reading.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the clocks jump
    while instant.astimezone(zone).replace(tzinfo=None) < reading:
        instant += MINUTE
    return instant


def open_spans(
    calendar: BusinessCalendar, first: date, last: date
) -> list[tuple[datetime, datetime]]:
    """The calendar's open spans as UTC instants, from its definition, date by date."""
    zone = ZoneInfo(calendar.zone)
    spans = []
    day = first
    while day <= last:
        for shift in calendar.hours:
            if shift.day != day.weekday():
                continue
            start = datetime.combine(day, shift.start)
            end = start + shift.length
            midnight = datetime.combine(day + timedelta(days=1), time(0))
            pieces = [(day, start, min(end, midnight)), (day + timedelta(days=1), midnight, end)]
            for on, begin, stop in pieces:
                if begin < stop and on not in calendar.holidays:
                    spans.append((first_instant(zone, begin), first_instant(zone, stop)))
        day += timedelta(days=1)
    return sorted(spans)


def reference_add(
    spans: list[tuple[datetime, datetime]], start: datetime, minutes: int
) -> datetime:
    """Walk minute by minute from `start`, counting the open ones, until `minutes` are counted."""
    instant, counted = start.astimezone(UTC), 0
    while counted < minutes:
        index = bisect.bisect_right(spans, instant, key=itemgetter(0)) - 1
        if index >= 0 and spans[index][0] <= instant < spans[index][1]:
            counted += 1
        instant += MINUTE
    return instant


def reference_between(
    spans: list[tuple[datetime, datetime]], start: datetime, end: datetime
) -> timedelta:
    return sum(
        (
            min(stop, end) - max(begin, start)
            for begin, stop in spans
            if stop > start and begin < end
        ),
        timedelta(0),
    )


# ---------------------------------------------------------------------- strategies

ZONES = ("UTC", "America/New_York", "Europe/Madrid", "Australia/Lord_Howe")
# Dates around offset changes, so that property tests meet them often.
ANCHORS = (
    date(2026, 3, 8),
    date(2026, 3, 29),
    date(2026, 4, 5),
    date(2026, 11, 1),
    date(2026, 6, 10),
)


@st.composite
def calendars(draw: st.DrawFn, zones: tuple[str, ...] = ZONES) -> BusinessCalendar:
    """Random calendars on a quarter-hour grid: several spans a day, night shifts, holidays."""
    hours = []
    for day in Weekday:
        cuts = sorted(draw(st.sets(st.integers(0, 95), max_size=4)))
        for start, end in zip(cuts[::2], cuts[1::2], strict=False):
            hours.append(
                WorkingHours(day, time(start // 4, start % 4 * 15), time(end // 4, end % 4 * 15))
            )
    night = draw(st.none() | st.sampled_from(Weekday))
    if night is not None:
        hours.append(WorkingHours(night, time(22), time(draw(st.sampled_from((0, 2, 3, 6))))))
    assume(hours)
    anchor = draw(st.sampled_from(ANCHORS))
    offsets = draw(st.sets(st.integers(-6, 30), max_size=4))
    try:
        return BusinessCalendar(
            zone=draw(st.sampled_from(zones)),
            hours=hours,
            holidays=[anchor + timedelta(days=offset) for offset in offsets],
        )
    except CalendarError:
        reject()


@st.composite
def starts(draw: st.DrawFn, calendar: BusinessCalendar) -> datetime:
    """An instant within a week of one of the anchor dates, to the microsecond."""
    anchor = datetime.combine(draw(st.sampled_from(ANCHORS)), time(0), tzinfo=UTC)
    offset = draw(st.integers(-3 * 86_400_000_000, 4 * 86_400_000_000))
    return (anchor + timedelta(microseconds=offset)).astimezone(ZoneInfo(calendar.zone))


spans_of_business_time = st.integers(0, 40 * 86_400_000_000).map(
    lambda us: timedelta(microseconds=us)
)


# ---------------------------------------------------------------------- the tests


class TestWeekday:
    def test_numbers_days_as_date_weekday_does(self) -> None:
        assert Weekday(date(2026, 3, 2).weekday()) is Weekday.MONDAY

    def test_short_name_is_three_lowercase_letters(self) -> None:
        assert [day.short for day in Weekday] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class TestWorkingHours:
    def test_a_day_shift_lasts_from_start_to_end(self) -> None:
        assert WorkingHours(0, time(9), time(17)).length == timedelta(hours=8)

    def test_an_end_before_the_start_ends_the_shift_the_next_day(self) -> None:
        assert WorkingHours(4, time(22), time(6)).length == timedelta(hours=8)

    def test_an_end_of_midnight_ends_the_shift_at_the_end_of_the_day(self) -> None:
        assert WorkingHours(4, time(22), time(0)).length == timedelta(hours=2)

    def test_an_end_equal_to_the_start_is_a_24_hour_shift(self) -> None:
        assert WorkingHours(4, time(9), time(9)).length == timedelta(hours=24)

    def test_an_int_day_becomes_a_weekday(self) -> None:
        assert WorkingHours(6, time(9), time(17)).day is Weekday.SUNDAY

    def test_reads_as_day_and_interval(self) -> None:
        assert str(WorkingHours(4, time(22), time(0))) == "fri 22:00-24:00"

    @pytest.mark.parametrize("day", [7, -1])
    def test_a_day_number_outside_0_to_6_is_refused(self, day: int) -> None:
        with pytest.raises(InvalidValueError, match=f"got {day}"):
            WorkingHours(cast("Any", day), time(9), time(17))

    @pytest.mark.parametrize("day", [True, "mon", 1.0])
    def test_a_day_that_is_not_an_int_is_refused(self, day: object) -> None:
        with pytest.raises(InvalidTypeError, match="day must be a Weekday"):
            WorkingHours(cast("Any", day), time(9), time(17))

    def test_a_start_that_is_not_a_time_is_refused(self) -> None:
        with pytest.raises(
            InvalidTypeError, match=r"start must be a datetime.time, got str '09:00'"
        ):
            WorkingHours(0, "09:00", time(17))  # type: ignore[arg-type]

    def test_a_time_with_a_zone_is_refused_because_hours_are_the_calendars_wall_clock(self) -> None:
        with pytest.raises(InvalidValueError, match=r"end=17:00:00\+00:00 has a tzinfo"):
            WorkingHours(0, time(9), time(17, tzinfo=UTC))


class TestBusinessCalendarConstruction:
    def test_the_default_calendar_is_open_24x7_in_utc(self) -> None:
        calendar = BusinessCalendar()

        assert calendar.zone == "UTC"
        assert calendar.to_mapping()["hours"] == {"mon-sun": ["00:00-24:00"]}

    def test_a_zoneinfo_is_stored_as_its_name(self) -> None:
        assert BusinessCalendar(zone=NEW_YORK).zone == "America/New_York"

    def test_an_unknown_zone_is_refused_by_name(self) -> None:
        with pytest.raises(CalendarError, match="unknown time zone 'Mars/Olympus_Mons'"):
            BusinessCalendar(zone="Mars/Olympus_Mons")

    @pytest.mark.parametrize("zone", ["America", "../etc/passwd", ""])
    def test_a_malformed_zone_name_is_refused_as_unknown(self, zone: str) -> None:
        with pytest.raises(CalendarError, match="unknown time zone"):
            BusinessCalendar(zone=zone)

    def test_a_zone_that_is_not_a_name_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="zone must be an IANA time zone name"):
            BusinessCalendar(zone=cast("Any", 5))

    def test_a_calendar_without_working_hours_is_refused_rather_than_never_due(self) -> None:
        with pytest.raises(CalendarError, match="needs working hours"):
            BusinessCalendar(hours=())

    def test_hours_must_be_working_hours(self) -> None:
        with pytest.raises(InvalidTypeError, match="hours must hold WorkingHours, got str"):
            BusinessCalendar(hours=cast("Any", ["mon 09:00-17:00"]))

    def test_hours_as_a_mapping_point_to_the_weekly_constructor(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"use BusinessCalendar.weekly"):
            BusinessCalendar(hours=cast("Any", {"mon": ["09:00-17:00"]}))

    def test_overlapping_shifts_are_refused_naming_both(self) -> None:
        hours = [WorkingHours(0, time(9), time(13)), WorkingHours(0, time(12), time(18))]

        with pytest.raises(CalendarError, match="mon 09:00-13:00 and mon 12:00-18:00 overlap"):
            BusinessCalendar(hours=hours)

    def test_a_night_shift_overlapping_the_next_mornings_shift_is_refused(self) -> None:
        hours = [WorkingHours(6, time(22), time(6)), WorkingHours(0, time(5), time(9))]

        with pytest.raises(CalendarError, match="sun 22:00-06:00 and mon 05:00-09:00 overlap"):
            BusinessCalendar(hours=hours)

    def test_touching_shifts_are_one_stretch_of_open_time(self) -> None:
        calendar = BusinessCalendar.weekly({"mon": ["09:00-13:00", "13:00-17:00"]})

        assert calendar.add(utc(2026, 3, 2, 12), timedelta(hours=2)) == utc(2026, 3, 2, 14)

    def test_hours_are_kept_in_weekly_order_so_equal_calendars_compare_equal(self) -> None:
        late, early = WorkingHours(1, time(9), time(17)), WorkingHours(0, time(9), time(17))

        assert BusinessCalendar(hours=[late, early]) == BusinessCalendar(hours=[early, late])
        assert BusinessCalendar(hours=[late, early]).hours == (early, late)

    def test_holidays_of_the_holidays_package_are_taken_as_they_are(self) -> None:
        calendar = office()

        assert date(2026, 7, 3) in calendar.holidays
        assert calendar.holidays == tuple(sorted(holidays.country_holidays("US", years=2026)))

    def test_the_holiday_list_covers_the_whole_years_it_spans(self) -> None:
        calendar = BusinessCalendar(holidays=[date(2027, 1, 1), date(2026, 12, 25)])

        assert calendar.holidays_known_from == date(2026, 1, 1)
        assert calendar.holidays_known_until == date(2027, 12, 31)

    def test_the_holiday_range_can_be_given(self) -> None:
        calendar = BusinessCalendar(
            holidays=[date(2026, 12, 25)],
            holidays_known_from=date(2026, 12, 1),
            holidays_known_until=date(2027, 1, 31),
        )

        assert calendar.knows_holidays_on(date(2027, 1, 31))
        assert not calendar.knows_holidays_on(date(2026, 11, 30))

    def test_a_holiday_outside_the_given_range_is_refused(self) -> None:
        with pytest.raises(CalendarError, match="holiday 2027-01-01 is outside the range"):
            BusinessCalendar(
                holidays=[date(2027, 1, 1)],
                holidays_known_from=date(2026, 1, 1),
                holidays_known_until=date(2026, 12, 31),
            )

    def test_half_a_holiday_range_is_refused(self) -> None:
        with pytest.raises(CalendarError, match="give both holidays_known_from"):
            BusinessCalendar(holidays_known_from=date(2026, 1, 1))

    def test_a_holiday_range_that_ends_before_it_starts_is_refused(self) -> None:
        with pytest.raises(CalendarError, match="the first not after the last"):
            BusinessCalendar(
                holidays_known_from=date(2026, 12, 31), holidays_known_until=date(2026, 1, 1)
            )

    def test_a_datetime_is_refused_as_a_holiday(self) -> None:
        with pytest.raises(
            InvalidTypeError, match=r"each holiday must be a datetime.date, got datetime"
        ):
            BusinessCalendar(holidays=[utc(2026, 12, 25)])

    @pytest.mark.parametrize("value", ["2026-12-25", 20261225])
    def test_holidays_must_be_an_iterable_of_dates(self, value: object) -> None:
        with pytest.raises(InvalidTypeError, match="holidays must be an iterable of dates"):
            BusinessCalendar(holidays=cast("Any", value))

    def test_a_calendar_survives_pickling_unchanged(self) -> None:
        calendar = office()

        copy = pickle.loads(pickle.dumps(calendar))  # noqa: S301 (our own bytes)

        assert copy == calendar
        assert copy.add(ny(2026, 3, 6, 18, 45), timedelta(hours=4)) == ny(2026, 3, 9, 14)


class TestMappingForm:
    def test_weekly_reads_several_intervals_a_day_and_day_ranges(self) -> None:
        calendar = BusinessCalendar.weekly(
            {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
            zone="Europe/Madrid",
        )

        assert len(calendar.hours) == 11
        assert WorkingHours(Weekday.SATURDAY, time(10), time(14)) in calendar.hours

    def test_day_lists_and_mixed_case_are_read(self) -> None:
        calendar = BusinessCalendar.weekly({"Sat, SUN": ["10:00-14:00"]})

        assert [shift.day for shift in calendar.hours] == [Weekday.SATURDAY, Weekday.SUNDAY]

    def test_24_00_ends_a_shift_at_midnight(self) -> None:
        calendar = BusinessCalendar.weekly({"fri": ["22:00-24:00"]})

        assert calendar.hours == (WorkingHours(4, time(22), time(0)),)

    def test_seconds_and_microseconds_are_read(self) -> None:
        calendar = BusinessCalendar.weekly({"mon": ["09:00:30-17:00:00.250000"]})

        assert calendar.hours == (WorkingHours(0, time(9, 0, 30), time(17, 0, 0, 250_000)),)

    def test_the_mapping_round_trips(self) -> None:
        calendar = BusinessCalendar(
            zone="Europe/Madrid",
            hours=[
                *(WorkingHours(day, time(9), time(13)) for day in range(5)),
                *(WorkingHours(day, time(14), time(18)) for day in range(4)),
                WorkingHours(4, time(22), time(6)),
                WorkingHours(5, time(10), time(14, 0, 30)),
                WorkingHours(6, time(0), time(0)),
            ],
            holidays=[date(2026, 12, 25)],
        )

        data = calendar.to_mapping()

        assert data == {
            "zone": "Europe/Madrid",
            "hours": {
                "mon-thu": ["09:00-13:00", "14:00-18:00"],
                "fri": ["09:00-13:00", "22:00-06:00"],
                "sat": ["10:00-14:00:30"],
                "sun": ["00:00-24:00"],
            },
            "holidays": ["2026-12-25"],
            "holidays_known_from": "2026-01-01",
            "holidays_known_until": "2026-12-31",
        }
        assert BusinessCalendar.from_mapping(data) == calendar

    def test_microseconds_are_written_so_that_they_read_back(self) -> None:
        calendar = BusinessCalendar(hours=[WorkingHours(0, time(9, 0, 0, 500), time(17))])

        assert calendar.to_mapping()["hours"] == {"mon": ["09:00:00.000500-17:00"]}
        assert BusinessCalendar.from_mapping(calendar.to_mapping()) == calendar

    def test_from_mapping_defaults_to_24x7_utc(self) -> None:
        assert BusinessCalendar.from_mapping({}) == BusinessCalendar()

    def test_from_mapping_reads_dates_as_toml_gives_them(self) -> None:
        calendar = BusinessCalendar.from_mapping(
            {"holidays": [date(2026, 12, 25)], "holidays_known_until": date(2027, 6, 30)}
        )

        assert calendar.holidays_known_until == date(2027, 6, 30)

    def test_an_unknown_key_is_refused_naming_it_and_the_keys(self) -> None:
        with pytest.raises(
            CalendarError, match=r"unknown calendar key\(s\) 'timezone'; the keys are"
        ):
            BusinessCalendar.from_mapping({"timezone": "UTC"})

    def test_unknown_keys_of_mixed_types_are_refused_naming_one(self) -> None:
        data: dict[object, object] = {1: "x", "timezone": "UTC", None: 0}

        with pytest.raises(
            CalendarError, match=r"unknown calendar key\(s\) 'timezone', 1, None; the keys are"
        ):
            BusinessCalendar.from_mapping(data)  # type: ignore[arg-type]

    @pytest.mark.parametrize("data", [None, "UTC", ["zone"]])
    def test_data_that_is_not_a_mapping_is_refused(self, data: object) -> None:
        with pytest.raises(InvalidTypeError, match="a calendar is a mapping"):
            BusinessCalendar.from_mapping(data)  # type: ignore[arg-type]

    def test_a_malformed_holiday_is_refused_with_the_expected_form(self) -> None:
        with pytest.raises(
            CalendarError, match="'25/12/2026' is not a date; write it as YYYY-MM-DD"
        ):
            BusinessCalendar.from_mapping({"holidays": ["25/12/2026"]})

    def test_holidays_that_are_not_a_list_are_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="holidays must be a list of dates"):
            BusinessCalendar.from_mapping({"holidays": "2026-12-25"})

    @pytest.mark.parametrize(
        "interval", ["9:00-17:00", "09:00-25:00", "09:60-17:00", "24:00-06:00"]
    )
    def test_a_malformed_time_is_refused_naming_where_it_is(self, interval: str) -> None:
        with pytest.raises(CalendarError, match=r"hours\['mon'\]\[0\]: .* is not a time of day"):
            BusinessCalendar.weekly({"mon": [interval]})

    @pytest.mark.parametrize("interval", ["09:00", "09:00-12:00-13:00", "09:00 to 17:00"])
    def test_a_malformed_interval_is_refused(self, interval: str) -> None:
        with pytest.raises(CalendarError, match="is not a 'HH:MM-HH:MM' interval"):
            BusinessCalendar.weekly({"mon": [interval]})

    def test_a_day_range_running_backwards_is_refused(self) -> None:
        with pytest.raises(CalendarError, match=r"day range 'fri-mon' .* runs backwards"):
            BusinessCalendar.weekly({"fri-mon": ["09:00-17:00"]})

    def test_an_unknown_day_is_refused(self) -> None:
        with pytest.raises(CalendarError, match="hours key 'weekdays' names no day"):
            BusinessCalendar.weekly({"weekdays": ["09:00-17:00"]})

    def test_a_single_interval_string_instead_of_a_list_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"hours\['mon'\] must map day names to a list"):
            BusinessCalendar.weekly({"mon": "09:00-17:00"})

    def test_hours_that_are_not_a_mapping_are_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="hours must be a mapping"):
            BusinessCalendar.weekly(["09:00-17:00"])  # type: ignore[arg-type]

    def test_weekdays_takes_times_too(self) -> None:
        assert BusinessCalendar.weekdays(time(9), time(17)) == BusinessCalendar.weekdays(
            "09:00", "17:00"
        )

    def test_weekdays_refuses_a_time_that_is_not_a_string_or_time(self) -> None:
        with pytest.raises(InvalidTypeError, match="opens must be a 'HH:MM' string, got int 9"):
            BusinessCalendar.weekdays(9, "17:00")  # type: ignore[arg-type]


class TestAdd:
    """Due times, checked to the second against worked examples."""

    @pytest.mark.parametrize(
        ("received", "response_due", "resolution_due"),
        [
            pytest.param(
                ny(2026, 3, 4, 8, 15), ny(2026, 3, 4, 14), ny(2026, 3, 4, 16), id="before opening"
            ),
            pytest.param(
                ny(2026, 3, 4, 15, 30), ny(2026, 3, 5, 11, 30), ny(2026, 3, 5, 13, 30), id="open"
            ),
            pytest.param(
                ny(2026, 3, 4, 19, 30), ny(2026, 3, 5, 14), ny(2026, 3, 5, 16), id="after closing"
            ),
            # The clocks go forward on Sunday 8 March: Monday's due times are in EDT.
            pytest.param(
                ny(2026, 3, 6, 18, 45), ny(2026, 3, 9, 14), ny(2026, 3, 9, 16), id="friday evening"
            ),
            # Thanksgiving, Thursday 26 November, is a holiday.
            pytest.param(
                ny(2026, 11, 25, 19),
                ny(2026, 11, 27, 14),
                ny(2026, 11, 27, 16),
                id="evening before holiday",
            ),
            # Friday 3 July is the observed Independence Day: nothing counts on it.
            pytest.param(
                ny(2026, 7, 3, 11), ny(2026, 7, 6, 14), ny(2026, 7, 6, 16), id="on a holiday"
            ),
        ],
    )
    def test_response_in_4_hours_and_resolution_in_6_on_weekday_hours_10_to_18(
        self, received: datetime, response_due: datetime, resolution_due: datetime
    ) -> None:
        calendar = office()

        response = calendar.add(received, timedelta(hours=4))
        resolution = calendar.add(received, timedelta(hours=6))

        assert (response, resolution) == (response_due, resolution_due)
        assert response.utcoffset() == response_due.utcoffset()

    def test_a_due_time_at_the_close_stays_on_that_day(self) -> None:
        assert office().add(ny(2026, 3, 4, 14), timedelta(hours=4)) == ny(2026, 3, 4, 18)

    def test_a_microsecond_past_the_close_moves_to_the_next_opening(self) -> None:
        due = office().add(ny(2026, 3, 4, 14), timedelta(hours=4, microseconds=1))

        assert due == ny(2026, 3, 5, 10, 0, 0, 1)

    def test_business_time_is_exact_to_the_microsecond(self) -> None:
        assert office().add(ny(2026, 3, 4, 17, 59, 59, 999_999), ONE_US) == ny(2026, 3, 4, 18)

    def test_the_due_time_is_a_stdlib_datetime_in_the_calendars_zone(self) -> None:
        due = office().add(utc(2026, 3, 4, 15), timedelta(hours=1))

        assert type(due) is datetime
        assert due.tzinfo is NEW_YORK
        assert due == ny(2026, 3, 4, 11)

    def test_a_pendulum_datetime_is_accepted_and_a_stdlib_one_returned(self) -> None:
        start = pendulum.datetime(2026, 3, 6, 18, 45, tz="America/New_York")

        due = office().add(start, timedelta(hours=4))

        assert type(due) is datetime
        assert due == ny(2026, 3, 9, 14)

    def test_a_pendulum_duration_is_accepted(self) -> None:
        assert office().add(ny(2026, 3, 4, 10), pendulum.duration(hours=8, minutes=1)) == ny(
            2026, 3, 5, 10, 1
        )

    def test_adding_nothing_gives_the_start_even_when_closed(self) -> None:
        assert office().add(ny(2026, 3, 7, 12), timedelta(0)) == ny(2026, 3, 7, 12)

    def test_a_lunch_break_is_skipped(self) -> None:
        calendar = BusinessCalendar.weekly(
            {"mon-fri": ["09:00-13:00", "14:00-18:00"], "sat": ["10:00-14:00"]},
            zone="Europe/Madrid",
        )

        assert calendar.add(madrid(2026, 3, 2, 12), timedelta(hours=2)) == madrid(2026, 3, 2, 15)
        assert calendar.add(madrid(2026, 3, 2, 12), timedelta(hours=1)) == madrid(2026, 3, 2, 13)
        assert calendar.add(madrid(2026, 3, 6, 17), timedelta(hours=3)) == madrid(2026, 3, 7, 12)
        assert calendar.add(madrid(2026, 3, 7, 13), timedelta(hours=2)) == madrid(2026, 3, 9, 10)

    def test_a_shift_crossing_midnight_counts_on_both_dates(self) -> None:
        calendar = BusinessCalendar.weekly({"fri": ["22:00-06:00"]})

        assert calendar.add(utc(2026, 3, 6, 21), timedelta(hours=3)) == utc(2026, 3, 7, 1)

    def test_a_holiday_removes_the_part_of_a_night_shift_that_falls_on_it(self) -> None:
        calendar = BusinessCalendar.weekly({"fri": ["22:00-06:00"]}, holidays=[date(2026, 3, 7)])

        assert calendar.add(utc(2026, 3, 6, 21), timedelta(hours=3)) == utc(2026, 3, 13, 23)

    def test_a_24x7_calendar_in_a_dst_zone_counts_real_time_when_clocks_go_forward(self) -> None:
        calendar = BusinessCalendar(zone="America/New_York")

        assert calendar.add(ny(2026, 3, 8), timedelta(hours=4)) == ny(2026, 3, 8, 5)

    def test_a_24x7_calendar_in_a_dst_zone_counts_real_time_when_clocks_go_back(self) -> None:
        calendar = BusinessCalendar(zone="America/New_York")

        assert calendar.add(ny(2026, 11, 1), timedelta(hours=4)) == ny(2026, 11, 1, 3)

    def test_madrid_24x7_with_a_holiday_counts_the_short_night_of_29_march(self) -> None:
        calendar = BusinessCalendar(zone="Europe/Madrid", holidays=[date(2026, 12, 25)])

        assert calendar.add(madrid(2026, 3, 29), timedelta(hours=4)) == madrid(2026, 3, 29, 5)
        assert calendar.add(madrid(2026, 10, 25), timedelta(hours=4)) == madrid(2026, 10, 25, 3)

    def test_a_24x7_calendar_with_holidays_counts_23_hours_on_the_short_day(self) -> None:
        calendar = BusinessCalendar(zone="America/New_York", holidays=[date(2026, 3, 9)])

        assert calendar.add(ny(2026, 3, 8, 20), timedelta(hours=6)) == ny(2026, 3, 10, 2)

    def test_a_night_shift_spanning_the_spring_change_lasts_7_real_hours(self) -> None:
        calendar = BusinessCalendar.weekly({"sat": ["22:00-06:00"]}, zone="America/New_York")

        assert calendar.add(ny(2026, 3, 7, 22), timedelta(hours=7)) == ny(2026, 3, 8, 6)
        assert calendar.add(ny(2026, 3, 7, 22), timedelta(hours=7, seconds=1)) == ny(
            2026, 3, 14, 22, 0, 1
        )

    def test_a_night_shift_spanning_the_autumn_change_lasts_9_real_hours(self) -> None:
        calendar = BusinessCalendar.weekly({"sat": ["22:00-06:00"]}, zone="America/New_York")

        assert calendar.add(ny(2026, 10, 31, 22), timedelta(hours=9)) == ny(2026, 11, 1, 6)

    def test_an_opening_time_the_clocks_skip_opens_when_they_jump(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["02:30-04:00"]}, zone="America/New_York")

        assert calendar.add(ny(2026, 3, 8), timedelta(minutes=30)) == ny(2026, 3, 8, 3, 30)
        assert calendar.add(ny(2026, 3, 8), timedelta(minutes=90)) == ny(2026, 3, 15, 3)

    def test_an_opening_time_the_clocks_show_twice_opens_at_the_first(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["01:30-03:00"]}, zone="America/New_York")

        due = calendar.add(ny(2026, 11, 1), timedelta(hours=2, minutes=30))

        assert due == ny(2026, 11, 1, 3)  # 01:30 EDT to 03:00 EST is 2.5 real hours

    def test_a_due_time_past_the_holiday_list_counts_its_days_as_working_days(self) -> None:
        calendar = office()

        due = calendar.add(ny(2026, 12, 31, 17), timedelta(hours=2))

        assert not calendar.knows_holidays_on(due.date())
        assert due == ny(2027, 1, 1, 11)  # New Year's Day 2027 is not in the 2026 list

    def test_a_year_of_holidays_in_a_row_is_skipped_without_walking_it(self) -> None:
        every_day_of_2026 = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
        calendar = BusinessCalendar.weekdays("09:00", "17:00", holidays=every_day_of_2026)

        assert calendar.add(utc(2026, 1, 1), timedelta(hours=1)) == utc(2027, 1, 1, 10)

    def test_forty_years_of_business_time_is_counted_exactly(self) -> None:
        calendar = office()
        span = timedelta(hours=8 * 5 * 52 * 40)

        due = calendar.add(ny(2026, 3, 4, 12), span)

        assert calendar.between(ny(2026, 3, 4, 12), due) == span

    def test_a_due_time_beyond_the_years_a_calendar_counts_in_is_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="ends after 2199-12-31"):
            office().add(ny(2026, 3, 4, 12), timedelta(days=999_999_999))

    def test_a_24x7_due_time_beyond_the_years_a_calendar_counts_in_is_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="ends after 2199-12-31"):
            BusinessCalendar().add(utc(2026, 3, 4, 12), timedelta(days=999_999_999))

    def test_a_start_outside_the_years_a_calendar_counts_in_is_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="is outside 1900-01-01 to 2199-12-31"):
            office().add(datetime.max.replace(tzinfo=UTC), timedelta(hours=1))

    def test_a_negative_duration_is_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="duration must not be negative"):
            office().add(ny(2026, 3, 4, 12), timedelta(hours=-1))

    def test_a_duration_that_is_not_a_timedelta_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="duration must be a timedelta, got int 3600"):
            office().add(ny(2026, 3, 4, 12), 3600)  # type: ignore[arg-type]

    def test_a_naive_start_is_refused(self) -> None:
        naive = datetime(2026, 3, 4, 12)  # noqa: DTZ001 (the point of the test)

        with pytest.raises(NaiveDatetimeError, match="start=2026-03-04T12:00:00 has no time zone"):
            office().add(naive, timedelta(hours=1))

    @given(calendar=calendars(), data=st.data(), span=spans_of_business_time)
    @settings(deadline=None, suppress_health_check=SLOW_IS_FINE)
    def test_between_the_start_and_the_due_time_lies_exactly_the_duration(
        self, calendar: BusinessCalendar, data: st.DataObject, span: timedelta
    ) -> None:
        start = data.draw(starts(calendar))

        assert calendar.between(start, calendar.add(start, span)) == span

    @given(
        calendar=calendars(),
        data=st.data(),
        first=spans_of_business_time,
        second=spans_of_business_time,
    )
    @settings(deadline=None, suppress_health_check=SLOW_IS_FINE)
    def test_adding_in_two_parts_is_adding_the_whole(
        self, calendar: BusinessCalendar, data: st.DataObject, first: timedelta, second: timedelta
    ) -> None:
        # The law holds as stated, for every start and both parts >= 0: a due time at a close
        # stays there, and adding more from a close counts from the next opening.
        start = data.draw(starts(calendar))

        assert calendar.add(calendar.add(start, first), second) == calendar.add(
            start, first + second
        )

    @given(calendar=calendars(), data=st.data())
    @settings(deadline=None, max_examples=60, suppress_health_check=SLOW_IS_FINE)
    def test_agrees_with_walking_minute_by_minute(
        self, calendar: BusinessCalendar, data: st.DataObject
    ) -> None:
        start = data.draw(starts(calendar)).replace(second=0, microsecond=0)
        last = start.date() + timedelta(days=30)
        spans = open_spans(calendar, start.date() - timedelta(days=2), last)
        ahead = reference_between(spans, start, datetime.combine(last, time(0), tzinfo=UTC))
        minutes = data.draw(st.integers(0, min(3 * 24 * 60, ahead // MINUTE)))

        due = calendar.add(start, timedelta(minutes=minutes))

        # In UTC: a time in a repeated hour never equals one in another zone (PEP 495).
        assert due.astimezone(UTC) == reference_add(spans, start, minutes)
        assert calendar.is_open(start) == any(begin <= start < end for begin, end in spans)


class TestBetween:
    def test_counts_only_open_time(self) -> None:
        assert office().between(ny(2026, 3, 6, 17), ny(2026, 3, 9, 11)) == timedelta(hours=2)

    def test_is_negative_when_the_end_is_before_the_start(self) -> None:
        assert office().between(ny(2026, 3, 9, 11), ny(2026, 3, 6, 17)) == timedelta(hours=-2)

    def test_is_zero_from_an_instant_to_itself(self) -> None:
        assert office().between(ny(2026, 3, 4, 12), ny(2026, 3, 4, 12)) == timedelta(0)

    def test_skips_holidays(self) -> None:
        assert office().between(ny(2026, 11, 25, 12), ny(2026, 11, 27, 12)) == timedelta(hours=8)

    def test_a_24x7_day_of_spring_change_has_23_hours_and_of_autumn_change_25(self) -> None:
        calendar = BusinessCalendar(zone="America/New_York")

        assert calendar.between(ny(2026, 3, 8), ny(2026, 3, 9)) == timedelta(hours=23)
        assert calendar.between(ny(2026, 11, 1), ny(2026, 11, 2)) == timedelta(hours=25)

    def test_a_24x7_calendar_with_holidays_counts_the_short_day_exactly(self) -> None:
        calendar = BusinessCalendar(zone="America/New_York", holidays=[date(2026, 12, 25)])

        assert calendar.between(ny(2026, 3, 1), ny(2026, 7, 1)) == timedelta(days=122, hours=-1)

    def test_an_opening_time_the_clocks_show_twice_opens_at_the_first(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["01:30-03:00"]}, zone="America/New_York")

        assert calendar.between(ny(2026, 11, 1), ny(2026, 11, 1, 12)) == timedelta(hours=2.5)

    def test_a_closing_time_the_clocks_show_twice_closes_at_the_first(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["00:00-01:30"]}, zone="America/New_York")

        assert calendar.between(ny(2026, 11, 1), ny(2026, 11, 1, 12)) == timedelta(hours=1.5)

    def test_a_span_the_clocks_skip_entirely_has_no_open_time_that_day(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["02:15-02:45"]}, zone="America/New_York")

        assert calendar.between(ny(2026, 3, 8), ny(2026, 3, 9)) == timedelta(0)
        assert calendar.between(ny(2026, 3, 15), ny(2026, 3, 16)) == timedelta(minutes=30)

    def test_a_date_the_zone_skips_has_no_business_time(self) -> None:
        # Samoa moved across the date line: 30 December 2011 never happened in Apia.
        apia = ZoneInfo("Pacific/Apia")
        calendar = BusinessCalendar(zone="Pacific/Apia", holidays=[date(2012, 6, 1)])

        elapsed = calendar.between(
            datetime(2011, 12, 29, tzinfo=apia), datetime(2012, 1, 2, tzinfo=apia)
        )

        assert elapsed == timedelta(days=3)

    def test_accepts_instants_in_any_zone(self) -> None:
        assert office().between(utc(2026, 3, 4, 15), ny(2026, 3, 4, 12)) == timedelta(hours=2)

    def test_a_naive_end_is_refused(self) -> None:
        naive = datetime(2026, 3, 4, 12)  # noqa: DTZ001 (the point of the test)

        with pytest.raises(NaiveDatetimeError, match="end=2026-03-04T12:00:00 has no time zone"):
            office().between(ny(2026, 3, 4, 10), naive)

    @given(calendar=calendars(), data=st.data())
    @settings(deadline=None, suppress_health_check=SLOW_IS_FINE)
    def test_swapping_the_ends_changes_the_sign(
        self, calendar: BusinessCalendar, data: st.DataObject
    ) -> None:
        start, end = data.draw(starts(calendar)), data.draw(starts(calendar))

        assert calendar.between(start, end) == -calendar.between(end, start)

    @given(calendar=calendars(), data=st.data())
    @settings(deadline=None, max_examples=60, suppress_health_check=SLOW_IS_FINE)
    def test_agrees_with_summing_the_open_spans(
        self, calendar: BusinessCalendar, data: st.DataObject
    ) -> None:
        start, end = sorted((data.draw(starts(calendar)), data.draw(starts(calendar))))
        spans = open_spans(
            calendar, start.date() - timedelta(days=2), end.date() + timedelta(days=1)
        )

        assert calendar.between(start, end) == reference_between(spans, start, end)


class TestIsOpen:
    def test_an_open_span_includes_its_start_and_not_its_end(self) -> None:
        calendar = office()

        assert calendar.is_open(ny(2026, 3, 4, 10))
        assert calendar.is_open(ny(2026, 3, 4, 17, 59, 59, 999_999))
        assert not calendar.is_open(ny(2026, 3, 4, 18))

    def test_a_holiday_is_closed_all_day(self) -> None:
        assert not office().is_open(ny(2026, 7, 3, 12))

    def test_a_weekend_is_closed(self) -> None:
        assert not office().is_open(ny(2026, 3, 7, 12))

    def test_the_24x7_calendar_is_always_open(self) -> None:
        assert BusinessCalendar().is_open(utc(2026, 3, 7, 3))

    def test_the_morning_of_a_night_shift_is_open_unless_that_date_is_a_holiday(self) -> None:
        hours = {"fri": ["22:00-06:00"]}

        assert BusinessCalendar.weekly(hours).is_open(utc(2026, 3, 7, 5, 59))
        assert not BusinessCalendar.weekly(hours, holidays=[date(2026, 3, 7)]).is_open(
            utc(2026, 3, 7, 5, 59)
        )

    def test_the_second_pass_of_a_repeated_hour_is_open_inside_a_span_that_began_before(
        self,
    ) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["01:30-03:00"]}, zone="America/New_York")

        assert calendar.is_open(ny(2026, 11, 1, 1, 10, fold=1))
        assert not calendar.is_open(ny(2026, 11, 1, 1, 10, fold=0))

    def test_a_span_opening_at_a_skipped_time_opens_when_the_clocks_jump(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["02:30-04:00"]}, zone="America/New_York")

        assert calendar.is_open(ny(2026, 3, 8, 3))
        assert not calendar.is_open(utc(2026, 3, 8, 6, 59, 59))

    def test_a_repeated_hour_across_midnight_belongs_to_the_date_whose_time_it_is(self) -> None:
        # In Goose Bay on 29 October 2000 the clocks went from 00:01 back to 23:01, so the
        # second 23:01-23:59 of the 28th happens after the 29th began: it is the 29th's time.
        closed_on_29th = BusinessCalendar(zone="America/Goose_Bay", holidays=[date(2000, 10, 29)])
        closed_on_28th = BusinessCalendar(zone="America/Goose_Bay", holidays=[date(2000, 10, 28)])
        second_pass = datetime(2000, 10, 28, 23, 30, tzinfo=GOOSE_BAY, fold=1)

        assert not closed_on_29th.is_open(second_pass)
        assert closed_on_28th.is_open(second_pass)
        assert closed_on_29th.between(
            datetime(2000, 10, 28, tzinfo=GOOSE_BAY), datetime(2000, 10, 30, tzinfo=GOOSE_BAY)
        ) == timedelta(hours=24)

    def test_a_time_that_is_not_a_datetime_is_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match="at must be an aware datetime, got str"):
            office().is_open("2026-03-04T12:00")  # type: ignore[arg-type]


class TestNextOpen:
    def test_an_open_instant_is_its_own_next_opening(self) -> None:
        assert office().next_open(ny(2026, 3, 4, 12, 0, 0, 1)) == ny(2026, 3, 4, 12, 0, 0, 1)

    def test_after_closing_it_is_the_next_mornings_opening(self) -> None:
        assert office().next_open(ny(2026, 3, 6, 18)) == ny(2026, 3, 9, 10)

    def test_during_lunch_it_is_the_afternoons_opening(self) -> None:
        calendar = BusinessCalendar.weekly(
            {"mon-fri": ["09:00-13:00", "14:00-18:00"]}, zone="Europe/Madrid"
        )

        assert calendar.next_open(madrid(2026, 3, 2, 13, 30)) == madrid(2026, 3, 2, 14)

    def test_a_span_opening_at_a_skipped_time_opens_when_the_clocks_jump(self) -> None:
        calendar = BusinessCalendar.weekly({"sun": ["02:30-04:00"]}, zone="America/New_York")

        assert calendar.next_open(ny(2026, 3, 8, 1)) == ny(2026, 3, 8, 3)


class TestOpenSpans:
    """What business time counted: the open intervals between two instants."""

    def test_closed_nights_weekends_and_holidays_are_left_out(self) -> None:
        friday_4pm, wednesday_10am = ny(2026, 11, 27, 16), ny(2026, 12, 2, 11)
        calendar = BusinessCalendar.weekdays(
            "10:00", "18:00", zone="America/New_York", holidays=[date(2026, 11, 30)]
        )

        assert calendar.open_spans(friday_4pm, wednesday_10am) == (
            (ny(2026, 11, 27, 16), ny(2026, 11, 27, 18)),
            (ny(2026, 12, 1, 10), ny(2026, 12, 1, 18)),
            (ny(2026, 12, 2, 10), ny(2026, 12, 2, 11)),
        )

    def test_a_shift_past_midnight_is_one_span(self) -> None:
        night = BusinessCalendar.weekly({"fri": ["22:00-06:00"]}, zone="America/New_York")

        assert night.open_spans(ny(2026, 11, 27, 23), ny(2026, 11, 28, 12)) == (
            (ny(2026, 11, 27, 23), ny(2026, 11, 28, 6)),
        )

    def test_in_the_hour_a_fall_back_change_repeats_it_compares_instants(self) -> None:
        edt = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)
        est = datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)  # 20 minutes later
        calendar = BusinessCalendar(zone="America/New_York", holidays=[date(2026, 12, 25)])

        assert calendar.open_spans(edt, est) == ((edt, est),)
        assert calendar.open_spans(est, edt) == ()

    def test_around_the_clock_it_is_the_whole_interval(self) -> None:
        start, end = utc(2026, 3, 1), utc(2026, 3, 9)

        assert BusinessCalendar().open_spans(start, end) == ((start, end),)
        assert BusinessCalendar().open_spans(end, start) == ()

    @given(st.data())
    @settings(max_examples=150, deadline=None, suppress_health_check=SLOW_IS_FINE)
    def test_they_are_the_definitions_open_spans_and_add_up_to_between(
        self, data: st.DataObject
    ) -> None:
        calendar = data.draw(calendars())
        start = data.draw(starts(calendar))
        end = start + data.draw(st.timedeltas(timedelta(0), timedelta(days=9)))
        spans = calendar.open_spans(start, end)
        reference = open_spans(
            calendar, start.date() - timedelta(days=2), end.date() + timedelta(days=2)
        )

        within = [
            (max(begin, start.astimezone(UTC)), min(stop, end.astimezone(UTC)))
            for begin, stop in reference
        ]
        # A span empty once clipped, or skipped by the clocks (02:00-02:15 on a
        # spring-forward day), is none.
        clipped = [(begin, stop) for begin, stop in within if begin < stop]
        merged: list[tuple[datetime, datetime]] = []
        for begin, stop in clipped:
            if merged and merged[-1][1] == begin:
                begin = merged.pop()[0]  # noqa: PLW2901 (spans that meet are one)
            merged.append((begin, stop))
        assert [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in spans] == merged
        total = sum((b.astimezone(UTC) - a.astimezone(UTC) for a, b in spans), timedelta(0))
        assert total == calendar.between(start, end)


class TestKnowsHolidaysOn:
    def test_knows_the_years_of_the_list(self) -> None:
        calendar = office()

        assert calendar.holidays_known_until == date(2026, 12, 31)
        assert calendar.knows_holidays_on(date(2026, 1, 1))
        assert not calendar.knows_holidays_on(date(2027, 1, 1))

    def test_a_calendar_without_holidays_knows_every_date(self) -> None:
        assert BusinessCalendar().knows_holidays_on(date(3000, 1, 1))

    def test_a_datetime_is_refused_since_its_date_depends_on_a_zone(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"day must be a datetime.date, got datetime"):
            office().knows_holidays_on(ny(2026, 3, 4))


# ---------------------------------------------------------------------- the zone's offset changes


def micros(span: timedelta) -> int:
    return span // ONE_US


def instant(moment: datetime) -> int:
    """Microseconds since 0001-01-01 00:00 UTC, as the calendar counts instants."""
    return micros(moment - datetime(1, 1, 1, tzinfo=UTC))


HOUR_US = micros(timedelta(hours=1))


class TestZoneYear:
    """The offset changes of a zone's year, computed afresh.

    `_zone_year` is cached for the whole process, so the calendar's other tests would not
    notice a change to how it finds them once a year has been computed: call the function
    under the cache.
    """

    def test_new_york_sets_its_clocks_forward_in_march_and_back_in_november(self) -> None:
        year = _zone_year.__wrapped__("America/New_York", 2026)
        spring, autumn = date(2026, 3, 8).toordinal(), date(2026, 11, 1).toordinal()
        est, edt = -5 * HOUR_US, -4 * HOUR_US

        assert year.ordinals == (spring, autumn)
        assert year.end == date(2027, 1, 1).toordinal()
        assert year.shifts == (
            _Shift(
                spring, (_Change(instant(utc(2026, 3, 8, 7)), est, edt),), 2 * HOUR_US, 3 * HOUR_US
            ),
            _Shift(
                autumn, (_Change(instant(utc(2026, 11, 1, 6)), edt, est),), HOUR_US, 2 * HOUR_US
            ),
        )

    def test_a_change_off_the_minute_is_found_to_the_second_and_to_an_offset_of_zero(
        self,
    ) -> None:
        # Liberia moved from -0:44:30 to UTC at 00:44:30 UTC on 7 January 1972: the clock
        # skipped 00:00:00-00:44:30, readings that also end 6 January (its 24:00).
        year = _zone_year.__wrapped__("Africa/Monrovia", 1972)
        skipped = micros(timedelta(minutes=44, seconds=30))
        change = _Change(instant(utc(1972, 1, 7, 0, 44, 30)), -skipped, 0)
        day = micros(timedelta(days=1))

        assert year.shifts == (
            _Shift(date(1972, 1, 6).toordinal(), (change,), day, day + skipped),
            _Shift(date(1972, 1, 7).toordinal(), (change,), 0, skipped),
        )

    def test_changes_of_an_offset_with_seconds_are_found_to_the_second(self) -> None:
        # Amsterdam kept time at +00:19:32 until 1 July 1937, and summer time on top of it.
        year = _zone_year.__wrapped__("Europe/Amsterdam", 1937)

        changes = sorted({change.at for shift in year.shifts for change in shift.changes})

        assert changes == [
            instant(utc(1937, 5, 22, 1, 40, 28)),
            instant(utc(1937, 6, 30, 22, 40, 28)),
            instant(utc(1937, 10, 3, 1, 40)),
        ]


class TestArithmeticAcrossOffsetChanges:
    """Business time on dates whose open spans an offset change moves, exact to the µs."""

    @staticmethod
    def mornings() -> BusinessCalendar:
        """Open 00:00-12:00 every day in New York: both changes of the year fall inside."""
        return BusinessCalendar.weekly({"mon-sun": ["00:00-12:00"]}, zone="America/New_York")

    def test_a_span_into_the_next_year_counts_that_years_changes(self) -> None:
        # 31 December to 13 March: 73 mornings of 12 hours; 14 March 2027 loses an hour.
        start, end = ny(2026, 12, 31), ny(2027, 3, 15, 6)
        span = timedelta(hours=73 * 12 + 11 + 6)

        assert self.mornings().add(start, span) == end
        assert self.mornings().between(start, end) == span

    def test_a_due_time_at_the_close_before_a_change_stays_at_that_close(self) -> None:
        due = self.mornings().add(ny(2026, 3, 7), timedelta(hours=12))

        assert due == ny(2026, 3, 7, 12)

    def test_a_due_time_past_a_change_counts_its_short_day_once(self) -> None:
        # 12 hours on 7 March, 11 on 8 March (02:00-03:00 never happens), 1 on 9 March.
        due = self.mornings().add(ny(2026, 3, 7), timedelta(hours=24))

        assert due == ny(2026, 3, 9, 1)

    def test_a_due_time_at_the_end_of_the_first_span_of_a_change_day_stays_there(self) -> None:
        calendar = BusinessCalendar.weekly(
            {"mon-sun": ["00:00-04:00", "06:00-12:00"]}, zone="America/New_York"
        )

        due = calendar.add(ny(2026, 3, 8), timedelta(hours=3))  # 00:00-04:00 lasts 3 hours

        assert due == ny(2026, 3, 8, 4)
        assert due.tzinfo is NEW_YORK

    def test_a_change_that_moves_no_span_is_passed_over_to_the_next_that_does(self) -> None:
        # Tehran, 2021: the clocks went forward on a Monday (closed) and back at 24:00 on
        # Tuesday 21 September, so that Tuesday's 22:00-24:00 lasted three hours.
        tehran = ZoneInfo("Asia/Tehran")
        calendar = BusinessCalendar.weekly({"tue": ["22:00-24:00"]}, zone="Asia/Tehran")

        # 27 Tuesdays of 2 hours from 16 March to 14 September, then 2h30 of the long one.
        due = calendar.add(datetime(2021, 3, 16, tzinfo=tehran), timedelta(hours=56, minutes=30))

        assert due.astimezone(UTC) == utc(2021, 9, 21, 20)

    def test_on_a_change_day_a_span_includes_its_start_and_not_its_end(self) -> None:
        calendar = self.mornings()

        assert calendar.is_open(ny(2026, 3, 8, 11, 59, 59, 999_999))
        assert not calendar.is_open(ny(2026, 3, 8, 12))

    def test_a_change_day_ending_in_an_offset_of_zero_counts_its_repeated_hour(self) -> None:
        london = ZoneInfo("Europe/London")
        calendar = BusinessCalendar.weekly({"mon-sun": ["00:00-12:00"]}, zone="Europe/London")

        span = calendar.between(
            datetime(2026, 10, 25, tzinfo=london), datetime(2026, 10, 25, 6, tzinfo=london)
        )

        assert span == timedelta(hours=7)  # 01:00-02:00 BST, then 01:00-02:00 GMT again


class TestTheLastDates:
    """The arithmetic works from 1900-01-01 to 2199-12-31 in the calendar's zone."""

    def test_a_due_time_at_the_last_close_of_2199_is_given_and_a_microsecond_more_refused(
        self,
    ) -> None:
        calendar = BusinessCalendar.weekly(
            {"mon-sun": ["10:00-18:00"]}, holidays=[date(2199, 12, 25)]
        )
        start = utc(2199, 12, 31, 10)

        assert calendar.add(start, timedelta(hours=8)) == utc(2199, 12, 31, 18)
        with pytest.raises(InvalidValueError, match="ends after 2199-12-31"):
            calendar.add(start, timedelta(hours=8) + ONE_US)

    def test_around_the_clock_a_due_time_in_2199_is_given_and_one_in_2200_refused(self) -> None:
        calendar = BusinessCalendar()
        start = utc(2199, 12, 31)

        assert calendar.add(start, timedelta(hours=23)) == utc(2199, 12, 31, 23)
        with pytest.raises(InvalidValueError, match="ends after 2199-12-31"):
            calendar.add(start, timedelta(days=1))

    def test_the_first_and_last_years_are_in_and_a_moment_read_in_2200_is_refused(self) -> None:
        calendar = BusinessCalendar(zone="Asia/Tokyo")

        assert calendar.is_open(utc(1900, 1, 1, 12))
        assert calendar.is_open(utc(2199, 12, 31, 12))
        with pytest.raises(
            InvalidValueError,
            match=r"^at=2199-12-31T23:00:00\+00:00 is outside 1900-01-01 to 2199-12-31, "
            r"the dates a calendar counts in$",
        ):
            calendar.is_open(utc(2199, 12, 31, 23))  # 08:00 on 1 January 2200 in Tokyo


class TestZonesOfTheArguments:
    def test_around_the_clock_in_utc_a_due_time_is_real_time_later_in_utc(self) -> None:
        due = BusinessCalendar().add(utc(2026, 3, 4, 9), timedelta(hours=1))

        assert due == utc(2026, 3, 4, 10)
        assert due.tzinfo == ZoneInfo("UTC")

    def test_around_the_clock_elsewhere_a_due_time_is_in_the_calendars_zone(self) -> None:
        due = BusinessCalendar(zone="America/New_York").add(utc(2026, 3, 4, 9), MINUTE)

        assert due == utc(2026, 3, 4, 9, 1)
        assert due.tzinfo is NEW_YORK

    def test_a_utc_calendar_reads_a_time_of_another_zone_as_its_instant(self) -> None:
        calendar = BusinessCalendar.weekdays("09:00", "17:00")

        assert calendar.is_open(ny(2026, 3, 4, 8))  # 13:00 UTC
        assert not calendar.is_open(ny(2026, 3, 4, 13))  # 18:00 UTC

    def test_a_pendulum_time_in_the_repeated_hour_keeps_its_fold(self) -> None:
        calendar = BusinessCalendar(zone="America/New_York")
        first = pendulum.datetime(2026, 11, 1, 1, 30, tz="America/New_York", fold=0)
        second = pendulum.datetime(2026, 11, 1, 1, 30, tz="America/New_York", fold=1)

        assert calendar.between(first, second) == timedelta(hours=1)

    @pytest.mark.parametrize(
        "calendar", [office(), BusinessCalendar(zone="America/New_York")], ids=["office", "24x7"]
    )
    def test_a_pendulum_start_gives_a_stdlib_due_time(self, calendar: BusinessCalendar) -> None:
        start = pendulum.datetime(2026, 3, 4, 10, tz="America/New_York")

        due = calendar.add(start, MINUTE)

        assert type(due) is datetime
        assert due == ny(2026, 3, 4, 10, 1)

    def test_the_next_opening_is_in_the_calendars_zone(self) -> None:
        opening = office().next_open(utc(2026, 3, 4, 12))

        assert opening == ny(2026, 3, 4, 10)
        assert opening.tzinfo is NEW_YORK


class TestHoursToTheMicrosecond:
    def test_an_opening_with_seconds_and_microseconds_counts_them(self) -> None:
        calendar = BusinessCalendar.weekly({"mon": ["09:00:30.000250-17:00"]})

        open_time = calendar.between(utc(2026, 3, 2), utc(2026, 3, 3))

        assert open_time == timedelta(hours=8) - timedelta(seconds=30, microseconds=250)

    def test_a_holiday_range_of_one_day_is_a_range(self) -> None:
        day = date(2026, 12, 25)

        calendar = BusinessCalendar(
            holidays=[day], holidays_known_from=day, holidays_known_until=day
        )

        assert calendar.knows_holidays_on(day)
        assert not calendar.knows_holidays_on(date(2026, 12, 26))


class TestRefusalMessages:
    """Each refusal names the bad value and says what would be right, word for word."""

    @pytest.mark.parametrize(
        ("refused", "error", "message"),
        [
            (
                lambda: WorkingHours(cast("Any", "1"), time(9), time(17)),
                InvalidTypeError,
                "day must be a Weekday or an int 0-6 (Monday is 0), got '1'",
            ),
            (
                lambda: BusinessCalendar(hours=cast("Any", "09:00-17:00")),
                InvalidTypeError,
                (
                    "hours must be an iterable of WorkingHours, got str '09:00-17:00'; "
                    "use BusinessCalendar.weekly() for the mapping form"
                ),
            ),
            (
                lambda: BusinessCalendar(hours=[]),
                CalendarError,
                (
                    "a business calendar needs working hours; with none, no deadline could ever "
                    "fall due (the default BusinessCalendar() is open 24x7)"
                ),
            ),
            (
                lambda: BusinessCalendar(holidays=cast("Any", 5)),
                InvalidTypeError,
                (
                    "holidays must be an iterable of dates (a list, or an object of the "
                    "'holidays' package), got int 5"
                ),
            ),
            (
                lambda: BusinessCalendar(
                    holidays_known_from=cast("Any", "2026-01-01"),
                    holidays_known_until=date(2026, 12, 31),
                ),
                InvalidTypeError,
                "the holiday range must be a datetime.date, got str '2026-01-01'",
            ),
            (
                lambda: BusinessCalendar.weekdays("24:00", "18:00"),
                CalendarError,
                (
                    "opens: '24:00' is not a time of day; write 'HH:MM' from 00:00 to 23:59 "
                    "(24:00 may only end a shift)"
                ),
            ),
            (
                lambda: BusinessCalendar.weekdays("09:00", "25:00"),
                CalendarError,
                "closes: '25:00' is not a time of day; write 'HH:MM' from 00:00 to 23:59 or 24:00",
            ),
            (
                lambda: BusinessCalendar.weekly({"fri-mon,sat": ["09:00-17:00"]}),
                CalendarError,
                (
                    "day range 'fri-mon' in hours key 'fri-mon,sat' runs backwards; ranges go "
                    "from Monday to Sunday, so write e.g. 'fri-sun,mon-mon'"
                ),
            ),
            (
                lambda: BusinessCalendar.weekly(["mon"]),  # type: ignore[arg-type]
                InvalidTypeError,
                "hours must be a mapping such as {'mon-fri': ['09:00-17:00']}, got list ['mon']",
            ),
            (
                lambda: BusinessCalendar.weekly({"mon": "09:00-17:00"}),
                InvalidTypeError,
                (
                    "hours['mon'] must map day names to a list of 'HH:MM-HH:MM' strings, "
                    "got str '09:00-17:00'"
                ),
            ),
            (
                lambda: BusinessCalendar.weekly({"mon": ["09:00"]}),
                CalendarError,
                "hours['mon'][0]: '09:00' is not a 'HH:MM-HH:MM' interval",
            ),
            (
                lambda: BusinessCalendar().add(utc(2026, 1, 1), timedelta(seconds=-1)),
                InvalidValueError,
                (
                    "duration must not be negative, got datetime.timedelta(days=-1, "
                    "seconds=86399); pass a timedelta of 0 or more"
                ),
            ),
            (
                lambda: BusinessCalendar().between(
                    datetime(2026, 1, 1),  # noqa: DTZ001 (the point of the test)
                    utc(2026, 1, 1),
                ),
                NaiveDatetimeError,
                (
                    "start=2026-01-01T00:00:00 has no time zone; pass an aware datetime, e.g. "
                    "datetime(..., tzinfo=ZoneInfo('UTC')) or pendulum.datetime(...)"
                ),
            ),
            (
                lambda: BusinessCalendar.from_mapping([1]),  # type: ignore[arg-type]
                InvalidTypeError,
                "a calendar is a mapping with zone, hours and holidays, got list [1]",
            ),
            (
                lambda: BusinessCalendar.from_mapping({"zone": "UTC", "days": 1}),
                CalendarError,
                (
                    "unknown calendar key(s) 'days'; the keys are holidays, holidays_known_from, "
                    "holidays_known_until, hours, zone"
                ),
            ),
            (
                lambda: BusinessCalendar.from_mapping({"holidays": "2026-01-01"}),
                InvalidTypeError,
                "holidays must be a list of dates, got str '2026-01-01'",
            ),
            (
                lambda: BusinessCalendar.from_mapping({"holidays": ["soon"]}),
                CalendarError,
                "holidays: 'soon' is not a date; write it as YYYY-MM-DD",
            ),
            (
                lambda: BusinessCalendar.from_mapping({"holidays": [5]}),
                InvalidTypeError,
                "holidays must be a datetime.date, got int 5",
            ),
            (
                lambda: BusinessCalendar.from_mapping(
                    {"holidays_known_from": 5, "holidays_known_until": "2026-12-31"}
                ),
                InvalidTypeError,
                "holidays_known_from must be a datetime.date, got int 5",
            ),
            (
                lambda: BusinessCalendar(hours=[WorkingHours(0, time(9), time(17))] * 2),
                CalendarError,
                (
                    "working hours mon 09:00-17:00 and mon 09:00-17:00 overlap; each moment of "
                    "the week may belong to one shift only"
                ),
            ),
            (
                lambda: BusinessCalendar(
                    hours=[WorkingHours(0, time(9), time(17)), WorkingHours(0, time(10), time(12))]
                ),
                CalendarError,
                (
                    "working hours mon 09:00-17:00 and mon 10:00-12:00 overlap; each moment of "
                    "the week may belong to one shift only"
                ),
            ),
            (
                lambda: BusinessCalendar(
                    hours=[WorkingHours(1, time(0), time(2)), WorkingHours(0, time(22), time(4))]
                ),
                CalendarError,
                (
                    "working hours tue 00:00-02:00 and mon 22:00-04:00 overlap; each moment of "
                    "the week may belong to one shift only"
                ),
            ),
            (
                # Two pieces of one Monday, 00:00-02:00, alike but for the shift they are of.
                lambda: BusinessCalendar(
                    hours=[WorkingHours(0, time(0), time(2)), WorkingHours(6, time(22), time(2))]
                ),
                CalendarError,
                (
                    "working hours mon 00:00-02:00 and sun 22:00-02:00 overlap; each moment of "
                    "the week may belong to one shift only"
                ),
            ),
        ],
    )
    def test_the_message_names_the_value_and_the_remedy(
        self, refused: Callable[[], object], error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error) as caught:
            refused()

        assert str(caught.value) == message

    def test_a_given_holiday_range_is_read_from_the_mapping(self) -> None:
        calendar = BusinessCalendar.from_mapping(
            {
                "holidays": ["2026-12-25"],
                "holidays_known_from": "2026-06-01",
                "holidays_known_until": "2027-12-31",
            }
        )

        assert (calendar.holidays_known_from, calendar.holidays_known_until) == (
            date(2026, 6, 1),
            date(2027, 12, 31),
        )

    def test_24_00_may_close_a_weekday_calendar(self) -> None:
        calendar = BusinessCalendar.weekdays("22:00", "24:00")

        assert calendar.between(utc(2026, 3, 4), utc(2026, 3, 5)) == timedelta(hours=2)
