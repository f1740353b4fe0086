"""RecoveryPolicy: the defaults of docs/rules.md with their rule ids, and the override points."""

from __future__ import annotations

import tomllib
import typing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import answered, received
from service_recovery import (
    Actor,
    AuthorityLadder,
    AuthorityLevel,
    BySeverity,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    IncidentRecord,
    Money,
    Offer,
    Period,
    RecoveryPolicy,
    Severity,
)
from service_recovery._base.checks import shown
from service_recovery.decisions import (
    AlertDecision,
    CooldownDecision,
    EscalationDecision,
    Reason,
    TargetDecision,
)
from service_recovery.errors import InvalidAmountError, InvalidValueError, PolicyError
from service_recovery.testing import incidents, policies


class TestDefaults:
    def test_the_defaults_are_the_numbers_of_the_domain(self) -> None:
        policy = RecoveryPolicy()

        assert policy.response_time == timedelta(seconds=60)  # R1
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

        assert rules["response_time"] == "R1"
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
            ("response_time", timedelta(0), "longer than zero"),
            ("response_time", 60, "must be a timedelta"),
            ("response_time", timedelta(days=3651), "at most 3650 days"),
            ("min_options", 0, "from 1 to 1000"),
            ("min_options", 10**5000, "from 1 to 1000, got an int of about 5000 digits"),
            ("max_handoffs", -1, "from 0 to 1000"),
            ("max_handoffs", True, "whole number"),
            ("fcr_target", Decimal("1.5"), "at most 1"),
            ("replacement_cost_multiplier", "0.5", "from 1"),
            ("replacement_cost_multiplier", "1001", "to 1000"),
            ("recurring_cause_threshold", 1, "from 2 to 1000"),
            ("decline_level", "ceo", "pick one of frontline, supervisor, manager"),
            ("calendar", "UTC", "calendar must be a BusinessCalendar, got str 'UTC'"),
            ("authority", None, "authority must be an AuthorityLadder, got NoneType None"),
            ("escalate_excess_handoffs", "no", "must be True or False"),
        ],
        ids=lambda value: shown(value) if not isinstance(value, str) else None,
    )
    def test_bad_values_are_refused_naming_the_field(
        self, field: str, value: object, message: str
    ) -> None:
        with pytest.raises(PolicyError, match=message) as caught:
            RecoveryPolicy(**{field: value})  # type: ignore[arg-type]

        assert caught.value.errors[0][0] == field

    def test_float_ratios_are_refused(self) -> None:
        with pytest.raises(PolicyError, match=r"is a float.*such as '0.9'"):
            RecoveryPolicy(fcr_target=0.9)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("field", "value", "path"),
        [
            (
                "resolution_times",
                BySeverity(
                    low=timedelta(hours=1),
                    medium=timedelta(hours=1),
                    high=timedelta(hours=1),
                    critical=timedelta(0),
                ),
                "critical",
            ),
            (
                "compensation_guide",
                BySeverity(
                    low=Money.of(1, "USD"),
                    medium=Money.of(1, "USD"),
                    high=Money.of(1, "USD"),
                    critical="1 USD",
                ),
                "critical",
            ),
        ],
        ids=["a zero target", "an amount that is not Money"],
    )
    def test_a_bad_value_for_one_severity_is_refused_naming_it(
        self, field: str, value: object, path: str
    ) -> None:
        with pytest.raises(PolicyError) as caught:
            RecoveryPolicy(**{field: value})  # type: ignore[arg-type]

        assert caught.value.errors[0][0] == f"{field}.{path}"

    def test_a_custom_ladder_moves_the_decline_level_with_it(self) -> None:
        ladder = AuthorityLadder(
            [
                AuthorityLevel("agent", Money.of(20, "EUR")),
                AuthorityLevel("boss", Money.of(300, "EUR")),
            ]
        )

        policy = RecoveryPolicy(authority=ladder, decline_level="boss")

        assert policy.authority.currency == "EUR"


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def incident(
    policy: RecoveryPolicy | None = None,
    *,
    channel: Channel = Channel.PHONE,
    category: Category = Category.POOR_SERVICE,
    severity: Severity = Severity.MEDIUM,
) -> Incident:
    opened = received(at=T0, policy=policy, channel=channel, category=category, severity=severity)
    return answered(opened)


