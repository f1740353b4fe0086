"""Register our types with hypothesis, so `st.from_type(Money)` draws from the test kit.

The entry point (`_service_recovery_hypothesis`, outside this package) calls `register`
once both hypothesis and this library are imported. It lives beside `testing`, not in
it: importing any module of `testing` runs the kit's `__init__` (its strategies, laws and
assertions, about 37 ms), which every process that imports hypothesis and this library
would then pay. Hypothesis may still be importing itself when `register` runs, possibly
because `service_recovery.testing` is importing it; so the strategies are looked up only
when a test first asks for one.
"""

from __future__ import annotations

from hypothesis import strategies as st

from service_recovery._base.fields import Fields
from service_recovery._money.authority import AuthorityLadder
from service_recovery._money.budget import CompensationBudget
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._time.calendar import BusinessCalendar

_TYPES = (
    AuthorityLadder,
    BusinessCalendar,
    CompensationBudget,
    Fields,
    Incident,
    Money,
    Offer,
    RecoveryPolicy,
)
"""Every public type `service_recovery.testing` has a strategy for."""


def _from_testing(kind: type) -> st.SearchStrategy[object]:
    """The kit's strategy for `kind`, or hypothesis's own for anything else.

    Hypothesis also asks a registered type's strategy for the types above it (`Fields` is
    a `Mapping`, so `st.from_type(Mapping)` asks it): those are not ours to draw.
    """
    from service_recovery import testing  # noqa: PLC0415 (deferred: see the module docstring)

    strategy = testing.STRATEGIES.get(kind)
    return NotImplemented if strategy is None else strategy()


def register() -> None:
    """Make `st.from_type` use the test kit's strategy for each of our types."""
    for kind in _TYPES:
        st.register_type_strategy(kind, _from_testing)
