"""The times callers pass in: aware, in the years the library counts in, with a sane offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_recovery._base.instants import FIRST_DAY, LAST_DAY, aware, before, positive
from service_recovery.errors import InvalidTypeError, InvalidValueError, NaiveDatetimeError


class Answers(tzinfo):
    """A tzinfo of one's own that answers `offset` (or raises it) for every time."""

    def __init__(self, offset: object) -> None:
        self.offset = offset

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        del dt
        if isinstance(self.offset, Exception):
            raise self.offset
        return self.offset  # type: ignore[return-value]

    def dst(self, dt: datetime | None) -> timedelta | None:
        del dt
        return None

    def tzname(self, dt: datetime | None) -> str:
        del dt
        return "mine"


class TestAware:
    def test_an_aware_datetime_is_returned_as_it_is(self) -> None:
        moment = datetime(2026, 3, 4, 12, tzinfo=UTC)

        assert aware(moment) is moment

    def test_a_tzinfo_of_ones_own_with_a_sane_offset_is_aware(self) -> None:
        moment = datetime(2026, 3, 4, 12, tzinfo=Answers(timedelta(hours=3)))

        assert aware(moment) is moment

    def test_a_tzinfo_that_answers_none_is_naive(self) -> None:
        with pytest.raises(NaiveDatetimeError, match="at=2026-03-04T12:00:00 has no time zone"):
            aware(datetime(2026, 3, 4, 12, tzinfo=Answers(None)))

    @pytest.mark.parametrize(
        "offset",
        [timedelta(hours=24), timedelta(hours=-25), "+01:00", 3600, ZeroDivisionError("boom")],
        ids=["24h", "-25h", "a str", "an int", "raises"],
    )
    def test_a_tzinfo_without_a_usable_offset_is_refused_by_name(self, offset: object) -> None:
        moment = datetime(2026, 3, 4, 12, tzinfo=Answers(offset))

        with pytest.raises(InvalidValueError, match=r"due: its tzinfo Answers .* no usable UTC"):
            aware(moment, "due")

    @pytest.mark.parametrize(
        "moment",
        [
            datetime(1, 1, 1, tzinfo=UTC),
            datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
            datetime(2200, 1, 1, tzinfo=UTC),
            datetime.max.replace(tzinfo=UTC),
        ],
    )
    def test_a_time_outside_the_years_the_library_counts_in_is_refused(
        self, moment: datetime
    ) -> None:
        with pytest.raises(InvalidValueError, match="is outside 1900-01-01 to 2199-12-31"):
            aware(moment)

    def test_the_first_and_last_days_are_inside(self) -> None:
        first = datetime(FIRST_DAY.year, 1, 1, tzinfo=UTC)
        last = datetime(LAST_DAY.year, 12, 31, 23, 59, tzinfo=UTC)

        assert (aware(first), aware(last)) == (first, last)

    def test_a_non_datetime_is_a_type_error_naming_it(self) -> None:
        with pytest.raises(InvalidTypeError, match="at must be an aware datetime, got str 'now'"):
            aware("now")


class TestPositive:
    def test_a_positive_span_passes(self) -> None:
        assert positive(timedelta(seconds=1), "target") == timedelta(seconds=1)

    @pytest.mark.parametrize("span", [timedelta(0), timedelta(seconds=-1)])
    def test_zero_and_negative_spans_are_refused(self, span: timedelta) -> None:
        with pytest.raises(InvalidValueError, match="target must be longer than zero"):
            positive(span, "target")


class _Lying(ZoneInfo):
    """A zone of one's own whose offset breaks datetime's rule (under a day)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        del dt
        return timedelta(hours=30)


def test_a_zoneinfo_subclass_is_checked_like_any_tzinfo_of_ones_own() -> None:
    with pytest.raises(InvalidValueError, match="no usable UTC offset"):
        aware(datetime(2026, 1, 1, tzinfo=_Lying("UTC")))


NEW_YORK = ZoneInfo("America/New_York")
NEAR_A_FOLD = st.datetimes(
    min_value=datetime(2026, 10, 31, 23),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value=datetime(2026, 11, 1, 3),  # noqa: DTZ001
    timezones=st.just(NEW_YORK),
)


class TestBefore:
    def test_across_the_autumn_fold_the_earlier_instant_comes_first(self) -> None:
        edt = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)  # the first 01:30, UTC-4
        est = datetime(2026, 11, 1, 1, 10, tzinfo=NEW_YORK, fold=1)  # the second 01:10, UTC-5

        assert before(edt, est)
        assert not before(est, edt)
        assert not edt < est  # Python compares one zone's times by their wall clocks

    @given(NEAR_A_FOLD, NEAR_A_FOLD)
    def test_it_orders_instants_as_utc_does(self, a: datetime, b: datetime) -> None:
        assert before(a, b) == (a.astimezone(UTC) < b.astimezone(UTC))

    @given(NEAR_A_FOLD, st.datetimes(timezones=st.just(UTC)))
    def test_times_in_two_zones_compare_as_instants(self, a: datetime, b: datetime) -> None:
        assert before(a, b) == (a.astimezone(UTC) < b)