class TestResponseTarget:
    def test_r1_sixty_seconds_wall_clock_by_default(self) -> None:
        decision = RecoveryPolicy().response_target(incident())

        assert decision.target == timedelta(seconds=60)
        assert decision.reasons[0].rule == "R1.response"

    def test_r13_a_deferred_channel_may_have_its_own_target(self) -> None:
        policy = RecoveryPolicy(deferred_response_time=timedelta(hours=1))

        by_email = policy.response_target(incident(policy, channel=Channel.EMAIL))
        by_phone = policy.response_target(incident(policy, channel=Channel.PHONE))

        assert (by_email.target, by_phone.target) == (timedelta(hours=1), timedelta(seconds=60))
        assert by_email.reasons[0].rule == "R13.channel"

    def test_r1_r19_each_policy_explains_its_targets_in_its_own_words(self) -> None:
        # A pendulum duration equals the timedelta it prints differently from: the target
        # decisions remembered for one policy must not answer for the other.
        plain = RecoveryPolicy(response_time=timedelta(hours=4))
        as_pendulum = RecoveryPolicy(
            response_time=pendulum.duration(hours=4),
            resolution_times=attrs.evolve(plain.resolution_times, medium=pendulum.duration(days=1)),
        )
        for policy in (plain, as_pendulum):
            policy.response_target(incident(policy))
            policy.resolution_target(incident(policy))

        response = as_pendulum.response_target(incident(as_pendulum))
        resolution = as_pendulum.resolution_target(incident(as_pendulum))

        assert "within 4 hours" in response.reasons[0].detail
        assert "within 1 day of business time" in resolution.reasons[0].detail
        assert "within 4:00:00" in plain.response_target(incident(plain)).reasons[0].detail
        assert "1 day, 0:00:00" in plain.resolution_target(incident(plain)).reasons[0].detail


class TestEscalation:
    def test_r16_an_ignored_complaint_goes_at_once_to_the_highest_level(self) -> None:
        decision = RecoveryPolicy().escalation(incident(category=Category.IGNORED_COMPLAINT), T0)

        assert (decision.escalate, decision.to) == (True, "manager")
        assert decision.reasons[0].rule == "R16.ignored"

    def test_r16_mistreatment_notifies_a_supervisor_without_escalating(self) -> None:
        decision = RecoveryPolicy().escalation(incident(category=Category.MISTREATMENT), T0)

        assert (decision.escalate, decision.notify) == (False, ("supervisor",))
        assert [r.rule for r in decision.reasons] == ["R2.ownership", "R16.mistreatment"]

    def test_r2_a_handoff_beyond_the_limit_escalates_one_level_when_the_policy_says(self) -> None:
        policy = RecoveryPolicy(escalate_excess_handoffs=True)
        handed = incident(policy).hand_off(to="marta", at=T0 + timedelta(minutes=1))
        twice = handed.hand_off(to="pere", at=T0 + timedelta(minutes=2))

        assert policy.escalation(handed, T0).escalate is False
        decision = policy.escalation(twice, T0)
        assert (decision.escalate, decision.to) == (True, "supervisor")
        assert decision.reasons[0].rule == "R2.handoffs"

    def test_r13_a_severe_incident_on_a_deferred_channel_escalates(self) -> None:
        severe = incident(channel=Channel.EMAIL, severity=Severity.HIGH)
        mild = incident(channel=Channel.EMAIL, severity=Severity.MEDIUM)

        assert RecoveryPolicy().escalation(severe, T0).to == "supervisor"
        assert RecoveryPolicy().escalation(severe, T0).reasons[0].rule == "R13.channel"
        assert RecoveryPolicy().escalation(mild, T0).escalate is False

    def test_nothing_escalates_below_the_level_holding_it(self) -> None:
        severe = incident(channel=Channel.EMAIL, severity=Severity.HIGH)
        held = severe.restate(problem="x", confirmed=True, at=T0 + timedelta(minutes=1)).escalate(
            to="supervisor", reason="asked", at=T0 + timedelta(minutes=2)
        )

        decision = RecoveryPolicy().escalation(held, T0)

        assert decision.escalate is False
        assert "supervisor keeps incident INC-1" in decision.explain()

    def test_nothing_escalates_once_decided(self) -> None:
        lost = incident(category=Category.IGNORED_COMPLAINT).abandon(
            reason="gone", at=T0 + timedelta(minutes=1)
        )

        assert RecoveryPolicy().escalation(lost, T0).escalate is False

    def test_no_rule_no_escalation_but_still_a_reason(self) -> None:
        decision = RecoveryPolicy().escalation(incident(), T0)

        assert decision.escalate is False
        assert decision.reasons


