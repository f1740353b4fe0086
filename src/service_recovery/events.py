"""The facts: what happened to an incident, in the past tense, each with its id and time.

Events are the incident's source of truth: `Incident.replay(events)` folds them back into
the same incident. Each event checks its own fields when it is built (types, ranges,
awareness, members), so a hand-built or stored event is refused as a command would refuse
its arguments, the error naming the field (``err.path == "score"``); what depends on the
history before it (order, the transition table, R10's numbering, R12's once) is checked
by `Incident` on the way in, by commands and replay alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import attrs

from service_recovery._base.checks import (
    each,
    exactly,
    flag,
    note,
    of,
    optional,
    shown,
    stated,
    text,
    valid,
    whole,
    within,
)
from service_recovery._base.fields import NO_FIELDS, Fields, FieldValue, host_fields
from service_recovery._base.instants import aware, before
from service_recovery._base.reasons import Reason
from service_recovery._base.vocabulary import Category, Channel, Severity
from service_recovery._money.authority import Actor
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery.decisions import AlertDecision, GrantDecision
from service_recovery.errors import InvalidValueError, RuleViolation

__all__ = [
    "EVENT_TYPES",
    "Abandoned",
    "Acknowledged",
    "Alert",
    "AlertKind",
    "AlertRaised",
    "ApprovalRejected",
    "ApprovalRequested",
    "Closed",
    "CompensationGranted",
    "CustomerContacted",
    "CustomerReplied",
    "Declined",
    "Escalated",
    "Event",
    "FieldValue",
    "Fields",
    "HandedOff",
    "OptionsOffered",
    "PromiseMade",
    "Received",
    "Resolved",
    "Restated",
    "SatisfactionRecorded",
    "SeverityRaised",
    "WaitingOnCustomer",
]

MAX_PROMISES = 1_000
"""The most follow-up promises one incident records (R10): far more than any needs."""

_text = valid(text)
_note = valid(note)
_time = valid(aware)
_reason = valid(of(Reason))


def _host_fields(value: Mapping[str, object]) -> Fields:
    return within("fields", host_fields, value, "fields")


def _score(value: object, what: str) -> int:
    return whole(value, what, 0, 10)


def _promise_number(value: object, what: str) -> int:
    return whole(value, what, 1, MAX_PROMISES)


def _offers(value: Iterable[Offer]) -> tuple[Offer, ...]:
    return within("offers", each(of(Offer)), value, "offers")


def _promised(value: object, what: str) -> datetime:
    if value is None:
        msg = (
            f"R10: a promise needs {what}, the time the customer will hear from us; pass "
            "an aware datetime after the promise"
        )
        raise RuleViolation(msg, rule="R10")
    return aware(value, what)


def _recovery_cost(value: object, what: str) -> Money:
    if not isinstance(value, Money) or value.amount < 0:
        msg = (
            f"R6: {what} must be what the recovery cost as Money, never negative, got "
            f"{shown(value)}; pass Money.zero('USD') if it cost nothing"
        )
        raise RuleViolation(msg, rule="R6")
    return value


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened to incident `incident_id` at `at` (an aware datetime)."""

    incident_id: str = attrs.field(validator=_text)
    at: datetime = attrs.field(validator=_time)


@attrs.frozen(kw_only=True)
class Received(Event):
    """A customer complained: the incident exists from now on (R1's clock starts).

    `policy` and `policy_fingerprint` say which policy decided the history (its class
    and a digest of its settings), so a replay under another one is caught; None in a
    hand-built history, which then replays under whatever policy it is given. `fields`
    are the host's own facts about the ticket (tier, organisation, tags, …), checked as
    `Fields`; none by default.
    """

    customer: str = attrs.field(validator=_text)
    channel: Channel = attrs.field(validator=valid(exactly(Channel)))
    category: Category = attrs.field(validator=valid(exactly(Category)))
    severity: Severity = attrs.field(validator=valid(exactly(Severity)))
    policy: str | None = attrs.field(default=None, validator=valid(optional(text)))
    policy_fingerprint: str | None = attrs.field(default=None, validator=valid(optional(text)))
    fields: Fields = attrs.field(default=NO_FIELDS, converter=_host_fields)


@attrs.frozen(kw_only=True)
class SeverityRaised(Event):
    """The policy raised the severity (R16: an ignored complaint is the gravest)."""

    severity: Severity = attrs.field(validator=valid(exactly(Severity)))
    reason: Reason = attrs.field(validator=_reason)


@attrs.frozen(kw_only=True)
class Acknowledged(Event):
    """Someone answered and apologized (R1); they own the incident from now on (R2)."""

    by: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class Restated(Event):
    """The problem was said back to the customer and they confirmed it (R8)."""

    problem: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class OptionsOffered(Event):
    """The customer was given options to choose from (R9), each possible or not (R17)."""

    offers: tuple[Offer, ...] = attrs.field(converter=_offers)


