"""The recovery steps: which action leads where, and where each side command may run.

Both tables are data, so the docs draw them (`to_mermaid`) and tests enumerate them; an
action the table does not allow is refused before anything changes (as automat does),
naming what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from service_recovery._base.checks import shown
from service_recovery.errors import InvalidTransition
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
    Declined,
    Escalated,
    Event,
    HandedOff,
    OptionsOffered,
    PromiseMade,
    Resolved,
    Restated,
    SatisfactionRecorded,
    SeverityRaised,
    WaitingOnCustomer,
)


class Step(StrEnum):
    """Where an incident stands in its recovery (docs/rules.md R1–R15)."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"  # R1: answered and apologized
    UNDERSTOOD = "understood"  # R7, R8: the anger passed, the problem restated and confirmed
    OPTIONS_OFFERED = "options_offered"  # R9: at least two options on the table
    ESCALATED = "escalated"  # R9: beyond the owner's authority
    RESOLVED = "resolved"
    LOST = "lost"  # the customer walked away
    DECLINED = "declined"  # R15: the business chose not to recover
    CLOSED = "closed"  # R6: documented and quantified

    @property
    def is_open(self) -> bool:
        """True while the customer is still waiting for an outcome."""
        return self in _OPEN

    @property
    def is_final(self) -> bool:
        """True once nothing more can happen to the incident."""
        return self is Step.CLOSED


class Action(StrEnum):
    """The commands that move an incident from one step to another."""

    ACKNOWLEDGE = "acknowledge"
    RESTATE = "restate"
    OFFER = "offer"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    ABANDON = "abandon"
    DECLINE = "decline"
    CLOSE = "close"


_OPEN = frozenset(
    {Step.RECEIVED, Step.ACKNOWLEDGED, Step.UNDERSTOOD, Step.OPTIONS_OFFERED, Step.ESCALATED}
)

_TABLE: dict[Step, dict[Action, Step]] = {
    Step.RECEIVED: {Action.ACKNOWLEDGE: Step.ACKNOWLEDGED, Action.ABANDON: Step.LOST},
    Step.ACKNOWLEDGED: {
        Action.RESTATE: Step.UNDERSTOOD,
        Action.ESCALATE: Step.ESCALATED,
        Action.ABANDON: Step.LOST,
    },
    Step.UNDERSTOOD: {
        Action.OFFER: Step.OPTIONS_OFFERED,
        Action.ESCALATE: Step.ESCALATED,
        Action.ABANDON: Step.LOST,
        Action.DECLINE: Step.DECLINED,
    },
    Step.OPTIONS_OFFERED: {
        Action.RESOLVE: Step.RESOLVED,
        Action.ESCALATE: Step.ESCALATED,
        Action.ABANDON: Step.LOST,
        Action.DECLINE: Step.DECLINED,
    },
    # An escalated incident may escalate again, to a higher level only (checked by
    # the incident): a supervisor hands a 2,000 USD question to a manager.
    Step.ESCALATED: {
        Action.OFFER: Step.OPTIONS_OFFERED,
        Action.RESOLVE: Step.RESOLVED,
        Action.ESCALATE: Step.ESCALATED,
        Action.ABANDON: Step.LOST,
        Action.DECLINE: Step.DECLINED,
    },
    Step.RESOLVED: {Action.CLOSE: Step.CLOSED},
    Step.LOST: {Action.CLOSE: Step.CLOSED},
    Step.DECLINED: {Action.CLOSE: Step.CLOSED},
    Step.CLOSED: {},
}

TRANSITIONS: Mapping[Step, Mapping[Action, Step]] = MappingProxyType(
    {step: MappingProxyType(moves) for step, moves in _TABLE.items()}
)
"""Step → action → next step: every move an incident can make, and nothing else."""


def allowed_actions(step: Step) -> frozenset[Action]:
    """Return the actions the table allows from `step`."""
    return frozenset(TRANSITIONS[step])


def next_step(step: Step, action: Action, incident_id: str) -> Step:
    """Return where `action` leads from `step`, or refuse it naming what is allowed.

    Raises:
        InvalidTransition: the table has no such move.
    """
    moves = _TABLE[step]
    target = moves.get(action)
    if target is None:
        allowed = sorted(moves)
        msg = (
            f"cannot {action} incident {shown(incident_id)} while it is {step}; "
            f"allowed from {step}: {', '.join(allowed) or 'nothing (it is closed)'}"
        )
        raise InvalidTransition(msg, step=step, action=action, allowed=allowed)
    return target


ACTION_OF: Mapping[type[Event], Action] = MappingProxyType(
    {
        Acknowledged: Action.ACKNOWLEDGE,
        Restated: Action.RESTATE,
        OptionsOffered: Action.OFFER,
        Escalated: Action.ESCALATE,
        Resolved: Action.RESOLVE,
        Abandoned: Action.ABANDON,
        Declined: Action.DECLINE,
        Closed: Action.CLOSE,
    }
)
"""The events that move the incident, and the action of the transition table each is."""

_ANY = frozenset(Step)
_NOT_CLOSED = _ANY - {Step.CLOSED}

SIDE_COMMANDS: Mapping[type[Event], tuple[str, frozenset[Step]]] = MappingProxyType(
    {
        SeverityRaised: ("raise the severity of", _ANY),
        HandedOff: ("hand_off", _OPEN - {Step.RECEIVED}),
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
)
"""The events of the side commands, which leave the step as it is: the command's name and
the steps it may run in."""


def check_side_step(step: Step, kind: type[Event], incident_id: str) -> None:
    """Refuse the side command recording `kind` outside the steps it may run in.

    Raises:
        InvalidTransition: naming the steps it may run in (`allowed_steps`) and the moves
            the table allows now (`allowed`).
    """
    action, steps = SIDE_COMMANDS[kind]
    if step not in steps:
        msg = (
            f"cannot {action} incident {shown(incident_id)} while it is {step}; only while "
            f"{', '.join(sorted(steps))}"
        )
        raise InvalidTransition(
            msg, step=step, action=action, allowed=TRANSITIONS[step], allowed_steps=steps
        )


def to_mermaid() -> str:
    """Draw the transition table as a Mermaid state diagram (README and docs embed it)."""
    lines = ["stateDiagram-v2", f"    [*] --> {Step.RECEIVED.name}"]
    for step, moves in TRANSITIONS.items():
        lines.extend(
            f"    {step.name} --> {target.name}: {action}" for action, target in moves.items()
        )
    lines.append(f"    {Step.CLOSED.name} --> [*]")
    return "\n".join(lines) + "\n"
