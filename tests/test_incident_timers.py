"""The incident's SLA timers and tick(): R1 responses, R19 resolutions, R10 promises."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings

import builders
from service_recovery import (
    BusinessCalendar,
    BySeverity,
    Incident,
    IncidentRecord,
    Money,
    Offer,
    RecoveryPolicy,
    Scorecard,
    Severity,
    SlaStatus,
)
from service_recovery._base.instants import before, later
from service_recovery.decisions import AlertDecision, Reason, TargetDecision
from service_recovery.errors import (
    CurrencyMismatch,
    InvalidTypeError,
    InvalidValueError,
    PolicyError,
    TimerError,
)
from service_recovery.events import Alert, AlertKind, AlertRaised
from service_recovery.testing import incidents

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NEW_YORK = ZoneInfo("America/New_York")
OFFERS = (
    Offer("a", Money.of(0, "USD"), Money.of(5, "USD")),
    Offer("b", Money.of(1, "USD"), Money.of(9, "USD")),
)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def received(
    policy: RecoveryPolicy | None = None, when: datetime = T0, severity: Severity = Severity.HIGH
) -> Incident:
    return builders.received(at=when, policy=policy, severity=severity)


class TestResponseTimer:
    def test_r1_a_response_at_second_60_is_met(self) -> None:
        answered = received().acknowledge(by="luis", at=at(60))

        assert answered.timers["response"].status(at(60)) is SlaStatus.MET

    def test_r1_a_response_at_second_61_is_breached(self) -> None:
        answered = received().acknowledge(by="luis", at=at(61))

        assert answered.timers["response"].status(at(61)) is SlaStatus.BREACHED
        assert answered.timers["response"].breached_by(at(61)) == timedelta(seconds=1)

    def test_r1_the_response_timer_is_wall_clock_whatever_the_business_hours(self) -> None:
        office = BusinessCalendar.weekdays("10:00", "18:00", zone="America/New_York")
        friday_night = datetime(2026, 11, 27, 23, 0, tzinfo=NEW_YORK)

        incident = received(RecoveryPolicy(calendar=office), when=friday_night)

        assert incident.timers["response"].due_at == friday_night + timedelta(seconds=60)

    def test_r1_abandoned_before_an_answer_cancels_the_response_timer(self) -> None:
        lost = received().abandon(reason="hung up", at=at(30))

        assert lost.timers["response"].status(at(30)) is SlaStatus.CANCELLED


class TestACalendarPerMetric:
    """Each target counts on its own calendar (issue 12): email on office hours, phone 24x7."""

    OFFICE = BusinessCalendar.weekdays("09:00", "17:00", zone="America/New_York")
    POLICY = RecoveryPolicy(
        deferred_response_time=timedelta(hours=2), deferred_response_calendar=OFFICE
    )
    FRIDAY_8PM = datetime(2026, 11, 27, 20, 0, tzinfo=NEW_YORK)

    def test_r13_an_email_on_friday_evening_is_due_two_office_hours_into_monday(self) -> None:
        email = builders.received(at=self.FRIDAY_8PM, policy=self.POLICY, channel="email")

        due = email.timers["response"].due_at
        assert due == datetime(2026, 11, 30, 11, 0, tzinfo=NEW_YORK)  # Mon 09:00 + 2 h
        decision = self.POLICY.response_target(email)
        assert decision.calendar == self.OFFICE
        assert [r.rule for r in decision.reasons] == ["R13.channel", "R13.calendar"]

    def test_r1_a_phone_call_stays_around_the_clock(self) -> None:
        call = builders.received(at=self.FRIDAY_8PM, policy=self.POLICY, channel="phone")

        assert call.timers["response"].due_at == self.FRIDAY_8PM + timedelta(seconds=60)
        assert self.POLICY.response_target(call).calendar is None

    def test_a_policy_may_choose_a_calendar_per_incident(self) -> None:
        # By the host's own field: a customer on the weekend plan is served on Saturdays.
        weekend = BusinessCalendar.weekly({"mon-sat": ["09:00-17:00"]}, zone="America/New_York")

        class PlanPolicy(RecoveryPolicy):
            def resolution_target(self, incident: IncidentRecord) -> TargetDecision:
                decided = super().resolution_target(incident)
                if incident.fields.get("plan") != "weekend":
                    return decided
                why = Reason("R19.plan", "the weekend plan counts Saturdays")
                return TargetDecision(target=decided.target, calendar=weekend, reasons=[why])

        policy = PlanPolicy(
            calendar=self.OFFICE, resolution_times=BySeverity(*[timedelta(hours=4)] * 4)
        )
        friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=NEW_YORK)
        plain = builders.received(at=friday_4pm, policy=policy)
        weekend_plan = builders.received(at=friday_4pm, policy=policy, fields={"plan": "weekend"})

        assert plain.timers["resolution"].due_at == datetime(2026, 11, 30, 12, 0, tzinfo=NEW_YORK)
        assert weekend_plan.timers["resolution"].due_at == datetime(
            2026, 11, 28, 12, 0, tzinfo=NEW_YORK
        )

    def test_a_calendar_of_ones_own_class_is_used_undecided_by_the_cache(self) -> None:
        class ShopHours(BusinessCalendar):  # noqa: PLW1641 (unhashable on purpose)
            __slots__ = ()

            def __eq__(self, other: object) -> bool:  # and so no __hash__: none to remember
                return isinstance(other, ShopHours) and super().__eq__(other)

        shop = ShopHours(zone="America/New_York")
        incident = builders.received(at=self.FRIDAY_8PM, policy=RecoveryPolicy(calendar=shop))

        assert incident.timers["resolution"].calendar is shop

    def test_r4_r13_an_offer_in_another_currency_than_the_minimum_is_refused_naming_it(
        self,
    ) -> None:
        policy = RecoveryPolicy(min_offer_value=BySeverity(*[Money.of(1, "USD")] * 4))
        incident = builders.answered(builders.received(at=T0, policy=policy), after=timedelta(0))
        incident = incident.restate(problem="x", confirmed=True, at=T0)
        euros = (Offer("a", Money.of(0, "EUR"), Money.of(9, "EUR")), OFFERS[0])

        with pytest.raises(CurrencyMismatch, match=r"offers\[0\] 'a' is worth 9.00 EUR"):
            incident.offer(euros, at=T0)

    def test_r13_an_incident_explains_why_its_email_is_due_monday(self) -> None:
        email = builders.received(at=self.FRIDAY_8PM, policy=self.POLICY, channel="email")

        why = email.explain_due("response")

        assert why[0] == Reason(
            "R1.target", "2:00:00 of business time from Fri 27 Nov 2026 20:00 EST"
        )
        assert Reason("R1.closed", "closed on Sat 28 Nov, Sun 29 Nov: skipped") in why
        assert why[-1] == Reason(
            "R1.inclusive", "met if stopped at or before Mon 30 Nov 2026 11:00 EST"
        )

    def test_each_timer_explains_itself_under_its_own_rule(self) -> None:
        promised = builders.received(at=T0).acknowledge(by="luis", at=at(30))
        promised = promised.promise(due=at(3600), at=at(60))

        rules = {name: promised.explain_due(name)[0].rule_id for name in promised.timers}
        assert rules == {"response": "R1", "resolution": "R19", "promise-1": "R10"}
        with pytest.raises(
            InvalidValueError, match="has no timer 'reply'; it has response, resolution, promise-1"
        ):
            promised.explain_due("reply")

    def test_a_target_decision_refuses_a_calendar_that_is_not_one(self) -> None:
        with pytest.raises(InvalidTypeError) as refused:
            TargetDecision(
                target=timedelta(hours=1),
                calendar="office hours",  # type: ignore[arg-type]
                reasons=[Reason("R19", "x")],
            )

        assert refused.value.path == "calendar"

    def test_the_setting_is_stored_with_the_policy(self) -> None:
        data = self.POLICY.to_mapping()

        assert RecoveryPolicy.from_mapping(data) == self.POLICY
        assert "deferred_response_calendar" not in RecoveryPolicy().to_mapping()


class TestResolutionTimer:
    OFFICE = BusinessCalendar.weekdays("10:00", "18:00", zone="America/New_York")
    POLICY = RecoveryPolicy(
        calendar=OFFICE,
        resolution_times=BySeverity(*(timedelta(hours=h) for h in (6, 6, 6, 6))),
    )

    def test_r19_a_friday_evening_complaint_is_due_monday_on_business_hours(self) -> None:
        friday_evening = datetime(2026, 11, 27, 17, 0, tzinfo=NEW_YORK)

        incident = received(self.POLICY, when=friday_evening)

        assert incident.timers["resolution"].due_at == datetime(
            2026, 11, 30, 15, 0, tzinfo=NEW_YORK
        )

    def test_r19_waiting_on_the_customer_pauses_the_resolution_clock(self) -> None:
        monday = datetime(2026, 11, 23, 10, 0, tzinfo=NEW_YORK)
        incident = received(self.POLICY, when=monday)

        waiting = incident.wait_for_customer(
            at=monday + timedelta(hours=1), note="photo of the box"
        )
        replied = waiting.customer_replied(at=monday + timedelta(hours=3))

        assert waiting.waiting
        assert not replied.waiting
        assert waiting.timers["resolution"].status(monday + timedelta(hours=9)) is SlaStatus.PAUSED
        assert replied.timers["resolution"].due_at == monday + timedelta(hours=8)

    def test_r19_a_resolved_incident_stops_the_resolution_timer(self) -> None:
        incident = (
            received()
            .acknowledge(by="l", at=at(10))
            .restate(problem="x", confirmed=True, at=at(20))
        )

        done = incident.offer(OFFERS, at=at(30)).resolve(summary="ok", at=at(40))

        assert done.timers["resolution"].status(at(40)) is SlaStatus.MET
        assert done.timers["resolution"].stopped_at == at(40)

    def test_waiting_twice_or_a_reply_without_waiting_is_refused(self) -> None:
        waiting = received().wait_for_customer(at=at(10))

        with pytest.raises(TimerError, match="already waiting"):
            waiting.wait_for_customer(at=at(20))
        with pytest.raises(TimerError, match="not waiting"):
            received().customer_replied(at=at(20))

    def test_r19_a_graver_incident_has_a_tighter_target(self) -> None:
        policy = RecoveryPolicy()

        targets = [policy.resolution_target(received(severity=s)).target for s in Severity]

        assert targets == sorted(targets, reverse=True)


class TestTick:
    def test_r1_warnings_then_a_breach_each_reported_once(self) -> None:
        incident = received()

        incident, first = incident.tick(at(45))
        incident, again = incident.tick(at(45))
        incident, second = incident.tick(at(61))

        assert [(a.alert.kind, a.alert.threshold) for a in first] == [
            (AlertKind.WARNING, Decimal("0.5")),
            (AlertKind.WARNING, Decimal("0.75")),
        ]
        assert again == ()
        assert [(a.alert.kind, a.alert.timer) for a in second] == [(AlertKind.BREACH, "response")]
        assert second[0].alert.became_at == at(60)
        assert second[0].decision.reasons[0].rule == "R1.breach"
        # Unanswered, it cannot escalate yet (the table escalates once acknowledged):
        assert (second[0].decision.escalate_to, second[0].decision.notify) == (
            None,
            ("supervisor",),
        )

    def test_r1_a_late_answer_is_a_breach_that_escalates(self) -> None:
        late = received().acknowledge(by="luis", at=at(90))

        _, alerts = late.tick(at(90))

        breach = next(a for a in alerts if a.alert.kind is AlertKind.BREACH)
        assert (breach.alert.became_at, breach.decision.escalate_to) == (at(60), "supervisor")

    def test_alerts_are_events_that_replay(self) -> None:
        incident, _ = received().tick(at(61))

        assert isinstance(incident.events[-1], AlertRaised)
        assert Incident.replay(incident.events) == incident

    def test_r10_a_broken_promise_escalates_and_raises_the_severity(self) -> None:
        promised = received().acknowledge(by="l", at=at(10)).promise(due=at(3600), at=at(20))

        ticked, alerts = promised.tick(at(3601))

        broken = [a for a in alerts if a.alert.kind is AlertKind.BROKEN_PROMISE]
        assert [a.alert.timer for a in broken] == ["promise-1"]
        assert broken[0].decision.escalate_to == "supervisor"
        assert broken[0].decision.reasons[0].rule == "R10.broken"
        assert (promised.severity, ticked.severity) == (Severity.HIGH, Severity.CRITICAL)

    def test_r10_a_contact_in_time_keeps_the_promise_and_nothing_breaks(self) -> None:
        kept = (
            received()
            .acknowledge(by="l", at=at(10))
            .promise(due=at(3600), at=at(20))
            .contact(at=at(3600))
        )

        _, alerts = kept.tick(at(7200))

        assert AlertKind.BROKEN_PROMISE not in {a.alert.kind for a in alerts}
        assert kept.timers["promise-1"].status(at(7200)) is SlaStatus.MET

    def test_a_policy_decides_what_an_alert_does(self) -> None:
        class Quiet(RecoveryPolicy):
            def on_alert(self, incident: IncidentRecord, alert: Alert) -> AlertDecision:
                del incident
                return AlertDecision(reasons=[Reason("R1", f"noted: {alert}")])

        _, alerts = received(Quiet()).tick(at(61))

        assert {a.decision.escalate_to for a in alerts} == {None}

    def test_an_alert_answered_with_a_stranger_fails_loudly(self) -> None:
        class Confused(RecoveryPolicy):
            def on_alert(self, incident: IncidentRecord, alert: Alert) -> AlertDecision:
                del incident, alert
                return AlertDecision(escalate_to="ceo", reasons=[Reason("R1", "the boss")])

        with pytest.raises(PolicyError, match=r"Confused.on_alert returned"):
            received(Confused()).tick(at(61))

    def test_r19_scorecards_count_resolutions_in_time(self) -> None:
        fast = (
            received()
            .acknowledge(by="l", at=at(10))
            .restate(problem="x", confirmed=True, at=at(20))
        )
        fast = fast.offer(OFFERS, at=at(30)).resolve(summary="ok", at=at(40))
        slow = fast.events[0]
        late = (
            Incident.replay([slow])
            .acknowledge(by="l", at=at(10))
            .restate(problem="x", confirmed=True, at=at(20))
        )
        late = late.offer(OFFERS, at=at(30)).resolve(summary="ok", at=at(9 * 3600))

        card = Scorecard.of([fast, late])

        assert (card.resolved, card.resolved_in_time) == (2, 1)
        assert card.resolution_compliance == Decimal("0.5")


class TestTimersReadOnce:
    def test_the_timers_a_caller_reads_are_a_copy_of_its_own(self) -> None:
        incident = received()
        read = incident.timers
        read.clear()

        assert incident.timers == received().timers
        assert set(incident.timers) == {"response", "resolution"}

    @given(incidents())
    @settings(max_examples=40)
    def test_an_incident_asked_before_answers_as_a_fresh_copy_does(
        self, incident: Incident
    ) -> None:
        asked = incident.next_wakeup  # reads the timers, which the incident then keeps
        fresh = pickle.loads(pickle.dumps(incident))  # noqa: S301 (our own value)
        at = later(incident.updated_at, timedelta(days=2))

        assert fresh.next_wakeup == asked
        assert incident.tick(at) == fresh.tick(at)
        # Nothing read is stored: a pickle holds the fields alone.
        state = incident.__getstate__()
        assert isinstance(state, dict)
        assert set(state) == {field.name for field in attrs.fields(Incident)}


class TestNextWakeup:
    def test_r1_it_is_the_first_warning_then_the_next_then_just_after_the_due_time(self) -> None:
        incident = received()  # R1: 60 s, warnings at half and three quarters

        assert incident.next_wakeup == at(30)
        incident, _ = incident.tick(at(30))
        assert incident.next_wakeup == at(45)
        incident, _ = incident.tick(at(45))
        assert incident.next_wakeup == at(60) + timedelta(microseconds=1)  # inclusive due time

    def test_r1_an_answered_incident_wakes_for_the_resolution_clock_only(self) -> None:
        incident, _ = received().tick(at(45))
        answered = incident.acknowledge(by="luis", at=at(50))
        resolution = answered.timers["resolution"]

        assert answered.next_wakeup == resolution.warning_at(Decimal("0.5"))

    def test_a_closed_incident_never_wakes(self) -> None:
        incident = (
            received()
            .acknowledge(by="luis", at=at(10))
            .abandon(reason="left", at=at(20))
            .close(root_cause="slow", cost=Money.of(0, "USD"), at=at(30))
        )

        assert incident.next_wakeup is None

    def test_r10_a_promise_wakes_the_incident_when_it_would_break(self) -> None:
        incident, _ = received().acknowledge(by="luis", at=at(10)).tick(at(10))
        incident, _ = incident.tick(at(100_000))  # every resolution alert noticed
        promised = incident.promise(due=at(200_000), at=at(100_001))

        assert promised.next_wakeup is not None
        assert promised.next_wakeup <= at(200_000) + timedelta(microseconds=1)

    @given(incidents())
    @settings(max_examples=60)
    def test_tick_reports_something_at_the_wakeup_and_nothing_before(
        self, incident: Incident
    ) -> None:
        wakeup = incident.next_wakeup
        if wakeup is None:
            _, quiet = incident.tick(later(incident.updated_at, timedelta(days=3650)))
            assert quiet == ()
            return
        assert not before(wakeup, incident.updated_at)
        if before(incident.updated_at, wakeup):
            _, early = incident.tick(later(wakeup, -timedelta(microseconds=1)))
            assert early == ()
        woken, raised = incident.tick(wakeup)
        assert raised != ()
        # Later, or now again when a decision raised the severity and moved a target closer.
        assert woken.next_wakeup is None or not before(woken.next_wakeup, wakeup)


class TestAcrossDaylightSaving:
    def test_r10_a_promise_across_the_spring_change_is_due_when_promised(self) -> None:
        madrid = ZoneInfo("Europe/Madrid")
        made, due = (
            datetime(2026, 3, 29, 1, 0, tzinfo=madrid),
            datetime(2026, 3, 29, 4, 0, tzinfo=madrid),
        )
        promised = received(when=made).acknowledge(by="a", at=made).promise(due=due, at=made)

        timer = promised.timers["promise-1"]

        assert timer.due_at == due
        half_past_four = datetime(2026, 3, 29, 4, 30, tzinfo=madrid)
        assert promised.promises[0].is_broken(half_past_four)
        assert timer.status(half_past_four) is SlaStatus.BREACHED
