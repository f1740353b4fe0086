"""Compensation: the authority ladder (R3), budgets and grants (R3, R18), offers (R4, R9, R17)."""

from __future__ import annotations

import copy
import gc
import json
import pickle
import weakref
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import answered, received
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
    Severity,
    deserialize_budget,
    deserialize_events,
    rank_offers,
    serialize_budget,
    serialize_events,
    value_per_cost,
)
from service_recovery.decisions import GrantDecision, GrantOutcome, OfferSuggestion, Reason
from service_recovery.errors import (
    ApprovalError,
    AuthorityError,
    BudgetExceeded,
    CurrencyMismatch,
    FloatAmountError,
    GrantConflict,
    InvalidAmountError,
    InvalidArgumentError,
    InvalidTransition,
    InvalidTypeError,
    InvalidValueError,
    LadderError,
    RuleViolation,
    SerializationError,
    TimeWentBackwards,
)
from service_recovery.events import ApprovalRejected, ApprovalRequested, CompensationGranted


def usd(amount: str | int) -> Money:  # a float here is a test of refusing floats
    return Money.of(amount, "USD")


USD0 = "Money(amount=Decimal('0.00'), currency='USD')"  # how a message shows 0 USD


class TestAuthorityLadder:
    def test_r3_lowest_able_is_the_first_level_whose_limit_covers_the_amount(self) -> None:
        ladder = AuthorityLadder.default()

        assert ladder.lowest_able(usd(100)) == ladder.level("frontline")
        assert ladder.lowest_able(usd("100.01")) == ladder.level("supervisor")
        assert ladder.lowest_able(usd(2000)) == ladder.level("manager")
        assert ladder.lowest_able(usd("2000.01")) is None

    def test_levels_are_ordered_and_named(self) -> None:
        ladder = AuthorityLadder.default()

        assert ladder.names == ("frontline", "supervisor", "manager")
        assert (ladder.lowest.name, ladder.highest.name) == ("frontline", "manager")
        assert ladder.rank("manager") == 2
        assert ladder.currency == "USD"

    def test_r3_the_default_limits_are_100_500_and_2000_usd(self) -> None:
        limits = [level.limit for level in AuthorityLadder.default().levels]

        assert limits == [usd(100), usd(500), usd(2000)]

    def test_an_unknown_level_lists_the_known_ones(self) -> None:
        with pytest.raises(LadderError) as caught:
            AuthorityLadder.default().level("ceo")

        assert str(caught.value) == (
            "unknown authority level 'ceo'; the ladder has frontline, supervisor, manager"
        )

    def test_an_amount_in_another_currency_is_refused(self) -> None:
        with pytest.raises(CurrencyMismatch) as caught:
            AuthorityLadder.default().lowest_able(Money.of(5, "EUR"))

        assert str(caught.value) == "5.00 EUR is not in the ladder's currency USD; pass USD"
        assert (caught.value.left, caught.value.right) == ("USD", "EUR")

    @pytest.mark.parametrize(
        ("levels", "message", "path"),
        [
            ([], "an authority ladder needs at least one level, e.g. frontline 100 USD", "levels"),
            (
                [("a", usd(10)), ("a", usd(20))],
                "levels[1]: the name 'a' is used twice; names are unique",
                "levels[1].name",
            ),
            (
                [("a", usd(20)), ("b", usd(20))],
                (
                    "levels[1] 'b' has limit 20.00 USD, not above 'a' at 20.00 USD; "
                    "limits must rise strictly up the ladder"
                ),
                "levels[1].limit",
            ),
            (
                [("a", usd(10)), ("b", usd(20)), ("c", usd(15))],
                (
                    "levels[2] 'c' has limit 15.00 USD, not above 'b' at 20.00 USD; "
                    "limits must rise strictly up the ladder"
                ),
                "levels[2].limit",
            ),
            (
                [("a", usd(20)), ("b", Money.of(30, "EUR"))],
                (
                    "levels[1] 'b' is in EUR but the ladder is in USD; "
                    "use one currency for every level"
                ),
                "levels[1].limit",
            ),
        ],
    )
    def test_malformed_ladders_are_refused_naming_the_level(
        self, levels: list[tuple[str, Money]], message: str, path: str
    ) -> None:
        with pytest.raises(LadderError) as caught:
            AuthorityLadder(AuthorityLevel(name, limit) for name, limit in levels)

        assert (str(caught.value), caught.value.path) == (message, path)

    def test_a_level_needs_a_name_and_a_positive_limit(self) -> None:
        with pytest.raises(InvalidValueError) as unnamed:
            AuthorityLevel(" ", usd(10))
        with pytest.raises(LadderError) as free:
            AuthorityLevel("frontline", usd(0))

        assert str(unnamed.value) == (
            "an authority level's name must not be empty; say what it is in words"
        )
        assert str(free.value) == f"level 'frontline' needs a positive Money limit, got {USD0}"

    @pytest.mark.parametrize(
        ("levels", "message"),
        [
            ("frontline", "levels must be a list of AuthorityLevel, got str 'frontline'"),
            (100, "levels must be a list of AuthorityLevel, got int 100"),
        ],
    )
    def test_levels_must_be_a_list(self, levels: object, message: str) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            AuthorityLadder(levels)  # type: ignore[arg-type]

        assert str(caught.value) == message

    def test_levels_must_be_authority_levels(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            AuthorityLadder([AuthorityLevel("frontline", usd(10)), "supervisor"])  # type: ignore[list-item]

        assert str(caught.value) == "levels[1] must be an AuthorityLevel, got 'supervisor'"

    @pytest.mark.parametrize(
        ("name", "level", "message"),
        [
            ("", "frontline", "an actor's name must not be empty; say what it is in words"),
            (
                "luis",
                " ",
                "the authority level of 'luis' must not be empty; say what it is in words",
            ),
        ],
    )
    def test_an_actor_needs_a_name_and_a_level(self, name: str, level: str, message: str) -> None:
        with pytest.raises(InvalidValueError) as caught:
            Actor(name, level)

        assert str(caught.value) == message


class TestOffer:
    def test_r17_a_not_possible_offer_must_name_an_alternative(self) -> None:
        with pytest.raises(RuleViolation) as caught:
            Offer("full refund", usd(200), usd(200), possible=False)

        assert caught.value.rule == "R17"
        assert str(caught.value) == (
            "R17: offer 'full refund' is not possible, so it must name a possible alternative "
            "(never a bare 'no'); pass alternative=Offer(...)"
        )

    def test_r17_the_alternative_must_itself_be_possible(self) -> None:
        voucher = Offer("voucher", usd(20), usd(50))
        impossible = Offer("refund", usd(200), usd(200), possible=False, alternative=voucher)

        with pytest.raises(RuleViolation, match="R17"):
            Offer("cash", usd(200), usd(200), possible=False, alternative=impossible)

    def test_r17_yes_we_can_at_a_price(self) -> None:
        express = Offer("express shipping", usd(15), usd(40), price=usd(10))

        assert express.price == usd(10)
        assert express.choice is express

    def test_the_choice_of_a_not_possible_offer_is_its_alternative(self) -> None:
        voucher = Offer("voucher", usd(20), usd(50))

        refund = Offer("refund", usd(200), usd(200), possible=False, alternative=voucher)

        assert refund.choice is voucher

    def test_a_possible_offer_has_no_alternative(self) -> None:
        with pytest.raises(InvalidValueError) as caught:
            Offer("voucher", usd(20), usd(50), alternative=Offer("x", usd(1), usd(1)))

        assert str(caught.value) == (
            "offer 'voucher' is possible; only a not-possible offer names an alternative"
        )

    @pytest.mark.parametrize(
        ("field", "allowed"),
        [
            ("cost", "Money of zero or more"),
            ("value", "Money of zero or more"),
            ("price", "Money of zero or more, or None"),
        ],
    )
    def test_amounts_are_money_of_zero_or_more(self, field: str, allowed: str) -> None:
        amounts = {"cost": usd(1), "value": usd(1), "price": usd(1), field: usd(-1)}

        with pytest.raises(InvalidValueError) as caught:
            Offer("voucher", amounts["cost"], amounts["value"], price=amounts["price"])

        minus_one = "Money(amount=Decimal('-1.00'), currency='USD')"
        assert str(caught.value) == f"offer 'voucher': {field} must be {allowed}, got {minus_one}"

    @pytest.mark.parametrize("amount", ["0", "0.50"])
    def test_nothing_and_less_than_one_unit_are_amounts_an_offer_may_have(
        self, amount: str
    ) -> None:
        mint = Offer("mint on the pillow", usd(amount), usd(amount), price=usd(amount))

        assert (mint.cost, mint.value, mint.price) == (usd(amount),) * 3

    @pytest.mark.parametrize(
        ("changes", "error", "message"),
        [
            ({"kind": " "}, InvalidValueError, "an offer's kind must not be empty"),
            (
                {"possible": "yes"},
                InvalidTypeError,
                "offer 'voucher': possible must be True or False, got str 'yes'",
            ),
            (
                {"possible": False, "alternative": "a voucher"},
                InvalidTypeError,
                "offer 'voucher': alternative must be an Offer, got str 'a voucher'",
            ),
        ],
    )
    def test_a_malformed_offer_is_refused_naming_it(
        self, changes: dict[str, object], error: type[Exception], message: str
    ) -> None:
        fields: dict[str, object] = {"kind": "voucher", "cost": usd(20), "value": usd(50)}
        fields.update(changes)

        with pytest.raises(error) as caught:
            Offer(**fields)  # type: ignore[arg-type]

        assert str(caught.value).startswith(message)

    @pytest.mark.parametrize(
        ("value", "price", "shown"),
        [
            (Money.of(50, "EUR"), None, "20.00 USD, 50.00 EUR"),
            (usd(50), Money.of(10, "EUR"), "20.00 USD, 50.00 USD, 10.00 EUR"),
        ],
    )
    def test_an_offer_in_two_currencies_is_refused_naming_both(
        self, value: Money, price: Money | None, shown: str
    ) -> None:
        with pytest.raises(CurrencyMismatch) as caught:
            Offer("voucher", usd(20), value, price=price)

        assert str(caught.value) == (
            f"offer 'voucher' mixes currencies ({shown}); "
            "give its cost, value and price in one currency"
        )
        assert (caught.value.left, caught.value.right) == ("USD", "EUR")


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Madrid"))
FRONTLINE = Actor("luis", "frontline")
SUPERVISOR = Actor("marta", "supervisor")
MANAGER = Actor("pere", "manager")
POLICY = RecoveryPolicy()


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def budget(pool: int = 5000, cap: int = 3000, period: Period = Period.DAY) -> CompensationBudget:
    return CompensationBudget(
        holder="front desk",
        pool=usd(pool),
        per_incident_cap=usd(cap),
        period=period,
        zone="Europe/Madrid",
    )


def incident(incident_id: str = "INC-1", severity: Severity = Severity.CRITICAL) -> Incident:
    opened = received(at=T0, policy=POLICY, incident_id=incident_id, severity=severity)
    return answered(opened, after=timedelta(0))


class TestAuthorize:
    def test_r3_a_grant_within_the_frontline_limit_is_approved_at_once(self) -> None:
        wallet = budget()

        decision = POLICY.authorize(incident(), usd(100), actor=FRONTLINE, budget=wallet, at=at(1))
        granted, after = incident().grant(decision, budget=wallet, at=at(1))

        assert decision.outcome is GrantOutcome.APPROVED
        assert decision.approver_level is None
        assert str(decision.reasons[0]) == (
            "R3.authority: 100.00 USD is within the frontline limit of 100.00 USD: "
            "no approval needed"
        )
        assert granted.granted == usd(100)
        assert isinstance(granted.events[-1], CompensationGranted)
        assert granted.events[-1].approver is None
        assert after.ledger[-1].amount == usd(100)

    def test_a_decision_does_not_keep_the_incident_it_was_decided_on(self) -> None:
        # R3: a request waits in the incident's record, and its sentence is written only
        # when read: until then it holds what it names, never the older incident.
        decided_on = incident()
        decision = POLICY.authorize(
            decided_on, usd(151), actor=FRONTLINE, budget=budget(), at=at(1)
        )
        held = weakref.ref(decided_on)

        del decided_on
        gc.collect()

        assert held() is None
        assert "151.00 USD exceeds the frontline limit" in decision.reasons[0].detail

    def test_r3_151_by_frontline_needs_a_supervisor(self) -> None:
        decision = POLICY.authorize(
            incident(), usd(151), actor=FRONTLINE, budget=budget(), at=at(1)
        )

        assert (decision.outcome, decision.approver_level) == (
            GrantOutcome.NEEDS_APPROVAL,
            "supervisor",
        )
        assert str(decision.reasons[0]) == (
            "R3.authority: 151.00 USD exceeds the frontline limit of 100.00 USD; "
            "supervisor may approve up to 500.00 USD"
        )

    def test_r3_600_needs_a_manager(self) -> None:
        decision = POLICY.authorize(
            incident(), usd(600), actor=FRONTLINE, budget=budget(), at=at(1)
        )

        assert decision.approver_level == "manager"

    def test_r3_2500_is_beyond_every_level(self) -> None:
        decision = POLICY.authorize(incident(), usd(2500), actor=MANAGER, budget=budget(), at=at(1))

        assert decision.outcome is GrantOutcome.REFUSED
        assert "every level's, up to manager at 2000.00 USD" in str(decision.reasons[0])

    def test_r3_a_supervisor_grants_within_their_own_limit(self) -> None:
        decision = POLICY.authorize(
            incident(), usd(450), actor=SUPERVISOR, budget=budget(), at=at(1)
        )

        assert decision.outcome is GrantOutcome.APPROVED

    def test_r3_split_grants_are_counted_together(self) -> None:
        wallet, case = budget(), incident()
        for minute in range(1, 3):
            decision = POLICY.authorize(
                case, usd(50), actor=FRONTLINE, budget=wallet, at=at(minute)
            )
            case, wallet = case.grant(decision, budget=wallet, at=at(minute))

        third = POLICY.authorize(case, usd(50), actor=FRONTLINE, budget=wallet, at=at(3))

        assert case.granted == usd(100)
        assert third.outcome is GrantOutcome.NEEDS_APPROVAL
        assert third.total == usd(150)
        assert "50.00 USD brings incident INC-1 to 150.00 USD" in str(third.reasons[0])

    def test_r3_nine_grants_of_100_cannot_slip_past_the_limit(self) -> None:
        wallet, case = budget(), incident()
        decision = POLICY.authorize(case, usd(100), actor=FRONTLINE, budget=wallet, at=at(1))
        case, wallet = case.grant(decision, budget=wallet, at=at(1))

        outcomes = {
            POLICY.authorize(case, usd(100), actor=FRONTLINE, budget=wallet, at=at(2)).outcome
            for _ in range(8)
        }

        assert outcomes == {GrantOutcome.NEEDS_APPROVAL}

    def test_r3_no_budget_left_is_refused(self) -> None:
        decision = POLICY.authorize(
            incident(), usd(80), actor=FRONTLINE, budget=budget(pool=50), at=at(1)
        )

        assert decision.outcome is GrantOutcome.REFUSED
        assert decision.reasons[0].rule == "R3.budget"
        assert "daily pool: 50.00 USD of 50.00 USD" in decision.reasons[0].detail

    def test_r3_the_per_incident_cap_is_refused(self) -> None:
        decision = POLICY.authorize(
            incident(), usd(80), actor=FRONTLINE, budget=budget(cap=60), at=at(1)
        )

        assert (decision.outcome, decision.reasons[0].rule) == (GrantOutcome.REFUSED, "R3.cap")

    def test_r18_a_generous_grant_within_authority_is_a_finding_not_a_block(self) -> None:
        low = incident(severity=Severity.LOW)

        decision = POLICY.authorize(low, usd(90), actor=FRONTLINE, budget=budget(), at=at(1))

        assert decision.outcome is GrantOutcome.APPROVED
        assert [finding.rule for finding in decision.findings] == ["R18.generosity"]
        assert "above the 10.00 USD suggested for a low incident" in decision.explain()

    def test_r18_a_grant_within_the_guide_has_no_finding(self) -> None:
        decision = POLICY.authorize(incident(), usd(90), actor=FRONTLINE, budget=budget(), at=at(1))

        assert decision.findings == ()

    @pytest.mark.parametrize(
        ("amount", "error"),
        [
            (usd(0), InvalidAmountError),
            (usd(-5), InvalidAmountError),
            (Money.of(5, "EUR"), CurrencyMismatch),
        ],
    )
    def test_bad_amounts_are_refused(self, amount: Money, error: type[Exception]) -> None:
        with pytest.raises(error):
            POLICY.authorize(incident(), amount, actor=FRONTLINE, budget=budget(), at=at(1))

    def test_a_float_amount_is_refused_before_it_is_money(self) -> None:
        with pytest.raises(FloatAmountError):
            POLICY.authorize(incident(), usd(5.5), actor=FRONTLINE, budget=budget(), at=at(1))  # type: ignore[arg-type]

    def test_an_unknown_level_is_refused(self) -> None:
        with pytest.raises(LadderError, match="unknown authority level 'intern'"):
            POLICY.authorize(
                incident(), usd(5), actor=Actor("x", "intern"), budget=budget(), at=at(1)
            )

    def test_a_budget_in_another_currency_is_refused(self) -> None:
        euros = CompensationBudget(
            holder="eu", pool=Money.of(100, "EUR"), per_incident_cap=Money.of(50, "EUR")
        )

        with pytest.raises(CurrencyMismatch, match="the budget is in EUR"):
            POLICY.authorize(incident(), usd(5), actor=FRONTLINE, budget=euros, at=at(1))


class TestApproval:
    def request(self, amount: int = 151) -> tuple[Incident, GrantDecision]:
        decision = POLICY.authorize(
            incident(), usd(amount), actor=FRONTLINE, budget=budget(), at=at(1)
        )
        return incident().request_approval(decision, at=at(1)), decision

    def test_r3_a_supervisor_approves_and_both_records_agree(self) -> None:
        case, decision = self.request()

        case, wallet = case.approve(
            decision.reference, approver=SUPERVISOR, budget=budget(), at=at(2)
        )

        event = case.events[-1]
        assert isinstance(event, CompensationGranted)
        assert event.approver == SUPERVISOR
        assert case.granted == usd(151) == wallet.spent(at(2))
        assert wallet.ledger[-1].approver == SUPERVISOR
        assert case.pending_approvals == ()

    def test_r3_the_request_is_recorded_and_pending(self) -> None:
        case, decision = self.request()

        assert isinstance(case.events[-1], ApprovalRequested)
        assert case.pending_approvals == (decision,)
        assert case.granted == usd(0)

    def test_r3_self_approval_is_refused(self) -> None:
        case, decision = self.request()

        with pytest.raises(ApprovalError, match="four eyes"):
            case.approve(
                decision.reference, approver=Actor("luis", "manager"), budget=budget(), at=at(2)
            )

    def test_r3_an_approver_below_the_total_is_refused(self) -> None:
        case, decision = self.request(600)

        with pytest.raises(
            ApprovalError, match=r"above the supervisor limit of 500.00 USD.*manager may"
        ):
            case.approve(decision.reference, approver=SUPERVISOR, budget=budget(), at=at(2))

    def test_approval_of_an_unknown_request_is_refused(self) -> None:
        case, _ = self.request()

        with pytest.raises(
            ApprovalError,
            match=r"no pending approval request 'INC-1/grant-9'.*pending: INC-1/grant-1",
        ):
            case.approve("INC-1/grant-9", approver=SUPERVISOR, budget=budget(), at=at(2))

    def test_r3_a_request_can_be_rejected_with_a_reason_and_then_waits_no_more(self) -> None:
        case, decision = self.request()

        rejected = case.reject(decision.reference, approver=SUPERVISOR, reason="too much", at=at(2))

        assert isinstance(rejected.events[-1], ApprovalRejected)
        assert rejected.pending_approvals == ()
        assert rejected.granted == usd(0)
        assert not POLICY.escalation(rejected, at(3)).escalate
        with pytest.raises(ApprovalError, match="pending: none"):
            rejected.approve(decision.reference, approver=MANAGER, budget=budget(), at=at(3))
        assert Incident.replay(rejected.events) == rejected

    def test_a_rejection_needs_a_reason_and_a_pending_request(self) -> None:
        case, decision = self.request()

        with pytest.raises(InvalidValueError, match="reason must not be empty"):
            case.reject(decision.reference, approver=SUPERVISOR, reason=" ", at=at(2))
        with pytest.raises(ApprovalError, match="no pending approval request 'nope'"):
            case.reject("nope", approver=SUPERVISOR, reason="no", at=at(2))

    def test_a_request_is_approved_once(self) -> None:
        case, decision = self.request()
        case, wallet = case.approve(
            decision.reference, approver=SUPERVISOR, budget=budget(), at=at(2)
        )

        with pytest.raises(ApprovalError, match="pending: none"):
            case.approve(decision.reference, approver=MANAGER, budget=wallet, at=at(3))

    def test_a_decision_that_needs_approval_cannot_be_granted_directly(self) -> None:
        _, decision = self.request()

        with pytest.raises(ApprovalError, match="call request_approval"):
            incident().grant(decision, budget=budget(), at=at(1))

    def test_an_approved_decision_cannot_be_requested(self) -> None:
        decision = POLICY.authorize(incident(), usd(10), actor=FRONTLINE, budget=budget(), at=at(1))

        with pytest.raises(ApprovalError, match="call grant"):
            incident().request_approval(decision, at=at(1))

    def test_a_refused_decision_grants_nothing(self) -> None:
        decision = POLICY.authorize(incident(), usd(2500), actor=MANAGER, budget=budget(), at=at(1))

        with pytest.raises(ApprovalError, match="nothing can be granted"):
            incident().grant(decision, budget=budget(), at=at(1))

    def test_a_decision_is_used_once(self) -> None:
        wallet = budget()
        decision = POLICY.authorize(incident(), usd(10), actor=FRONTLINE, budget=wallet, at=at(1))
        case, wallet = incident().grant(decision, budget=wallet, at=at(1))

        with pytest.raises(GrantConflict, match="already used"):
            case.grant(decision, budget=wallet, at=at(2))

    def test_a_decision_for_another_incident_is_refused(self) -> None:
        decision = POLICY.authorize(
            incident("INC-2"), usd(10), actor=FRONTLINE, budget=budget(), at=at(1)
        )

        with pytest.raises(ApprovalError, match="is for incident 'INC-2'"):
            incident().grant(decision, budget=budget(), at=at(1))

    def test_a_decision_overtaken_by_another_grant_is_refused_and_changes_nothing(self) -> None:
        wallet, case = budget(), incident()
        first = POLICY.authorize(case, usd(60), actor=FRONTLINE, budget=wallet, at=at(1))
        second = POLICY.authorize(
            case, usd(60), actor=Actor("ana", "frontline"), budget=wallet, at=at(1)
        )
        case, wallet = case.grant(first, budget=wallet, at=at(1))

        with pytest.raises(GrantConflict, match="another grant came first; authorize again"):
            case.grant(second, budget=wallet, at=at(2))

        assert case.granted == usd(60)
        assert wallet.version == 1

    def test_r3_a_hand_made_decision_beyond_the_actors_limit_is_refused(self) -> None:
        forged = GrantDecision(
            outcome=GrantOutcome.APPROVED,
            incident_id="INC-1",
            reference="INC-1/grant-1",
            amount=usd(900),
            total=usd(900),
            actor=FRONTLINE,
            reasons=[Reason("R3.authority", "trust me")],
        )

        with pytest.raises(
            AuthorityError, match=r"900.00 USD, above the frontline limit.*manager may"
        ):
            incident().grant(forged, budget=budget(), at=at(1))

    def test_a_grant_the_budget_refuses_changes_neither(self) -> None:
        case = incident()
        decision = POLICY.authorize(case, usd(80), actor=FRONTLINE, budget=budget(), at=at(1))
        empty = budget(pool=50)

        with pytest.raises(BudgetExceeded, match=r"R3.budget"):
            case.grant(decision, budget=empty, at=at(1))

        assert case.granted == usd(0)
        assert empty.ledger == ()

    def test_nothing_is_granted_on_a_closed_incident(self) -> None:
        closed = (
            incident()
            .abandon(reason="hung up", at=at(1))
            .close(root_cause="queue too long", cost=usd(0), at=at(2))
        )
        decision = POLICY.authorize(closed, usd(10), actor=FRONTLINE, budget=budget(), at=at(3))

        with pytest.raises(InvalidTransition, match="cannot grant"):
            closed.grant(decision, budget=budget(), at=at(3))

    def test_grants_and_approvals_replay_and_round_trip(self) -> None:
        case, decision = self.request()
        case, _ = case.approve(decision.reference, approver=SUPERVISOR, budget=budget(), at=at(2))

        events = deserialize_events(json.loads(json.dumps(serialize_events(case.events))))

        assert Incident.replay(events) == case


class TestCompensationBudget:
    def test_remaining_is_the_pool_less_the_periods_grants(self) -> None:
        wallet = budget(pool=300)
        wallet = wallet.record(Grant("INC-1", usd(120), FRONTLINE, None, "INC-1/grant-1", at(1)))

        assert (wallet.spent(at(2)), wallet.remaining(at(2))) == (usd(120), usd(180))
        assert wallet.version == 1

    def test_r3_nothing_spent_reads_as_money_in_cents(self) -> None:
        wallet = budget(pool=300)

        assert (str(wallet.spent(at(1))), str(wallet.spent_on("INC-1"))) == ("0.00 USD",) * 2

    def test_a_new_period_starts_fresh_at_local_midnight(self) -> None:
        madrid = ZoneInfo("Europe/Madrid")
        wallet = budget(pool=300).record(
            Grant(
                "INC-1",
                usd(120),
                FRONTLINE,
                None,
                "r1",
                datetime(2026, 11, 23, 23, 59, tzinfo=madrid),
            )
        )

        assert wallet.remaining(datetime(2026, 11, 23, 23, 59, 59, tzinfo=madrid)) == usd(180)
        assert wallet.remaining(datetime(2026, 11, 24, 0, 0, tzinfo=madrid)) == usd(300)
        # 23:30 UTC is already the next day in Madrid.
        assert wallet.remaining(datetime(2026, 11, 23, 23, 30, tzinfo=UTC)) == usd(300)

    @pytest.mark.parametrize(
        ("period", "start", "end"),
        [
            (Period.DAY, date(2026, 3, 29), date(2026, 3, 30)),
            (Period.WEEK, date(2026, 3, 23), date(2026, 3, 30)),
            (Period.MONTH, date(2026, 3, 1), date(2026, 4, 1)),
        ],
    )
    def test_period_bounds_are_local_across_a_dst_change(
        self, period: Period, start: date, end: date
    ) -> None:
        madrid = ZoneInfo("Europe/Madrid")

        bounds = budget(period=period).period_bounds(datetime(2026, 3, 29, 12, tzinfo=madrid))

        midnight = time(0, tzinfo=madrid)
        assert bounds == (datetime.combine(start, midnight), datetime.combine(end, midnight))
        assert [bound.tzinfo for bound in bounds] == [madrid, madrid]  # in the budget's zone

    def test_a_grant_at_local_midnight_belongs_to_the_day_it_starts(self) -> None:
        madrid = ZoneInfo("Europe/Madrid")
        wallet = budget(pool=300)
        for reference, amount, when in (
            ("r1", 10, datetime(2026, 11, 23, 12, tzinfo=madrid)),
            ("r2", 20, datetime(2026, 11, 24, 0, 0, tzinfo=madrid)),  # midnight: the 24th
            ("r3", 40, datetime(2026, 11, 25, 12, tzinfo=madrid)),
        ):
            wallet = wallet.record(Grant("INC-1", usd(amount), FRONTLINE, None, reference, when))

        # The 23rd and the 24th are summed from the ledger: the latest grant is on the 25th.
        assert wallet.spent(datetime(2026, 11, 23, 18, tzinfo=madrid)) == usd(10)
        assert wallet.spent(datetime(2026, 11, 24, 18, tzinfo=madrid)) == usd(20)
        assert wallet.spent(datetime(2026, 11, 25, 18, tzinfo=madrid)) == usd(40)

    def test_r3_a_grant_of_exactly_what_is_left_is_covered(self) -> None:
        wallet = budget(pool=100).record(Grant("INC-1", usd(40), FRONTLINE, None, "r1", at(1)))

        wallet = wallet.record(Grant("INC-2", usd(60), FRONTLINE, None, "r2", at(2)))

        assert wallet.remaining(at(3)) == usd(0)
        assert wallet.refusal("INC-3", usd("0.01"), at(3)) == Reason(
            "R3.budget",
            "0.01 USD exceeds what is left of front desk's daily pool: 0.00 USD of 100.00 USD",
        )

    def test_r3_a_grant_that_brings_an_incident_to_exactly_its_cap_is_covered(self) -> None:
        wallet = budget(cap=100).record(Grant("INC-1", usd(40), FRONTLINE, None, "r1", at(1)))

        wallet = wallet.record(Grant("INC-1", usd(60), FRONTLINE, None, "r2", at(2)))

        assert wallet.spent_on("INC-1") == usd(100)

    @pytest.mark.parametrize(
        "ask",
        [
            lambda wallet: wallet.check("INC-1", usd(50), at(2)),
            lambda wallet: wallet.record(Grant("INC-1", usd(50), FRONTLINE, None, "r2", at(2))),
        ],
        ids=["check", "record"],
    )
    def test_r3_the_cap_counts_what_the_incident_already_got(
        self, ask: Callable[[CompensationBudget], object]
    ) -> None:
        wallet = budget(cap=100).record(Grant("INC-1", usd(60), FRONTLINE, None, "r1", at(1)))

        with pytest.raises(BudgetExceeded) as caught:
            ask(wallet)

        assert (
            str(caught.value)
            == str(wallet.refusal("INC-1", usd(50), at(2)))
            == (
                "R3.cap: 110.00 USD on incident INC-1 exceeds front desk's per-incident cap of "
                "100.00 USD"
            )
        )
        assert wallet.refusal("INC-2", usd(50), at(2)) is None  # another incident has its own

    def test_a_grant_over_the_pool_is_refused_and_the_ledger_unchanged(self) -> None:
        wallet = budget(pool=100)

        with pytest.raises(BudgetExceeded, match=r"R3.budget"):
            wallet.record(Grant("INC-1", usd(101), FRONTLINE, None, "r", at(1)))

        assert wallet.ledger == ()

    def test_grants_in_the_ledger_never_go_back_in_time(self) -> None:
        wallet = budget().record(Grant("INC-1", usd(1), FRONTLINE, None, "r1", at(5)))

        with pytest.raises(TimeWentBackwards) as caught:
            wallet.record(Grant("INC-2", usd(1), FRONTLINE, None, "r2", at(4)))

        assert str(caught.value) == (
            "a grant from budget 'front desk' at 2026-11-23T09:04:00+01:00 is earlier than the "
            "last event at 2026-11-23T09:05:00+01:00; pass a time at or after "
            "2026-11-23T09:05:00+01:00"
        )

    @pytest.mark.parametrize(
        ("changes", "error", "message"),
        [
            ({"holder": ""}, InvalidValueError, "a budget's holder must not be empty"),
            (
                {"pool": usd(0)},
                InvalidValueError,
                f"budget 'desk': pool must be positive Money, got {USD0}",
            ),
            (
                {"per_incident_cap": 50},
                InvalidValueError,
                "budget 'desk': per_incident_cap must be positive Money, got 50",
            ),
            (
                {"per_incident_cap": Money.of(5, "EUR")},
                CurrencyMismatch,
                "budget 'desk': the pool is in USD but the cap in EUR; use one currency",
            ),
            ({"zone": "Mars/Olympus"}, InvalidValueError, "unknown time zone 'Mars/Olympus'"),
            ({"zone": 5}, InvalidTypeError, "zone must be an IANA time zone name"),
            (
                {"period": "fortnight"},
                InvalidValueError,
                "period 'fortnight' is not one of 'day', 'week', 'month'",
            ),
            ({"ledger": "r1"}, InvalidTypeError, "ledger must be a sequence of Grant, got str"),
            ({"ledger": 5}, InvalidTypeError, "ledger must be a sequence of Grant, got int"),
            ({"ledger": [5]}, InvalidTypeError, "ledger[0] must be a Grant, got int 5"),
        ],
    )
    def test_a_malformed_budget_is_refused(
        self, changes: dict[str, object], error: type[Exception], message: str
    ) -> None:
        fields: dict[str, object] = {
            "holder": "desk",
            "pool": usd(100),
            "per_incident_cap": usd(50),
        }
        fields.update(changes)

        with pytest.raises(error) as caught:
            CompensationBudget(**fields)  # type: ignore[arg-type]

        assert str(caught.value).startswith(message)

    def test_a_pool_and_cap_in_two_currencies_name_both(self) -> None:
        with pytest.raises(CurrencyMismatch) as caught:
            CompensationBudget(holder="desk", pool=usd(100), per_incident_cap=Money.of(5, "EUR"))

        assert (caught.value.left, caught.value.right) == ("USD", "EUR")

    @pytest.mark.parametrize(
        ("amount", "error", "message"),
        [
            (usd(0), InvalidAmountError, "a grant must be above zero, got 0.00 USD"),
            (5, InvalidTypeError, "a grant's amount must be a Money, got int 5"),
            (
                Money.of(1, "EUR"),
                CurrencyMismatch,
                "budget 'front desk' is in USD; 1.00 EUR cannot be granted from it",
            ),
        ],
    )
    def test_a_grant_must_be_positive_money_in_the_budgets_currency(
        self, amount: Money, error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error) as caught:
            budget().check("INC-1", amount, at(1))

        assert str(caught.value) == message
        if isinstance(caught.value, CurrencyMismatch):
            assert (caught.value.left, caught.value.right) == ("USD", "EUR")

    def test_only_a_grant_is_recorded(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            budget().record("INC-1/grant-1")  # type: ignore[arg-type]

        assert str(caught.value) == "a grant must be a Grant, got str 'INC-1/grant-1'"

    def test_r3_a_grant_is_not_approved_by_who_asked_for_it(self) -> None:
        with pytest.raises(InvalidValueError) as caught:
            Grant("INC-1", usd(10), FRONTLINE, Actor("luis", "manager"), "r1", at(1))

        assert str(caught.value) == (
            "grant 'r1' is approved by 'luis', who asked for it; an approver is someone else "
            "(four eyes)"
        )
        assert caught.value.path == "approver"


class TestSuggestOffers:
    HOTEL = (
        Offer("suite upgrade", usd(60), usd(300)),
        Offer("late checkout", usd(0), usd(40)),
        Offer("champagne", usd(30), usd(60)),
        Offer("two free nights", usd(400), usd(700)),
    )

    def test_r4_r9_offers_within_authority_ranked_by_value_per_cost(self) -> None:
        suggestion = POLICY.suggest_offers(incident(), self.HOTEL, actor=FRONTLINE)

        assert [o.kind for o in suggestion.offers] == [
            "late checkout",
            "suite upgrade",
            "champagne",
        ]
        assert suggestion.enough
        assert {r.rule for r in suggestion.reasons} == {"R9.options", "R4.value"}

    def test_r4_choices_worth_too_little_are_not_suggested(self) -> None:
        policy = RecoveryPolicy(
            min_offer_value=BySeverity(usd(0), usd(0), usd(0), usd(50))  # critical: 50 USD
        )
        opened = answered(
            received(at=T0, policy=policy, severity=Severity.CRITICAL), after=timedelta(0)
        )

        suggestion = policy.suggest_offers(opened, self.HOTEL, actor=FRONTLINE)

        assert [o.kind for o in suggestion.offers] == ["suite upgrade", "champagne"]
        assert suggestion.reasons[-1] == Reason(
            "R4.generosity", "left out, worth less than 50.00 USD: 'late checkout' (40.00 USD)"
        )

    def test_r9_too_few_options_names_who_could_approve_more(self) -> None:
        pricey = (Offer("free night", usd(150), usd(250)), Offer("spa day", usd(120), usd(200)))

        suggestion = POLICY.suggest_offers(incident(), pricey, actor=FRONTLINE)

        assert (suggestion.enough, suggestion.approver_level) == (False, "supervisor")
        assert suggestion.offers == ()
        assert "supervisor could approve 2" in suggestion.explain()

    def test_r9_when_no_level_could_approve_enough_it_says_so(self) -> None:
        suggestion = POLICY.suggest_offers(incident(), self.HOTEL[:1], actor=FRONTLINE)

        assert (suggestion.enough, suggestion.approver_level) == (False, None)
        assert "no level could" in suggestion.explain()

    def test_r17_a_not_possible_offer_is_suggested_through_its_alternative(self) -> None:
        voucher = Offer("voucher", usd(20), usd(50))
        refund = Offer("refund", usd(500), usd(500), possible=False, alternative=voucher)

        suggestion = POLICY.suggest_offers(incident(), (refund, self.HOTEL[1]), actor=FRONTLINE)

        assert [o.kind for o in suggestion.offers] == ["late checkout", "voucher"]

    def test_an_offer_in_another_currency_is_refused(self) -> None:
        with pytest.raises(CurrencyMismatch, match="not in USD"):
            POLICY.suggest_offers(
                incident(), (Offer("x", Money.of(1, "EUR"), Money.of(2, "EUR")),), actor=FRONTLINE
            )

    def test_value_per_cost_of_a_free_offer_is_infinite(self) -> None:
        assert value_per_cost(self.HOTEL[1]) == Decimal("Infinity")
        assert rank_offers(self.HOTEL)[0].kind == "late checkout"

    def test_r4_value_per_cost_is_value_divided_by_cost(self) -> None:
        assert value_per_cost(Offer("champagne", usd(30), usd(60))) == Decimal(2)
        assert value_per_cost(Offer("pen", usd(4), usd(1))) == Decimal("0.25")

    def test_r4_equal_value_per_cost_ranks_the_more_valuable_first_then_by_name(self) -> None:
        small = Offer("drink", usd(10), usd(20))
        large = Offer("dinner", usd(50), usd(100))
        twin = Offer("breakfast", usd(50), usd(100))

        assert [o.kind for o in rank_offers((small, large, twin))] == [
            "breakfast",
            "dinner",
            "drink",
        ]

    @pytest.mark.parametrize(
        ("offers", "message", "path"),
        [
            ("voucher", "offers must be a list, got str 'voucher'", "offers"),
            (("voucher",), "offers[0] must be an Offer, got str 'voucher'", "offers[0]"),
        ],
    )
    def test_a_suggestion_holds_offers_only(self, offers: object, message: str, path: str) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            OfferSuggestion(offers=offers, enough=True, reasons=[Reason("R4.value", "best")])  # type: ignore[arg-type]

        assert (str(caught.value), caught.value.path) == (message, path)


class TestGrantDecision:
    def decision(self, outcome: GrantOutcome, approver_level: str | None) -> GrantDecision:
        return GrantDecision(
            outcome=outcome,
            incident_id="INC-1",
            reference="INC-1/grant-1",
            amount=usd(150),
            total=usd(150),
            actor=FRONTLINE,
            approver_level=approver_level,
            reasons=[Reason("R3.authority", "150.00 USD exceeds the frontline limit")],
        )

    def test_a_decision_that_needs_approval_names_a_level_of_the_ladder(self) -> None:
        names = POLICY.authority.names

        assert self.decision(GrantOutcome.NEEDS_APPROVAL, "supervisor").problem(names) is None
        assert self.decision(GrantOutcome.NEEDS_APPROVAL, "ceo").problem(names) == (
            "needs approval by 'ceo', not a level of the ladder"
        )

    @pytest.mark.parametrize("outcome", [GrantOutcome.APPROVED, GrantOutcome.REFUSED])
    def test_a_decision_that_needs_no_approval_names_no_level(self, outcome: GrantOutcome) -> None:
        assert self.decision(outcome, None).problem(POLICY.authority.names) is None


class TestBudgetCopies:
    """A budget's running sums (R3.cap) are worked out again from its ledger on reading."""

    def wallet(self) -> CompensationBudget:
        return (
            budget()
            .record(Grant("INC-1", usd(10), FRONTLINE, None, "r1", at(1)))
            .record(Grant("INC-2", usd(20), FRONTLINE, None, "r2", at(2)))
            .record(Grant("INC-1", usd(5), FRONTLINE, None, "r3", at(3)))
        )

    def test_a_pickle_holds_the_settings_the_ledger_and_the_version(self) -> None:
        wallet = self.wallet()

        assert set(wallet.__getstate__()) == {
            "holder",
            "pool",
            "per_incident_cap",
            "period",
            "zone",
            "ledger",
            "version",
        }

    @pytest.mark.parametrize(
        "again",
        [
            lambda b: pickle.loads(pickle.dumps(b)),  # noqa: S301 (our own value)
            copy.copy,
            copy.deepcopy,
        ],
    )
    def test_a_copy_answers_as_the_original(
        self, again: Callable[[CompensationBudget], CompensationBudget]
    ) -> None:
        wallet = self.wallet()
        back = again(wallet)

        assert back == wallet
        assert (back.spent_on("INC-1"), back.spent_on("INC-2")) == (usd(15), usd(20))
        assert back.remaining(at(4)) == wallet.remaining(at(4))
        assert back.record(wallet.ledger[0]) is back  # the same grant again: as it is
        with pytest.raises(GrantConflict):
            back.record(Grant("INC-3", usd(1), FRONTLINE, None, "r1", at(5)))

    def test_a_copy_of_an_earlier_version_reads_back_too(self) -> None:
        # Pickles made before the running sums hold their period's spend and no sums.
        wallet = self.wallet()
        state = {**wallet.__getstate__(), "_latest": None}
        back = object.__new__(CompensationBudget)
        back.__setstate__(state)

        assert back.spent_on("INC-1") == usd(15)

    @pytest.mark.parametrize("incident_id", [["INC-1"], {"id": 1}, 7, ""])
    def test_a_question_about_a_bad_incident_id_is_refused(self, incident_id: object) -> None:
        wallet = self.wallet()

        for ask in (
            lambda: wallet.spent_on(incident_id),  # type: ignore[arg-type]
            lambda: wallet.check(incident_id, usd(1), at(4)),  # type: ignore[arg-type]
            lambda: wallet.refusal(incident_id, usd(1), at(4)),  # type: ignore[arg-type]
        ):
            with pytest.raises(InvalidArgumentError, match="incident_id"):
                ask()


class TestStoringBudgets:
    def test_a_budget_round_trips_through_json_with_its_version(self) -> None:
        wallet = budget().record(Grant("INC-1", usd(120), FRONTLINE, None, "INC-1/grant-1", at(1)))

        stored = json.loads(json.dumps(serialize_budget(wallet)))

        assert stored["version"] == 1
        assert deserialize_budget(stored) == wallet
        assert deserialize_budget(stored).remaining(at(2)) == wallet.remaining(at(2))

    def test_r3_a_stored_ledger_that_overspends_is_refused_naming_the_grant(self) -> None:
        wallet = budget(pool=200).record(Grant("INC-1", usd(120), FRONTLINE, None, "r1", at(1)))
        stored = serialize_budget(wallet)
        stored["ledger"][0]["amount"]["amount"] = "500.00"

        with pytest.raises(SerializationError, match=r"R3\.budget") as caught:
            deserialize_budget(stored)

        assert caught.value.path == "budget.ledger[0]"

    def test_a_ledger_given_whole_is_checked_like_one_recorded(self) -> None:
        grants = (
            Grant("INC-1", usd(10), FRONTLINE, None, "r1", at(5)),
            Grant("INC-2", usd(10), FRONTLINE, None, "r2", at(4)),
        )

        with pytest.raises(InvalidValueError, match=r"ledger\[1\] \(r2\)"):
            CompensationBudget(holder="h", pool=usd(100), per_incident_cap=usd(50), ledger=grants)

    def test_a_stored_version_below_its_grants_is_refused(self) -> None:
        wallet = budget().record(Grant("INC-1", usd(10), FRONTLINE, None, "r1", at(1)))
        stored = serialize_budget(wallet)
        stored["version"] = 0

        with pytest.raises(SerializationError, match="version must be a whole number from 1"):
            deserialize_budget(stored)

    @pytest.mark.parametrize("version", [True, 0.0, "1", None])
    def test_a_stored_version_is_a_real_int(self, version: object) -> None:
        stored = serialize_budget(budget())
        stored["version"] = version

        with pytest.raises(SerializationError, match="expected int") as caught:
            deserialize_budget(stored)

        assert caught.value.path == "budget.version"

    def test_a_version_goes_up_to_what_a_database_integer_holds_and_no_further(self) -> None:
        highest = 2**63 - 1
        fields = {"holder": "desk", "pool": usd(100), "per_incident_cap": usd(50)}

        assert CompensationBudget(**fields, version=highest).version == highest  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError) as caught:
            CompensationBudget(**fields, version=highest + 1)  # type: ignore[arg-type]

        assert str(caught.value) == (
            f"version must be a whole number from 0 to {highest}, got {highest + 1}"
        )

    def test_a_stored_version_may_count_revisions_as_well_as_grants(self) -> None:
        revised = budget().revise(pool=usd(6000)).revise(per_incident_cap=usd(4000))

        assert deserialize_budget(json.loads(json.dumps(serialize_budget(revised)))) == revised
        assert revised.version == 2

    def test_r3_a_stored_ledger_with_a_reference_twice_is_refused(self) -> None:
        wallet = budget().record(Grant("INC-1", usd(10), FRONTLINE, None, "r1", at(1)))
        stored = serialize_budget(wallet)
        stored["ledger"].append(dict(stored["ledger"][0]))
        stored["version"] = 2

        with pytest.raises(SerializationError, match="'r1' is in the ledger already") as caught:
            deserialize_budget(stored)

        assert caught.value.path == "budget.ledger[1].reference"


class TestBudgetVersions:
    """R3: a budget's version covers every change, and a reference names one grant."""

    def test_every_grant_and_every_revision_moves_the_version(self) -> None:
        wallet = budget()
        granted = wallet.record(Grant("INC-1", usd(10), FRONTLINE, None, "r1", at(1)))
        raised = granted.revise(pool=usd(6000))

        assert (wallet.version, granted.version, raised.version) == (0, 1, 2)
        assert raised.pool == usd(6000)
        assert raised.ledger == granted.ledger

    def test_r3_recording_the_same_grant_again_is_a_no_op(self) -> None:
        grant = Grant("INC-1", usd(30), FRONTLINE, None, "INC-1/grant-1", at(1))
        once = budget().record(grant)

        assert once.record(grant) is once
        assert once.spent_on("INC-1") == usd(30)

    def test_r3_another_grant_under_a_used_reference_is_refused(self) -> None:
        once = budget().record(Grant("INC-1", usd(80), FRONTLINE, None, "INC-1/grant-1", at(1)))
        other = Grant("INC-1", usd(80), Actor("marta", "frontline"), None, "INC-1/grant-1", at(2))

        with pytest.raises(GrantConflict) as caught:
            once.record(other)

        assert str(caught.value) == (
            "budget 'front desk' already recorded 'INC-1/grant-1' (80.00 USD on INC-1 by luis "
            "(frontline)); another grant needs another reference: authorize again on the "
            "incident as stored now"
        )
        assert caught.value.path == "reference"

    @pytest.mark.parametrize(
        ("changes", "message", "path"),
        [
            (
                {"pool": usd(4000)},
                (
                    "budget 'front desk': pool 4000.00 USD is below the current 5000.00 USD; "
                    "limits only rise, so every grant in the ledger stays within them"
                ),
                "pool",
            ),
            (
                {"per_incident_cap": usd(1)},
                (
                    "budget 'front desk': per_incident_cap 1.00 USD is below the current 3000.00 "
                    "USD; limits only rise, so every grant in the ledger stays within them"
                ),
                "per_incident_cap",
            ),
            ({}, "budget 'front desk': pass pool=, per_incident_cap= or both to revise", ""),
        ],
    )
    def test_limits_only_rise(self, changes: dict[str, Money], message: str, path: str) -> None:
        with pytest.raises(InvalidValueError) as caught:
            budget().revise(**changes)

        assert (str(caught.value), caught.value.path) == (message, path)

    def test_a_revision_raises_the_limits_it_names_and_keeps_the_others(self) -> None:
        wallet = budget()

        raised = wallet.revise(per_incident_cap=usd(4000))
        both = wallet.revise(pool=wallet.pool, per_incident_cap=usd(3500))  # a form sends both

        assert (raised.pool, raised.per_incident_cap) == (usd(5000), usd(4000))
        assert (both.pool, both.per_incident_cap, both.version) == (usd(5000), usd(3500), 1)

    def test_a_revision_keeps_the_currency(self) -> None:
        with pytest.raises(CurrencyMismatch):
            budget().revise(pool=Money.of(9000, "EUR"))

    def test_a_revision_is_money(self) -> None:
        with pytest.raises(InvalidTypeError) as caught:
            budget().revise(pool=9000)  # type: ignore[arg-type]

        assert str(caught.value) == "pool must be a Money, got int 9000"

    @pytest.mark.parametrize("year", [1, 9999])
    def test_times_outside_the_years_counted_are_refused(self, year: int) -> None:
        far = datetime(year, 6, 1, tzinfo=UTC)
        wallet = budget()

        for ask in (wallet.remaining, wallet.spent, wallet.period_bounds):
            with pytest.raises(InvalidValueError, match="outside 1900-01-01"):
                ask(far)
        with pytest.raises(InvalidValueError, match="outside 1900-01-01"):
            wallet.check("INC-1", usd(10), far)


class ConflictError(Exception):
    """Another agent wrote first."""


class Store:
    """An incident and its budget stored as JSON, written together with compare-and-set."""

    def __init__(self, incident: Incident, budget: CompensationBudget) -> None:
        self.rows = self.rows_of(incident, budget)

    @staticmethod
    def rows_of(incident: Incident, budget: CompensationBudget) -> dict[str, tuple[int, str]]:
        return {
            "incident": (incident.version, json.dumps(serialize_events(incident.events))),
            "budget": (budget.version, json.dumps(serialize_budget(budget))),
        }

    def read(self) -> tuple[Incident, CompensationBudget]:
        events = deserialize_events(json.loads(self.rows["incident"][1]))
        stored = deserialize_budget(json.loads(self.rows["budget"][1]))
        return Incident.replay(events, policy=POLICY), stored

    def write(
        self, read: tuple[Incident, CompensationBudget], new: tuple[Incident, CompensationBudget]
    ) -> None:
        if (self.rows["incident"][0], self.rows["budget"][0]) != (read[0].version, read[1].version):
            raise ConflictError
        self.rows = self.rows_of(*new)


def act(
    who: str, amount: int, copy: tuple[Incident, CompensationBudget], when: datetime
) -> tuple[Incident, CompensationBudget] | None:
    """What `who` does on their copy: a manager raises the pool, an agent grants if allowed."""
    held, wallet = copy
    if who == "manager":
        return held, wallet.revise(pool=wallet.pool + usd(amount))
    decision = POLICY.authorize(
        held, usd(amount), actor=Actor(who, "frontline"), budget=wallet, at=when
    )
    if decision.outcome is not GrantOutcome.APPROVED:
        return None
    return held.grant(decision, budget=wallet, at=when)


class TestTwoStaleCopies:
    """R3: two agents acting on copies read before the other wrote lose no money and no raise."""

    @settings(max_examples=40, deadline=None)
    @given(
        amounts=st.lists(st.integers(1, 150), min_size=3, max_size=3),
        order=st.permutations(["luis", "marta", "manager"]),
    )
    def test_r3_limits_hold_and_the_incident_and_budget_agree(
        self, amounts: list[int], order: list[str]
    ) -> None:
        store = Store(incident(severity=Severity.LOW), budget(pool=200, cap=150))
        copies = {who: store.read() for who in order}  # everyone reads before anyone writes
        for who, amount in zip(order, amounts, strict=True):
            copy = copies[who]
            for _attempt in range(2):
                new = act(who, amount, copy, at(5))
                if new is None:
                    break
                try:
                    store.write(copy, new)
                    break
                except ConflictError:
                    copy = store.read()  # read again, decide again

        held, wallet = store.read()
        references = [grant.reference for grant in wallet.ledger]
        assert len(references) == len(set(references))
        assert held.granted == wallet.spent_on(held.id)
        assert held.granted <= POLICY.authority.lowest.limit  # no approval was asked
        assert wallet.pool == usd(200 + amounts[order.index("manager")])  # the raise is kept

    def test_r3_a_stale_incident_cannot_reuse_a_grant_reference_in_the_budget(self) -> None:
        start = Store(incident(severity=Severity.LOW), budget())
        luis_copy, marta_copy = start.read(), start.read()
        start.write(luis_copy, act("luis", 80, luis_copy, at(5)) or luis_copy)
        # A host that compares only the budget: marta's stale incident names grant-1 again.
        stale_incident, _ = marta_copy
        _, fresh_budget = start.read()
        decision = POLICY.authorize(
            stale_incident,
            usd(80),
            actor=Actor("marta", "frontline"),
            budget=fresh_budget,
            at=at(6),
        )

        with pytest.raises(GrantConflict, match="already recorded 'INC-1/grant-1'"):
            stale_incident.grant(decision, budget=fresh_budget, at=at(6))


class TestGrantArguments:
    def test_a_budget_that_is_not_a_budget_is_refused_and_nothing_changes(self) -> None:
        case = incident()
        decision = POLICY.authorize(case, usd(50), actor=FRONTLINE, budget=budget(), at=at(1))

        with pytest.raises(InvalidTypeError, match="budget must be a CompensationBudget"):
            case.grant(decision, budget={"pool": 100}, at=at(1))  # type: ignore[arg-type]

        assert case == incident()

    @pytest.mark.parametrize("reference", [3, None, ["INC-1/grant-1"]])
    def test_a_reference_that_is_not_text_is_refused(self, reference: object) -> None:
        case = incident()
        approver = Actor("sara", "supervisor")

        with pytest.raises(InvalidTypeError, match="reference must be a str"):
            case.approve(reference, approver=approver, budget=budget(), at=at(1))  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="reference must be a str"):
            case.reject(reference, approver=approver, reason="no", at=at(1))  # type: ignore[arg-type]