class TestWorthRecovering:
    def test_r14_a_recovery_cheaper_than_replacing_the_customer_is_worth_it(self) -> None:
        decision = RecoveryPolicy().worth_recovering(
            incident(), customer_value=Money.of(100, "USD"), expected_cost=Money.of(500, "USD")
        )

        assert decision.worth
        assert decision.replacement_cost == Money.of(500, "USD")
        assert [r.rule for r in decision.reasons] == ["R14.economics"]

    def test_r15_a_no_always_names_its_numbers(self) -> None:
        decision = RecoveryPolicy().worth_recovering(
            incident(), customer_value=Money.of(100, "USD"), expected_cost=Money.of("500.01", "USD")
        )

        assert not decision.worth
        assert (
            "recovering costs 500.01 USD; replacing the customer costs 500.00 USD (5 x 100.00 USD)"
            in (decision.explain())
        )
        assert decision.reasons[-1].rule == "R15.decline"

    def test_r14_the_multiplier_is_the_policys(self) -> None:
        decision = RecoveryPolicy(replacement_cost_multiplier=Decimal(2)).worth_recovering(
            incident(), customer_value=Money.of(100, "USD"), expected_cost=Money.of(300, "USD")
        )

        assert not decision.worth

    def test_amounts_must_be_money(self) -> None:
        not_money: Any = 100

        with pytest.raises(InvalidAmountError, match="customer_value"):
            RecoveryPolicy().worth_recovering(
                incident(), customer_value=not_money, expected_cost=Money.of(1, "USD")
            )


class TestAgentCooldown:
    def test_r11_a_graver_incident_means_a_longer_pause(self) -> None:
        policy = RecoveryPolicy()

        pauses = [policy.agent_cooldown(incident(severity=s)).pause for s in Severity]

        assert pauses == sorted(pauses)
        assert pauses[0] < pauses[-1]
        assert policy.agent_cooldown(incident()).reasons[0].rule == "R11.cooldown"

    def test_r11_the_agent_is_available_after_the_outcome_plus_the_pause(self) -> None:
        resolved_at = T0 + timedelta(minutes=10)
        done = (
            incident()
            .restate(problem="x", confirmed=True, at=T0 + timedelta(minutes=1))
            .offer(
                [
                    Offer("a", Money.of(1, "USD"), Money.of(2, "USD")),
                    Offer("b", Money.of(2, "USD"), Money.of(3, "USD")),
                ],
                at=T0 + timedelta(minutes=2),
            )
            .resolve(summary="ok", at=resolved_at)
        )

        assert RecoveryPolicy().agent_available_at(done) == resolved_at + timedelta(minutes=5)

    def test_r11_an_open_incident_needs_to_be_told_when_the_agent_let_go(self) -> None:
        open_ = incident()

        with pytest.raises(InvalidValueError, match="finished_at="):
            RecoveryPolicy().agent_available_at(open_)
        later = T0 + timedelta(hours=1)
        assert RecoveryPolicy().agent_available_at(open_, finished_at=later) == later + timedelta(
            minutes=5
        )


EXAMPLES = Path(__file__).parent.parent / "examples"


