"""The test kit for policy authors: strategies, check_policy and the assertions."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from builders import answered, received
from service_recovery import (
    Actor,
    AuthorityLadder,
    AuthorityLevel,
    BusinessCalendar,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    IncidentRecord,
    Money,
    Offer,
    RecoveryPolicy,
    Step,
)
from service_recovery.decisions import (
    EscalationDecision,
    GrantDecision,
    GrantOutcome,
    Reason,
    TargetDecision,
)
from service_recovery.events import Fields
from service_recovery.testing import (
    assert_escalates,
    assert_needs_approval,
    assert_stays,
    check_policy,
    histories,
    incidents,
)
from service_recovery.testing._laws import LAWS

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def acknowledged(category: Category = Category.POOR_SERVICE) -> Incident:
    opened = received(at=T0, channel=Channel.CHAT, category=category)
    return answered(opened, after=timedelta(seconds=20))


class Reckless(RecoveryPolicy):
    """Approves every grant: the law on the actor's limit must catch it."""

    def authorize(
        self,
        incident: IncidentRecord,
        amount: Money,
        *,
        actor: Actor,
        budget: CompensationBudget,
        at: datetime,
    ) -> GrantDecision:
        decision = super().authorize(incident, amount, actor=actor, budget=budget, at=at)
        return attrs.evolve(decision, outcome=GrantOutcome.APPROVED, approver_level=None)


class Sideways(RecoveryPolicy):
    """Escalates everything to the front line: not a level that can act."""

    def escalation(self, incident: IncidentRecord, at: datetime) -> EscalationDecision:
        del incident, at
        return EscalationDecision(
            escalate=True, to="frontline", reasons=[Reason("R9", "ask a colleague")]
        )


class Moody(RecoveryPolicy):
    """Answers the same question differently each time."""

    _moods = itertools.cycle([60, 61])

    def response_target(self, incident: IncidentRecord) -> TargetDecision:
        del incident
        seconds = next(self._moods)
        return TargetDecision(target=timedelta(seconds=seconds), reasons=[Reason("R1", "mood")])


class TestCheckPolicy:
    def test_the_default_policy_keeps_every_law(self) -> None:
        report = check_policy(RecoveryPolicy(), max_examples=50)

        assert report.ok, str(report)
        assert report.checked == tuple(LAWS)
        assert str(report) == f"RecoveryPolicy keeps all {len(LAWS)} laws"

    def test_a_policy_that_approves_beyond_the_actors_limit_is_caught_with_a_counterexample(
        self,
    ) -> None:
        report = check_policy(Reckless(), max_examples=50)

        assert [law.law for law in report.broken] == ["never approves beyond the actor's limit"]
        (broken,) = report.broken
        assert "approved" in broken.problem
        assert "incident INC-" in broken.counterexample
        assert f"Reckless breaks 1 of {len(LAWS)} laws" in str(report)

    def test_an_escalation_to_a_level_that_cannot_act_is_caught(self) -> None:
        report = check_policy(Sideways(), max_examples=50)

        assert "every escalation names a level that can act" in [b.law for b in report.broken]

    def test_a_policy_that_changes_its_mind_is_caught(self) -> None:
        report = check_policy(Moody(), max_examples=20)

        broken = {b.law: b.problem for b in report.broken}
        assert "response_target answered differently twice" in broken["same inputs, same decision"]

    def test_a_policy_that_raises_is_a_broken_law_not_a_crash(self) -> None:
        class Broken(RecoveryPolicy):
            def agent_cooldown(self, incident: Incident) -> object:  # type: ignore[override]
                del incident
                return "five minutes"

        report = check_policy(Broken(), max_examples=10)

        problems = {b.law: b.problem for b in report.broken}
        assert "PolicyError" in problems["every decision has a reason"]


