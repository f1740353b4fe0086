"""Each command's checks: what an event must agree with in the record before it is recorded.

`FACT_CHECKS` is what replay checks too, so a stored history is held to what the
commands enforce (R10's numbering, R12's one score of each kind, a grant within the
authority of whoever gave it, …). The policy's own limits on a command's arguments (R2's
handoffs, R8's confirmation, R4's and R9's options, R15's level) are checked only when
the command runs: they were the deciding policy's to apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

from service_recovery._base.checks import described, shown, text, unchecked
from service_recovery._money.authority import Actor
from service_recovery._money.offers import Offer
from service_recovery._recovery.approvals import check_granted, check_rejected, check_requested
from service_recovery._recovery.lifecycle import Step
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._recovery.record import IncidentRecord, alert_key
from service_recovery.errors import CurrencyMismatch, InvalidTypeError, RuleViolation, TimerError
from service_recovery.events import (
    AlertRaised,
    ApprovalRejected,
    ApprovalRequested,
    CompensationGranted,
    CustomerReplied,
    Declined,
    Escalated,
    Event,
    HandedOff,
    OptionsOffered,
    PromiseMade,
    Restated,
    SatisfactionRecorded,
    SeverityRaised,
    WaitingOnCustomer,
)

# ---------------------------------------------------------------------- the policy's limits


def restated(record: IncidentRecord, problem: str, *, confirmed: bool, at: datetime) -> Restated:
    """R8: only a restatement the customer confirmed counts."""
    problem = text(problem, "the restated problem")
    if confirmed is not True:
        msg = (
            f"R8: incident {shown(record.id)}: the customer has not confirmed {shown(problem)}; "
            f"restate it again until they do, then pass confirmed=True"
        )
        raise RuleViolation(msg, rule="R8")
    return unchecked(Restated, incident_id=record.id, at=at, problem=problem)


def offered(
    record: IncidentRecord, policy: RecoveryPolicy, offers: Sequence[Offer], at: datetime
) -> OptionsOffered:
    """R9 and R4: enough distinct choices, each worth enough to the customer.

    At least `policy.min_options` distinct choices (R17: through alternatives), each worth
    at least `policy.least_offer_value`, if the policy sets one.
    """
    if type(offers) is not tuple:  # the usual case needs no check (Iterable's is slow)
        if isinstance(offers, str | bytes | Mapping) or not isinstance(offers, Iterable):
            msg = f"offers must be a list of Offer, got {described(offers)}"
            raise InvalidTypeError(msg)
        offers = tuple(offers)
    for index, item in enumerate(offers):
        if not isinstance(item, Offer):
            msg = f"offers[{index}] must be an Offer, got {described(item)}"
            raise InvalidTypeError(msg)
    choices = {item.choice for item in offers}
    wanted = policy.min_options
    if len(choices) < wanted:
        kinds = ", ".join(sorted(repr(choice.kind) for choice in choices)) or "none"
        msg = (
            f"R9: incident {shown(record.id)}: {len(choices)} distinct option(s) offered "
            f"({kinds}); offer at least {wanted} so the customer can choose"
        )
        raise RuleViolation(msg, rule="R9")
    least = policy.least_offer_value(record)
    if least is None:
        return unchecked(OptionsOffered, incident_id=record.id, at=at, offers=offers)
    for index, item in enumerate(offers):
        worth = item.choice.value
        if worth.currency != least.currency:
            msg = (
                f"offers[{index}] {item.kind!r} is worth {worth}; R4 asks each choice to be "
                f"worth {least}: give its value in {least.currency}"
            )
            raise CurrencyMismatch(msg, left=least.currency, right=worth.currency)
    stingy = sorted((c for c in choices if c.value < least), key=lambda c: (c.value, c.kind))
    if len(choices) - len(stingy) < wanted:  # R4: a stingy choice is no choice
        named = ", ".join(f"{choice.kind!r} worth {choice.value}" for choice in stingy)
        msg = (
            f"R4: incident {shown(record.id)} is {record.severity}: {named} "
            f"{'is' if len(stingy) == 1 else 'are'} worth less than the {least} the policy "
            f"asks of each choice; offer at least {wanted} worth that much"
        )
        raise RuleViolation(msg, rule="R4")
    return unchecked(OptionsOffered, incident_id=record.id, at=at, offers=offers)


def declined(
    record: IncidentRecord, policy: RecoveryPolicy, reason: str, by: Actor, at: datetime
) -> Declined:
    """R15: letting the customer go takes a reason and a level that may decide it."""
    event = Declined(incident_id=record.id, at=at, reason=reason, by=by)
    ladder, lowest = policy.authority, policy.decline_level
    if ladder.rank(by.level) < ladder.rank(lowest):
        msg = (
            f"R15: {by} may not decline incident {shown(record.id)}; "
            f"it takes {shown(lowest)} or above "
            f"({', '.join(ladder.names[ladder.rank(lowest) :])})"
        )
        raise RuleViolation(msg, rule="R15")
    return event


def handed_off(record: IncidentRecord, policy: RecoveryPolicy, to: str, at: datetime) -> HandedOff:
    """R2: at most `policy.max_handoffs`, unless the policy escalates the excess instead."""
    event = HandedOff(incident_id=record.id, at=at, from_agent=record.owner or "", to_agent=to)
    check_handed_off(record, policy, event)
    if record.handoffs >= policy.max_handoffs and not policy.escalate_excess_handoffs:
        msg = (
            f"R2: incident {shown(record.id)} was handed off {record.handoffs} time(s), the "
            f"most the policy allows ({policy.max_handoffs}); take responsibility or escalate"
        )
        raise RuleViolation(msg, rule="R2")
    return event


# ---------------------------------------------------------------------- the facts


def check_severity_raised(
    record: IncidentRecord, _policy: RecoveryPolicy, event: SeverityRaised
) -> None:
    """R16: a severity is only ever raised."""
    if not event.severity > record.severity:
        msg = (
            f"R16: incident {shown(record.id)} is already {record.severity}; a severity is only "
            f"raised, never kept or lowered, got {event.severity}"
        )
        raise RuleViolation(msg, rule="R16", path="severity")


def check_alert_raised(record: IncidentRecord, _policy: RecoveryPolicy, event: AlertRaised) -> None:
    """Each alert is recorded once."""
    if alert_key(event.alert) in record.noticed:
        msg = (
            f"incident {shown(record.id)} already noticed {event.alert}; tick records each "
            "alert once"
        )
        raise TimerError(msg, path="alert")


def check_escalated(record: IncidentRecord, policy: RecoveryPolicy, event: Escalated) -> None:
    """R9: an escalation goes up the ladder, to one of its levels."""
    ladder = policy.authority
    if ladder.rank(event.to) <= ladder.rank(record.level):
        above = ", ".join(ladder.names[ladder.rank(record.level) + 1 :]) or "none (top level)"
        msg = (
            f"R9: cannot escalate incident {shown(record.id)} to {shown(event.to)}: it is "
            f"already held by {shown(record.level)}; escalate to a higher level: {above}"
        )
        raise RuleViolation(msg, rule="R9", path="to")


def check_handed_off(record: IncidentRecord, _policy: RecoveryPolicy, event: HandedOff) -> None:
    """R2: only the owner hands the incident off, and to someone else."""
    if event.from_agent != (record.owner or ""):
        msg = (
            f"R2: incident {shown(record.id)} is owned by {shown(record.owner)}, not "
            f"{shown(event.from_agent)}, who cannot hand it off"
        )
        raise RuleViolation(msg, rule="R2", path="from_agent")
    if event.to_agent == record.owner:
        msg = (
            f"R2: incident {shown(record.id)} is already owned by {shown(event.to_agent)}; "
            "hand it to someone else"
        )
        raise RuleViolation(msg, rule="R2", path="to_agent")


def check_promise_made(record: IncidentRecord, _policy: RecoveryPolicy, event: PromiseMade) -> None:
    """R10: promises are numbered 1, 2, 3… in the order made."""
    expected = len(record.promises) + 1
    if event.number != expected:
        msg = (
            f"R10: promise number {event.number} on incident {shown(record.id)} should be "
            f"{expected}: promises are numbered 1, 2, 3… in the order made"
        )
        raise RuleViolation(msg, rule="R10", path="number")


def check_satisfaction(
    record: IncidentRecord, _policy: RecoveryPolicy, event: SatisfactionRecorded
) -> None:
    """R12: an after-score once resolved, a before-score while open, each once."""
    if event.before_recovery and not record.step.is_open:
        msg = (
            f"R12: incident {shown(record.id)} is {record.step}; a before-score is taken while open"
        )
        raise RuleViolation(msg, rule="R12")
    if not event.before_recovery and record.outcome is not Step.RESOLVED:
        msg = (
            f"R12: incident {shown(record.id)} is {record.step}, not resolved; measure "
            "satisfaction after the fix"
        )
        raise RuleViolation(msg, rule="R12")
    already = record.satisfaction_before if event.before_recovery else record.satisfaction
    if already is not None:
        msg = f"R12: incident {shown(record.id)} already has that score ({already})"
        raise RuleViolation(msg, rule="R12")


def check_waiting(
    record: IncidentRecord, _policy: RecoveryPolicy, _event: WaitingOnCustomer
) -> None:
    """One wait at a time."""
    if record.waiting:
        msg = f"incident {shown(record.id)} is already waiting on the customer; record their reply"
        raise TimerError(msg)


def check_replied(record: IncidentRecord, _policy: RecoveryPolicy, _event: CustomerReplied) -> None:
    """A reply resumes a wait."""
    if not record.waiting:
        msg = f"incident {shown(record.id)} is not waiting on the customer; nothing to resume"
        raise TimerError(msg)


FACT_CHECKS: Mapping[type[Event], Callable[[IncidentRecord, RecoveryPolicy, Any], None]] = (
    MappingProxyType(
        {
            SeverityRaised: check_severity_raised,
            Escalated: check_escalated,
            HandedOff: check_handed_off,
            PromiseMade: check_promise_made,
            SatisfactionRecorded: check_satisfaction,
            WaitingOnCustomer: check_waiting,
            CustomerReplied: check_replied,
            AlertRaised: check_alert_raised,
            ApprovalRequested: check_requested,
            ApprovalRejected: check_rejected,
            CompensationGranted: check_granted,
        }
    )
)
"""What each event must agree with in the record before it, beyond its own fields."""
