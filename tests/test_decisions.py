"""Reason: every decision traces to a rule of docs/rules.md."""

from __future__ import annotations

import pytest

from service_recovery.decisions import Reason
from service_recovery.errors import InvalidValueError


class TestReason:
    def test_a_reason_has_a_rule_id_and_a_readable_detail(self) -> None:
        reason = Reason("R3.authority", "150.00 USD exceeds the frontline limit of 100.00 USD")

        assert reason.rule_id == "R3"
        assert str(reason) == "R3.authority: 150.00 USD exceeds the frontline limit of 100.00 USD"

    @pytest.mark.parametrize("rule", ["R0", "R21", "r3", "R3.", "R3.Authority", "3", "", None])
    def test_a_rule_that_is_not_in_the_domain_is_refused(self, rule: object) -> None:
        with pytest.raises(InvalidValueError, match=r"not a rule id of docs/rules\.md"):
            Reason(rule, "detail")  # type: ignore[arg-type]

    @pytest.mark.parametrize("detail", ["", "   ", None])
    def test_a_reason_without_a_detail_is_refused(self, detail: object) -> None:
        with pytest.raises(InvalidValueError, match="detail a supervisor can read"):
            Reason("R1", detail)  # type: ignore[arg-type]
