"""RecoveryPolicy: the defaults of DOMAIN.md, each with its rule id."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs
import pytest

from service_recovery import (
    AuthorityLadder,
    AuthorityLevel,
    Category,
    InvalidTypeError,
    Money,
    PolicyError,
    Reason,
    RecoveryPolicy,
    Severity,
)


class TestDefaults:
    def test_the_defaults_are_the_numbers_of_the_domain(self) -> None:
        policy = RecoveryPolicy()

        assert policy.response_target == timedelta(seconds=60)  # R1
        assert policy.fcr_target == Decimal("0.95")  # R5
        assert policy.min_options == 2  # R9
        assert policy.max_handoffs == 1  # R2
        assert policy.replacement_cost_multiplier == 5  # R14
        assert policy.decline_level == "supervisor"  # R15
        assert [(lvl.name, lvl.limit) for lvl in policy.authority.levels] == [
            ("frontline", Money.of(100, "USD")),
            ("supervisor", Money.of(500, "USD")),
            ("manager", Money.of(2000, "USD")),
        ]  # R3

    def test_every_field_names_its_rule(self) -> None:
        rules = {field.name: field.metadata["rule"] for field in attrs.fields(RecoveryPolicy)}

        assert rules["response_target"] == "R1"
        assert rules["min_options"] == "R9"
        assert all(rule.startswith("R") for rule in rules.values())
        assert all(field.metadata["why"] for field in attrs.fields(RecoveryPolicy))

    def test_a_policy_is_an_immutable_value(self) -> None:
        policy = RecoveryPolicy()

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            policy.min_options = 3  # type: ignore[misc]
        assert attrs.evolve(policy, min_options=3) == RecoveryPolicy(min_options=3)


class TestInitialSeverity:
    def test_r16_an_ignored_complaint_is_raised_to_the_policys_floor(self) -> None:
        raised = RecoveryPolicy().initial_severity(Category.IGNORED_COMPLAINT, Severity.MEDIUM)

        assert raised is not None
        assert raised[0] is Severity.CRITICAL
        assert raised[1] == Reason(
            "R16.ignored", "an ignored complaint is at least critical, reported as medium"
        )

    def test_r16_a_severity_is_never_lowered(self) -> None:
        policy = RecoveryPolicy(ignored_complaint_severity=Severity.HIGH)

        assert policy.initial_severity(Category.IGNORED_COMPLAINT, Severity.CRITICAL) is None
        assert policy.initial_severity(Category.PRODUCT_DEFECT, Severity.LOW) is None


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("response_target", timedelta(0), "positive timedelta"),
            ("response_target", 60, "positive timedelta"),
            ("min_options", 0, "at least 1"),
            ("max_handoffs", -1, "at least 0"),
            ("max_handoffs", True, "whole number"),
            ("fcr_target", Decimal("1.5"), "at most 1"),
            ("replacement_cost_multiplier", "0.5", "at least 1"),
            ("recurring_cause_threshold", 1, "at least 2"),
            ("decline_level", "ceo", "pick one of frontline, supervisor, manager"),
        ],
    )
    def test_bad_values_are_refused_naming_the_field(
        self, field: str, value: object, message: str
    ) -> None:
        with pytest.raises(PolicyError, match=message) as caught:
            RecoveryPolicy(**{field: value})  # type: ignore[arg-type]

        assert caught.value.errors[0][0] == field

    def test_float_ratios_are_refused(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"Decimal\('0.9'\)"):
            RecoveryPolicy(fcr_target=0.9)

    def test_a_custom_ladder_moves_the_decline_level_with_it(self) -> None:
        ladder = AuthorityLadder(
            [
                AuthorityLevel("agent", Money.of(20, "EUR")),
                AuthorityLevel("boss", Money.of(300, "EUR")),
            ]
        )

        policy = RecoveryPolicy(authority=ladder, decline_level="boss")

        assert policy.authority.currency == "EUR"
