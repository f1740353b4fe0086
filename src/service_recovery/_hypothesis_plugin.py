"""The hypothesis entry point: `st.from_type` learns our types from `service_recovery.testing`.

Hypothesis loads this while it is itself being imported, possibly because
`service_recovery.testing` is importing it; so the strategies are looked up only when a
test first asks for one, never at load time.
"""

from __future__ import annotations

from hypothesis import strategies as st


def _from_testing(kind: type) -> st.SearchStrategy[object]:
    from . import testing  # noqa: PLC0415 (deferred: see the module docstring)

    return testing.STRATEGIES[kind]()


def _hypothesis_setup_hook() -> None:
    """Register every public type `service_recovery.testing` has a strategy for."""
    from . import (  # noqa: PLC0415
        AuthorityLadder,
        BusinessCalendar,
        CompensationBudget,
        Incident,
        Money,
        Offer,
        RecoveryPolicy,
    )

    for kind in (
        AuthorityLadder,
        BusinessCalendar,
        CompensationBudget,
        Incident,
        Money,
        Offer,
        RecoveryPolicy,
    ):
        st.register_type_strategy(kind, _from_testing)