class TestMinOfferValue:
    """R4: the least each choice offered is worth to the customer, by severity."""

    def test_by_default_there_is_none_and_the_policy_reads_as_before(self) -> None:
        # A setting added unset leaves the stored policies' fingerprints as they were.
        assert RecoveryPolicy().min_offer_value is None
        assert "min_offer_value" not in RecoveryPolicy().to_mapping()
        assert RecoveryPolicy().least_offer_value(received(at=T0)) is None

    def test_r4_it_is_read_for_the_incidents_severity(self) -> None:
        least = BySeverity(*(Money.of(n, "USD") for n in (0, 10, 20, 40)))
        policy = RecoveryPolicy(min_offer_value=least)

        assert policy.least_offer_value(received(at=T0, policy=policy)) == Money.of(10, "USD")
        assert RecoveryPolicy.from_mapping(policy.to_mapping()) == policy
        assert policy.to_mapping()["min_offer_value"]["critical"] == "40.00 USD"

    @pytest.mark.parametrize(
        ("amounts", "message"),
        [
            (
                (Money.of(1, "EUR"),) * 4,
                "min_offer_value is in EUR but the authority ladder in USD",
            ),
            ((Money.of(-1, "USD"),) * 4, "zero or more, got less for low, medium, high, critical"),
        ],
    )
    def test_a_minimum_in_another_currency_or_below_zero_is_refused(
        self, amounts: tuple[Money, ...], message: str
    ) -> None:
        with pytest.raises(PolicyError, match=message) as caught:
            RecoveryPolicy(min_offer_value=BySeverity(*amounts))

        assert caught.value.errors[0][0].startswith("min_offer_value")


class TestPoliciesAsData:
    def test_the_default_policy_round_trips(self) -> None:
        policy = RecoveryPolicy()

        assert RecoveryPolicy.from_mapping(policy.to_mapping()) == policy

    @given(policies())
    def test_any_policy_round_trips_through_plain_data(self, policy: RecoveryPolicy) -> None:
        assert RecoveryPolicy.from_mapping(policy.to_mapping()) == policy

    @pytest.mark.parametrize("value", [10**5000, "9" * 100, "1e999999"], ids=["int", "long", "exp"])
    def test_a_ratio_too_large_to_hold_is_refused_naming_the_field(self, value: object) -> None:
        with pytest.raises(PolicyError) as caught:
            RecoveryPolicy.from_mapping({"fcr_target": value})

        assert [where for where, _ in caught.value.errors] == ["fcr_target"]

    def test_an_unknown_key_of_thousands_of_digits_is_named_shortly(self) -> None:
        with pytest.raises(PolicyError, match="unknown key an int of about 5000 digits"):
            RecoveryPolicy.from_mapping({10**5000: 1})  # type: ignore[dict-item]

    def test_a_threshold_of_a_million_digits_is_refused_before_it_becomes_a_fraction(self) -> None:
        with pytest.raises(PolicyError, match="more than 40 digits"):
            RecoveryPolicy(warning_thresholds=(Decimal("0." + "1" * 10**6),))

    def test_the_toml_example_loads_with_the_standard_library(self) -> None:
        with (EXAMPLES / "hotel_policy.toml").open("rb") as file:
            policy = RecoveryPolicy.from_mapping(tomllib.load(file))

        assert policy.authority.names == ("front desk", "duty manager", "manager")
        assert policy.deferred_response_time == timedelta(hours=2)
        assert policy.fcr_target == Decimal("0.95")
        assert policy.agent_cooldowns[Severity.CRITICAL] == timedelta(minutes=30)

    def test_durations_are_written_compactly_and_read_in_several_forms(self) -> None:
        forms = ["90s", "1m30s", "PT1M30S", 90, "1m 30s"]

        assert {RecoveryPolicy.from_mapping({"response_time": f}).response_time for f in forms} == {
            timedelta(seconds=90)
        }
        assert (
            RecoveryPolicy(response_time=timedelta(hours=26, seconds=1.5)).to_mapping()[
                "response_time"
            ]
            == "1d2h1.5s"
        )

    def test_every_problem_is_reported_at_once_with_its_path(self) -> None:
        data = {
            "response_time": "-5m",
            "min_options": 0,
            "max_handoffs": "one",
            "colour": "red",
            "authority": {
                "levels": [
                    {"name": "frontline", "limit": "100 USD"},
                    {"name": "supervisor", "limit": "50 USD"},
                ]
            },
            "agent_cooldowns": {"low": "2m", "medium": "soon", "high": "1h", "critical": "2h"},
            "compensation_guide": {"low": 10, "medium": "25 USD", "high": "50 USD"},
        }

        with pytest.raises(PolicyError) as caught:
            RecoveryPolicy.from_mapping(data)

        paths = dict(caught.value.errors)
        assert set(paths) == {
            "response_time",
            "min_options",
            "max_handoffs",
            "colour",
            "authority.levels[1].limit",
            "agent_cooldowns.medium",
            "compensation_guide.low",
            "compensation_guide.critical",
        }
        assert "above zero" in paths["response_time"]
        assert "not above 'frontline' at 100.00 USD" in paths["authority.levels[1].limit"]
        assert "unknown key 'colour'" in paths["colour"]
        assert "'100 USD'" in paths["compensation_guide.low"]
        assert "required field missing" in paths["compensation_guide.critical"]
        assert "authority.levels[1].limit:" in str(caught.value)

    def test_cross_field_problems_name_their_field(self) -> None:
        with pytest.raises(PolicyError) as caught:
            RecoveryPolicy.from_mapping({"decline_level": "ceo"})

        assert caught.value.errors[0][0] == "decline_level"

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("P1M", "fixed length"),
            ("Pxyz", "fixed length"),
            (True, "expected a duration"),
            ("4 hours", "expected a duration"),
        ],
    )
    def test_bad_durations_say_what_would_be_right(self, value: object, message: str) -> None:
        with pytest.raises(PolicyError, match=message):
            RecoveryPolicy.from_mapping({"response_time": value})

    def test_a_policy_must_be_a_mapping(self) -> None:
        with pytest.raises(PolicyError, match="mapping of settings"):
            RecoveryPolicy.from_mapping(["response_time"])  # type: ignore[arg-type]

    def test_money_needs_a_currency(self) -> None:
        data = {
            "compensation_guide": {
                "low": "10",
                "medium": "1 USD",
                "high": "1 USD",
                "critical": "1 usd",
            }
        }

        with pytest.raises(PolicyError) as caught:
            RecoveryPolicy.from_mapping(data)

        paths = dict(caught.value.errors)
        assert "such as '100 USD'" in paths["compensation_guide.low"]
        assert "did you mean 'USD'" in paths["compensation_guide.critical"]


