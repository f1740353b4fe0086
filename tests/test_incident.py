"""Incident: the commands, the rules they enforce, and what they refuse."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

import builders
from service_recovery import (
    Actor,
    BySeverity,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    Money,
    Offer,
    RecoveryPolicy,
    Severity,
    Step,
)
from service_recovery.decisions import Reason
from service_recovery.errors import (
    InvalidTransition,
    InvalidTypeError,
    InvalidValueError,
    LadderError,
    NaiveDatetimeError,
    RecoveryError,
    ReplayError,
    RuleViolation,
    TimeWentBackwards,
)
from service_recovery.events import (
    Acknowledged,
    CompensationGranted,
    Escalated,
    Event,
    SatisfactionRecorded,
    SeverityRaised,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Madrid"))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


TWO_OFFERS = (
    Offer("late checkout", cost=usd("0"), value=usd("40")),
    Offer("suite upgrade", cost=usd("60"), value=usd("300")),
)


def received(**overrides: object) -> Incident:
    facts: dict[str, object] = {"at": T0, **overrides}
    return builders.received(**facts)  # type: ignore[arg-type]


def acknowledged(policy: RecoveryPolicy | None = None) -> Incident:
    return received(policy=policy).acknowledge(by="luis", at=at(42))


def understood(policy: RecoveryPolicy | None = None) -> Incident:
    return acknowledged(policy).restate(problem="room not cleaned", confirmed=True, at=at(120))


def offered() -> Incident:
    return understood().offer(TWO_OFFERS, at=at(240))


def resolved() -> Incident:
    return offered().resolve(summary="upgraded to a suite", at=at(300))


def assert_refused_without_change(
    incident: Incident, command: object, error: type[Exception]
) -> None:
    before = attrs.evolve(incident)

    with pytest.raises(error):
        command()  # type: ignore[operator]

    assert incident == before


class TestReceive:
    def test_records_the_complaint_as_the_first_event(self) -> None:
        incident = received()

        assert incident.step is Step.RECEIVED
        assert (incident.id, incident.customer, incident.channel) == ("INC-1", "ana", Channel.PHONE)
        assert (incident.category, incident.severity) == (Category.POOR_SERVICE, Severity.MEDIUM)
        assert incident.received_at == T0 == incident.updated_at
        assert incident.level == "frontline"
        assert incident.owner is None
        assert len(incident.events) == 1

    def test_accepts_enum_values_as_strings(self) -> None:
        incident = received(channel="email", category="product_defect", severity="low")

        assert (incident.channel, incident.category) == (Channel.EMAIL, Category.PRODUCT_DEFECT)

    def test_r16_an_ignored_complaint_starts_at_the_highest_severity_with_a_reason(self) -> None:
        incident = received(category=Category.IGNORED_COMPLAINT, severity=Severity.LOW)

        assert incident.severity is Severity.CRITICAL
        raised = incident.events[-1]
        assert isinstance(raised, SeverityRaised)
        assert raised.reason.rule == "R16.ignored"

    def test_r16_other_categories_keep_the_reported_severity(self) -> None:
        incident = received(category=Category.MISTREATMENT, severity=Severity.LOW)

        assert incident.severity is Severity.LOW
        assert len(incident.events) == 1

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("incident_id", "", InvalidValueError),
            ("incident_id", "   ", InvalidValueError),
            ("customer", None, InvalidTypeError),
            ("channel", "fax", InvalidValueError),
            ("category", "rude", InvalidValueError),
            ("severity", "apocalyptic", InvalidValueError),
            ("at", datetime(2026, 11, 23, 9, 0), NaiveDatetimeError),  # noqa: DTZ001
            ("at", "2026-11-23T09:00:00Z", InvalidTypeError),
            ("policy", {"min_options": 2}, InvalidTypeError),
        ],
    )
    def test_bad_input_is_refused_with_a_specific_error(
        self, field: str, value: object, error: type[RecoveryError]
    ) -> None:
        with pytest.raises(error) as caught:
            received(**{field: value})

        assert isinstance(caught.value, RecoveryError)
        assert not isinstance(caught.value, KeyError | AttributeError)

    @pytest.mark.parametrize(("field", "value"), [("incident_id", ""), ("customer", 7), ("at", 1)])
    def test_a_bad_field_of_the_complaint_is_named_by_its_path(
        self, field: str, value: object
    ) -> None:
        with pytest.raises(RecoveryError) as caught:
            received(**{field: value})

        assert caught.value.path == field

    def test_a_subclass_with_a_field_of_its_own_gets_its_default(self) -> None:
        # A record is opened without its constructor, except when the class adds fields.
        @attrs.frozen(slots=False)
        class TaggedIncident(Incident):
            tag: str = "untagged"

        incident = builders.received_as(TaggedIncident, at=T0)

        assert incident.tag == "untagged"
        assert incident.acknowledge(by="luis", at=at(42)).tag == "untagged"
        assert TaggedIncident.replay(incident.events) == incident

    def test_a_subclass_keeping_its_fields_in_slots_is_refused_when_declared(self) -> None:
        # A command copies the record's __dict__: fields in slots would be lost.
        with pytest.raises(InvalidTypeError, match=r"keeps tag in slots.*slots=False"):

            @attrs.frozen
            class SlottedIncident(Incident):
                tag: str = "untagged"

    def test_a_slotted_subclass_without_fields_of_its_own_works(self) -> None:
        @attrs.frozen
        class PlainIncident(Incident):
            pass

        incident = builders.received_as(PlainIncident, at=T0).acknowledge(by="luis", at=at(42))

        assert incident.owner == "luis"
        assert PlainIncident.replay(incident.events) == incident

    def test_unknown_enum_value_message_lists_the_choices(self) -> None:
        with pytest.raises(InvalidValueError, match="'fax' is not one of 'phone', 'chat'"):
            received(channel="fax")


class TestTheSteps:
    def test_a_full_recovery_walks_the_table(self) -> None:
        incident = resolved().close(root_cause="housekeeping gap", cost=usd("60"), at=at(900))

        steps = [Step.RECEIVED]
        replayed = Incident.replay(incident.events[:1])
        for event in incident.events[1:]:
            replayed = Incident.replay((*replayed.events, event))
            steps.append(replayed.step)
        assert steps == [
            Step.RECEIVED,
            Step.ACKNOWLEDGED,
            Step.UNDERSTOOD,
            Step.OPTIONS_OFFERED,
            Step.RESOLVED,
            Step.CLOSED,
        ]
        assert incident.outcome is Step.RESOLVED

    def test_acknowledge_makes_the_agent_owner(self) -> None:
        incident = acknowledged()

        assert incident.owner == "luis"
        assert isinstance(incident.events[-1], Acknowledged)

    def test_a_command_returns_a_new_incident_and_leaves_the_old_one_alone(self) -> None:
        before = received()

        after = before.acknowledge(by="luis", at=at(1))

        assert before.step is Step.RECEIVED
        assert after.step is Step.ACKNOWLEDGED
        assert len(before.events) == 1

    def test_an_action_the_table_does_not_allow_names_the_step_and_the_allowed_actions(
        self,
    ) -> None:
        incident = received()

        with pytest.raises(InvalidTransition) as caught:
            incident.resolve(summary="done", at=at(1))

        assert str(caught.value) == (
            "cannot resolve incident 'INC-1' while it is received; "
            "allowed from received: abandon, acknowledge"
        )
        assert (caught.value.step, caught.value.action) == ("received", "resolve")
        assert caught.value.allowed == ("abandon", "acknowledge")

    def test_nothing_happens_to_a_closed_incident(self) -> None:
        closed = resolved().close(root_cause="gap", cost=usd("0"), at=at(400))

        assert_refused_without_change(closed, lambda: closed.contact(at=at(500)), InvalidTransition)
        with pytest.raises(InvalidTransition, match="nothing"):
            closed.close(root_cause="again", cost=usd("0"), at=at(500))

    def test_r8_restate_requires_the_customers_confirmation(self) -> None:
        incident = acknowledged()

        with pytest.raises(RuleViolation, match="R8") as caught:
            incident.restate(problem="room not cleaned", confirmed=False, at=at(60))

        assert caught.value.rule == "R8"
        understood_ = incident.restate(problem="room not cleaned", confirmed=True, at=at(60))
        assert understood_.problem == "room not cleaned"

    def test_r9_fewer_options_than_the_policy_asks_are_refused(self) -> None:
        incident = understood()

        with pytest.raises(RuleViolation, match=r"R9.*1 distinct option.*at least 2") as caught:
            incident.offer(TWO_OFFERS[:1], at=at(200))

        assert caught.value.rule == "R9"

    def test_r9_the_same_choice_twice_counts_once(self) -> None:
        incident = understood()

        with pytest.raises(RuleViolation, match="R9"):
            incident.offer((TWO_OFFERS[0], TWO_OFFERS[0]), at=at(200))

    def test_r9_r17_a_not_possible_offer_counts_through_its_alternative(self) -> None:
        refund = Offer(
            "full refund", usd("200"), usd("200"), possible=False, alternative=TWO_OFFERS[1]
        )

        offered_ = understood().offer((refund, TWO_OFFERS[0]), at=at(200))

        assert offered_.offers == (refund, TWO_OFFERS[0])
        with pytest.raises(RuleViolation, match="R9"):
            understood().offer((refund, TWO_OFFERS[1]), at=at(200))

    def test_r9_a_policy_may_ask_for_fewer_options(self) -> None:
        incident = understood(RecoveryPolicy(min_options=1))

        assert incident.offer(TWO_OFFERS[:1], at=at(200)).step is Step.OPTIONS_OFFERED

    def test_r4_choices_worth_too_little_for_the_severity_do_not_count(self) -> None:
        # R4: stingy compensation has little impact; the policy sets how little is too little.
        policy = RecoveryPolicy(
            min_offer_value=BySeverity(usd("0"), usd("30"), usd("50"), usd("80"))
        )
        stingy = (Offer("a sticker", usd("0"), usd("0.03")), Offer("a pen", usd("0"), usd("0.03")))
        incident = understood(policy)

        with pytest.raises(
            RuleViolation, match=r"R4: .* is medium: 'a pen' worth 0\.03 USD"
        ) as caught:
            incident.offer((*stingy, TWO_OFFERS[0]), at=at(200))

        assert caught.value.rule == "R4"
        assert "the 30.00 USD the policy asks of each choice" in str(caught.value)
        assert incident == understood(policy)
        generous = incident.offer((*stingy, *TWO_OFFERS), at=at(200))  # two that count
        assert generous.offers == (*stingy, *TWO_OFFERS)

    def test_r4_without_a_minimum_any_choice_counts(self) -> None:
        stingy = (Offer("a sticker", usd("0"), usd("0.03")), Offer("a pen", usd("0"), usd("0.03")))

        assert understood().offer(stingy, at=at(200)).step is Step.OPTIONS_OFFERED

    def test_offer_refuses_things_that_are_not_offers(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"offers\[1\] must be an Offer"):
            understood().offer((TWO_OFFERS[0], "a hug"), at=at(200))  # type: ignore[arg-type]

    def test_escalation_goes_up_the_ladder_with_its_reason(self) -> None:
        incident = understood().escalate(to="supervisor", reason="wants 300 USD", at=at(200))

        assert (incident.step, incident.level) == (Step.ESCALATED, "supervisor")
        event = incident.events[-1]
        assert isinstance(event, Escalated)
        assert event.reason == Reason("R9", "wants 300 USD")
        manager = incident.escalate(to="manager", reason="wants 900 USD", at=at(300))
        assert manager.level == "manager"

    def test_escalation_never_goes_down_or_sideways(self) -> None:
        incident = understood().escalate(to="supervisor", reason="big ask", at=at(200))

        with pytest.raises(RuleViolation, match=r"R9.*higher level: manager"):
            incident.escalate(to="supervisor", reason="again", at=at(300))
        with pytest.raises(RuleViolation, match=r"R9.*none"):
            incident.escalate(to="manager", reason="x", at=at(300)).escalate(
                to="manager", reason="y", at=at(400)
            )

    def test_escalation_to_an_unknown_level_lists_the_ladder(self) -> None:
        with pytest.raises(LadderError, match="frontline, supervisor, manager"):
            understood().escalate(to="ceo", reason="x", at=at(200))

    def test_escalated_incident_can_offer_or_resolve(self) -> None:
        escalated = understood().escalate(to="supervisor", reason="big ask", at=at(200))

        assert escalated.offer(TWO_OFFERS, at=at(300)).step is Step.OPTIONS_OFFERED
        assert escalated.resolve(summary="refunded", at=at(300)).step is Step.RESOLVED

    def test_abandon_loses_the_incident(self) -> None:
        lost = acknowledged().abandon(reason="hung up", at=at(60))

        assert (lost.step, lost.outcome) == (Step.LOST, Step.LOST)

    def test_r15_decline_needs_a_reason(self) -> None:
        incident = understood()

        with pytest.raises(RuleViolation, match=r"R15.*reason") as caught:
            incident.decline(reason=" ", by=Actor("marta", "supervisor"), at=at(200))

        assert caught.value.rule == "R15"

    def test_r15_decline_needs_the_policys_level_or_above(self) -> None:
        incident = understood()

        with pytest.raises(RuleViolation, match=r"R15: luis \(frontline\) may not decline"):
            incident.decline(reason="abusive", by=Actor("luis", "frontline"), at=at(200))
        declined = incident.decline(
            reason="abusive to staff", by=Actor("pere", "manager"), at=at(200)
        )
        assert declined.outcome is Step.DECLINED

    def test_r6_close_requires_a_root_cause(self) -> None:
        incident = resolved()

        with pytest.raises(RuleViolation, match=r"R6.*root cause") as caught:
            incident.close(root_cause="", cost=usd("60"), at=at(400))

        assert caught.value.rule == "R6"

    def test_r6_close_requires_the_cost_as_money(self) -> None:
        incident = resolved()

        with pytest.raises(RuleViolation, match=r"R6.*Money.zero"):
            incident.close(root_cause="gap", cost=None, at=at(400))  # type: ignore[arg-type]
        with pytest.raises(RuleViolation, match="negative"):
            incident.close(root_cause="gap", cost=usd("-1"), at=at(400))

    def test_r6_closing_keeps_the_root_cause_and_cost(self) -> None:
        closed = resolved().close(root_cause="gap", cost=usd("60"), at=at(400))

        assert closed.closing is not None
        assert (closed.closing.root_cause, closed.closing.cost) == ("gap", usd("60"))
        assert resolved().closing is None


class TestHandoffs:
    def test_r2_one_handoff_is_allowed_and_counted(self) -> None:
        incident = acknowledged().hand_off(to="marta", at=at(60))

        assert (incident.owner, incident.handoffs) == ("marta", 1)
        assert incident.step is Step.ACKNOWLEDGED

    def test_r2_a_handoff_beyond_the_policy_limit_is_refused(self) -> None:
        incident = acknowledged().hand_off(to="marta", at=at(60))

        with pytest.raises(RuleViolation, match=r"R2.*handed off 1 time.*escalate") as caught:
            incident.hand_off(to="pere", at=at(90))

        assert caught.value.rule == "R2"

    def test_r2_a_policy_of_zero_handoffs_refuses_the_first(self) -> None:
        incident = acknowledged(RecoveryPolicy(max_handoffs=0))

        with pytest.raises(RuleViolation, match="R2"):
            incident.hand_off(to="marta", at=at(60))

    def test_r2_handing_to_the_current_owner_is_refused(self) -> None:
        with pytest.raises(RuleViolation, match=r"R2.*already owned by 'luis'"):
            acknowledged().hand_off(to="luis", at=at(60))

    def test_r2_nobody_owns_an_unacknowledged_incident_to_hand_off(self) -> None:
        with pytest.raises(InvalidTransition, match=r"hand_off.*while it is received"):
            received().hand_off(to="marta", at=at(10))


class TestPromises:
    def test_r10_a_promise_has_a_due_time_and_a_contact_keeps_it(self) -> None:
        promised = acknowledged().promise(due=at(3600), at=at(60), note="call back at 10")

        assert [p.number for p in promised.pending_promises] == [1]
        kept = promised.contact(at=at(3000), note="no news yet")
        (promise,) = kept.promises
        assert promise.kept_at == at(3000)
        assert not promise.is_broken(at(9999))
        assert kept.pending_promises == ()

    def test_r10_a_promise_due_now_or_earlier_is_refused(self) -> None:
        incident = acknowledged()

        with pytest.raises(RuleViolation, match=r"R10.*future") as caught:
            incident.promise(due=at(60), at=at(60))

        assert caught.value.rule == "R10"

    def test_r10_a_late_contact_or_none_breaks_the_promise(self) -> None:
        promised = acknowledged().promise(due=at(3600), at=at(60))

        assert not promised.promises[0].is_broken(at(3600))
        assert promised.promises[0].is_broken(at(3601))
        late = promised.contact(at=at(4000))
        assert late.promises[0].is_broken(at(4000))

    def test_r10_a_contact_keeps_only_the_promises_made_before_it(self) -> None:
        incident = (
            acknowledged()
            .promise(due=at(3600), at=at(60))
            .contact(at=at(120))
            .promise(due=at(7200), at=at(130))
        )

        assert [p.number for p in incident.pending_promises] == [2]

    def test_r10_a_promise_without_a_due_time_names_the_rule(self) -> None:
        incident = acknowledged()

        with pytest.raises(RuleViolation, match="R10") as caught:
            incident.promise(due=None, at=at(60))  # type: ignore[arg-type]

        assert (caught.value.rule, caught.value.path) == ("R10", "due")

    def test_r10_promise_due_must_be_aware(self) -> None:
        with pytest.raises(NaiveDatetimeError, match="due="):
            acknowledged().promise(due=datetime(2026, 11, 24, 10), at=at(60))  # noqa: DTZ001


class TestSatisfaction:
    def test_r12_a_score_is_recorded_after_resolution(self) -> None:
        incident = resolved().record_satisfaction(9, at=at(86_400))

        assert incident.satisfaction == 9

    def test_r12_a_score_before_resolution_is_refused(self) -> None:
        with pytest.raises(RuleViolation, match=r"R12.*after the fix") as caught:
            offered().record_satisfaction(9, at=at(400))

        assert caught.value.rule == "R12"

    def test_r12_a_lost_customer_has_no_recovery_score(self) -> None:
        lost = acknowledged().abandon(reason="hung up", at=at(60))

        with pytest.raises(RuleViolation, match="R12"):
            lost.record_satisfaction(2, at=at(90))

    def test_r12_a_closed_resolved_incident_still_takes_a_late_survey(self) -> None:
        closed = resolved().close(root_cause="gap", cost=usd("60"), at=at(400))

        assert closed.record_satisfaction(10, at=at(90_000)).satisfaction == 10

    @pytest.mark.parametrize("score", [-1, 11, 10**5000], ids=["-1", "11", "huge"])
    def test_r12_scores_are_whole_numbers_from_0_to_10(self, score: int) -> None:
        with pytest.raises(InvalidValueError, match="0 to 10") as caught:
            resolved().record_satisfaction(score, at=at(400))

        assert caught.value.path == "score"

    @pytest.mark.parametrize("score", [9.5, True, "9", None])
    def test_r12_a_score_of_another_type_is_refused(self, score: object) -> None:
        with pytest.raises(InvalidTypeError, match="whole number from 0 to 10"):
            resolved().record_satisfaction(score, at=at(400))  # type: ignore[arg-type]

    def test_r12_a_before_score_is_taken_while_open_and_kept_apart(self) -> None:
        rated = understood().record_satisfaction(2, at=at(130), before_recovery=True)

        after = rated.offer(TWO_OFFERS, at=at(240)).resolve(summary="ok", at=at(300))
        after = after.record_satisfaction(9, at=at(400))

        assert (after.satisfaction_before, after.satisfaction) == (2, 9)
        with pytest.raises(RuleViolation, match="already has that score"):
            after.record_satisfaction(3, at=at(500), before_recovery=False)

    def test_r12_a_before_score_once_decided_is_refused(self) -> None:
        with pytest.raises(RuleViolation, match="taken while open"):
            resolved().record_satisfaction(2, at=at(400), before_recovery=True)

    def test_r12_only_one_score_per_incident(self) -> None:
        rated = resolved().record_satisfaction(9, at=at(400))

        with pytest.raises(RuleViolation, match="already has that score"):
            rated.record_satisfaction(10, at=at(500))


class TestTime:
    def test_a_naive_time_is_refused(self) -> None:
        incident = received()

        with pytest.raises(NaiveDatetimeError, match="no time zone"):
            incident.acknowledge(by="luis", at=datetime(2026, 11, 23, 9, 1))  # noqa: DTZ001

    def test_time_going_backwards_is_refused_with_both_times(self) -> None:
        incident = acknowledged()

        with pytest.raises(TimeWentBackwards) as caught:
            incident.restate(problem="x", confirmed=True, at=at(10))

        assert at(10).isoformat() in str(caught.value)
        assert at(42).isoformat() in str(caught.value)
        assert (caught.value.at, caught.value.last) == (at(10), at(42))

    def test_the_same_instant_is_not_backwards(self) -> None:
        assert received().acknowledge(by="luis", at=T0).step is Step.ACKNOWLEDGED

    def test_time_order_follows_instants_across_a_dst_fold(self) -> None:
        new_york = ZoneInfo("America/New_York")
        first_half_past_one = datetime(2026, 11, 1, 1, 30, tzinfo=new_york)  # EDT
        ten_past_one_again = datetime(2026, 11, 1, 1, 10, tzinfo=new_york, fold=1)  # EST, later
        incident = received(at=first_half_past_one)

        answered = incident.acknowledge(by="luis", at=ten_past_one_again)

        assert answered.step is Step.ACKNOWLEDGED
        with pytest.raises(TimeWentBackwards):
            answered.restate(problem="x", confirmed=True, at=first_half_past_one)

    def test_any_zone_is_compared_by_instant(self) -> None:
        in_tokyo = at(60).astimezone(ZoneInfo("Asia/Tokyo"))

        assert received().acknowledge(by="luis", at=in_tokyo).updated_at == at(60)

    @pytest.mark.parametrize(
        "command",
        [
            pytest.param(lambda i: i.acknowledge(by="x", at=at(-1)), id="backwards"),
            pytest.param(lambda i: i.abandon(reason="", at=at(1)), id="empty-reason"),
            pytest.param(lambda i: i.acknowledge(by="", at=at(1)), id="empty-agent"),
            pytest.param(lambda i: i.resolve(summary="x", at=at(1)), id="not-allowed"),
        ],
    )
    def test_a_refused_command_changes_nothing(self, command: object) -> None:
        incident = received()
        assert_refused_without_change(incident, lambda: command(incident), RecoveryError)  # type: ignore[operator]


def replaced(events: tuple[Event, ...], index: int, **changes: Any) -> tuple[Event, ...]:
    """The history with event `index` changed as a tampered or buggy store would."""
    return (*events[:index], attrs.evolve(events[index], **changes), *events[index + 1 :])


class TestReplayChecksTheFacts:
    """Replay refuses a history its commands could not have produced, naming the event."""

    def test_r10_promises_are_numbered_in_the_order_made(self) -> None:
        incident = acknowledged().promise(due=at(3_600), at=at(60))

        with pytest.raises(ReplayError, match=r"events\[2\].*R10.*should be 1"):
            Incident.replay(replaced(incident.events, 2, number=2))

    def test_r12_a_second_score_of_the_same_kind_is_refused(self) -> None:
        rated = resolved().record_satisfaction(9, at=at(400))
        last = rated.events[-1]
        assert isinstance(last, SatisfactionRecorded)
        events = (*rated.events, attrs.evolve(last, score=3))

        with pytest.raises(ReplayError, match=r"events\[6\].*R12.*already has"):
            Incident.replay(events)

    def test_a_reply_without_waiting_is_refused(self) -> None:
        waited = acknowledged().wait_for_customer(at=at(60)).customer_replied(at=at(90))
        events = (*waited.events[:2], waited.events[3])

        with pytest.raises(ReplayError, match="not waiting on the customer"):
            Incident.replay(events)

    def test_a_side_event_in_a_step_its_command_is_refused_in(self) -> None:
        promised = resolved().close(root_cause="gap", cost=usd("0"), at=at(400))
        late = attrs.evolve(acknowledged().promise(due=at(9_000), at=at(60)).events[-1], at=at(500))

        with pytest.raises(ReplayError, match=r"cannot promise .* while it is closed"):
            Incident.replay((*promised.events, late))

    def test_a_handoff_from_someone_who_does_not_own_it_is_refused(self) -> None:
        handed = acknowledged().hand_off(to="marta", at=at(60))

        with pytest.raises(ReplayError, match="not 'pedro'"):
            Incident.replay(replaced(handed.events, 2, from_agent="pedro"))

    def test_r16_a_severity_is_only_ever_raised(self) -> None:
        incident = received(category=Category.IGNORED_COMPLAINT)
        lowered = replaced(incident.events, 1, severity=Severity.LOW)

        with pytest.raises(ReplayError, match="only raised"):
            Incident.replay(lowered)

    def test_an_escalation_names_a_higher_level(self) -> None:
        incident = acknowledged().escalate(to="manager", reason="vip", at=at(60))

        with pytest.raises(ReplayError, match="escalate to a higher level"):
            Incident.replay(replaced(incident.events, 2, to="frontline"))

    def test_an_escalation_to_a_level_the_policy_lacks_is_refused(self) -> None:
        incident = acknowledged().escalate(to="manager", reason="vip", at=at(60))

        with pytest.raises(ReplayError, match="unknown authority level 'board'"):
            Incident.replay(replaced(incident.events, 2, to="board"))


class TestReplayChecksGrants:
    """R3: a stored grant must be one the commands could have given, or money leaks."""

    def granted(self) -> Incident:
        case = acknowledged()
        wallet = CompensationBudget(holder="desk", pool=usd("1000"), per_incident_cap=usd("500"))
        actor = Actor("luis", "frontline")
        decision = case.policy.authorize(case, usd("30"), actor=actor, budget=wallet, at=at(60))
        return case.grant(decision, budget=wallet, at=at(60))[0]

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"amount": Money.of("-30", "USD")}, "positive Money in USD"),
            ({"amount": Money.of("30", "EUR"), "total": Money.of("30", "EUR")}, "in USD"),
            ({"total": usd("999")}, "make 30.00 USD"),
            ({"actor": Actor("luis", "god")}, "unknown authority level 'god'"),
            ({"amount": usd("99999"), "total": usd("99999")}, "R3.authority"),
        ],
        ids=["negative", "another currency", "wrong total", "unknown level", "over the limit"],
    )
    def test_r3_a_tampered_grant_is_refused(self, changes: dict[str, Any], message: str) -> None:
        incident = self.granted()
        granted = incident.events[-1]
        assert isinstance(granted, CompensationGranted)
        tampered = attrs.evolve(granted, decision=attrs.evolve(granted.decision, **changes))

        with pytest.raises(ReplayError, match=message):
            Incident.replay((*incident.events[:-1], tampered))

        assert Incident.replay(incident.events) == incident


class TestReplay:
    def test_replay_rebuilds_an_equal_incident(self) -> None:
        incident = (
            resolved()
            .promise(due=at(7200), at=at(400))
            .contact(at=at(7000))
            .record_satisfaction(9, at=at(7100))
            .close(root_cause="gap", cost=usd("60"), at=at(7200))
        )

        assert Incident.replay(incident.events) == incident

    def test_replay_keeps_the_policy_it_is_given(self) -> None:
        policy = RecoveryPolicy(max_handoffs=3)
        incident = acknowledged(policy)

        assert Incident.replay(incident.events, policy=policy) == incident
        assert Incident.replay(incident.events, policy_changed=True) != incident

    def test_a_history_records_the_policy_that_decided_it(self) -> None:
        policy = RecoveryPolicy(max_handoffs=3)

        received = acknowledged(policy).received

        assert received.policy == "service_recovery.RecoveryPolicy"
        assert received.policy_fingerprint == policy.fingerprint
        assert RecoveryPolicy(max_handoffs=3).fingerprint == policy.fingerprint
        assert RecoveryPolicy().fingerprint != policy.fingerprint

    def test_a_subclass_is_another_policy_even_with_the_same_settings(self) -> None:
        class Strict(RecoveryPolicy):
            pass

        strict = Strict()

        assert strict.name.endswith("Strict")
        assert strict.fingerprint != RecoveryPolicy().fingerprint

    def test_replay_under_another_policy_is_refused_unless_asked_for(self) -> None:
        incident = acknowledged(RecoveryPolicy(max_handoffs=3))

        with pytest.raises(ReplayError, match="policy_changed=True") as caught:
            Incident.replay(incident.events)

        assert caught.value.path == "events[0].policy_fingerprint"
        assert str(incident.received.policy_fingerprint) in str(caught.value)

    def test_a_history_built_by_hand_names_no_policy_and_replays_under_any(self) -> None:
        received = attrs.evolve(acknowledged().received, policy=None, policy_fingerprint=None)
        events = (received, *acknowledged().events[1:])

        replayed = Incident.replay(events, policy=RecoveryPolicy(max_handoffs=3))

        assert replayed.owner == acknowledged().owner

    def test_an_empty_history_is_refused(self) -> None:
        with pytest.raises(ReplayError, match=r"events\[0\] must be Received"):
            Incident.replay([])

    def test_a_history_that_does_not_start_with_received_is_refused(self) -> None:
        events = acknowledged().events

        with pytest.raises(ReplayError, match="got Acknowledged"):
            Incident.replay(events[1:])

    def test_events_of_another_incident_are_refused(self) -> None:
        other = received(incident_id="INC-2").acknowledge(by="x", at=at(1))

        with pytest.raises(ReplayError, match=r"events\[1\] belongs to incident 'INC-2'"):
            Incident.replay((received().events[0], other.events[1]))

    def test_a_second_received_is_refused(self) -> None:
        first = received().events[0]

        with pytest.raises(ReplayError, match=r"events\[1\] is Received"):
            Incident.replay((first, first))

    def test_a_move_the_table_does_not_allow_is_refused(self) -> None:
        events = resolved().events

        with pytest.raises(ReplayError, match=r"events\[1\] \(Restated\).*cannot restate"):
            Incident.replay((events[0], events[2]))

    def test_time_going_backwards_in_a_history_is_refused(self) -> None:
        events = acknowledged().events
        early = attrs.evolve(events[1], at=T0 - timedelta(seconds=1))

        with pytest.raises(ReplayError, match="earlier than the last event"):
            Incident.replay((events[0], early))

    def test_replay_does_not_rerun_policy_rules(self) -> None:
        lenient = RecoveryPolicy(min_options=1)
        incident = understood(lenient).offer(TWO_OFFERS[:1], at=at(200))

        replayed = Incident.replay(incident.events, policy_changed=True)

        assert replayed.step is Step.OPTIONS_OFFERED
