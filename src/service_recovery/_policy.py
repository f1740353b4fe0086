"""RecoveryPolicy: the defaults of DOMAIN.md as fields, each tagged with its rule id."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ._classification import BySeverity, Category, Severity
from ._compensation import (
    Actor,
    AuthorityLadder,
    CompensationBudget,
    GrantDecision,
    GrantOutcome,
    Offer,
    OfferSuggestion,
    rank_offers,
)
from ._decisions import Reason
from ._errors import CurrencyMismatch, InvalidAmountError, InvalidTypeError, PolicyError
from ._money import Money

if TYPE_CHECKING:
    from ._incident import Incident


def _rule(rule: str, why: str) -> dict[str, str]:
    return {"rule": rule, "why": why}


def _positive_duration(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        msg = f"{attribute.name} must be a positive timedelta, got {value!r}"
        raise PolicyError(msg, errors=[(attribute.name, msg)])


def _count(minimum: int) -> Any:  # noqa: ANN401 (an attrs validator)
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            msg = f"{attribute.name} must be a whole number of at least {minimum}, got {value!r}"
            raise PolicyError(msg, errors=[(attribute.name, msg)])

    return check


def _decimal(value: object) -> Decimal:
    if isinstance(value, float):
        msg = f"{value!r} is a float; pass a str or Decimal such as Decimal({str(value)!r})"
        raise InvalidTypeError(msg)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        msg = f"expected a Decimal, int or str number, got {type(value).__name__} {value!r}"
        raise InvalidTypeError(msg)
    return Decimal(value)


def _ratio(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not Decimal(0) < value <= Decimal(1):
        msg = f"{attribute.name} must be above 0 and at most 1, got {value}"
        raise PolicyError(msg, errors=[(attribute.name, msg)])


def _multiplier(_instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value >= 1:
        msg = (
            f"{attribute.name} must be at least 1 (replacing costs more than keeping), got {value}"
        )
        raise PolicyError(msg, errors=[(attribute.name, msg)])


@attrs.frozen
class RecoveryPolicy:
    """How a business recovers unhappy customers: targets, limits and the rules' defaults.

    Every field carries the DOMAIN.md rule it comes from in its metadata
    (``attrs.fields(RecoveryPolicy).min_options.metadata["rule"] == "R9"``). Subclass it
    to change how a rule decides; construct it with other values to change the numbers.
    """

    response_target: timedelta = attrs.field(
        default=timedelta(seconds=60),
        validator=_positive_duration,
        metadata=_rule("R1", "respond to a complaint within 60 seconds, wall-clock"),
    )
    fcr_target: Decimal = attrs.field(
        default=Decimal("0.95"),
        converter=_decimal,
        validator=_ratio,
        metadata=_rule("R5", "front-line staff resolve at least 95% on first contact"),
    )
    min_options: int = attrs.field(
        default=2,
        validator=_count(1),
        metadata=_rule("R9", "offer the customer at least two options"),
    )
    max_handoffs: int = attrs.field(
        default=1,
        validator=_count(0),
        metadata=_rule("R2", "no chain of transfers: at most one handoff"),
    )
    authority: AuthorityLadder = attrs.field(
        factory=AuthorityLadder.default,
        validator=attrs.validators.instance_of(AuthorityLadder),
        metadata=_rule("R3", "pre-authorized amounts per incident, by level"),
    )
    decline_level: str = attrs.field(
        default="supervisor",
        metadata=_rule("R15", "the lowest level that may decide to let a customer go"),
    )
    replacement_cost_multiplier: Decimal = attrs.field(
        default=Decimal(5),
        converter=_decimal,
        validator=_multiplier,
        metadata=_rule("R14", "replacing a customer costs five times more than keeping one"),
    )
    recurring_cause_threshold: int = attrs.field(
        default=3,
        validator=_count(2),
        metadata=_rule("R6", "a root cause seen this often within the window is recurring"),
    )
    recurring_cause_window: timedelta = attrs.field(
        default=timedelta(days=30),
        validator=_positive_duration,
        metadata=_rule("R6", "the window in which recurring root causes are counted"),
    )
    agent_cooldown: timedelta = attrs.field(
        default=timedelta(minutes=5),
        validator=_positive_duration,
        metadata=_rule("R11", "a pause for the agent after an angry customer"),
    )
    compensation_guide: BySeverity[Money] = attrs.field(
        factory=lambda: BySeverity(*(Money.of(n, "USD") for n in (10, 25, 50, 100))),
        metadata=_rule("R18", "what a grant usually stays within, by severity; more is a finding"),
    )
    ignored_complaint_severity: Severity = attrs.field(
        default=Severity.CRITICAL,
        converter=Severity,
        metadata=_rule("R16", "an ignored complaint is the gravest kind"),
    )

    def __attrs_post_init__(self) -> None:
        if self.decline_level not in self.authority.names:
            msg = (
                f"decline_level {self.decline_level!r} is not a level of the authority ladder; "
                f"pick one of {', '.join(self.authority.names)}"
            )
            raise PolicyError(msg, errors=[("decline_level", msg)])

    def initial_severity(
        self, category: Category, reported: Severity
    ) -> tuple[Severity, Reason] | None:
        """Return a higher severity to start with and why, or None to keep the reported one.

        R16: an ignored complaint, the gravest kind, starts at `ignored_complaint_severity`
        at least. A severity is never lowered.
        """
        floor = self.ignored_complaint_severity
        if category is Category.IGNORED_COMPLAINT and reported < floor:
            detail = f"an ignored complaint is at least {floor}, reported as {reported}"
            return floor, Reason("R16.ignored", detail)
        return None

    def authorize(
        self,
        incident: Incident,
        amount: Money,
        *,
        actor: Actor,
        budget: CompensationBudget,
        at: datetime,
    ) -> GrantDecision:
        """Decide whether `actor` may grant `amount` on `incident` now (R3).

        Approved when the incident's total stays within the actor's level limit, the
        budget's per-incident cap and what is left of its pool; otherwise it needs the
        approval of the lowest level whose limit covers the total, or is refused (beyond
        every level, or no budget left). R18: a total above `compensation_guide` for the
        incident's severity is approved all the same, with a learning finding.

        Raises:
            InvalidAmountError: `amount` is not positive Money.
            CurrencyMismatch: `amount` or the budget is not in the ladder's currency.
            AuthorityError: the actor's level is not on the ladder.
        """
        if not isinstance(amount, Money) or not amount.is_positive:
            msg = f"a grant must be positive Money such as Money.of('25', 'USD'), got {amount!r}"
            raise InvalidAmountError(msg)
        for what, currency in (("the amount", amount.currency), ("the budget", budget.currency)):
            if currency != self.authority.currency:
                msg = (
                    f"{what} is in {currency} but the authority ladder in {self.authority.currency}"
                )
                raise CurrencyMismatch(msg, left=self.authority.currency, right=currency)
        total = incident.granted + amount
        outcome, approver, reason = self._grant_verdict(
            incident, amount, total=total, actor=actor, budget=budget, at=at
        )
        guide = self.compensation_guide[incident.severity]
        findings = []
        if (
            outcome is not GrantOutcome.REFUSED
            and guide.currency == total.currency
            and total > guide
        ):
            detail = (
                f"{total} is above the {guide} suggested for a {incident.severity} incident: "
                f"a marketing investment, not a fault"
            )
            findings.append(Reason("R18.generosity", detail))
        return GrantDecision(
            outcome=outcome,
            incident_id=incident.id,
            reference=f"{incident.id}/grant-{len(incident.grant_decisions) + 1}",
            amount=amount,
            total=total,
            actor=actor,
            approver_level=approver,
            reasons=[reason],
            findings=findings,
        )

    def _grant_verdict(
        self,
        incident: Incident,
        amount: Money,
        *,
        total: Money,
        actor: Actor,
        budget: CompensationBudget,
        at: datetime,
    ) -> tuple[GrantOutcome, str | None, Reason]:
        """R3: the budget first (pool, then cap), then the ladder, on the incident's total."""
        level = self.authority.level(actor.level)
        refusal = budget.refusal(incident.id, amount, at)
        if refusal is not None:
            return GrantOutcome.REFUSED, None, refusal
        if total <= level.limit:
            detail = (
                f"{total} is within the {level.name} limit of {level.limit}: no approval needed"
            )
            return GrantOutcome.APPROVED, None, Reason("R3.authority", detail)
        so_far = "" if total == amount else f" brings incident {incident.id} to {total}, which"
        over = f"{amount}{so_far} exceeds the {level.name} limit of {level.limit}"
        able = self.authority.lowest_able(total)
        if able is None:
            top = self.authority.highest
            detail = f"{over}, and every level's, up to {top.name} at {top.limit}"
            return GrantOutcome.REFUSED, None, Reason("R3.authority", detail)
        detail = f"{over}; {able.name} may approve up to {able.limit}"
        return GrantOutcome.NEEDS_APPROVAL, able.name, Reason("R3.authority", detail)

    def suggest_offers(
        self, incident: Incident, catalog: Iterable[Offer], *, actor: Actor
    ) -> OfferSuggestion:
        """The offers `actor` may give without approval, best value per cost first (R4, R9).

        Only what the customer can actually take counts (a not-possible offer through its
        alternative, R17). When fewer than `min_options` fit, the suggestion says so and
        names the lowest level that could approve enough.
        """
        ladder = self.authority
        choices = rank_offers({offer.choice for offer in catalog})
        for offer in choices:
            if offer.cost.currency != ladder.currency:
                msg = f"offer {offer.kind!r} costs {offer.cost}, not in {ladder.currency}"
                raise CurrencyMismatch(msg, left=ladder.currency, right=offer.cost.currency)
        granted = incident.granted

        def within(limit: Money) -> tuple[Offer, ...]:
            return tuple(offer for offer in choices if granted + offer.cost <= limit)

        level = ladder.level(actor.level)
        offers = within(level.limit)
        ranking = Reason("R4.value", "ranked by value to the customer per unit of cost to us")
        if len(offers) >= self.min_options:
            detail = (
                f"{len(offers)} options within {actor}'s authority; "
                f"the policy asks for {self.min_options}"
            )
            return OfferSuggestion(
                offers=offers, enough=True, reasons=[Reason("R9.options", detail), ranking]
            )
        higher = ladder.levels[ladder.rank(level.name) + 1 :]
        able = next((h for h in higher if len(within(h.limit)) >= self.min_options), None)
        who = f"{able.name} could approve {len(within(able.limit))}" if able else "no level could"
        detail = (
            f"only {len(offers)} of the catalog's options are within {actor}'s authority, "
            f"fewer than {self.min_options}; {who}"
        )
        return OfferSuggestion(
            offers=offers,
            enough=False,
            approver_level=None if able is None else able.name,
            reasons=[Reason("R9.options", detail), ranking],
        )