class TestAssertions:
    def test_r16_assert_escalates_passes_on_an_ignored_complaint(self) -> None:
        decision = assert_escalates(
            RecoveryPolicy(), acknowledged(Category.IGNORED_COMPLAINT), to="manager", because="R16"
        )

        assert decision.to == "manager"

    def test_assert_escalates_fails_with_the_decision_explained(self) -> None:
        with pytest.raises(
            AssertionError, match=r"(?s)expected escalation to supervisor.*no escalation"
        ):
            assert_escalates(RecoveryPolicy(), acknowledged(), to="supervisor", because="R2")

    def test_assert_escalates_checks_the_rule_too(self) -> None:
        with pytest.raises(AssertionError, match="because of R13"):
            assert_escalates(
                RecoveryPolicy(),
                acknowledged(Category.IGNORED_COMPLAINT),
                to="manager",
                because="R13",
            )

    def test_assert_stays(self) -> None:
        assert not assert_stays(RecoveryPolicy(), acknowledged()).escalate
        with pytest.raises(AssertionError, match="expected no escalation"):
            assert_stays(RecoveryPolicy(), acknowledged(Category.IGNORED_COMPLAINT))

    def test_r3_assert_needs_approval(self) -> None:
        frontline = Actor("luis", "frontline")

        decision = assert_needs_approval(
            RecoveryPolicy(), acknowledged(), Money.of(151, "USD"), actor=frontline, by="supervisor"
        )

        assert decision.total == Money.of(151, "USD")
        with pytest.raises(AssertionError, match="approved"):
            assert_needs_approval(
                RecoveryPolicy(),
                acknowledged(),
                Money.of(50, "USD"),
                actor=frontline,
                by="supervisor",
            )


class TestStrategies:
    @pytest.mark.parametrize("step", list(Step))
    def test_incidents_reach_any_step_by_valid_commands(self, step: Step) -> None:
        @settings(max_examples=10, deadline=None)
        @given(incidents(step=step))
        def reaches(incident: Incident) -> None:
            assert incident.step is step
            assert Incident.replay(incident.events, policy=incident.policy) == incident

        reaches()

    def test_a_one_level_ladder_cannot_be_asked_for_escalated_incidents(self) -> None:
        flat = RecoveryPolicy(
            authority=AuthorityLadder([AuthorityLevel("staff", Money.of(50, "USD"))])
        )

        @given(incidents(flat, step=Step.ESCALATED))
        def draws(incident: Incident) -> None:
            del incident

        with pytest.raises(InvalidArgument, match="nobody to escalate to"):
            draws()

    @given(
        incidents(
            RecoveryPolicy(
                authority=AuthorityLadder([AuthorityLevel("staff", Money.of(50, "USD"))])
            )
        )
    )
    @settings(max_examples=10, deadline=None)
    def test_a_one_level_ladder_still_gives_incidents(self, incident: Incident) -> None:
        assert incident.step is not Step.ESCALATED

    @given(st.data())
    @settings(max_examples=20, deadline=None)
    def test_histories_replay_under_their_policy(self, data: st.DataObject) -> None:
        policy = RecoveryPolicy()

        events = data.draw(histories(policy))

        assert Incident.replay(events, policy=policy).events == events

    @pytest.mark.parametrize(
        "kind",
        [
            Money,
            Offer,
            AuthorityLadder,
            BusinessCalendar,
            CompensationBudget,
            RecoveryPolicy,
            Incident,
            Fields,
        ],
    )
    def test_our_types_are_registered_with_hypothesis(self, kind: type) -> None:
        @settings(max_examples=5, deadline=None)
        @given(st.from_type(kind))
        def draws(value: object) -> None:
            assert isinstance(value, kind)

        draws()

    @pytest.mark.parametrize(("kind", "drawn"), [(Mapping, Mapping), (dict[str, object], dict)])
    def test_types_above_ours_are_left_to_hypothesis(self, kind: object, drawn: type) -> None:
        # Fields is a Mapping: hypothesis asks its strategy about Mapping too.
        @settings(max_examples=5, deadline=None)
        @given(st.from_type(kind))  # type: ignore[arg-type]
        def draws(value: object) -> None:
            assert isinstance(value, drawn)

        draws()