@attrs.frozen(kw_only=True)
class Escalated(Event):
    """The incident went up to a level with more authority (R9, R16, R2, R13)."""

    to: str = attrs.field(validator=_text)
    reason: Reason = attrs.field(validator=_reason)


@attrs.frozen(kw_only=True)
class Resolved(Event):
    """The customer's problem was fixed."""

    summary: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class Abandoned(Event):
    """The customer walked away before a fix: the incident is lost."""

    reason: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class Declined(Event):
    """The business chose not to recover this customer (R15), by someone allowed to."""

    reason: str = attrs.field(
        validator=valid(stated("R15", "needs a reason a supervisor can read"))
    )
    by: Actor = attrs.field(validator=valid(of(Actor)))


@attrs.frozen(kw_only=True)
class Closed(Event):
    """Documented and quantified behind closed doors (R6)."""

    root_cause: str = attrs.field(
        validator=valid(stated("R6", "must name the root cause: what failed"))
    )
    cost: Money = attrs.field(validator=valid(_recovery_cost))


@attrs.frozen(kw_only=True)
class HandedOff(Event):
    """The incident changed owner (R2: counted and limited)."""

    from_agent: str = attrs.field(validator=_note)
    to_agent: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class PromiseMade(Event):
    """The customer was told when they will hear from us next (R10)."""

    number: int = attrs.field(validator=valid(_promise_number))
    due: datetime = attrs.field(validator=valid(_promised))
    note: str = attrs.field(validator=_note)

    def __attrs_post_init__(self) -> None:
        if not before(self.at, self.due):
            msg = (
                f"R10: a promise made at {self.at.isoformat()} must be due later, got "
                f"due={self.due.isoformat()}; give the customer a time in the future"
            )
            raise RuleViolation(msg, rule="R10", path="due")


@attrs.frozen(kw_only=True)
class CustomerContacted(Event):
    """We contacted the customer, news or not (R10: it keeps every open promise)."""

    note: str = attrs.field(validator=_note)


@attrs.frozen(kw_only=True)
class SatisfactionRecorded(Event):
    """The customer rated us 0–10 (R12): after the recovery, or before it began."""

    score: int = attrs.field(validator=valid(_score))
    before_recovery: bool = attrs.field(default=False, validator=valid(flag))


@attrs.frozen(kw_only=True)
class ApprovalRequested(Event):
    """A grant beyond the actor's authority waits for a higher level's approval (R3)."""

    decision: GrantDecision = attrs.field(validator=valid(of(GrantDecision)))


@attrs.frozen(kw_only=True)
class ApprovalRejected(Event):
    """A higher level said no to a request (R3), with its reason."""

    reference: str = attrs.field(validator=_text)
    approver: Actor = attrs.field(validator=valid(of(Actor)))
    reason: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class CompensationGranted(Event):
    """Compensation was given (R3, R4), per `decision`, approved by `approver` if needed."""

    decision: GrantDecision = attrs.field(validator=valid(of(GrantDecision)))
    approver: Actor | None = attrs.field(default=None, validator=valid(optional(of(Actor))))


@attrs.frozen(kw_only=True)
class WaitingOnCustomer(Event):
    """We are waiting for the customer: the resolution clock pauses."""

    note: str = attrs.field(validator=_note)


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

    kind: AlertKind = attrs.field(validator=valid(exactly(AlertKind)))
    timer: str = attrs.field(validator=_text)
    due: datetime = attrs.field(validator=_time)
    became_at: datetime = attrs.field(validator=_time)
    threshold: Decimal | None = attrs.field(default=None)

    @threshold.validator
    def _share(self, _attribute: object, threshold: Decimal | None) -> None:
        # A warning is at a share of the target strictly between 0 and 1; nothing else has one.
        if self.kind is not AlertKind.WARNING:
            if threshold is not None:
                msg = f"a {self.kind.value} alert has no threshold, got {shown(threshold)}"
                raise InvalidValueError(msg, path="threshold")
            return
        if not isinstance(threshold, Decimal) or not (threshold.is_finite() and 0 < threshold < 1):
            msg = (
                f"a warning's threshold must be a Decimal share of the target between 0 and 1 "
                f"such as Decimal('0.75'), got {shown(threshold)}"
            )
            raise InvalidValueError(msg, path="threshold")

    def __str__(self) -> str:
        share = f" at {self.threshold:%}" if self.threshold is not None else ""
        return f"{self.kind.value} of {self.timer}{share} (due {self.due.isoformat()})"


@attrs.frozen(kw_only=True)
class AlertRaised(Event):
    """`tick` noticed an alert and asked the policy what to do (R1, R10)."""

    alert: Alert = attrs.field(validator=valid(of(Alert)))
    decision: AlertDecision = attrs.field(validator=valid(of(AlertDecision)))


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
