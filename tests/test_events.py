"""Events check their own fields when built, as commands check their arguments."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from service_recovery import Actor, Category, Channel, Grant, Incident, Money, Offer, Severity
from service_recovery._base.checks import unchecked
from service_recovery.decisions import EscalationDecision, GrantDecision, GrantOutcome, Reason
from service_recovery.errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    PolicyError,
    RecoveryError,
    RuleViolation,
)
from service_recovery.events import (
    Acknowledged,
    Alert,
    AlertKind,
    Closed,
    OptionsOffered,
    PromiseMade,
    Received,
    SatisfactionRecorded,
)
from service_recovery.testing import incidents

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("UTC"))
USD = Money.of("10", "USD")


def received(**changes: object) -> Received:
    facts: dict[str, object] = {
        "incident_id": "INC-1",
        "at": T0,
        "customer": "ana",
        "channel": Channel.EMAIL,
        "category": Category.POOR_SERVICE,
        "severity": Severity.MEDIUM,
        **changes,
    }
    return Received(**facts)  # type: ignore[arg-type]


class TestReceived:
    def test_a_naive_time_is_refused_naming_the_field(self) -> None:
        with pytest.raises(NaiveDatetimeError) as caught:
            received(at=T0.replace(tzinfo=None))

        assert caught.value.path == "at"

    def test_an_unknown_channel_is_refused_with_the_known_ones(self) -> None:
        with pytest.raises(InvalidValueError, match="'whatsapp' is not one of 'phone'") as caught:
            received(channel="whatsapp")

        assert caught.value.path == "channel"

    def test_a_channel_spelled_as_its_value_says_which_member_to_pass(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"channel must be Channel\.EMAIL"):
            received(channel="email")

    @pytest.mark.parametrize("field", ["incident_id", "customer"])
    def test_ids_and_names_are_non_empty_text(self, field: str) -> None:
        with pytest.raises(InvalidValueError, match="must not be empty"):
            received(**{field: "  "})
        with pytest.raises(InvalidTypeError, match="must be a str"):
            received(**{field: 7})


class TestFacts:
    @pytest.mark.parametrize("score", [-1, 11, 99])
    def test_r12_a_score_is_from_0_to_10(self, score: int) -> None:
        with pytest.raises(InvalidValueError, match="from 0 to 10") as caught:
            SatisfactionRecorded(incident_id="INC-1", at=T0, score=score)

        assert caught.value.path == "score"

    def test_r10_a_promise_is_due_after_it_is_made(self) -> None:
        with pytest.raises(RuleViolation, match="R10") as caught:
            PromiseMade(incident_id="INC-1", at=T0, number=1, due=T0, note="")

        assert (caught.value.rule, caught.value.path) == ("R10", "due")

    def test_r6_a_closing_names_a_root_cause_and_a_cost_of_zero_or_more(self) -> None:
        with pytest.raises(RuleViolation, match="R6: root_cause"):
            Closed(incident_id="INC-1", at=T0, root_cause="", cost=USD)
        with pytest.raises(RuleViolation, match="never negative") as caught:
            Closed(incident_id="INC-1", at=T0, root_cause="gap", cost=-USD)

        assert caught.value.path == "cost"

    def test_offers_become_a_tuple_and_each_must_be_an_offer(self) -> None:
        offer = Offer("voucher", cost=USD, value=USD)

        assert OptionsOffered(incident_id="INC-1", at=T0, offers=[offer]).offers == (offer,)
        with pytest.raises(InvalidTypeError, match=r"offers\[1\] must be an Offer") as caught:
            OptionsOffered(incident_id="INC-1", at=T0, offers=(offer, "refund"))  # type: ignore[arg-type]

        assert caught.value.path == "offers[1]"


class TestAlert:
    def test_a_warning_is_at_a_share_of_the_target_between_0_and_1(self) -> None:
        for threshold in (Decimal("sNaN"), Decimal(1), Decimal(0), None, "0.5"):
            with pytest.raises(InvalidValueError, match="between 0 and 1"):
                Alert(AlertKind.WARNING, "response", T0, T0, threshold)  # type: ignore[arg-type]

    def test_a_breach_has_no_threshold(self) -> None:
        with pytest.raises(InvalidValueError, match="has no threshold"):
            Alert(AlertKind.BREACH, "response", T0, T0, Decimal("0.5"))

        assert Alert(AlertKind.BREACH, "response", T0, T0).threshold is None


class TestDecisionsAndGrants:
    def test_a_grant_decision_checks_its_fields(self) -> None:
        actor = Actor("luis", "frontline")
        facts: dict[str, object] = {
            "outcome": GrantOutcome.APPROVED,
            "reasons": (Reason("R3", "within the frontline limit"),),
            "incident_id": "INC-1",
            "reference": "INC-1/grant-1",
            "amount": USD,
            "total": USD,
            "actor": actor,
        }

        with pytest.raises(InvalidTypeError, match=r"outcome must be GrantOutcome\.APPROVED"):
            GrantDecision(**{**facts, "outcome": "approved"})  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="amount must be a Money"):
            GrantDecision(**{**facts, "amount": "10 USD"})  # type: ignore[arg-type]

    def test_a_decision_needs_a_list_of_reasons(self) -> None:
        with pytest.raises(InvalidTypeError, match="reasons must be a list"):
            EscalationDecision(reasons=3, escalate=False)  # type: ignore[arg-type]
        with pytest.raises(PolicyError, match="at least one Reason"):
            EscalationDecision(reasons=(), escalate=False)
        with pytest.raises(InvalidTypeError, match=r"notify\[0\] must be a str"):
            EscalationDecision(reasons=("x",), escalate=False, notify=(1,))  # type: ignore[arg-type]

    def test_a_grant_in_the_ledger_has_an_aware_time(self) -> None:
        actor = Actor("luis", "frontline")

        with pytest.raises(NaiveDatetimeError):
            Grant("INC-1", USD, actor, None, "INC-1/grant-1", T0.replace(tzinfo=None))
        with pytest.raises(RecoveryError):
            Grant("INC-1", USD, actor, None, "INC-1/grant-1", timedelta(0))  # type: ignore[arg-type]


class TestEventsCommandsBuild:
    """Commands build some events without running their validators again (`unchecked`)."""

    # The first incident drawn in a run may take seconds (the strategies warm up: zone and
    # holiday tables), and this file runs early.
    @given(incidents())
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_each_is_the_event_its_validators_accept(self, incident: Incident) -> None:
        for event in incident.events:
            fields = {field.name: getattr(event, field.name) for field in attrs.fields(type(event))}

            assert type(event)(**fields) == event

    def test_it_sets_exactly_the_fields_given(self) -> None:
        at = datetime(2026, 3, 4, 9, tzinfo=ZoneInfo("UTC"))
        built = unchecked(Acknowledged, incident_id="INC-1", at=at, by="luis")

        assert built == Acknowledged(incident_id="INC-1", at=at, by="luis")
        assert hash(built) == hash(Acknowledged(incident_id="INC-1", at=at, by="luis"))
