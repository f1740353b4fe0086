"""Random grants and approvals against one budget: the ledger always tells the truth."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from service_recovery import (
    Actor,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    Money,
    Period,
    RecoveryPolicy,
    Severity,
    deserialize_budget,
    serialize_budget,
)
from service_recovery._base.instants import later
from service_recovery.decisions import GrantOutcome
from service_recovery.errors import RecoveryError
from service_recovery.events import CompensationGranted

POLICY = RecoveryPolicy()
START = datetime(2026, 3, 28, 20, 0, tzinfo=ZoneInfo("Europe/Madrid"))  # a DST night ahead
PEOPLE = st.sampled_from(
    [Actor(name, level) for name in ("luis", "marta", "pere") for level in POLICY.authority.names]
)
AMOUNTS = st.integers(1, 2600).map(lambda n: Money.of(n, "USD"))


class BudgetMachine(RuleBasedStateMachine):
    """Three incidents draw on one daily budget through authorize, grant and approve."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.budget = CompensationBudget(
            holder="front desk",
            pool=Money.of(3000, "USD"),
            per_incident_cap=Money.of(2200, "USD"),
            period=Period.DAY,
            zone="Europe/Madrid",
        )
        self.incidents = {
            f"INC-{n}": Incident.receive(
                incident_id=f"INC-{n}",
                customer="c",
                channel=Channel.CHAT,
                category=Category.POOR_SERVICE,
                severity=Severity.HIGH,
                at=START,
                policy=POLICY,
            )
            for n in range(3)
        }

    @rule(step=st.timedeltas(timedelta(0), timedelta(hours=9)))
    def time_passes(self, step: timedelta) -> None:
        self.now = later(self.now, step)  # real time: the night ahead changes the clocks

    @rule(which=st.integers(0, 2), amount=AMOUNTS, actor=PEOPLE)
    def authorize_and_act(self, which: int, amount: Money, actor: Actor) -> None:
        incident = self.incidents[f"INC-{which}"]
        decision = POLICY.authorize(incident, amount, actor=actor, budget=self.budget, at=self.now)
        if decision.outcome is GrantOutcome.APPROVED:
            incident, self.budget = incident.grant(decision, budget=self.budget, at=self.now)
        elif decision.outcome is GrantOutcome.NEEDS_APPROVAL:
            incident = incident.request_approval(decision, at=self.now)
        self.incidents[incident.id] = incident

    @precondition(lambda self: any(i.pending_approvals for i in self.incidents.values()))
    @rule(data=st.data(), approver=PEOPLE)
    def approve(self, data: st.DataObject, approver: Actor) -> None:
        pending = [d for i in self.incidents.values() for d in i.pending_approvals]
        decision = data.draw(st.sampled_from(pending))
        incident = self.incidents[decision.incident_id]
        try:
            incident, self.budget = incident.approve(
                decision.reference, approver=approver, budget=self.budget, at=self.now
            )
        except RecoveryError:
            event("approval refused")  # self-approval, a level too low, or no budget left
            return
        event("approved")
        self.incidents[incident.id] = incident

    @invariant()
    def remaining_is_never_negative(self) -> None:
        assert self.budget.remaining(self.now).amount >= 0

    @invariant()
    def the_ledger_sum_is_the_spend(self) -> None:
        start, end = self.budget.period_bounds(self.now)
        in_period = [g.amount.amount for g in self.budget.ledger if start <= g.at < end]
        assert self.budget.spent(self.now).amount == sum(in_period, Decimal(0))

    @invariant()
    def every_grant_is_in_the_ledger_and_on_its_incident(self) -> None:
        for incident in self.incidents.values():
            assert incident.granted == self.budget.spent_on(incident.id)
        granted = [
            e.decision.reference
            for i in self.incidents.values()
            for e in i.events
            if isinstance(e, CompensationGranted)
        ]
        assert sorted(granted) == sorted(g.reference for g in self.budget.ledger)

    @invariant()
    def the_running_sums_are_the_ledgers(self) -> None:
        # R3.cap: a budget keeps what each incident got as grants are recorded; the sum
        # over the ledger, and a copy read back from storage, must say the same.
        stored = deserialize_budget(serialize_budget(self.budget))
        for incident_id in {g.incident_id for g in self.budget.ledger} | {"INC-none"}:
            mine = [g.amount.amount for g in self.budget.ledger if g.incident_id == incident_id]
            assert self.budget.spent_on(incident_id).amount == sum(mine, Decimal(0))
            assert stored.spent_on(incident_id) == self.budget.spent_on(incident_id)

    @invariant()
    def no_grant_exceeds_its_approvers_limit(self) -> None:
        for incident in self.incidents.values():
            for fact in incident.events:
                if isinstance(fact, CompensationGranted):
                    who = fact.approver or fact.decision.actor
                    assert fact.decision.total <= POLICY.authority.level(who.level).limit
                    assert fact.approver is None or fact.approver.name != fact.decision.actor.name

    @invariant()
    def versions_count_the_grants(self) -> None:
        assert self.budget.version == len(self.budget.ledger)


BudgetMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestBudgetMachine = BudgetMachine.TestCase
