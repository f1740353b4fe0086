"""Grants and four-eyes approvals (R3): the workflow that spans the incident and the budget.

A grant decision comes from `RecoveryPolicy.authorize`. An approved one is granted at
once; one beyond the actor's authority is requested, then approved by someone else whose
level covers the incident's total, or rejected. Each step is checked against the record
as it stands (a decision is used once, its total must still be the incident's), so two
agents acting on stale copies cannot both spend; the budget records the same grant as
the incident, or neither changes.
"""

from __future__ import annotations

from service_recovery._base.checks import shown, text
from service_recovery._money.authority import Actor
from service_recovery._money.budget import Grant
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._recovery.record import IncidentRecord
from service_recovery.decisions import GrantDecision, GrantOutcome
from service_recovery.errors import (
    ApprovalError,
    AuthorityError,
    GrantConflict,
    InvalidTypeError,
    InvalidValueError,
    RecoveryError,
)
from service_recovery.events import ApprovalRejected, ApprovalRequested, CompensationGranted

_NEXT_STEP = {
    GrantOutcome.NEEDS_APPROVAL: "call request_approval, then approve",
    GrantOutcome.REFUSED: "nothing can be granted",
    GrantOutcome.APPROVED: "call grant",
}


def check_requested(
    record: IncidentRecord, policy: RecoveryPolicy, event: ApprovalRequested
) -> None:
    """A request puts a fresh decision that needs approval before a higher level."""
    _fresh(record, event.decision, GrantOutcome.NEEDS_APPROVAL)
    _check_decision(record, policy, event.decision)


def check_rejected(record: IncidentRecord, policy: RecoveryPolicy, event: ApprovalRejected) -> None:
    """A rejection answers a pending request, by a level of the ladder."""
    pending(record, event.reference)
    policy.authority.level(event.approver.level)


def check_granted(
    record: IncidentRecord, policy: RecoveryPolicy, event: CompensationGranted
) -> None:
    """A grant is of an approved decision, or answers a pending request (four eyes)."""
    decision, approver = event.decision, event.approver
    if approver is None:
        _fresh(record, decision, GrantOutcome.APPROVED)
        _check_decision(record, policy, decision)
        _within_limit(record, policy, decision, decision.actor, AuthorityError)
        return
    if pending(record, decision.reference) != decision:
        msg = (
            f"the grant answering {shown(decision.reference)} is not the decision that was "
            "requested; approve the request as it stands"
        )
        raise ApprovalError(msg, path="decision")
    if approver.name == decision.actor.name:
        msg = (
            f"{shown(approver.name)} asked for {shown(decision.reference)} and cannot "
            "approve it too (four eyes)"
        )
        raise ApprovalError(msg, path="approver")
    _within_limit(record, policy, decision, approver, ApprovalError)


def pending(record: IncidentRecord, reference: str) -> GrantDecision:
    """The pending request called `reference`, or an error listing those pending."""
    text(reference, "reference")
    for decision in record.pending_approvals:
        if decision.reference == reference:
            return decision
    names = ", ".join(d.reference for d in record.pending_approvals) or "none"
    msg = (
        f"no pending approval request {shown(reference)} on incident {shown(record.id)}; "
        f"pending: {names}"
    )
    raise ApprovalError(msg)


def grant_of(event: CompensationGranted) -> Grant:
    """The budget's ledger entry for a checked grant."""
    decision = event.decision
    return Grant(
        event.incident_id,
        decision.amount,
        decision.actor,
        event.approver,
        decision.reference,
        event.at,
    )


def _check_decision(
    record: IncidentRecord, policy: RecoveryPolicy, decision: GrantDecision
) -> None:
    """A grant decision about this incident as it stands: its amount, total and levels."""
    ladder = policy.authority
    amount = decision.amount
    if amount.currency != ladder.currency or not amount.is_positive:
        msg = f"a grant must be positive Money in {ladder.currency}, got {amount}"
        raise InvalidValueError(msg, path="decision.amount")
    expected = record.granted + amount
    if decision.total != expected:
        msg = (
            f"decision {shown(decision.reference)} says the incident's total is "
            f"{decision.total}, but {record.granted} granted so far and {amount} make "
            f"{expected}; authorize again"
        )
        raise GrantConflict(msg, path="decision.total")
    ladder.level(decision.actor.level)
    if decision.approver_level is not None:
        ladder.level(decision.approver_level)


def _fresh(record: IncidentRecord, decision: GrantDecision, outcome: GrantOutcome) -> None:
    """Refuse a decision of another kind, for another incident, or already used."""
    if not isinstance(decision, GrantDecision):
        msg = f"expected a GrantDecision from policy.authorize, got {shown(decision)}"
        raise InvalidTypeError(msg)
    if decision.outcome is not outcome:
        msg = (
            f"decision {shown(decision.reference)} is {decision.outcome.value}; "
            f"{_NEXT_STEP[decision.outcome]}"
        )
        raise ApprovalError(msg)
    if decision.incident_id != record.id:
        msg = (
            f"decision {shown(decision.reference)} is for incident "
            f"{shown(decision.incident_id)}, not {shown(record.id)}"
        )
        raise ApprovalError(msg)
    if any(d.reference == decision.reference for d in record.grant_decisions):
        msg = (
            f"decision {shown(decision.reference)} was already used, or another grant came "
            "first; authorize again"
        )
        raise GrantConflict(msg)


def _within_limit(
    record: IncidentRecord,
    policy: RecoveryPolicy,
    decision: GrantDecision,
    actor: Actor,
    error: type[RecoveryError],
) -> None:
    """R3: the incident's total after the grant must be within `actor`'s level."""
    total = record.granted + decision.amount
    level = policy.authority.level(actor.level)
    if total > level.limit:
        able = policy.authority.lowest_able(total)
        who = f"{able.name} may approve it" if able else "no level may approve it"
        msg = (
            f"R3.authority: {decision.amount} would bring incident {shown(record.id)} to "
            f"{total}, above the {level.name} limit of {level.limit} held by "
            f"{shown(actor.name)}; {who}"
        )
        raise error(msg)
