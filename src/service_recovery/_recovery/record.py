"""The read side of an incident: the facts its events recorded, folded in as they happen.

An `IncidentRecord` is what a policy is asked about: who holds the incident, where it
stands, and the facts derived from its history (the severity now, the outcome and when,
the scores, what was granted and what waits for approval, the promises), each an
attribute read rather than a scan of the events. `EFFECTS` is the one table of what each
event does to those facts; commands and replay fold every event through it, so a
replayed history is the same record by construction. A record has no commands: a rule
reads facts, it does not act.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Self

import attrs

from service_recovery._base.fields import Fields
from service_recovery._base.instants import before
from service_recovery._base.kept import Keeps
from service_recovery._base.vocabulary import Category, Channel, Severity
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery.lifecycle import ACTION_OF, TRANSITIONS, Step
from service_recovery.decisions import GrantDecision
from service_recovery.errors import InvalidTypeError
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

AlertKey = tuple[AlertKind, str, Decimal | None]


def alert_key(alert: Alert) -> AlertKey:
    """An alert is noticed once per timer and threshold, whatever its due time became."""
    return alert.kind, alert.timer, alert.threshold


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


@attrs.frozen(slots=False)
class IncidentRecord(Keeps):
    """One complaint as its events recorded it: what every policy decision reads.

    `Incident` is a record with the commands and the policy that decides them; a policy's
    override points are asked about the record side only.

    Its fields live in its `__dict__`, not in slots, so recording an event copies them in
    one `dict.update`; a subclass with fields of its own keeps them there too
    (``@attrs.frozen(slots=False)``). Commands copy the record without its constructor:
    a subclass's validators and `__attrs_post_init__` run when it is received, not on
    every event.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:  # noqa: ANN401 (type's own)
        super().__init_subclass__(**kwargs)
        # attrs makes a slotted class anew, with its fields in `__slots__`: refuse it
        # here, since a command's copy of the `__dict__` would lose them.
        fields = [name for name in cls.__dict__.get("__slots__", ()) if not name.startswith("__")]
        if fields:
            msg = (
                f"{cls.__name__} keeps {', '.join(fields)} in slots; an incident's record "
                f"keeps its fields in its __dict__: declare it @attrs.frozen(slots=False)"
            )
            raise InvalidTypeError(msg)

    id: str
    step: Step
    level: str  # the authority level holding the incident (R3, R9)
    owner: str | None  # who took responsibility (R2)
    handoffs: int
    updated_at: datetime
    events: tuple[Event, ...] = attrs.field(repr=False)
    severity: Severity = attrs.field(repr=False)
    outcome: Step | None = attrs.field(repr=False)
    outcome_at: datetime | None = attrs.field(repr=False)
    problem: str | None = attrs.field(repr=False)
    offers: tuple[Offer, ...] = attrs.field(repr=False)
    closing: Closed | None = attrs.field(repr=False)
    satisfaction: int | None = attrs.field(repr=False)
    satisfaction_before: int | None = attrs.field(repr=False)
    promises: tuple[Promise, ...] = attrs.field(repr=False)
    waiting: bool = attrs.field(repr=False)
    granted: Money = attrs.field(repr=False)
    grant_decisions: tuple[GrantDecision, ...] = attrs.field(repr=False)
    pending_approvals: tuple[GrantDecision, ...] = attrs.field(repr=False)
    noticed: frozenset[AlertKey] = attrs.field(repr=False)

    @classmethod
    def _opened(cls, received: Received, level: str, currency: str, **more: Any) -> Self:  # noqa: ANN401 (a subclass's own fields)
        """The record right after `received`, held by `level`, granting in `currency`.

        Built without its constructor (a record has no validators), unless `cls` has
        fields of its own beyond `more`, which its constructor gives their defaults.
        """
        record = object.__new__(cls)
        fields = record.__dict__
        fields.update(
            _OPENED,
            id=received.incident_id,
            level=level,
            updated_at=received.at,
            events=(received,),
            severity=received.severity,
            granted=Money.zero(currency),
            **more,
        )
        if len(fields) == _FIELD_COUNT[cls]:
            return record
        return cls(**fields)

    def __getstate__(self) -> dict[str, Any]:
        """The fields alone: what the record keeps once asked is worked out again."""
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _recorded(self, event: Event, step: Step) -> Self:
        """The record after `event`, at `step`: the one path commands and replay share.

        The event was checked against the history before it; here it only takes effect.
        """
        changes: dict[str, Any] = {"step": step, "updated_at": event.at}
        effect = EFFECTS.get(type(event))
        if effect is not None:
            changes.update(effect(self, event))
        record = object.__new__(type(self))
        fields = record.__dict__
        fields.update(self.__dict__)
        fields.update(changes)
        fields["events"] = (*self.events, event)
        return record

    @property
    def version(self) -> int:
        """How many events the incident has: compare it before storing (compare-and-set).

        Every command adds at least one event, so two agents acting on the same stored
        incident cannot both write it (see the compensation docs).
        """
        return len(self.events)

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
    def fields(self) -> Fields:
        """The host's own facts about the ticket, as given to `receive` (none by default)."""
        return self.received.fields

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
    def pending_promises(self) -> tuple[Promise, ...]:
        """Promises not yet kept by a contact (R10)."""
        return tuple(promise for promise in self.promises if promise.is_pending)

    def history(self) -> tuple[tuple[Event, Step], ...]:
        """Each event with the step the incident was at right after it (for timelines)."""
        step, steps = Step.RECEIVED, []
        for event in self.events:
            action = ACTION_OF.get(type(event))
            if action is not None:
                step = TRANSITIONS[step][action]
            steps.append((event, step))
        return tuple(steps)


