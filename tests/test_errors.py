"""The four error families a host can act on, each refining the built-in it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import builders
from service_recovery import (
    Actor,
    AuthorityLadder,
    AuthorityLevel,
    BySeverity,
    CompensationBudget,
    Grant,
    Incident,
    Money,
    Offer,
    Period,
    RecoveryPolicy,
    SyntheticStream,
    deserialize_event,
    deserialize_events,
    errors,
)
from service_recovery.decisions import Reason
from service_recovery.errors import (
    CommandRefused,
    CurrencyMismatch,
    GrantConflict,
    InvalidAmountError,
    InvalidArgumentError,
    InvalidTransition,
    InvalidTypeError,
    InvalidValueError,
    PolicyError,
    RecoveryError,
    ReplayError,
    RuleViolation,
    SerializationError,
    StoredDataError,
)
from service_recovery.events import SeverityRaised

FAMILIES = (InvalidArgumentError, CommandRefused, PolicyError, StoredDataError)
GROUPS = (RecoveryError, InvalidArgumentError, errors.MoneyError)  # ValueError and TypeError
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def received() -> Incident:
    return builders.received(at=T0, severity="high")


def classes() -> list[type[RecoveryError]]:
    return [getattr(errors, name) for name in errors.__all__]


class TestTheHierarchy:
    @pytest.mark.parametrize("cls", classes(), ids=lambda cls: cls.__name__)
    def test_every_error_but_the_root_is_in_exactly_one_family(
        self, cls: type[RecoveryError]
    ) -> None:
        families = [family for family in FAMILIES if issubclass(cls, family)]

        if cls is RecoveryError:
            assert families == []
        else:
            assert len(families) == 1, families

    @pytest.mark.parametrize(
        "cls",
        [cls for cls in classes() if cls not in GROUPS],
        ids=lambda cls: cls.__name__,
    )
    def test_every_error_but_the_groups_refines_a_builtin(self, cls: type[RecoveryError]) -> None:
        assert issubclass(cls, ValueError | TypeError)

    def test_a_group_holds_both_value_and_type_errors(self) -> None:
        for group in GROUPS:
            members = [cls for cls in classes() if issubclass(cls, group)]

            assert any(issubclass(cls, ValueError) for cls in members), group
            assert any(issubclass(cls, TypeError) for cls in members), group

    def test_the_families_refine_value_error_except_bad_types(self) -> None:
        assert issubclass(CommandRefused, ValueError)
        assert issubclass(PolicyError, ValueError)
        assert issubclass(StoredDataError, ValueError)
        assert issubclass(errors.InvalidValueError, ValueError)
        assert issubclass(errors.InvalidTypeError, TypeError)
        assert issubclass(errors.NaiveDatetimeError, TypeError)
        assert issubclass(errors.FloatAmountError, TypeError)


class TestWhatTheLibraryRaises:
    def test_a_naive_time_is_a_bad_argument(self) -> None:
        with pytest.raises(InvalidArgumentError):
            received().acknowledge(by="luis", at=datetime(2026, 3, 2, 9, 1))  # noqa: DTZ001

    def test_a_malformed_ladder_is_a_bad_argument_not_a_refusal(self) -> None:
        with pytest.raises(InvalidArgumentError, match="limits must rise strictly") as caught:
            AuthorityLadder(
                (AuthorityLevel("a", Money.of(50, "USD")), AuthorityLevel("b", Money.of(20, "USD")))
            )

        assert not isinstance(caught.value, CommandRefused)

    def test_a_move_the_table_refuses_is_a_refused_command(self) -> None:
        with pytest.raises(CommandRefused, match="resolve"):
            received().resolve(summary="fixed", at=at(60))

    def test_a_side_command_refused_names_the_steps_it_may_run_in(self) -> None:
        incident = received()

        with pytest.raises(InvalidTransition, match="hand_off") as caught:
            incident.hand_off(to="marta", at=at(60))

        assert caught.value.step == "received"
        assert caught.value.allowed == ("abandon", "acknowledge")
        assert "acknowledged" in caught.value.allowed_steps
        assert "received" not in caught.value.allowed_steps

    def test_r2_handing_to_the_owner_is_refused_by_the_rule_not_the_argument(self) -> None:
        incident = received().acknowledge(by="luis", at=at(30))

        with pytest.raises(RuleViolation, match=r"R2.*already owned by 'luis'") as caught:
            incident.hand_off(to="luis", at=at(60))

        assert caught.value.rule == "R2"
        assert caught.value.path == "to_agent"

    def test_r9_escalating_sideways_is_refused_by_the_rule(self) -> None:
        incident = (
            received()
            .acknowledge(by="luis", at=at(30))
            .escalate(to="supervisor", reason="big ask", at=at(60))
        )

        with pytest.raises(RuleViolation, match=r"R9.*higher level: manager") as caught:
            incident.escalate(to="supervisor", reason="again", at=at(90))

        assert caught.value.rule == "R9"

    def test_a_grant_recorded_twice_under_one_reference_is_a_conflict(self) -> None:
        budget = CompensationBudget(
            holder="desk",
            pool=Money.of(1000, "USD"),
            per_incident_cap=Money.of(500, "USD"),
            period=Period.DAY,
            zone="UTC",
        )
        luis = Actor("luis", "frontline")
        incident = received().acknowledge(by="luis", at=at(30))
        decision = incident.policy.authorize(
            incident, Money.of(30, "USD"), actor=luis, budget=budget, at=at(60)
        )
        _, spent = incident.grant(decision, budget=budget, at=at(60))
        again = Grant("INC-2", Money.of(10, "USD"), luis, None, decision.reference, at(70))

        with pytest.raises(GrantConflict, match="already recorded") as caught:
            spent.record(again)

        assert isinstance(caught.value, CommandRefused)

    def test_r16_a_severity_kept_in_a_history_is_refused_by_the_rule(self) -> None:
        incident = received()
        kept = SeverityRaised(
            incident_id="INC-1", at=at(60), severity=incident.severity, reason=Reason("R16", "x")
        )

        with pytest.raises(ReplayError, match=r"R16: incident 'INC-1' is already high") as caught:
            Incident.replay((*incident.events, kept))

        assert isinstance(caught.value.__cause__, RuleViolation)
        assert caught.value.__cause__.rule == "R16"

    def test_r1_an_alert_recorded_twice_is_a_timer_refusal(self) -> None:
        ticked, (alert, *_) = received().tick(at(45))

        with pytest.raises(ReplayError, match="tick records each alert once") as caught:
            Incident.replay((*ticked.events, alert))

        assert isinstance(caught.value.__cause__, CommandRefused)

    def test_a_malformed_policy_is_a_policy_error(self) -> None:
        with pytest.raises(PolicyError):
            RecoveryPolicy.from_mapping({"authority": "manager"})

    def test_bad_stored_data_is_a_stored_data_error(self) -> None:
        with pytest.raises(StoredDataError, match="schema"):
            deserialize_event({"type": "Received"})


NOT_IT: Any = "not it"  # a value of the wrong type, for calls a type checker would refuse
NOTHING: Any = None
USD1, JPY100 = Money.of(1, "USD"), Money.of(100, "JPY")
BAD: dict[str, tuple[Callable[[], object], type[Exception]]] = {
    "huge money": (lambda: Money.of("1e30", "USD"), InvalidAmountError),
    "times infinity": (lambda: USD1 * Decimal("Infinity"), InvalidAmountError),
    "times a huge factor": (lambda: USD1 * Decimal("1e30"), InvalidAmountError),
    "ratio not a number": (lambda: RecoveryPolicy(fcr_target="abc"), PolicyError),
    "ratio NaN": (lambda: RecoveryPolicy(fcr_target="NaN"), PolicyError),
    "unknown severity": (lambda: RecoveryPolicy(severe_on_deferred=NOT_IT), InvalidValueError),
    "unknown pause clock": (lambda: RecoveryPolicy(pause_clock=NOT_IT), InvalidValueError),
    "zero resolution times": (
        lambda: RecoveryPolicy(resolution_times=BySeverity(*(timedelta(0),) * 4)),
        PolicyError,
    ),
    "negative cool-downs": (
        lambda: RecoveryPolicy(agent_cooldowns=BySeverity(*(timedelta(-1),) * 4)),
        PolicyError,
    ),
    "thresholds above 1": (lambda: RecoveryPolicy(warning_thresholds=("0.5", "1.5")), PolicyError),
    "no agent load": (lambda: SyntheticStream(cases_per_agent_day=0), InvalidValueError),
    "a folder as a zone": (
        lambda: CompensationBudget(holder="h", pool=USD1, per_incident_cap=USD1, zone="America"),
        InvalidValueError,
    ),
    "an offer in two currencies": (lambda: Offer("x", USD1, JPY100), CurrencyMismatch),
    "possible as text": (lambda: Offer("x", USD1, USD1, possible=NOT_IT), InvalidTypeError),
    "a ladder of nothing": (lambda: AuthorityLadder(NOT_IT), InvalidTypeError),
    "replay of nothing": (lambda: Incident.replay(NOTHING), ReplayError),
    "replay under a non-policy": (
        lambda: Incident.replay(received().events, policy=NOT_IT),
        InvalidTypeError,
    ),
    "deserialize nothing": (lambda: deserialize_events(NOTHING), SerializationError),
    "a note of nothing": (
        lambda: received().contact(at=at(60), note=NOTHING),
        InvalidTypeError,
    ),
}


class TestValuesRefusedAtTheEdge:
    @pytest.mark.parametrize(
        ("make", "error"),
        [pytest.param(make, error, id=name) for name, (make, error) in BAD.items()],
    )
    def test_bad_input_is_a_specific_recovery_error(
        self, make: Callable[[], object], error: type[Exception]
    ) -> None:
        with pytest.raises(error):
            make()
