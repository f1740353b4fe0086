"""Assertions for a policy's tests: "this incident escalates to X because of R16"."""

from __future__ import annotations

from datetime import datetime

from service_recovery._money.authority import Actor
from service_recovery._money.budget import CompensationBudget
from service_recovery._money.money import Money
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery.decisions import (
    EscalationDecision,
    GrantDecision,
    GrantOutcome,
)


def assert_escalates(
    policy: RecoveryPolicy, incident: Incident, *, to: str, because: str, at: datetime | None = None
) -> EscalationDecision:
    """Assert that `policy` escalates `incident` to level `to` for rule `because` (``"R16"``).

    `because` matches a reason's full rule (``"R16.ignored"``) or its bare id (``"R16"``).
    Returns the decision, for further checks.
    """
    decision = policy.escalation(incident, incident.updated_at if at is None else at)
    rules = {reason.rule for reason in decision.reasons} | {r.rule_id for r in decision.reasons}
    if not decision.escalate or decision.to != to or because not in rules:
        msg = f"expected escalation to {to} because of {because}, got:\n{decision.explain()}"
        raise AssertionError(msg)
    return decision


def assert_stays(
    policy: RecoveryPolicy, incident: Incident, *, at: datetime | None = None
) -> EscalationDecision:
    """Assert that `policy` does not escalate `incident`; returns the decision."""
    decision = policy.escalation(incident, incident.updated_at if at is None else at)
    if decision.escalate:
        msg = f"expected no escalation, got:\n{decision.explain()}"
        raise AssertionError(msg)
    return decision


def assert_needs_approval(
    policy: RecoveryPolicy,
    incident: Incident,
    amount: Money,
    *,
    actor: Actor,
    by: str,
    budget: CompensationBudget | None = None,
    at: datetime | None = None,
) -> GrantDecision:
    """Assert that `actor` granting `amount` needs approval by level `by` (R3).

    Without a budget, one that covers any amount is assumed.
    """
    currency = policy.authority.currency
    plenty = Money.of(10**12, currency)
    budget = budget or CompensationBudget(holder="test", pool=plenty, per_incident_cap=plenty)
    decision = policy.authorize(
        incident, amount, actor=actor, budget=budget, at=at or incident.updated_at
    )
    if decision.outcome is not GrantOutcome.NEEDS_APPROVAL or decision.approver_level != by:
        msg = f"expected {amount} by {actor} to need approval by {by}, got:\n{decision.explain()}"
        raise AssertionError(msg)
    return decision
