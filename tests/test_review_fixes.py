"""Edge cases a review found: each used to misbehave, and must not again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from service_recovery import (
    AuthorityLadder,
    AuthorityLevel,
    BySeverity,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    Money,
    Offer,
    RecoveryPolicy,
    Scorecard,
    Severity,
    SlaStatus,
    SyntheticStream,
    deserialize_events,
    serialize_events,
    simulate,
)
from service_recovery.cli import main
from service_recovery.errors import (
    CurrencyMismatch,
    InvalidAmountError,
    InvalidTypeError,
    InvalidValueError,
    PolicyError,
    ReplayError,
    SerializationError,
)

MADRID = ZoneInfo("Europe/Madrid")
T = datetime(2026, 1, 5, 10, tzinfo=UTC)


def received(at: datetime = T) -> Incident:
    return Incident.receive(
        incident_id="I",
        customer="c",
        channel=Channel.CHAT,
        category=Category.POOR_SERVICE,
        severity=Severity.LOW,
        at=at,
    )


class TestRealTimeAcrossDaylightSaving:
    def test_r10_a_promise_across_the_spring_change_is_due_when_promised(self) -> None:
        made, due = (
            datetime(2026, 3, 29, 1, 0, tzinfo=MADRID),
            datetime(2026, 3, 29, 4, 0, tzinfo=MADRID),
        )
        promised = received(made).acknowledge(by="a", at=made).promise(due=due, at=made)

        timer = promised.timers["promise-1"]

        assert timer.due_at == due
        half_past_four = datetime(2026, 3, 29, 4, 30, tzinfo=MADRID)
        assert promised.promises[0].is_broken(half_past_four)
        assert timer.status(half_past_four) is SlaStatus.BREACHED

    def test_r11_a_cool_down_across_the_autumn_change_is_real_minutes(self) -> None:
        new_york = ZoneInfo("America/New_York")
        finished = datetime(2026, 11, 1, 1, 50, tzinfo=new_york)

        free = RecoveryPolicy().agent_available_at(received(), finished_at=finished)

        assert free.astimezone(UTC) - finished.astimezone(UTC) == timedelta(minutes=2)

    def test_a_simulation_starting_before_a_dst_change_runs(self) -> None:
        stream = SyntheticStream(
            seed=1,
            incidents=300,
            start=datetime(2026, 3, 28, 12, tzinfo=MADRID),
            transactions_per_day=400_000,
        )

        assert simulate(RecoveryPolicy(), stream).incidents == 300


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
        lambda: received().contact(at=T, note=NOTHING),
        InvalidTypeError,
    ),
}


class TestValuesRefusedAtTheEdge:
    @pytest.mark.parametrize(
        ("make", "error"),
        [pytest.param(make, error, id=name) for name, (make, error) in BAD.items()],
    )
    def test_bad_input_is_a_specific_recovery_error(
        self, make: object, error: type[Exception]
    ) -> None:
        with pytest.raises(error):
            make()  # type: ignore[operator]

    def test_negative_zero_is_zero(self) -> None:
        assert str(Money.of("-0", "USD")) == "0.00 USD"

    def test_a_guide_in_another_currency_than_the_ladder_is_refused(self) -> None:
        euros = AuthorityLadder(
            [
                AuthorityLevel("staff", Money.of(50, "EUR")),
                AuthorityLevel("boss", Money.of(90, "EUR")),
            ]
        )

        assert RecoveryPolicy(authority=euros).compensation_guide.low.currency == "EUR"
        with pytest.raises(PolicyError, match="compensation_guide is in USD"):
            RecoveryPolicy(
                authority=euros, compensation_guide=BySeverity(*(Money.of(1, "USD"),) * 4)
            )

    def test_a_schema_of_true_is_not_schema_1(self) -> None:
        data = serialize_events(received().events)
        data[0]["schema"] = True

        with pytest.raises(SerializationError, match="schema"):
            deserialize_events(data)


class TestScoresAndCli:
    def test_r10_an_overdue_unkept_promise_on_an_open_incident_counts_as_broken(self) -> None:
        late = received().acknowledge(by="a", at=T).promise(due=T + timedelta(hours=1), at=T)
        late = late.contact(at=T + timedelta(hours=2))
        overdue = received().acknowledge(by="a", at=T).promise(due=T + timedelta(hours=1), at=T)
        overdue = overdue.wait_for_customer(at=T + timedelta(hours=3))

        card = Scorecard.of([late, overdue])

        assert (card.promises, card.promises_kept) == (2, 0)

    def test_spend_per_incident_keeps_the_currencys_minor_unit(self) -> None:
        card = Scorecard(incidents=2, currency="KWD", spent=Decimal("2.011"))

        assert card.spent_per_incident == Decimal("1.006")

    def test_the_cli_turns_a_bad_argument_into_a_message(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["simulate", "--incidents", "-1"]) == 2
        assert main(["check", "examples"]) == 2

        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.count("service-recovery:") == 2


class TestRecurringCauses:
    def test_r6_three_closings_straddling_a_month_end_are_one_recurring_cause(self) -> None:
        midnight = datetime(2026, 2, 1, tzinfo=UTC)

        def closed(hours: float) -> Incident:
            lost = received().abandon(reason="gone", at=T)
            return lost.close(
                root_cause="broken lift",
                cost=Money.zero("USD"),
                at=midnight + timedelta(hours=hours),
            )

        card = Scorecard.of([closed(-1), closed(1), closed(2)])

        (finding,) = card.recurring_causes(3)
        assert "'broken lift' caused 3 incidents in the 30 days from 2026-01-31" in finding.detail

    def test_r6_closings_further_apart_than_the_window_do_not_recur(self) -> None:
        def closed(days: int) -> Incident:
            lost = received().abandon(reason="gone", at=T)
            return lost.close(
                root_cause="broken lift", cost=Money.zero("USD"), at=T + timedelta(days=days)
            )

        card = Scorecard.of([closed(1), closed(20), closed(40)])

        assert card.recurring_causes(3) == ()
        assert len(card.recurring_causes(2)) == 1