class TestSubclassAnswersAreChecked:
    def test_r3_a_grant_waiting_for_approval_escalates_to_the_approver(self) -> None:
        policy = RecoveryPolicy()
        wallet = CompensationBudget(
            holder="desk", pool=Money.of(5000, "USD"), per_incident_cap=Money.of(3000, "USD")
        )
        case = incident(policy)
        decision = policy.authorize(
            case, Money.of(600, "USD"), actor=Actor("luis", "frontline"), budget=wallet, at=T0
        )
        waiting = case.request_approval(decision, at=T0 + timedelta(minutes=1))

        escalation = policy.escalation(waiting, T0)

        assert (escalation.escalate, escalation.to) == (True, "manager")
        assert escalation.reasons[0].rule == "R3.authority"

    def test_a_subclass_that_answers_with_the_wrong_kind_fails_naming_the_method(self) -> None:
        class Sloppy(RecoveryPolicy):
            def escalation(self, incident: IncidentRecord, at: datetime) -> EscalationDecision:
                del incident, at
                return None  # type: ignore[return-value]

        with pytest.raises(
            PolicyError, match=r"Sloppy.escalation returned None: expected EscalationDecision"
        ):
            Sloppy().escalation(incident(), T0)

    def test_a_zero_target_fails_naming_the_method(self) -> None:
        class Impatient(RecoveryPolicy):
            def response_target(self, incident: IncidentRecord) -> TargetDecision:
                del incident
                return TargetDecision(target=timedelta(0), reasons=[Reason("R1", "now")])

        with pytest.raises(
            PolicyError, match=r"Impatient.response_target returned .*above zero"
        ) as caught:
            Impatient().response_target(incident())

        assert caught.value.errors[0][0] == "response_target"

    def test_a_decision_without_reasons_fails_naming_the_method(self) -> None:
        class Mute(RecoveryPolicy):
            def agent_cooldown(self, incident: IncidentRecord) -> CooldownDecision:
                del incident
                return CooldownDecision(pause=timedelta(minutes=1), reasons=[])

        with pytest.raises(
            PolicyError, match=r"Mute.agent_cooldown: a decision needs at least one Reason"
        ):
            Mute().agent_cooldown(incident())

    def test_an_escalation_to_a_stranger_fails(self) -> None:
        class Dreamer(RecoveryPolicy):
            def escalation(self, incident: IncidentRecord, at: datetime) -> EscalationDecision:
                del incident, at
                return EscalationDecision(
                    escalate=True, to="ceo", reasons=[Reason("R9", "why not")]
                )

        with pytest.raises(PolicyError, match="'ceo', not a level of the ladder"):
            Dreamer().escalation(incident(), T0)

    def test_an_attrs_subclass_with_its_own_fields_is_checked_once_and_calls_super(self) -> None:
        @attrs.frozen
        class Strict(RecoveryPolicy):
            vip_response: timedelta = timedelta(seconds=20)

            def response_target(self, incident: IncidentRecord) -> TargetDecision:
                if incident.customer.startswith("vip"):
                    why = Reason("R1.vip", f"a VIP is answered within {self.vip_response}")
                    return TargetDecision(target=self.vip_response, reasons=[why])
                return super().response_target(incident)

        policy = Strict()

        assert policy.response_target(incident()).target == timedelta(seconds=60)
        assert getattr(Strict.response_target, "__checked__", False)
        assert Strict.from_mapping({"vip_response": "15s"}).vip_response == timedelta(seconds=15)


