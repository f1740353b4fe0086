"""Channels (R13), categories (R16) and severities."""

from __future__ import annotations

import pytest

from service_recovery import Category, Channel, Severity
from service_recovery.errors import InvalidTypeError


class TestChannel:
    def test_r13_real_time_channels_differ_from_deferred_ones(self) -> None:
        realtime = {channel for channel in Channel if channel.is_realtime}

        assert realtime == {Channel.PHONE, Channel.CHAT, Channel.SOCIAL, Channel.IN_PERSON}


class TestCategory:
    def test_r16_four_kinds_of_dissatisfaction_gravest_last(self) -> None:
        assert list(Category)[-1] is Category.IGNORED_COMPLAINT
        assert len(Category) == 4


class TestSeverity:
    def test_severities_are_ordered_by_gravity(self) -> None:
        assert sorted(Severity, reverse=True) == [
            Severity.CRITICAL,
            Severity.HIGH,
            Severity.MEDIUM,
            Severity.LOW,
        ]
        assert Severity.LOW < Severity.MEDIUM <= Severity.MEDIUM
        assert Severity.CRITICAL > Severity.HIGH >= Severity.HIGH
        assert [severity.rank for severity in Severity] == [0, 1, 2, 3]

    @pytest.mark.parametrize("operator", ["__lt__", "__le__", "__gt__", "__ge__"])
    def test_severities_do_not_compare_as_text(self, operator: str) -> None:
        with pytest.raises(InvalidTypeError, match=r"Severity\('high'\)"):
            getattr(Severity.CRITICAL, operator)("high")
