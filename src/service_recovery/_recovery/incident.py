"""Incident: the aggregate, its record and the commands that move it.

Every command checks everything first, then records one event through the same
`_apply` that `Incident.replay` uses, so a replayed history is the same incident by
construction. A refused command raises and leaves the incident as it was. The checks live
in `commands` and `approvals`, the facts in `record`, the clocks in `timers`; each
command here is the short sequence that joins them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Self

import attrs

from service_recovery._base.checks import (
    described,
    flag,
    instance,
    member,
    shown,
    text,
    unchecked,
    within,
)
from service_recovery._base.fields import NO_FIELDS, host_fields
from service_recovery._base.instants import aware, before, not_before
from service_recovery._base.kept import kept
from service_recovery._base.reasons import Reason
from service_recovery._base.vocabulary import Category, Channel, Severity
from service_recovery._money.authority import Actor
from service_recovery._money.budget import CompensationBudget
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery import commands
from service_recovery._recovery.approvals import grant_of, pending
from service_recovery._recovery.commands import FACT_CHECKS
from service_recovery._recovery.lifecycle import (
    ACTION_OF,
    SIDE_COMMANDS,
    Action,
    Step,
    check_side_step,
    next_step,
)
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._recovery.record import IncidentRecord
from service_recovery._recovery.timers import alerts, next_alert_at, rule_of, timers_of
from service_recovery._time.timer import SlaTimer
from service_recovery.decisions import GrantDecision
from service_recovery.errors import InvalidValueError, RecoveryError, ReplayError
from service_recovery.events import (
    Abandoned,
    Acknowledged,
    AlertRaised,
    ApprovalRejected,
    ApprovalRequested,
    Closed,
    CompensationGranted,
    CustomerContacted,
    CustomerReplied,
    Escalated,
    Event,
    HandedOff,
    PromiseMade,
    Received,
    Resolved,
    SatisfactionRecorded,
    SeverityRaised,
    WaitingOnCustomer,
)


@attrs.frozen(slots=False)
class Incident(IncidentRecord):
    """One unhappy customer's complaint and everything done about it.

    Build it with `Incident.receive(...)`; move it with the commands (`acknowledge`,
    `restate`, `offer`, `escalate`, `resolve`, `abandon`, `decline`, `close`) and the
    orthogonal ones (`hand_off`, `promise`, `contact`, `record_satisfaction`, the waits,
    the grants and approvals). Each returns a new incident; the old one is unchanged.
    `events` is the whole history and `Incident.replay(events)` rebuilds an equal
    incident from it. Everything a policy reads (`severity`, `granted`, `outcome`, …) is
    the record's, folded in as each event is recorded.
    """

    policy: RecoveryPolicy = attrs.field(repr=False)

    # ------------------------------------------------------------------ construction

    @classmethod
    def receive(
        cls,
        *,
        incident_id: str,
        customer: str,
        channel: Channel | str,
        category: Category | str,
        severity: Severity | str,
        at: datetime,
        policy: RecoveryPolicy | None = None,
        fields: Mapping[str, object] | None = None,
    ) -> Self:
        """Open an incident for a complaint received at `at` (R1: the response clock starts).

        The policy may raise the severity on receipt (R16: an ignored complaint is the
        gravest); that is recorded as a `SeverityRaised` event with its reason. `fields`
        are the host's own facts about the ticket (``{"tier": "gold", "tags": ["wifi"]}``):
        JSON-like values, stored in `Received` and read by every policy decision as
        `incident.fields`.

        Raises:
            InvalidValueError: an empty id or customer, an unknown channel, category or
                severity, or fields beyond their bounds (see `Fields`).
            InvalidTypeError: a field that is not a JSON-like value.
            NaiveDatetimeError: `at` has no time zone.
        """
        policy = _default_policy() if policy is None else instance(policy, RecoveryPolicy, "policy")
        received = unchecked(  # each field checked as its validator would, with its path
            Received,
            incident_id=within("incident_id", text, incident_id, "incident_id"),
            at=within("at", aware, at, "at"),
            customer=within("customer", text, customer, "customer"),
            channel=member(Channel, channel, "channel"),
            category=member(Category, category, "category"),
            severity=member(Severity, severity, "severity"),
            policy=policy.name,  # the policy's own, checked when it was built
            policy_fingerprint=policy.fingerprint,
            fields=NO_FIELDS if fields is None else within("fields", host_fields, fields, "fields"),
        )
        incident = cls._opened(
            received, policy.authority.lowest.name, policy.authority.currency, policy=policy
        )
        raised = policy.initial_severity(received.category, received.severity)
        if raised is None:
            return incident
        severity, reason = raised
        event = SeverityRaised(
            incident_id=incident.id, at=received.at, severity=severity, reason=reason
        )
        return incident._apply(event, incident.step)  # noqa: SLF001 (our own class)

    @classmethod
    def replay(
        cls,
        events: Iterable[Event],
        *,
        policy: RecoveryPolicy | None = None,
        policy_changed: bool = False,
    ) -> Self:
        """Rebuild an incident from its history, under the policy that decided it.

        The result equals the incident that recorded the events. Each event is checked as
        its command would have checked it: the first is `Received`, every event belongs to
        the same incident, time never runs backwards, every step follows the table and
        every fact agrees with the history before it (R10's numbering, R12's one score of
        each kind, a grant within the authority of whoever gave it, …). The policy's other
        limits (R2, R4, R9, R15) were its to apply when the commands ran and are not re-run.

        `Received` records which policy decided the history (`policy.name` and
        `policy.fingerprint`); replaying under another one is refused, unless the caller
        says so with `policy_changed=True` (to read an old history under today's policy).

        Raises:
            ReplayError: the history breaks one of those, or was decided by another
                policy; the message names the event (``events[3]``).
        """
        policy = _default_policy() if policy is None else instance(policy, RecoveryPolicy, "policy")
        flag(policy_changed, "policy_changed")
        if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
            msg = f"events must be a sequence of Event, got {described(events)}"
            raise ReplayError(msg)
        history = iter(events)
        first = next(history, None)
        if not isinstance(first, Received):
            msg = f"events[0] must be Received, got {type(first).__name__}; a history starts there"
            raise ReplayError(msg)
        if not policy_changed:
            _check_policy(first, policy)
        incident = cls._opened(
            first, policy.authority.lowest.name, policy.authority.currency, policy=policy
        )
        for index, event in enumerate(history, start=1):
            if not isinstance(event, Event) or type(event) is Received:
                msg = f"events[{index}] is {type(event).__name__}; expected a later event"
                raise ReplayError(msg)
            if event.incident_id != incident.id:
                msg = (
                    f"events[{index}] belongs to incident {shown(event.incident_id)}, "
                    f"not {shown(incident.id)}; replay one incident at a time"
                )
                raise ReplayError(msg)
            try:
                incident = incident._fold(event)  # noqa: SLF001 (our own class)
            except RecoveryError as err:
                msg = f"events[{index}] ({type(event).__name__}) cannot be replayed: {err}"
                raise ReplayError(msg) from err
        return incident

    # ------------------------------------------------------------------ the fold

    def _fold(self, event: Event) -> Self:
        """Fold a stored event in, checking what its command would have checked first."""
        kind = type(event)
        not_before(event.at, self.updated_at, kind.__name__)
        action = ACTION_OF.get(kind)
        if action is not None:
            return self._apply(event, next_step(self.step, action, self.id))
        if kind in SIDE_COMMANDS:
            check_side_step(self.step, kind, self.id)
        return self._apply(event, self.step)

    def _apply(self, event: Event, step: Step) -> Self:
        """Check `event` against the record, then record it: commands and replay alike."""
        check = FACT_CHECKS.get(type(event))
        if check is not None:
            check(self, self.policy, event)
        return self._recorded(event, step)

    def _move(self, action: Action, at: datetime) -> tuple[datetime, Step]:
        """Check `at` and that the table allows `action` now; return `at` and the next step."""
        at = not_before(aware(at), self.updated_at, action)
        return at, next_step(self.step, action, self.id)

    def _side(self, kind: type[Event], at: datetime) -> datetime:
        """Check `at`, and that the side command recording `kind` may run in this step."""
        at = not_before(aware(at), self.updated_at, SIDE_COMMANDS[kind][0])
        check_side_step(self.step, kind, self.id)
        return at

    # ------------------------------------------------------------------ the steps

    def acknowledge(self, *, by: str, at: datetime) -> Self:
        """Answer the customer and apologize (R1); `by` owns the incident from now (R2)."""
        at, step = self._move(Action.ACKNOWLEDGE, at)
        event = unchecked(Acknowledged, incident_id=self.id, at=at, by=text(by, "by"))
        return self._recorded(event, step)

    def restate(self, *, problem: str, confirmed: bool, at: datetime) -> Self:
        """Say the problem back to the customer (R8); only a confirmed restatement counts.

        Raises:
            RuleViolation: R8, the customer did not confirm the restated problem.
        """
        at, step = self._move(Action.RESTATE, at)
        return self._recorded(commands.restated(self, problem, confirmed=confirmed, at=at), step)

    def offer(self, offers: Sequence[Offer], *, at: datetime) -> Self:
        """Put options in front of the customer (R9: at least `policy.min_options` choices).

        A not-possible offer counts through its alternative (R17); offers that leave the
        customer the same choice count once, and a choice worth less to the customer than
        `policy.min_offer_value` for the incident's severity does not count (R4).

        Raises:
            RuleViolation: R9, too few distinct choices; R4, too few of them generous.
        """
        at, step = self._move(Action.OFFER, at)
        return self._recorded(commands.offered(self, self.policy, offers, at), step)

    def escalate(self, *, to: str, reason: str, at: datetime, rule: str = "R9") -> Self:
        """Take the incident up to level `to`, higher than the one holding it now.

        `rule` names why in docs/rules.md terms: R9 (beyond the owner's authority) by
        default; R16, R2 or R13 when a policy escalates for those.

        Raises:
            LadderError: `to` is not a level of the policy's ladder.
            RuleViolation: R9, `to` is not above the current level.
        """
        at, step = self._move(Action.ESCALATE, at)
        why = Reason(rule, text(reason, "the escalation reason"))
        return self._apply(Escalated(incident_id=self.id, at=at, to=to, reason=why), step)

    def resolve(self, *, summary: str, at: datetime) -> Self:
        """Record that the customer's problem is fixed."""
        at, step = self._move(Action.RESOLVE, at)
        summary = text(summary, "summary")
        resolved = unchecked(Resolved, incident_id=self.id, at=at, summary=summary)
        return self._recorded(resolved, step)

    def abandon(self, *, reason: str, at: datetime) -> Self:
        """Record that the customer walked away before a fix: the incident is lost."""
        at, step = self._move(Action.ABANDON, at)
        reason = text(reason, "reason")
        abandoned = unchecked(Abandoned, incident_id=self.id, at=at, reason=reason)
        return self._recorded(abandoned, step)

    def decline(self, *, reason: str, by: Actor, at: datetime) -> Self:
        """Let the customer go (R15): a decision with a reason, by someone allowed to make it.

        Raises:
            RuleViolation: R15, no reason, or `by` holds a level below
                `policy.decline_level`.
            LadderError: `by`'s level is not on the ladder.
        """
        at, step = self._move(Action.DECLINE, at)
        return self._apply(commands.declined(self, self.policy, reason, by, at), step)

    def close(self, *, root_cause: str, cost: Money, at: datetime) -> Self:
        """Document and quantify (R6): what failed, and what the recovery cost.

        Raises:
            RuleViolation: R6, no root cause or no cost.
        """
        at, step = self._move(Action.CLOSE, at)
        closed = Closed(incident_id=self.id, at=at, root_cause=root_cause, cost=cost)
        return self._apply(closed, step)

    # ------------------------------------------------------------------ orthogonal commands

    def hand_off(self, *, to: str, at: datetime) -> Self:
        """Pass the incident to another agent (R2: counted, at most `policy.max_handoffs`).

        Beyond the limit the handoff is refused, unless the policy says
        `escalate_excess_handoffs`: then it is recorded and `policy.escalation` asks for
        a higher level.

        Raises:
            RuleViolation: R2, the handoff limit is reached (escalate instead), or `to`
                owns it already.
        """
        at = self._side(HandedOff, at)
        return self._recorded(commands.handed_off(self, self.policy, to, at), self.step)

    def promise(self, *, due: datetime, at: datetime, note: str = "") -> Self:
        """Tell the customer when they will hear from us next (R10: a promise has a due time).

        Raises:
            RuleViolation: R10, no due time, or one not after `at`.
        """
        at = self._side(PromiseMade, at)
        number = len(self.promises) + 1
        made = PromiseMade(incident_id=self.id, at=at, number=number, due=due, note=note)
        return self._recorded(made, self.step)

    def contact(self, *, at: datetime, note: str = "") -> Self:
        """Record that we contacted the customer; it keeps every pending promise (R10)."""
        at = self._side(CustomerContacted, at)
        return self._recorded(CustomerContacted(incident_id=self.id, at=at, note=note), self.step)

    def record_satisfaction(
        self, score: int, *, at: datetime, before_recovery: bool = False
    ) -> Self:
        """Record the customer's 0–10 rating (R12): after the fix, once.

        With `before_recovery`, the rating the customer gave before the recovery began
        (while the incident is still open), so the recovery's effect can be measured: a
        good recovery turns a 2 into a 9.

        Raises:
            RuleViolation: R12, an after-score before resolution, a before-score once the
                outcome is decided, or a second score of the same kind.
            InvalidValueError: the score is not a whole number from 0 to 10.
        """
        at = self._side(SatisfactionRecorded, at)
        event = SatisfactionRecorded(
            incident_id=self.id, at=at, score=score, before_recovery=before_recovery
        )
        return self._apply(event, self.step)

    def wait_for_customer(self, *, at: datetime, note: str = "") -> Self:
        """We need the customer's answer: the resolution clock pauses until they reply.

        Raises:
            TimerError: already waiting.
        """
        at = self._side(WaitingOnCustomer, at)
        return self._apply(WaitingOnCustomer(incident_id=self.id, at=at, note=note), self.step)

    def customer_replied(self, *, at: datetime) -> Self:
        """The customer answered: the resolution clock runs again.

        Raises:
            TimerError: we were not waiting on the customer.
        """
        at = self._side(CustomerReplied, at)
        return self._apply(CustomerReplied(incident_id=self.id, at=at), self.step)

    @property
    def timers(self) -> dict[str, SlaTimer]:
        """The incident's SLA timers by name, read from its events.

        `response` (R1), `resolution` (R19) and one `promise-N` per follow-up promise
        (R10). Targets and their calendars come from the policy (`response_target`,
        `resolution_target`): by default the response counts wall-clock time, the
        resolution the policy's `calendar` and pauses while we wait on the customer; a
        promise is due at its promised time.
        """
        return dict(self._clocks)

    def explain_due(self, timer: str) -> tuple[Reason, ...]:
        """Why `timer` (``"response"``, ``"resolution"``, ``"promise-1"``) is due when it is.

        Each step is a `Reason` of the timer's rule (R1, R19, R10): the target, the working
        spans counted, the pauses, the holidays and closed dates skipped, the boundary rule
        (see `SlaTimer.explain`).

        Raises:
            InvalidValueError: the incident has no timer of that name; the message lists them.
        """
        clocks = self._clocks
        found = clocks.get(timer) if isinstance(timer, str) else None
        if found is None:
            msg = (
                f"incident {shown(self.id)} has no timer {shown(timer)}; it has {', '.join(clocks)}"
            )
            raise InvalidValueError(msg)
        return found.explain(rule_of(timer))

    @kept
    def _clocks(self) -> Mapping[str, SlaTimer]:
        """The timers, read from the events the first time this incident is asked.

        An incident never changes, so a host that ticks it again, or reads its wake-up,
        pays for the timers once; an incident nobody asks (a step of a simulation) never
        does. Each command returns a new incident, which reads its own.
        """
        return MappingProxyType(clocks_of(self))

    @property
    def next_wakeup(self) -> datetime | None:
        """The earliest instant at which `tick` would report an alert, or None if none is due.

        Never before `updated_at`, so a host may call ``tick(incident.next_wakeup)`` as it
        is. A host stores it with the incident and wakes each incident once, when it comes,
        instead of polling them all; every command returns an incident with its own.
        """
        return self._wakeup

    @kept
    def _wakeup(self) -> datetime | None:
        """`next_wakeup`, worked out once per incident."""
        due = next_alert_at(self._clocks, self.noticed)
        if due is None:
            return None
        return due if before(self.updated_at, due) else self.updated_at

    def tick(self, at: datetime) -> tuple[Self, tuple[AlertRaised, ...]]:
        """Notice what became true by `at`: warnings, breaches, broken promises (R1, R10).

        Each alert is put to `policy.on_alert` and recorded with its decision as an
        `AlertRaised` event, so a second tick at the same time reports nothing new and a
        replay reproduces them; a decision to raise the severity is recorded too. The
        host calls `tick` from its own scheduler and acts on the decisions (for example
        `escalate`); the library schedules nothing.

        Returns:
            The incident with the new events, and the new alerts in the order they
            became true.
        """
        at = self._side(AlertRaised, at)
        fresh = sorted(
            alerts(self._clocks, at, self.noticed),
            key=lambda a: (a.became_at.astimezone(UTC), a.timer),
        )
        incident, raised = self, []
        for alert in fresh:
            decision = incident.policy.on_alert(incident, alert)
            event = AlertRaised(incident_id=self.id, at=at, alert=alert, decision=decision)
            incident = incident._apply(event, incident.step)
            raised.append(event)
            graver = decision.raise_severity
            if graver is not None and graver > incident.severity:
                why = Reason(decision.reasons[0].rule, f"raised to {graver}: {alert}")
                bump = SeverityRaised(incident_id=self.id, at=at, severity=graver, reason=why)
                incident = incident._apply(bump, incident.step)  # noqa: SLF001
        return incident, tuple(raised)

    # ------------------------------------------------------------------ compensation

    def grant(
        self, decision: GrantDecision, *, budget: CompensationBudget, at: datetime
    ) -> tuple[Self, CompensationBudget]:
        """Give the compensation an approved decision allows (R3: no approval step).

        The budget records the same grant; if either refuses, neither changes. The checks
        are re-run at `at`, so a decision overtaken by another grant is refused.

        Returns:
            The incident with `CompensationGranted`, and the budget with the grant.

        Raises:
            ApprovalError: the decision is not approved or is for another incident; a
                decision that needs approval goes to `request_approval`.
            GrantConflict: the decision was already used, or another grant overtook it.
            AuthorityError: the incident's total now exceeds the actor's limit.
            BudgetExceeded: the budget's pool or per-incident cap would be exceeded.
        """
        at = self._side(CompensationGranted, at)
        return self._give(
            CompensationGranted(incident_id=self.id, at=at, decision=decision), budget
        )

    def request_approval(self, decision: GrantDecision, *, at: datetime) -> Self:
        """Put a grant beyond the actor's authority before the level that may approve it."""
        at = self._side(ApprovalRequested, at)
        requested = ApprovalRequested(incident_id=self.id, at=at, decision=decision)
        return self._apply(requested, self.step)

    def approve(
        self, reference: str, *, approver: Actor, budget: CompensationBudget, at: datetime
    ) -> tuple[Self, CompensationBudget]:
        """Approve a pending request and give the compensation (R3, four eyes).

        Raises:
            ApprovalError: no pending request has that reference; the approver is the one
                who asked; or the approver's level does not cover the incident's total.
            BudgetExceeded: the budget's pool or per-incident cap would be exceeded.
        """
        at = self._side(CompensationGranted, at)
        granted = CompensationGranted(
            incident_id=self.id, at=at, decision=pending(self, reference), approver=approver
        )
        return self._give(granted, budget)

    def reject(self, reference: str, *, approver: Actor, reason: str, at: datetime) -> Self:
        """Say no to a pending request (R3), with a reason; nothing is granted.

        Raises:
            ApprovalError: no pending request has that reference.
        """
        at = self._side(ApprovalRejected, at)
        rejected = ApprovalRejected(
            incident_id=self.id, at=at, reference=reference, approver=approver, reason=reason
        )
        return self._apply(rejected, self.step)

    def _give(
        self, granted: CompensationGranted, budget: CompensationBudget
    ) -> tuple[Self, CompensationBudget]:
        """Check a grant, record it in the budget, then in the incident: both, or neither."""
        instance(budget, CompensationBudget, "budget")
        FACT_CHECKS[CompensationGranted](self, self.policy, granted)
        spent = budget.record(grant_of(granted))
        return self._recorded(granted, self.step), spent


@functools.cache
def _default_policy() -> RecoveryPolicy:
    """The policy of `receive` and `replay` when none is given, built once."""
    return RecoveryPolicy()


def _check_policy(received: Received, policy: RecoveryPolicy) -> None:
    """Refuse to replay a history under a policy other than the one recorded in it."""
    if received.policy_fingerprint is None:  # built by hand: no policy recorded
        return
    if (received.policy, received.policy_fingerprint) == (policy.name, policy.fingerprint):
        return
    msg = (
        f"events[0]: incident {shown(received.incident_id)} was decided by policy "
        f"{received.policy} (fingerprint {received.policy_fingerprint}), not {policy.name} "
        f"({policy.fingerprint}); replay it under the policy that decided it, or pass "
        "policy_changed=True to read it under this one"
    )
    raise ReplayError(msg, path="events[0].policy_fingerprint")


def clocks_of(incident: Incident) -> dict[str, SlaTimer]:
    """`incident.timers`, read afresh: for a caller that asks an incident once (a scorecard)."""
    policy = incident.policy
    return timers_of(
        incident,
        response=policy.response_target(incident),
        resolution=policy.resolution_target(incident),
        calendar=policy.calendar,
        warnings=policy.warning_thresholds,
        pause_clock=policy.pause_clock,
    )
