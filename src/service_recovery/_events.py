"""The facts: what happened to an incident, in the past tense, each with its id and time.

Events are the incident's source of truth: `Incident.replay(events)` folds them back into
the same incident. Commands validate before they record, so events carry no validators
of their own; data read back from storage is checked by `_serialization`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import attrs

from ._classification import Category, Channel, Severity
from ._compensation import Actor, GrantDecision, Offer
from ._decisions import AlertDecision, Reason
from ._money import Money


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened to incident `incident_id` at `at` (an aware datetime)."""

    incident_id: str
    at: datetime


@attrs.frozen(kw_only=True)
class Received(Event):
    """A customer complained: the incident exists from now on (R1's clock starts)."""

    customer: str
    channel: Channel
    category: Category
    severity: Severity


@attrs.frozen(kw_only=True)
class SeverityRaised(Event):
    """The policy raised the severity (R16: an ignored complaint is the gravest)."""

    severity: Severity
    reason: Reason


@attrs.frozen(kw_only=True)
class Acknowledged(Event):
    """Someone answered and apologized (R1); they own the incident from now on (R2)."""

    by: str


@attrs.frozen(kw_only=True)
class Restated(Event):
    """The problem was said back to the customer and they confirmed it (R8)."""

    problem: str


@attrs.frozen(kw_only=True)
class OptionsOffered(Event):
    """The customer was given options to choose from (R9), each possible or not (R17)."""

    offers: tuple[Offer, ...]


@attrs.frozen(kw_only=True)
class Escalated(Event):
    """The incident went up to a level with more authority (R9, R16, R2, R13)."""

    to: str
    reason: Reason


@attrs.frozen(kw_only=True)
class Resolved(Event):
    """The customer's problem was fixed."""

    summary: str


@attrs.frozen(kw_only=True)
class Abandoned(Event):
    """The customer walked away before a fix: the incident is lost."""

    reason: str


@attrs.frozen(kw_only=True)
class Declined(Event):
    """The business chose not to recover this customer (R15), by someone allowed to."""

    reason: str
    by: Actor


@attrs.frozen(kw_only=True)
class Closed(Event):
    """Documented and quantified behind closed doors (R6)."""

    root_cause: str
    cost: Money


@attrs.frozen(kw_only=True)
class HandedOff(Event):
    """The incident changed owner (R2: counted and limited)."""

    from_agent: str
    to_agent: str


@attrs.frozen(kw_only=True)
class PromiseMade(Event):
    """The customer was told when they will hear from us next (R10)."""

    number: int
    due: datetime
    note: str


@attrs.frozen(kw_only=True)
class CustomerContacted(Event):
    """We contacted the customer, news or not (R10: it keeps every open promise)."""

    note: str


@attrs.frozen(kw_only=True)
class SatisfactionRecorded(Event):
    """The customer rated us 0–10 (R12): after the recovery, or before it began."""

    score: int
    before_recovery: bool = False


@attrs.frozen(kw_only=True)
class ApprovalRequested(Event):
    """A grant beyond the actor's authority waits for a higher level's approval (R3)."""

    decision: GrantDecision


@attrs.frozen(kw_only=True)
class ApprovalRejected(Event):
    """A higher level said no to a request (R3), with its reason."""

    reference: str
    approver: Actor
    reason: str


@attrs.frozen(kw_only=True)
class CompensationGranted(Event):
    """Compensation was given (R3, R4), per `decision`, approved by `approver` if needed."""

    decision: GrantDecision
    approver: Actor | None = None


@attrs.frozen(kw_only=True)
class WaitingOnCustomer(Event):
    """We are waiting for the customer: the resolution clock pauses."""

    note: str


@attrs.frozen(kw_only=True)
class CustomerReplied(Event):
    """The customer answered: the resolution clock runs again."""


class AlertKind(StrEnum):
    """What became true about a timer."""

    WARNING = "warning"
    BREACH = "breach"
    BROKEN_PROMISE = "broken_promise"


@attrs.frozen
class Alert:
    """A warning, a breach or a broken promise of one of the incident's timers.

    `became_at` is when it became true (a threshold reached, a due time passed); the
    event recording it is dated when `tick` noticed.
    """

    kind: AlertKind
    timer: str
    due: datetime
    became_at: datetime
    threshold: Decimal | None = None

    def __str__(self) -> str:
        share = f" at {self.threshold:%}" if self.threshold is not None else ""
        return f"{self.kind.value} of {self.timer}{share} (due {self.due.isoformat()})"


@attrs.frozen(kw_only=True)
class AlertRaised(Event):
    """`tick` noticed an alert and asked the policy what to do (R1, R10)."""

    alert: Alert
    decision: AlertDecision


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        Received,
        SeverityRaised,
        Acknowledged,
        Restated,
        OptionsOffered,
        Escalated,
        Resolved,
        Abandoned,
        Declined,
        Closed,
        HandedOff,
        PromiseMade,
        CustomerContacted,
        SatisfactionRecorded,
        ApprovalRequested,
        ApprovalRejected,
        CompensationGranted,
        WaitingOnCustomer,
        CustomerReplied,
        AlertRaised,
    )
}
"""Every event class by its name, the tag it carries when serialized."""
