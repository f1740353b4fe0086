"""Incident: the aggregate, a fold over its events.

Every command checks everything first, then records one event and folds it in through
the same `_record` that `Incident.replay` uses, so a replayed history is the same incident
by construction. A refused command raises and leaves the incident as it was.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Self, TypeVar

import attrs

from service_recovery._base.checks import described, flag, instance, member, shown, text
from service_recovery._base.instants import aware, before, elapsed, not_before
from service_recovery._base.reasons import Reason
from service_recovery._base.vocabulary import Category, Channel, Severity
from service_recovery._money.authority import Actor
from service_recovery._money.budget import CompensationBudget, Grant
from service_recovery._money.money import Money, money_sum
from service_recovery._money.offers import Offer
from service_recovery._recovery.lifecycle import TRANSITIONS, Action, Step, next_step
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._time.calendar import AROUND_THE_CLOCK
from service_recovery._time.timer import PauseClock, SlaStatus, SlaTimer
from service_recovery.decisions import GrantDecision, GrantOutcome
from service_recovery.errors import (
    ApprovalError,
    AuthorityError,
    GrantConflict,
    InvalidTransition,
    InvalidTypeError,
    InvalidValueError,
    RecoveryError,
    ReplayError,
    RuleViolation,
    TimerError,
)
from service_recovery.events import (
    Abandoned,
    Acknowledged,
    Alert,
    AlertKind,
    AlertRaised,
    ApprovalRejected,
    ApprovalRequested,
    Closed,
    CompensationGranted,
    CustomerContacted,
    CustomerReplied,
    Declined,
    Escalated,
    Event,
    HandedOff,
    OptionsOffered,
    PromiseMade,
    Received,
    Resolved,
    Restated,
    SatisfactionRecorded,
    SeverityRaised,
    WaitingOnCustomer,
)

_ANY = frozenset(Step)
_NOT_CLOSED = _ANY - {Step.CLOSED}
_OPEN = frozenset(step for step in Step if step.is_open)
_ACKNOWLEDGED_AND_OPEN = _OPEN - {Step.RECEIVED}


@attrs.frozen
class Promise:
    """A follow-up promise (R10): when the customer will hear from us, and whether we kept it."""

    number: int
    made_at: datetime
    due: datetime
    note: str
    kept_at: datetime | None = None

    @property
    def is_pending(self) -> bool:
        """True until the customer has been contacted after the promise was made."""
        return self.kept_at is None

    def is_broken(self, at: datetime) -> bool:
        """True if the customer was, or by `at` still is, not contacted by the due time."""
        return before(self.due, at if self.kept_at is None else self.kept_at)


@attrs.frozen
class Incident:
    """One unhappy customer's complaint and everything done about it.

    Build it with `Incident.receive(...)`; move it with the commands (`acknowledge`,
    `restate`, `offer`, `escalate`, `resolve`, `abandon`, `decline`, `close`) and the
    orthogonal ones (`hand_off`, `promise`, `contact`, `record_satisfaction`). Each
    returns a new incident; the old one is unchanged. `events` is the whole history and
    `Incident.replay(events)` rebuilds an equal incident from it.

    Only what commands consult on every step is stored (`step`, the authority `level`
    holding it, the `owner`, the `handoffs`, `updated_at`); the rest (`customer`,
    `severity`, `offers`, `promises`, …) is read from the events when asked, so a command
    costs the same however much the incident has been through.
    """

    id: str
    step: Step
    level: str
    owner: str | None
    handoffs: int
    updated_at: datetime
    events: tuple[Event, ...] = attrs.field(repr=False)
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
    ) -> Self:
        """Open an incident for a complaint received at `at` (R1: the response clock starts).

        The policy may raise the severity on receipt (R16: an ignored complaint is the
        gravest); that is recorded as a `SeverityRaised` event with its reason.

        Raises:
            InvalidValueError: an empty id or customer, or an unknown channel, category
                or severity.
            NaiveDatetimeError: `at` has no time zone.
        """
        policy = _default_policy() if policy is None else instance(policy, RecoveryPolicy, "policy")
        received = Received(
            incident_id=incident_id,
            at=at,
            customer=customer,
            channel=member(Channel, channel, "channel"),
            category=member(Category, category, "category"),
            severity=member(Severity, severity, "severity"),
            policy=policy.name,
            policy_fingerprint=policy.fingerprint,
        )
        incident = cls._open(received, policy)
        raised = policy.initial_severity(received.category, received.severity)
        if raised is None:
            return incident
        severity, reason = raised
        event = SeverityRaised(
            incident_id=incident.id, at=received.at, severity=severity, reason=reason
        )
        return incident._apply(event, incident.step)  # noqa: SLF001 (our own class)

    @classmethod
    def _open(cls, received: Received, policy: RecoveryPolicy) -> Self:
        return cls(
            id=received.incident_id,
            step=Step.RECEIVED,
            level=policy.authority.lowest.name,
            owner=None,
            handoffs=0,
            updated_at=received.at,
            events=(received,),
            policy=policy,
        )

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
        limits (R2, R9, R15) were its to apply when the commands ran and are not re-run.

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
        incident = cls._open(first, policy)
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
        """Fold a stored event in, checking what its command would have checked first.

        The event checked its own fields when it was built; here the history before it:
        time order, the step (the table, or where a side command may run), and the facts
        of `_apply`, R3's authority limits among them. The policy's other limits (R2's
        handoffs, R9's number of options, R15's level) are its to check when the command
        runs.
        """
        kind = type(event)
        not_before(event.at, self.updated_at, kind.__name__)
        action = _ACTION_OF.get(kind)
        if action is not None:
            return self._apply(event, next_step(self.step, action, self.id))
        if kind in _SIDE_COMMAND_OF:
            self._check_side_step(kind)
        return self._apply(event, self.step)

    def _apply(self, event: Event, step: Step) -> Self:
        """Check `event` against the history, then record it: commands and replay alike."""
        check = _FACT_CHECKS.get(type(event))
        if check is not None:
            check(self, event)
        return self._record(event, step)

    def _record(self, event: Event, step: Step) -> Self:
        """Return the incident after `event`, at `step`: the path commands and replay share."""
        level, owner, handoffs = self.level, self.owner, self.handoffs
        change = _HOLDER_CHANGES.get(type(event))
        if change is not None:
            level, owner, handoffs = change(event, level, owner, handoffs)
        return type(self)(
            self.id, step, level, owner, handoffs, event.at, (*self.events, event), self.policy
        )

    def _check_move(self, action: Action, at: datetime) -> tuple[datetime, Step]:
        """Check `at` and that the table allows `action` now; return `at` and the next step."""
        at = not_before(aware(at), self.updated_at, action)
        return at, next_step(self.step, action, self.id)

    def _check_step(self, kind: type[Event], at: datetime) -> datetime:
        """Check `at`, and that the side command recording `kind` may run in this step."""
        action, _ = _SIDE_COMMAND_OF[kind]
        at = not_before(aware(at), self.updated_at, action)
        self._check_side_step(kind)
        return at

    def _check_side_step(self, kind: type[Event]) -> None:
        action, allowed = _SIDE_COMMAND_OF[kind]
        if self.step not in allowed:
            names = ", ".join(sorted(allowed))
            msg = (
                f"cannot {action} incident {shown(self.id)} while it is {self.step}; only "
                f"while {names}"
            )
            raise InvalidTransition(
                msg,
                step=self.step,
                action=action,
                allowed=TRANSITIONS[self.step],
                allowed_steps=allowed,
            )

    # ------------------------------------------------------------------ the steps

    def acknowledge(self, *, by: str, at: datetime) -> Self:
        """Answer the customer and apologize (R1); `by` owns the incident from now (R2)."""
        at, step = self._check_move(Action.ACKNOWLEDGE, at)
        return self._record(Acknowledged(incident_id=self.id, at=at, by=text(by, "by")), step)

    def restate(self, *, problem: str, confirmed: bool, at: datetime) -> Self:
        """Say the problem back to the customer (R8); only a confirmed restatement counts.

        Raises:
            RuleViolation: R8, the customer did not confirm the restated problem.
        """
        at, step = self._check_move(Action.RESTATE, at)
        problem = text(problem, "the restated problem")
        if confirmed is not True:
            msg = (
                f"R8: incident {shown(self.id)}: the customer has not confirmed {shown(problem)}; "
                f"restate it again until they do, then pass confirmed=True"
            )
            raise RuleViolation(msg, rule="R8")
        return self._record(Restated(incident_id=self.id, at=at, problem=problem), step)

    def offer(self, offers: Sequence[Offer], *, at: datetime) -> Self:
        """Put options in front of the customer (R9: at least `policy.min_options` choices).

        A not-possible offer counts through its alternative (R17); offers that leave the
        customer the same choice count once.

        Raises:
            RuleViolation: R9, too few distinct choices.
        """
        at, step = self._check_move(Action.OFFER, at)
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
        if len(choices) < self.policy.min_options:
            kinds = ", ".join(sorted(repr(choice.kind) for choice in choices)) or "none"
            msg = (
                f"R9: incident {shown(self.id)}: {len(choices)} distinct option(s) offered "
                f"({kinds}); "
                f"offer at least {self.policy.min_options} so the customer can choose"
            )
            raise RuleViolation(msg, rule="R9")
        return self._record(OptionsOffered(incident_id=self.id, at=at, offers=offers), step)

    def escalate(self, *, to: str, reason: str, at: datetime, rule: str = "R9") -> Self:
        """Take the incident up to level `to`, higher than the one holding it now.

        `rule` names why in docs/rules.md terms: R9 (beyond the owner's authority) by
        default; R16, R2 or R13 when a policy escalates for those.

        Raises:
            LadderError: `to` is not a level of the policy's ladder.
            RuleViolation: R9, `to` is not above the current level.
        """
        at, step = self._check_move(Action.ESCALATE, at)
        why = Reason(rule, text(reason, "the escalation reason"))
        return self._apply(Escalated(incident_id=self.id, at=at, to=to, reason=why), step)

    def _check_severity_raised(self, event: SeverityRaised) -> None:
        if not event.severity > self.severity:
            msg = (
                f"R16: incident {shown(self.id)} is already {self.severity}; a severity is only "
                f"raised, never kept or lowered, got {event.severity}"
            )
            raise RuleViolation(msg, rule="R16", path="severity")

    def _check_alert_raised(self, event: AlertRaised) -> None:
        key = _alert_key(event.alert)
        if any(_alert_key(e.alert) == key for e in self.events if type(e) is AlertRaised):
            msg = (
                f"incident {shown(self.id)} already noticed {event.alert}; tick records each "
                "alert once"
            )
            raise TimerError(msg, path="alert")

    def _check_escalated(self, event: Escalated) -> None:
        ladder = self.policy.authority
        if ladder.rank(event.to) <= ladder.rank(self.level):
            above = ", ".join(ladder.names[ladder.rank(self.level) + 1 :]) or "none (top level)"
            msg = (
                f"R9: cannot escalate incident {shown(self.id)} to {shown(event.to)}: it is "
                f"already held by {shown(self.level)}; escalate to a higher level: {above}"
            )
            raise RuleViolation(msg, rule="R9", path="to")

    def resolve(self, *, summary: str, at: datetime) -> Self:
        """Record that the customer's problem is fixed."""
        at, step = self._check_move(Action.RESOLVE, at)
        return self._record(
            Resolved(incident_id=self.id, at=at, summary=text(summary, "summary")), step
        )

    def abandon(self, *, reason: str, at: datetime) -> Self:
        """Record that the customer walked away before a fix: the incident is lost."""
        at, step = self._check_move(Action.ABANDON, at)
        return self._record(
            Abandoned(incident_id=self.id, at=at, reason=text(reason, "reason")), step
        )

    def decline(self, *, reason: str, by: Actor, at: datetime) -> Self:
        """Let the customer go (R15): a decision with a reason, by someone allowed to make it.

        Raises:
            RuleViolation: R15, no reason, or `by` holds a level below
                `policy.decline_level`.
            LadderError: `by`'s level is not on the ladder.
        """
        at, step = self._check_move(Action.DECLINE, at)
        declined = Declined(incident_id=self.id, at=at, reason=reason, by=by)
        ladder, lowest = self.policy.authority, self.policy.decline_level
        if ladder.rank(by.level) < ladder.rank(lowest):
            msg = (
                f"R15: {by} may not decline incident {shown(self.id)}; "
                f"it takes {shown(lowest)} or above "
                f"({', '.join(ladder.names[ladder.rank(lowest) :])})"
            )
            raise RuleViolation(msg, rule="R15")
        return self._apply(declined, step)

    def close(self, *, root_cause: str, cost: Money, at: datetime) -> Self:
        """Document and quantify (R6): what failed, and what the recovery cost.

        Raises:
            RuleViolation: R6, no root cause or no cost.
        """
        at, step = self._check_move(Action.CLOSE, at)
        return self._apply(
            Closed(incident_id=self.id, at=at, root_cause=root_cause, cost=cost), step
        )

    # ------------------------------------------------------------------ orthogonal commands

    def hand_off(self, *, to: str, at: datetime) -> Self:
        """Pass the incident to another agent (R2: counted, at most `policy.max_handoffs`).

        Beyond the limit the handoff is refused, unless the policy says
        `escalate_excess_handoffs`: then it is recorded and `policy.escalation` asks for
        a higher level.

        Raises:
            RuleViolation: R2, the handoff limit is reached; escalate instead.
        """
        at = self._check_step(HandedOff, at)
        handed = HandedOff(incident_id=self.id, at=at, from_agent=self.owner or "", to_agent=to)
        self._check_handed_off(handed)
        if self.handoffs >= self.policy.max_handoffs and not self.policy.escalate_excess_handoffs:
            msg = (
                f"R2: incident {shown(self.id)} was handed off {self.handoffs} time(s), the most "
                f"the policy allows ({self.policy.max_handoffs}); take responsibility or escalate"
            )
            raise RuleViolation(msg, rule="R2")
        return self._apply(handed, self.step)

    def _check_handed_off(self, event: HandedOff) -> None:
        if event.from_agent != (self.owner or ""):
            msg = (
                f"R2: incident {shown(self.id)} is owned by {shown(self.owner)}, not "
                f"{shown(event.from_agent)}, who cannot hand it off"
            )
            raise RuleViolation(msg, rule="R2", path="from_agent")
        if event.to_agent == self.owner:
            msg = (
                f"R2: incident {shown(self.id)} is already owned by {shown(event.to_agent)}; "
                "hand it to someone else"
            )
            raise RuleViolation(msg, rule="R2", path="to_agent")

    def promise(self, *, due: datetime, at: datetime, note: str = "") -> Self:
        """Tell the customer when they will hear from us next (R10: a promise has a due time).

        Raises:
            RuleViolation: R10, no due time, or one not after `at`.
        """
        at = self._check_step(PromiseMade, at)
        number = self._promises_made() + 1
        made = PromiseMade(incident_id=self.id, at=at, number=number, due=due, note=note)
        return self._apply(made, self.step)

    def _promises_made(self) -> int:
        return sum(1 for event in self.events if type(event) is PromiseMade)

    def _check_promise_made(self, event: PromiseMade) -> None:
        expected = self._promises_made() + 1
        if event.number != expected:
            msg = (
                f"R10: promise number {event.number} on incident {shown(self.id)} should be "
                f"{expected}: promises are numbered 1, 2, 3… in the order made"
            )
            raise RuleViolation(msg, rule="R10", path="number")

    def contact(self, *, at: datetime, note: str = "") -> Self:
        """Record that we contacted the customer; it keeps every pending promise (R10)."""
        at = self._check_step(CustomerContacted, at)
        return self._apply(CustomerContacted(incident_id=self.id, at=at, note=note), self.step)

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
        at = self._check_step(SatisfactionRecorded, at)
        event = SatisfactionRecorded(
            incident_id=self.id, at=at, score=score, before_recovery=before_recovery
        )
        return self._apply(event, self.step)

    def _check_satisfaction(self, event: SatisfactionRecorded) -> None:
        before_recovery = event.before_recovery
        if before_recovery and not self.step.is_open:
            msg = (
                f"R12: incident {shown(self.id)} is {self.step}; a before-score is taken while open"
            )
            raise RuleViolation(msg, rule="R12")
        if not before_recovery and self.outcome is not Step.RESOLVED:
            msg = (
                f"R12: incident {shown(self.id)} is {self.step}, not resolved; measure "
                "satisfaction "
                f"after the fix"
            )
            raise RuleViolation(msg, rule="R12")
        already = self.satisfaction_before if before_recovery else self.satisfaction
        if already is not None:
            msg = f"R12: incident {shown(self.id)} already has that score ({already})"
            raise RuleViolation(msg, rule="R12")

    def wait_for_customer(self, *, at: datetime, note: str = "") -> Self:
        """We need the customer's answer: the resolution clock pauses until they reply.

        Raises:
            TimerError: already waiting.
        """
        at = self._check_step(WaitingOnCustomer, at)
        return self._apply(WaitingOnCustomer(incident_id=self.id, at=at, note=note), self.step)

    def _check_waiting(self, _event: WaitingOnCustomer) -> None:
        if self.waiting:
            msg = (
                f"incident {shown(self.id)} is already waiting on the customer; record their reply"
            )
            raise TimerError(msg)

    def customer_replied(self, *, at: datetime) -> Self:
        """The customer answered: the resolution clock runs again.

        Raises:
            TimerError: we were not waiting on the customer.
        """
        at = self._check_step(CustomerReplied, at)
        return self._apply(CustomerReplied(incident_id=self.id, at=at), self.step)

    def _check_replied(self, _event: CustomerReplied) -> None:
        if not self.waiting:
            msg = f"incident {shown(self.id)} is not waiting on the customer; nothing to resume"
            raise TimerError(msg)

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
        at = self._check_step(AlertRaised, at)
        seen = {_alert_key(e.alert) for e in self.events if isinstance(e, AlertRaised)}
        fresh = sorted(
            (a for a in _alerts(self.timers, at) if _alert_key(a) not in seen),
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
        at = self._check_step(CompensationGranted, at)
        granted = CompensationGranted(incident_id=self.id, at=at, decision=decision)
        self._check_granted(granted)
        return self._give(granted, budget)

    def request_approval(self, decision: GrantDecision, *, at: datetime) -> Self:
        """Put a grant beyond the actor's authority before the level that may approve it."""
        at = self._check_step(ApprovalRequested, at)
        requested = ApprovalRequested(incident_id=self.id, at=at, decision=decision)
        return self._apply(requested, self.step)

    def _check_requested(self, event: ApprovalRequested) -> None:
        self._fresh(event.decision, GrantOutcome.NEEDS_APPROVAL)
        self._check_decision(event.decision)

    def approve(
        self, reference: str, *, approver: Actor, budget: CompensationBudget, at: datetime
    ) -> tuple[Self, CompensationBudget]:
        """Approve a pending request and give the compensation (R3, four eyes).

        Raises:
            ApprovalError: no pending request has that reference; the approver is the one
                who asked; or the approver's level does not cover the incident's total.
            BudgetExceeded: the budget's pool or per-incident cap would be exceeded.
        """
        at = self._check_step(CompensationGranted, at)
        decision = self._pending(reference)
        granted = CompensationGranted(
            incident_id=self.id, at=at, decision=decision, approver=approver
        )
        self._check_granted(granted)
        return self._give(granted, budget)

    def reject(self, reference: str, *, approver: Actor, reason: str, at: datetime) -> Self:
        """Say no to a pending request (R3), with a reason; nothing is granted.

        Raises:
            ApprovalError: no pending request has that reference.
        """
        at = self._check_step(ApprovalRejected, at)
        rejected = ApprovalRejected(
            incident_id=self.id, at=at, reference=reference, approver=approver, reason=reason
        )
        self._check_rejected(rejected)
        self.policy.authority.level(approver.level)
        return self._apply(rejected, self.step)

    def _check_rejected(self, event: ApprovalRejected) -> None:
        self._pending(event.reference)

    def _check_granted(self, event: CompensationGranted) -> None:
        """A grant is of an approved decision, or answers a pending request (four eyes)."""
        decision, approver = event.decision, event.approver
        if approver is None:
            self._fresh(decision, GrantOutcome.APPROVED)
            self._check_decision(decision)
            self._within_limit(decision, decision.actor, AuthorityError)
            return
        if self._pending(decision.reference) != decision:
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
        self._within_limit(decision, approver, ApprovalError)

    def _check_decision(self, decision: GrantDecision) -> None:
        """A grant decision about this incident as it stands: its amount, total and levels."""
        ladder = self.policy.authority
        amount = decision.amount
        if amount.currency != ladder.currency or not amount.is_positive:
            msg = f"a grant must be positive Money in {ladder.currency}, got {amount}"
            raise InvalidValueError(msg, path="decision.amount")
        expected = self.granted + amount
        if decision.total != expected:
            msg = (
                f"decision {shown(decision.reference)} says the incident's total is "
                f"{decision.total}, but {self.granted} granted so far and {amount} make {expected}"
            )
            raise GrantConflict(msg, path="decision.total")
        ladder.level(decision.actor.level)
        if decision.approver_level is not None:
            ladder.level(decision.approver_level)

    def _pending(self, reference: str) -> GrantDecision:
        """The pending request called `reference`, or an error listing those pending."""
        text(reference, "reference")
        pending = {d.reference: d for d in self.pending_approvals}
        decision = pending.get(reference)
        if decision is None:
            msg = (
                f"no pending approval request {shown(reference)} on incident {shown(self.id)}; "
                f"pending: {', '.join(pending) or 'none'}"
            )
            raise ApprovalError(msg)
        return decision

    def _fresh(self, decision: GrantDecision, outcome: GrantOutcome) -> None:
        """Refuse a decision of another kind, for another incident, or already used."""
        if not isinstance(decision, GrantDecision):
            msg = f"expected a GrantDecision from policy.authorize, got {shown(decision)}"
            raise InvalidTypeError(msg)
        if decision.outcome is not outcome:
            hint = {
                GrantOutcome.NEEDS_APPROVAL: "call request_approval, then approve",
                GrantOutcome.REFUSED: "nothing can be granted",
                GrantOutcome.APPROVED: "call grant",
            }[decision.outcome]
            msg = f"decision {shown(decision.reference)} is {decision.outcome.value}; {hint}"
            raise ApprovalError(msg)
        if decision.incident_id != self.id:
            msg = (
                f"decision {shown(decision.reference)} is for incident "
                f"{shown(decision.incident_id)}, "
                f"not {shown(self.id)}"
            )
            raise ApprovalError(msg)
        if any(d.reference == decision.reference for d in self.grant_decisions):
            msg = (
                f"decision {shown(decision.reference)} was already used, or another grant came "
                f"first; authorize again"
            )
            raise GrantConflict(msg)

    def _within_limit(
        self, decision: GrantDecision, actor: Actor, error: type[RecoveryError]
    ) -> None:
        """R3: the incident's total after the grant must be within `actor`'s level."""
        total = self.granted + decision.amount
        level = self.policy.authority.level(actor.level)
        if total > level.limit:
            able = self.policy.authority.lowest_able(total)
            who = f"{able.name} may approve it" if able else "no level may approve it"
            msg = (
                f"R3.authority: {decision.amount} would bring incident {shown(self.id)} to "
                f"{total}, "
                f"above the {level.name} limit of {level.limit} held by {shown(actor.name)}; {who}"
            )
            raise error(msg)

    def _give(
        self, granted: CompensationGranted, budget: CompensationBudget
    ) -> tuple[Self, CompensationBudget]:
        """Record a checked grant in the budget, then in the incident: both, or neither."""
        instance(budget, CompensationBudget, "budget")
        decision = granted.decision
        grant = Grant(
            self.id,
            decision.amount,
            decision.actor,
            granted.approver,
            decision.reference,
            granted.at,
        )
        return self._record(granted, self.step), budget.record(grant)

    # ------------------------------------------------------------------ queries

    @property
    def version(self) -> int:
        """How many events the incident has: compare it before storing (compare-and-set).

        Every command adds at least one event, so two agents acting on the same stored
        incident cannot both write it (see the compensation docs).
        """
        return len(self.events)

    @property
    def granted(self) -> Money:
        """Everything granted on this incident so far, in the authority ladder's currency."""
        given = (e.decision.amount.amount for e in self.events if type(e) is CompensationGranted)
        return money_sum(given, self.policy.authority.currency)

    @property
    def grant_decisions(self) -> tuple[GrantDecision, ...]:
        """Every grant decision recorded (requested or granted), once each, oldest first."""
        decisions = {
            e.decision.reference: e.decision
            for e in self.events
            if isinstance(e, ApprovalRequested | CompensationGranted)
        }
        return tuple(decisions.values())

    @property
    def pending_approvals(self) -> tuple[GrantDecision, ...]:
        """Requests waiting for a higher level's approval (R3), oldest first."""
        answered = {
            e.decision.reference if isinstance(e, CompensationGranted) else e.reference
            for e in self.events
            if isinstance(e, CompensationGranted | ApprovalRejected)
        }
        return tuple(
            e.decision
            for e in self.events
            if isinstance(e, ApprovalRequested) and e.decision.reference not in answered
        )

    def _latest(self, kind: type[_E]) -> _E | None:
        """The most recent event of `kind`, if any."""
        return next((e for e in reversed(self.events) if isinstance(e, kind)), None)

    @property
    def received(self) -> Received:
        """The first event: who complained, how, about what, and when."""
        first = self.events[0]
        assert isinstance(first, Received)  # noqa: S101 (receive and replay guarantee it)
        return first

    @property
    def customer(self) -> str:
        """Who complained."""
        return self.received.customer

    @property
    def channel(self) -> Channel:
        """Where the complaint arrived (R13)."""
        return self.received.channel

    @property
    def category(self) -> Category:
        """What kind of dissatisfaction it is (R16)."""
        return self.received.category

    @property
    def received_at(self) -> datetime:
        """When the complaint arrived: the start of the response clock (R1)."""
        return self.received.at

    @property
    def severity(self) -> Severity:
        """How grave it is now: as reported, unless the policy raised it since (R16)."""
        raised = self._latest(SeverityRaised)
        return self.received.severity if raised is None else raised.severity

    @property
    def problem(self) -> str | None:
        """The problem as restated and confirmed by the customer (R8)."""
        restated = self._latest(Restated)
        return None if restated is None else restated.problem

    @property
    def offers(self) -> tuple[Offer, ...]:
        """The options most recently put in front of the customer (R9)."""
        offered = self._latest(OptionsOffered)
        return () if offered is None else offered.offers

    def _outcome_event(self) -> Event | None:
        return next((e for e in reversed(self.events) if type(e) in _OUTCOME_OF), None)

    @property
    def outcome(self) -> Step | None:
        """RESOLVED, LOST or DECLINED once decided (kept after closing), else None."""
        decided = self._outcome_event()
        return None if decided is None else _OUTCOME_OF[type(decided)]

    @property
    def outcome_at(self) -> datetime | None:
        """When the incident was resolved, lost or declined, if it has been."""
        decided = self._outcome_event()
        return None if decided is None else decided.at

    def _score(self, *, before_recovery: bool) -> int | None:
        return next(
            (
                e.score
                for e in self.events
                if isinstance(e, SatisfactionRecorded) and e.before_recovery is before_recovery
            ),
            None,
        )

    @property
    def satisfaction(self) -> int | None:
        """The customer's 0–10 rating after the fix (R12), if recorded."""
        return self._score(before_recovery=False)

    @property
    def satisfaction_before(self) -> int | None:
        """The customer's 0–10 rating before the recovery began (R12), if recorded."""
        return self._score(before_recovery=True)

    @property
    def closing(self) -> Closed | None:
        """The root cause and cost recorded at closing (R6), once closed."""
        return self._latest(Closed)

    @property
    def promises(self) -> tuple[Promise, ...]:
        """Every follow-up promise made (R10), each kept by the first contact after it."""
        promises: list[Promise] = []
        for event in self.events:
            if isinstance(event, PromiseMade):
                made = Promise(
                    number=event.number, made_at=event.at, due=event.due, note=event.note
                )
                promises.append(made)
            elif isinstance(event, CustomerContacted):
                promises = [
                    attrs.evolve(p, kept_at=event.at) if p.is_pending else p for p in promises
                ]
        return tuple(promises)

    def history(self) -> tuple[tuple[Event, Step], ...]:
        """Each event with the step the incident was at right after it (for timelines)."""
        step, steps = Step.RECEIVED, []
        for event in self.events:
            action = _ACTION_OF.get(type(event))
            if action is not None:
                step = TRANSITIONS[step][action]
            steps.append((event, step))
        return tuple(steps)

    @property
    def waiting(self) -> bool:
        """True while we wait for the customer's answer (the resolution clock is paused)."""
        last = next(
            (e for e in reversed(self.events) if type(e) in (WaitingOnCustomer, CustomerReplied)),
            None,
        )
        return isinstance(last, WaitingOnCustomer)

    @property
    def timers(self) -> dict[str, SlaTimer]:
        """The incident's SLA timers by name, read from its events.

        `response` (R1), `resolution` (R19) and one `promise-N` per follow-up promise
        (R10). Targets come from the policy (`response_target`, `resolution_target`): the
        response counts wall-clock time, the resolution the policy's `calendar` and
        pauses while we wait on the customer, a promise is due at its promised time.
        """
        policy = self.policy
        received = self.received.at
        thresholds, wall_clock = policy.warning_thresholds, PauseClock.BUSINESS
        timers = {
            "response": SlaTimer._begin(  # noqa: SLF001 (the policy checked these)
                name="response",
                target=policy.response_target(self).target,
                at=received,
                calendar=AROUND_THE_CLOCK,
                warnings=thresholds,
                pause_clock=wall_clock,
            ),
            "resolution": SlaTimer._begin(  # noqa: SLF001
                name="resolution",
                target=policy.resolution_target(self).target,
                at=received,
                calendar=policy.calendar,
                warnings=thresholds,
                pause_clock=policy.pause_clock,
            ),
        }
        for event in self.events:
            kind = type(event)
            if kind is PromiseMade:
                name = f"promise-{event.number}"  # type: ignore[attr-defined]
                span = elapsed(event.at, event.due)  # type: ignore[attr-defined]
                timers[name] = SlaTimer._begin(  # noqa: SLF001
                    name=name,
                    target=span,
                    at=event.at,
                    calendar=AROUND_THE_CLOCK,
                    warnings=thresholds,
                    pause_clock=wall_clock,
                )
            elif kind is CustomerContacted:  # R10: any contact keeps every promise made
                for name, timer in timers.items():
                    if name.startswith("promise-") and _running(timer):
                        timers[name] = timer.stop(at=event.at)
            for name, change in _TIMER_CHANGES.get(kind, ()):
                if _running(timers[name]):
                    timers[name] = change(timers[name], event.at)
        return timers

    @property
    def pending_promises(self) -> tuple[Promise, ...]:
        """Promises not yet kept by a contact (R10)."""
        return tuple(promise for promise in self.promises if promise.is_pending)


_E = TypeVar("_E", bound=Event)


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


_OUTCOME_OF: dict[type[Event], Step] = {
    Resolved: Step.RESOLVED,
    Abandoned: Step.LOST,
    Declined: Step.DECLINED,
}

_Holder = tuple[str, str | None, int]

_HOLDER_CHANGES: dict[type[Event], Callable[[Any, str, str | None, int], _Holder]] = {
    Escalated: lambda e, _, owner, handoffs: (e.to, owner, handoffs),
    Acknowledged: lambda e, level, _, handoffs: (level, e.by, handoffs),
    HandedOff: lambda e, level, _, handoffs: (level, e.to_agent, handoffs + 1),
}
"""The events that change who holds the incident: its level, owner and handoff count."""

_ACTION_OF: dict[type[Event], Action] = {
    Acknowledged: Action.ACKNOWLEDGE,
    Restated: Action.RESTATE,
    OptionsOffered: Action.OFFER,
    Escalated: Action.ESCALATE,
    Resolved: Action.RESOLVE,
    Abandoned: Action.ABANDON,
    Declined: Action.DECLINE,
    Closed: Action.CLOSE,
}
"""The events that move the incident, and the action of the transition table each is."""

_SIDE_COMMAND_OF: dict[type[Event], tuple[str, frozenset[Step]]] = {
    SeverityRaised: ("raise the severity of", _ANY),
    HandedOff: ("hand_off", _ACKNOWLEDGED_AND_OPEN),
    PromiseMade: ("promise", _NOT_CLOSED),
    CustomerContacted: ("contact", _NOT_CLOSED),
    SatisfactionRecorded: ("record_satisfaction", _ANY),
    WaitingOnCustomer: ("wait_for_customer", _OPEN),
    CustomerReplied: ("customer_replied", _OPEN),
    AlertRaised: ("tick", _ANY),
    ApprovalRequested: ("request_approval", _NOT_CLOSED),
    ApprovalRejected: ("reject", _NOT_CLOSED),
    CompensationGranted: ("grant", _NOT_CLOSED),
}
"""The events of the side commands, which leave the step as it is: the command's name and
the steps it may run in."""

_FACT_CHECKS: dict[type[Event], Callable[[Any, Any], None]] = {
    SeverityRaised: Incident._check_severity_raised,  # noqa: SLF001 (our own class)
    Escalated: Incident._check_escalated,  # noqa: SLF001
    HandedOff: Incident._check_handed_off,  # noqa: SLF001
    PromiseMade: Incident._check_promise_made,  # noqa: SLF001
    SatisfactionRecorded: Incident._check_satisfaction,  # noqa: SLF001
    WaitingOnCustomer: Incident._check_waiting,  # noqa: SLF001
    CustomerReplied: Incident._check_replied,  # noqa: SLF001
    AlertRaised: Incident._check_alert_raised,  # noqa: SLF001
    ApprovalRequested: Incident._check_requested,  # noqa: SLF001
    ApprovalRejected: Incident._check_rejected,  # noqa: SLF001
    CompensationGranted: Incident._check_granted,  # noqa: SLF001
}
"""What each event must agree with in the history before it, beyond its own fields."""


def _stop(timer: SlaTimer, at: datetime) -> SlaTimer:
    return timer.stop(at=at)


def _cancel(timer: SlaTimer, at: datetime) -> SlaTimer:
    return timer.cancel(at=at)


def _unanswered(timer: SlaTimer, at: datetime) -> SlaTimer:
    # R1: a complaint left unanswered past its target was missed, not cancelled.
    return timer.stop(at=at) if before(timer.due_at, at) else timer.cancel(at=at)


def _pause(timer: SlaTimer, at: datetime) -> SlaTimer:
    return timer.pause(at=at)


def _resume(timer: SlaTimer, at: datetime) -> SlaTimer:
    return timer.resume(at=at)


_Change = Callable[[SlaTimer, datetime], SlaTimer]

_TIMER_CHANGES: dict[type[Event], tuple[tuple[str, _Change], ...]] = {
    Acknowledged: (("response", _stop),),
    Resolved: (("resolution", _stop),),
    Abandoned: (("response", _unanswered), ("resolution", _stop)),
    Declined: (("response", _unanswered), ("resolution", _stop)),
    WaitingOnCustomer: (("resolution", _pause),),
    CustomerReplied: (("resolution", _resume),),
}
"""What each event does to the response and resolution timers (R1, R19)."""


def _running(timer: SlaTimer) -> bool:
    return timer.stopped_at is None and timer.cancelled_at is None


def _alerts(timers: Mapping[str, SlaTimer], at: datetime) -> Iterator[Alert]:
    """Every alert that is true of `timers` at `at`: thresholds reached, due times passed."""
    for name, timer in timers.items():
        if timer.cancelled_at is not None:
            continue
        for threshold in timer.warnings:
            reached = timer.warning_at(threshold)
            if reached is not None and not before(at, reached):
                share = Decimal(threshold.numerator) / Decimal(threshold.denominator)
                yield Alert(AlertKind.WARNING, name, timer.due_at, reached, share)
        if timer.status(at) is SlaStatus.BREACHED:
            kind = AlertKind.BROKEN_PROMISE if name.startswith("promise-") else AlertKind.BREACH
            yield Alert(kind, name, timer.due_at, timer.due_at)


def _alert_key(alert: Alert) -> tuple[AlertKind, str, Decimal | None]:
    """An alert is noticed once per timer and threshold, whatever its due time became."""
    return alert.kind, alert.timer, alert.threshold
