"""Decisions: what a policy answers, each with the reasons why.

Every override point of `RecoveryPolicy` returns one of these; each carries a tuple of
`Reason(rule, detail)` whose rule id traces to docs/rules.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Any

import attrs

from service_recovery._base.checks import (
    each,
    exactly,
    flag,
    of,
    optional,
    sequence,
    shown,
    text,
    valid,
    within,
)
from service_recovery._base.instants import duration
from service_recovery._base.reasons import Reason
from service_recovery._base.vocabulary import Severity
from service_recovery._money.authority import Actor
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._time.calendar import BusinessCalendar
from service_recovery.errors import (
    PolicyError,
)

__all__ = [
    "AlertDecision",
    "CooldownDecision",
    "Decision",
    "EscalationDecision",
    "GrantDecision",
    "GrantOutcome",
    "OfferSuggestion",
    "Reason",
    "TargetDecision",
    "WorthDecision",
]


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    reasons: tuple[Any, ...] = within("reasons", sequence, value, "reasons")
    return reasons  # each a Reason: `_has_reasons` says so, as a policy error


_each_reason = each(of(Reason))
_each_name = each(text)


def _findings(value: Iterable[Reason]) -> tuple[Reason, ...]:
    if type(value) is tuple and not value:  # the common case: nothing to learn from
        return ()
    return within("findings", _each_reason, value, "findings")


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if type(value) is tuple and not value:
        return ()
    return within("notify", _each_name, value, "notify")


def _has_reasons(_instance: object, _attribute: object, reasons: tuple[Reason, ...]) -> None:
    # A decision without a reason is a bug in whoever decided: a policy error.
    if not reasons or not all(isinstance(reason, Reason) for reason in reasons):
        msg = (
            f"a decision needs at least one Reason, got {shown(reasons)}; no decision without "
            "a reason"
        )
        raise PolicyError(msg, errors=[("reasons", msg)])


@attrs.frozen(kw_only=True)
class Decision:
    """What a rule decided, with the reasons why (never none) and any learning findings.

    Subclasses add what was decided (an outcome, a level, an amount, a duration). R18:
    `findings` note what is worth learning from without blocking anything.
    """

    reasons: tuple[Reason, ...] = attrs.field(converter=_reasons, validator=_has_reasons)
    findings: tuple[Reason, ...] = attrs.field(default=(), converter=_findings)

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        return type(self).__name__

    def problem(self, levels: Sequence[str]) -> str | None:
        """What makes this decision unsound under a ladder of `levels`, or None."""
        del levels  # a plain decision names no level
        return None

    def explain(self) -> str:
        """A short text a supervisor can read: the headline, each reason, each finding."""
        lines = [self.headline]
        lines.extend(f"  because {reason}" for reason in self.reasons)
        lines.extend(f"  note {finding}" for finding in self.findings)
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class TargetDecision(Decision):
    """How long something may take: a response (R1, R13) or a resolution target.

    `calendar` is the business time the target counts in; None, the metric's own: around
    the clock for a response, the policy's `calendar` for a resolution.
    """

    target: timedelta = attrs.field(validator=valid(duration))
    calendar: BusinessCalendar | None = attrs.field(
        default=None, validator=valid(optional(of(BusinessCalendar)))
    )

    def problem(self, levels: Sequence[str]) -> str | None:
        """A target must be above zero."""
        del levels
        return (
            None
            if self.target > timedelta(0)
            else f"a target must be above zero, got {self.target}"
        )

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        return f"target {self.target}"


@attrs.frozen(kw_only=True)
class EscalationDecision(Decision):
    """Whether an incident must go up now and to which level, and who to tell (R2, R13, R16)."""

    escalate: bool = attrs.field(validator=valid(flag))
    to: str | None = attrs.field(default=None, validator=valid(optional(text)))
    notify: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def problem(self, levels: Sequence[str]) -> str | None:
        """An escalation names a level of the ladder; so does everyone it notifies."""
        if self.escalate and self.to not in levels:
            return f"escalates to {shown(self.to)}, not a level of the ladder ({', '.join(levels)})"
        strangers = [level for level in self.notify if level not in levels]
        return f"notifies {', '.join(strangers)}, not a level of the ladder" if strangers else None

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        told = f"; notify {', '.join(self.notify)}" if self.notify else ""
        return (f"escalate to {self.to}" if self.escalate else "no escalation") + told


@attrs.frozen(kw_only=True)
class WorthDecision(Decision):
    """Whether recovering a customer is worth what it costs (R14, R15), with the numbers."""

    worth: bool = attrs.field(validator=valid(flag))
    customer_value: Money = attrs.field(validator=valid(of(Money)))
    expected_cost: Money = attrs.field(validator=valid(of(Money)))
    replacement_cost: Money = attrs.field(validator=valid(of(Money)))

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        verdict = "worth recovering" if self.worth else "not worth recovering"
        return f"{verdict}: {self.expected_cost} to recover, {self.replacement_cost} to replace"


@attrs.frozen(kw_only=True)
class CooldownDecision(Decision):
    """How long an agent pauses after an incident before the next customer (R11)."""

    pause: timedelta = attrs.field(validator=valid(duration))

    def problem(self, levels: Sequence[str]) -> str | None:
        """A pause cannot be negative."""
        del levels
        return (
            None if self.pause >= timedelta(0) else f"a pause cannot be negative, got {self.pause}"
        )

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        return f"pause {self.pause}"


@attrs.frozen(kw_only=True)
class AlertDecision(Decision):
    """What to do about an alert (R1, R10): escalate, raise the severity, tell someone."""

    escalate_to: str | None = attrs.field(default=None, validator=valid(optional(text)))
    raise_severity: Severity | None = attrs.field(
        default=None, validator=valid(optional(exactly(Severity)))
    )
    notify: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def problem(self, levels: Sequence[str]) -> str | None:
        """Whoever it escalates to or notifies is a level of the ladder."""
        named = [level for level in (self.escalate_to, *self.notify) if level is not None]
        strangers = [level for level in named if level not in levels]
        return f"names {', '.join(strangers)}, not a level of the ladder" if strangers else None

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        acts = [f"escalate to {self.escalate_to}"] if self.escalate_to else []
        if self.raise_severity is not None:
            acts.append(f"raise the severity to {self.raise_severity}")
        if self.notify:
            acts.append(f"notify {', '.join(self.notify)}")
        return "; ".join(acts) or "note it"


class GrantOutcome(StrEnum):
    """What `RecoveryPolicy.authorize` decided about a grant."""

    APPROVED = "approved"
    NEEDS_APPROVAL = "needs_approval"
    REFUSED = "refused"


@attrs.frozen(kw_only=True)
class GrantDecision(Decision):
    """Whether `actor` may grant `amount` on an incident now, and if not, who may (R3).

    `total` is what the incident would have been granted in all; the limits apply to it,
    so nine grants of 100 cannot slip past a limit of 100. `reference` identifies the
    decision in the incident's history (a decision is used once).
    """

    outcome: GrantOutcome = attrs.field(validator=valid(exactly(GrantOutcome)))
    incident_id: str = attrs.field(validator=valid(text))
    reference: str = attrs.field(validator=valid(text))
    amount: Money = attrs.field(validator=valid(of(Money)))
    total: Money = attrs.field(validator=valid(of(Money)))
    actor: Actor = attrs.field(validator=valid(of(Actor)))
    approver_level: str | None = attrs.field(default=None, validator=valid(optional(text)))

    def problem(self, levels: Sequence[str]) -> str | None:
        """A decision that needs approval names a level of the ladder to approve it."""
        if self.outcome is GrantOutcome.NEEDS_APPROVAL and self.approver_level not in levels:
            return f"needs approval by {shown(self.approver_level)}, not a level of the ladder"
        return None

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        who = f"; {self.approver_level} must approve" if self.approver_level else ""
        return f"{self.outcome.value}: {self.amount} by {self.actor} on {self.incident_id}{who}"


def _offers(value: Iterable[Offer]) -> tuple[Offer, ...]:
    return within("offers", each(of(Offer)), value, "offers")


@attrs.frozen(kw_only=True)
class OfferSuggestion(Decision):
    """Offers an actor may give without asking anyone, best first (R4, R9).

    `enough` is False when fewer than the policy's `min_options` fit the actor's
    authority; `approver_level` then names the lowest level that could approve enough.
    """

    offers: tuple[Offer, ...] = attrs.field(converter=_offers)
    enough: bool = attrs.field(validator=valid(flag))
    approver_level: str | None = attrs.field(default=None, validator=valid(optional(text)))

    @property
    def headline(self) -> str:
        """One line saying what was decided."""
        kinds = ", ".join(offer.kind for offer in self.offers) or "nothing"
        more = "" if self.enough else f" (not enough: {self.approver_level} could approve more)"
        return f"suggest {kinds}{more}"
