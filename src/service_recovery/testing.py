"""Hypothesis strategies for the library's types, for our tests and for yours.

Importing this module needs `hypothesis` (the ``test`` extra); the core never imports it.
The strategies are registered with hypothesis through its entry point, so
``st.from_type(Money)`` and ``st.from_type(Incident)`` work in any test suite that has
this package installed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from ._classification import Category, Channel, Severity
from ._compensation import Offer
from ._incident import Incident
from ._money import Money, minor_unit
from ._policy import RecoveryPolicy

__all__ = ["STRATEGIES", "aware_datetimes", "incidents", "money", "offers", "policies"]

_CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "KWD"])  # 2, 2, 0 and 3 decimal places
_ZONES = ("UTC", "Europe/Madrid", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe")


def aware_datetimes(
    *,
    min_value: datetime = datetime(2020, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value: datetime = datetime(2035, 12, 31),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Aware datetimes in a few real zones (DST, half-hour offsets), to the microsecond."""
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from([UTC, *(ZoneInfo(zone) for zone in _ZONES)]),
    )


@st.composite
def money(
    draw: st.DrawFn,
    currency: str | st.SearchStrategy[str] = _CURRENCIES,
    *,
    min_value: int = 0,
    max_value: int = 10_000,
) -> Money:
    """Money in `currency` with whole units between the bounds, exact to the minor unit."""
    code = draw(currency) if isinstance(currency, st.SearchStrategy) else currency
    places = minor_unit(code)
    minor = draw(st.integers(min_value * 10**places, max_value * 10**places))
    return Money(Decimal(minor).scaleb(-places), code)


@st.composite
def offers(draw: st.DrawFn, currency: str = "USD") -> Offer:
    """Offers that are possible, or not possible with a possible alternative (R17)."""
    kinds = st.sampled_from(["upgrade", "voucher", "refund", "late checkout", "dessert"])

    def possible() -> Offer:
        return Offer(draw(kinds), draw(money(currency)), draw(money(currency)))

    if draw(st.booleans()):
        return possible()
    return Offer(
        draw(kinds),
        draw(money(currency)),
        draw(money(currency)),
        possible=False,
        alternative=possible(),
    )


def policies() -> st.SearchStrategy[RecoveryPolicy]:
    """Policies with the default ladder and varied numbers."""
    return st.builds(
        RecoveryPolicy,
        response_time=st.timedeltas(timedelta(seconds=1), timedelta(hours=8)),
        min_options=st.integers(1, 3),
        max_handoffs=st.integers(0, 3),
    )


@st.composite
def incidents(draw: st.DrawFn, policy: RecoveryPolicy | None = None) -> Incident:
    """Freshly received incidents of any channel, category and severity."""
    return Incident.receive(
        incident_id=draw(st.from_regex(r"INC-[0-9]{1,6}", fullmatch=True)),
        customer=draw(st.sampled_from(["ana", "bo", "chen", "dee"])),
        channel=draw(st.sampled_from(Channel)),
        category=draw(st.sampled_from(Category)),
        severity=draw(st.sampled_from(Severity)),
        at=draw(aware_datetimes()),
        policy=draw(policies()) if policy is None else policy,
    )


STRATEGIES: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Money: money,
    Offer: offers,
    RecoveryPolicy: policies,
    Incident: incidents,
}
"""The strategy behind `st.from_type` for each of our types (see the entry point)."""