class TestEscalationBeforeAnAnswer:
    def test_r16_an_unanswered_ignored_complaint_tells_the_top_level_at_once(self) -> None:
        unanswered = Incident.receive(
            incident_id="I",
            customer="c",
            channel=Channel.CHAT,
            category=Category.IGNORED_COMPLAINT,
            severity=Severity.LOW,
            at=T0,
        )

        decision = RecoveryPolicy().escalation(unanswered, T0)

        assert (decision.escalate, decision.notify) == (False, ("manager",))
        assert [r.rule for r in decision.reasons] == ["R16.ignored", "R1.acknowledge"]


class TestOverridePointsAreIntrospectable:
    def test_get_type_hints_resolves_every_public_method(self) -> None:
        methods = [
            name
            for name, value in vars(RecoveryPolicy).items()
            if callable(value) and not name.startswith("_")
        ]
        hints = {name: typing.get_type_hints(getattr(RecoveryPolicy, name)) for name in methods}

        assert "response_target" in hints
        assert hints["response_target"]["incident"] is IncidentRecord
        assert hints["on_alert"]["return"] is AlertDecision


class TestAcrossDaylightSaving:
    def test_r11_a_cool_down_across_the_autumn_change_is_real_minutes(self) -> None:
        finished = datetime(2026, 11, 1, 1, 50, tzinfo=ZoneInfo("America/New_York"))

        free = RecoveryPolicy().agent_available_at(
            incident(severity=Severity.LOW), finished_at=finished
        )

        assert free.astimezone(UTC) - finished.astimezone(UTC) == timedelta(minutes=2)


class TestCompensationGuide:
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


class TestDecisionsBuiltFromCheckedValues:
    """The default policy builds its commonest decisions from values it checked or made,
    without their validators (`unchecked`), and writes their sentences when read."""

    @given(incidents(), st.integers(1, 5000), st.integers(0, 3000))
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_each_is_the_decision_its_validators_accept(
        self, incident: Incident, amount: int, value: int
    ) -> None:
        policy, at = incident.policy, incident.updated_at
        currency = policy.authority.currency
        budget = CompensationBudget(
            holder="ana",
            pool=Money.of(4000, currency),
            per_incident_cap=Money.of(3000, currency),
            period=Period.DAY,
        )
        decisions = [
            policy.escalation(incident, at),
            policy.worth_recovering(
                incident,
                customer_value=Money.of(value, currency),
                expected_cost=Money.of(amount, currency),
            ),
            policy.authorize(
                incident,
                Money.of(amount, currency),
                actor=Actor("ana", policy.authority.lowest.name),
                budget=budget,
                at=at,
            ),
        ]
        for decision in decisions:
            fields = {
                field.name: getattr(decision, field.name) for field in attrs.fields(type(decision))
            }

            assert type(decision)(**fields) == decision
            assert all(reason.detail.strip() for reason in (*decision.reasons, *decision.findings))