_OPENED: Mapping[str, Any] = MappingProxyType(
    {
        "step": Step.RECEIVED,
        "owner": None,
        "handoffs": 0,
        "outcome": None,
        "outcome_at": None,
        "problem": None,
        "offers": (),
        "closing": None,
        "satisfaction": None,
        "satisfaction_before": None,
        "promises": (),
        "waiting": False,
        "grant_decisions": (),
        "pending_approvals": (),
        "noticed": frozenset(),
    }
)
"""A new record's facts, beyond what its first event and its policy give."""


class _FieldCount(dict[type, int]):
    """How many fields each record class has, looked up once per class."""

    def __missing__(self, kind: type) -> int:
        count = self[kind] = len(attrs.fields(kind))
        return count


_FIELD_COUNT = _FieldCount()


# ---------------------------------------------------------------------- the effects


def _decided(_record: IncidentRecord, event: Resolved | Abandoned | Declined) -> dict[str, Any]:
    return {"outcome": _OUTCOME_OF[type(event)], "outcome_at": event.at}


def _promised(record: IncidentRecord, event: PromiseMade) -> dict[str, Any]:
    made = Promise(number=event.number, made_at=event.at, due=event.due, note=event.note)
    return {"promises": (*record.promises, made)}


def _contacted(record: IncidentRecord, event: CustomerContacted) -> dict[str, Any]:
    # R10: any contact keeps every promise made before it.
    kept = tuple(
        attrs.evolve(promise, kept_at=event.at) if promise.is_pending else promise
        for promise in record.promises
    )
    return {"promises": kept}


def _rated(_record: IncidentRecord, event: SatisfactionRecorded) -> dict[str, Any]:
    return {"satisfaction_before" if event.before_recovery else "satisfaction": event.score}


def _requested(record: IncidentRecord, event: ApprovalRequested) -> dict[str, Any]:
    decision = event.decision
    return {
        "grant_decisions": (*record.grant_decisions, decision),
        "pending_approvals": (*record.pending_approvals, decision),
    }


def _answered(record: IncidentRecord, reference: str) -> tuple[GrantDecision, ...]:
    return tuple(d for d in record.pending_approvals if d.reference != reference)


def _rejected(record: IncidentRecord, event: ApprovalRejected) -> dict[str, Any]:
    return {"pending_approvals": _answered(record, event.reference)}


def _granted(record: IncidentRecord, event: CompensationGranted) -> dict[str, Any]:
    decision = event.decision
    known = any(d.reference == decision.reference for d in record.grant_decisions)
    return {
        "granted": record.granted + decision.amount,
        "grant_decisions": record.grant_decisions if known else (*record.grant_decisions, decision),
        "pending_approvals": _answered(record, decision.reference),
    }


_OUTCOME_OF: Mapping[type[Event], Step] = MappingProxyType(
    {Resolved: Step.RESOLVED, Abandoned: Step.LOST, Declined: Step.DECLINED}
)

EFFECTS: Mapping[type[Event], Callable[[Any, Any], dict[str, Any]]] = MappingProxyType(
    {
        SeverityRaised: lambda _, e: {"severity": e.severity},
        Acknowledged: lambda _, e: {"owner": e.by},
        Restated: lambda _, e: {"problem": e.problem},
        OptionsOffered: lambda _, e: {"offers": e.offers},
        Escalated: lambda _, e: {"level": e.to},
        Resolved: _decided,
        Abandoned: _decided,
        Declined: _decided,
        Closed: lambda _, e: {"closing": e},
        HandedOff: lambda r, e: {"owner": e.to_agent, "handoffs": r.handoffs + 1},
        PromiseMade: _promised,
        CustomerContacted: _contacted,
        SatisfactionRecorded: _rated,
        WaitingOnCustomer: lambda _, __: {"waiting": True},
        CustomerReplied: lambda _, __: {"waiting": False},
        AlertRaised: lambda r, e: {"noticed": r.noticed | {alert_key(e.alert)}},
        ApprovalRequested: _requested,
        ApprovalRejected: _rejected,
        CompensationGranted: _granted,
    }
)
"""What each event does to the record's facts, beyond its step, time and history."""
