"""Scorecard: the headline numbers over many incidents, mergeable (R1, R3, R5, R6, R10, R12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builders
from service_recovery import (
    Actor,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    Money,
    NpsTally,
    Offer,
    RecoveryPolicy,
    Scorecard,
    Severity,
)
from service_recovery.errors import CurrencyMismatch, InvalidValueError
from service_recovery.testing import incidents

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LIFTS = ("Broken lift", "broken lift ", "broken lift")  # one cause, however it is typed
POLICY = RecoveryPolicy()
OFFERS = (
    Offer("a", Money.of(0, "USD"), Money.of(5, "USD")),
    Offer("b", Money.of(1, "USD"), Money.of(9, "USD")),
)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def answered(incident_id: str = "INC-1", after: float = 30) -> Incident:
    opened = builders.received(at=T0, policy=POLICY, incident_id=incident_id)
    return builders.answered(opened, after=timedelta(seconds=after))


def resolved(incident: Incident) -> Incident:
    offered = incident.restate(problem="x", confirmed=True, at=incident.updated_at).offer(
        OFFERS, at=incident.updated_at
    )
    return offered.resolve(summary="ok", at=incident.updated_at)


class TestScorecard:
    def test_r5_first_contact_resolution_excludes_escalations_handoffs_and_follow_ups(self) -> None:
        first = resolved(answered("A"))
        escalated = (
            answered("B")
            .escalate(to="supervisor", reason="big", at=at(60))
            .resolve(summary="refunded", at=at(90))
        )
        handed = resolved(answered("C").hand_off(to="marta", at=at(60)))
        followed = resolved(answered("D").promise(due=at(3600), at=at(60)))
        lost = answered("E").abandon(reason="gone", at=at(60))

        card = Scorecard.of([first, escalated, handed, followed, lost])

        assert (card.resolved, card.lost, card.decided, card.first_contact) == (4, 1, 5, 1)
        assert card.fcr == Decimal("0.2000")
        assert dict(card.escalations) == {"R9": 1}

    def test_r1_a_response_at_second_60_is_in_time_and_at_61_is_not(self) -> None:
        card = Scorecard.of([answered("A", after=60), answered("B", after=61), answered("C", 0)])

        assert (card.responses, card.responded_in_time) == (3, 2)
        assert card.response_compliance == Decimal("0.6667")

    def test_r1_a_complaint_left_unanswered_past_its_target_is_a_missed_response(self) -> None:
        unanswered = Incident.receive(
            incident_id="U",
            customer="bo",
            channel=Channel.PHONE,
            category=Category.POOR_SERVICE,
            severity=Severity.LOW,
            at=T0,
            policy=POLICY,
        ).abandon(reason="hung up", at=at(600))
        quick_hang_up = answered("Q", after=10).abandon(reason="fine", at=at(20))

        card = Scorecard.of([unanswered, answered("A", after=10)])

        assert (card.responses, card.responded_in_time) == (2, 1)
        assert Scorecard.of([quick_hang_up]).responses == 1

    def test_r10_promises_kept_and_broken(self) -> None:
        kept = answered("A").promise(due=at(600), at=at(60)).contact(at=at(600))
        late = answered("B").promise(due=at(600), at=at(60)).contact(at=at(601))
        waiting = answered("C").promise(due=at(600), at=at(60))

        card = Scorecard.of([kept, late, waiting])

        assert (card.promises, card.promises_kept) == (2, 1)

    def test_r12_nps_before_and_after_and_the_recovery_delta(self) -> None:
        recovered = resolved(answered("A").record_satisfaction(2, at=at(40), before_recovery=True))
        recovered = recovered.record_satisfaction(9, at=at(900))
        passive = resolved(answered("B")).record_satisfaction(7, at=at(900))

        card = Scorecard.of([recovered, passive])

        assert card.nps_before == NpsTally(detractors=1)
        assert card.nps_after == NpsTally(promoters=1, passives=1)
        assert (card.nps_before.nps, card.nps_after.nps) == (Decimal(-100), Decimal(50))
        assert card.mean_recovery_delta == Decimal("7.00")

    def test_r3_compensation_spent_in_total_per_incident_and_per_level(self) -> None:
        wallet = CompensationBudget(
            holder="desk", pool=Money.of(5000, "USD"), per_incident_cap=Money.of(3000, "USD")
        )
        small, big = answered("A"), answered("B")
        decision = POLICY.authorize(
            small, Money.of(80, "USD"), actor=Actor("luis", "frontline"), budget=wallet, at=at(60)
        )
        small, wallet = small.grant(decision, budget=wallet, at=at(60))
        decision = POLICY.authorize(
            big, Money.of(300, "USD"), actor=Actor("luis", "frontline"), budget=wallet, at=at(60)
        )
        big = big.request_approval(decision, at=at(60))
        big, wallet = big.approve(
            decision.reference, approver=Actor("marta", "supervisor"), budget=wallet, at=at(90)
        )

        card = Scorecard.of([small, big, answered("C")])

        assert (card.spent, card.currency, card.compensated) == (Decimal(380), "USD", 2)
        assert dict(card.spent_by_level) == {"frontline": Decimal(80), "supervisor": Decimal(300)}
        assert card.spent_per_incident == Decimal("126.67")

    def test_r6_a_cause_seen_threshold_times_in_a_window_is_a_finding(self) -> None:
        def closed(incident_id: str, cause: str, days: int) -> Incident:
            lost = answered(incident_id).abandon(reason="gone", at=at(60))
            return lost.close(root_cause=cause, cost=Money.zero("USD"), at=at(days * 86_400))

        lifts = [closed(f"L{day}", cause, day) for day, cause in enumerate(LIFTS, start=1)]
        rude = [closed("D", "rude staff", 1), closed("E", "rude staff", 2)]
        card = Scorecard.of([*lifts, *rude])

        (finding,) = card.recurring_causes(POLICY.recurring_cause_threshold)
        assert finding.rule == "R6.recurring"
        assert "'broken lift' caused 3 incidents in the 30 days from" in finding.detail

    def test_an_empty_scorecard_has_no_rates(self) -> None:
        card = Scorecard.of([])

        assert (card.fcr, card.response_compliance, card.promises_kept_rate) == (None, None, None)
        assert (card.spent_per_incident, card.mean_recovery_delta, card.nps_after.nps) == (
            None,
            None,
            None,
        )
        assert card == Scorecard()


class TestMerging:
    @settings(max_examples=40, deadline=None)
    @given(st.lists(incidents(POLICY), max_size=10), st.data())
    def test_adding_scorecards_of_a_split_equals_scoring_the_whole(
        self, items: list[Incident], data: st.DataObject
    ) -> None:
        cut = data.draw(st.integers(0, len(items)))

        assert Scorecard.of(items[:cut]) + Scorecard.of(items[cut:]) == Scorecard.of(items)

    @settings(max_examples=20, deadline=None)
    @given(st.lists(incidents(POLICY), min_size=3, max_size=9))
    def test_addition_is_associative_and_commutative(self, items: list[Incident]) -> None:
        a, b, c = (Scorecard.of(items[i::3]) for i in range(3))

        assert (a + b) + c == a + (b + c) == c + b + a

    def test_scorecards_in_different_currencies_do_not_add(self) -> None:
        with pytest.raises(CurrencyMismatch, match="one currency at a time"):
            Scorecard(currency="USD") + Scorecard(currency="EUR")

    def test_scorecards_with_different_cause_windows_do_not_add(self) -> None:
        with pytest.raises(InvalidValueError, match="cause windows"):
            Scorecard(cause_window=timedelta(days=7)) + Scorecard(cause_window=timedelta(days=30))

    def test_a_scorecard_only_adds_to_a_scorecard(self) -> None:
        with pytest.raises(TypeError):
            Scorecard() + 1  # type: ignore[operator]

    def test_memory_holds_counters_not_incidents(self) -> None:
        def closed(n: int) -> Incident:
            escalated = answered(f"A{n}").escalate(to="supervisor", reason="big", at=at(60))
            done = escalated.resolve(summary="ok", at=at(90))
            return done.close(root_cause=LIFTS[n % 3], cost=Money.zero("USD"), at=at(120))

        ten = Scorecard.of(closed(n) for n in range(10))
        hundred = Scorecard.of(closed(n) for n in range(100))

        assert hundred.incidents == 10 * ten.incidents
        assert dict(ten.escalations) == {"R9": 10}
        assert dict(hundred.escalations) == {"R9": 100}
        assert len(hundred.causes) == len(ten.causes) == 1  # one cause, one day: one counter


class TestEdges:
    def test_r10_an_overdue_unkept_promise_on_an_open_incident_counts_as_broken(self) -> None:
        late = answered(after=0).promise(due=at(3600), at=at(0)).contact(at=at(7200))
        overdue = answered(after=0).promise(due=at(3600), at=at(0)).wait_for_customer(at=at(10800))

        card = Scorecard.of([late, overdue])

        assert (card.promises, card.promises_kept) == (2, 0)

    def test_spend_per_incident_keeps_the_currencys_minor_unit(self) -> None:
        card = Scorecard(incidents=2, currency="KWD", spent=Decimal("2.011"))

        assert card.spent_per_incident == Decimal("1.006")

    def test_r6_three_closings_straddling_a_month_end_are_one_recurring_cause(self) -> None:
        midnight = datetime(2026, 12, 1, tzinfo=UTC)

        def closed(hours: float) -> Incident:
            lost = answered().abandon(reason="gone", at=at(60))
            return lost.close(
                root_cause="broken lift",
                cost=Money.zero("USD"),
                at=midnight + timedelta(hours=hours),
            )

        card = Scorecard.of([closed(-1), closed(1), closed(2)])

        (finding,) = card.recurring_causes(3)
        assert "'broken lift' caused 3 incidents in the 30 days from 2026-11-30" in finding.detail

    def test_r6_closings_further_apart_than_the_window_do_not_recur(self) -> None:
        def closed(days: int) -> Incident:
            lost = answered().abandon(reason="gone", at=at(60))
            return lost.close(
                root_cause="broken lift", cost=Money.zero("USD"), at=at(60) + timedelta(days=days)
            )

        card = Scorecard.of([closed(1), closed(20), closed(40)])

        assert card.recurring_causes(3) == ()
        assert len(card.recurring_causes(2)) == 1
