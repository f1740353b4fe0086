"""A test kit for policy authors: hypothesis strategies, `check_policy` and assertions.

Importing this package needs `hypothesis`, which the ``testing`` extra installs; the core
never imports it. The strategies are registered with hypothesis through its entry point
(`service_recovery._hypothesis_plugin`), so ``st.from_type(Money)`` and
``st.from_type(Incident)`` work in any test suite that has this library installed.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401 (only to say what is missing, before the kit needs it)
except ModuleNotFoundError as err:
    if err.name != "hypothesis":
        raise
    _msg = (
        "service_recovery.testing needs hypothesis, which is not installed; "
        "install the test kit with: pip install 'service-recovery[testing]'"
    )
    raise ModuleNotFoundError(_msg, name=err.name) from err

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from service_recovery._base.fields import Fields
from service_recovery._money.authority import AuthorityLadder
from service_recovery._money.budget import CompensationBudget
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._time.calendar import BusinessCalendar
from service_recovery.testing._assertions import (
    assert_escalates,
    assert_needs_approval,
    assert_stays,
)
from service_recovery.testing._laws import BrokenLaw, PolicyReport, check_policy
from service_recovery.testing._strategies import (
    aware_datetimes,
    budgets,
    calendars,
    histories,
    incidents,
    ladders,
    money,
    offers,
    policies,
    ticket_fields,
)

__all__ = [  # noqa: RUF022 (grouped by topic, not sorted)
    # strategies, and the table behind st.from_type
    "STRATEGIES",
    "aware_datetimes",
    "budgets",
    "calendars",
    "histories",
    "incidents",
    "ladders",
    "money",
    "offers",
    "policies",
    "ticket_fields",
    # the laws every policy keeps
    "BrokenLaw",
    "PolicyReport",
    "check_policy",
    # assertions for a policy's own tests
    "assert_escalates",
    "assert_needs_approval",
    "assert_stays",
]

STRATEGIES: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Money: money,
    Offer: offers,
    AuthorityLadder: ladders,
    BusinessCalendar: calendars,
    CompensationBudget: budgets,
    RecoveryPolicy: policies,
    Incident: incidents,
    Fields: ticket_fields,
}
"""The strategy behind `st.from_type` for each of our types (see the entry point)."""
