"""RecoveryPolicy: the defaults of docs/rules.md as fields, each tagged with its rule id."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Self

import attrs

from service_recovery._base.checks import (
    each,
    flag,
    instance,
    member,
    number,
    of,
    optional,
    sequence,
    shown,
    text,
    unchecked,
    whole,
    within,
)
from service_recovery._base.instants import aware, later, positive
from service_recovery._base.reasons import Reason, deferred
from service_recovery._base.vocabulary import BySeverity, Category, Channel, Severity
from service_recovery._money.authority import Actor, AuthorityLadder
from service_recovery._money.budget import CompensationBudget
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer, rank_offers
from service_recovery._recovery.lifecycle import Action, allowed_actions
from service_recovery._recovery.record import IncidentRecord
from service_recovery._serialization.policies import (
    policy_fingerprint,
    policy_from_mapping,
    policy_name,
    policy_to_mapping,
)
from service_recovery._time.calendar import BusinessCalendar
from service_recovery._time.timer import PauseClock, checked_warnings
from service_recovery.decisions import (
    AlertDecision,
    CooldownDecision,
    Decision,
    EscalationDecision,
    GrantDecision,
    GrantOutcome,
    OfferSuggestion,
    TargetDecision,
    WorthDecision,
)
from service_recovery.errors import (
    CurrencyMismatch,
    InvalidAmountError,
    InvalidValueError,
    PolicyError,
    RecoveryError,
)
from service_recovery.events import Alert, AlertKind


def _rule(rule: str, why: str) -> dict[str, str]:
    return {"rule": rule, "why": why}


def _graver(severity: Severity) -> Severity | None:
    """The next severity up, or None at the top."""
    order = list(Severity)
    return order[order.index(severity) + 1] if severity is not order[-1] else None


MAX_TARGET = timedelta(days=3650)
"""The longest target, window or cool-down a policy may set: ten years."""
MAX_COUNT = 1000
"""The largest count a policy may set (options, handoffs, recurring causes)."""
MAX_MULTIPLIER = Decimal(1000)
"""The largest replacement-cost multiplier (R14's default is 5)."""


def _setting(check: Callable[[Any, str], object]) -> Any:  # noqa: ANN401 (an attrs validator)
    """An attrs validator that runs ``check(value, field_name)``, refusing with `PolicyError`.

    A bad setting is a malformed policy, whichever check found it; `err.errors` names
    its path (``resolution_times.high``).
    """

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        try:
            within(attribute.name, check, value, attribute.name)
        except PolicyError:
            raise
        except RecoveryError as err:
            raise PolicyError(str(err), errors=[(err.path, str(err))]) from err

    return validate


def _span(value: object, what: str) -> timedelta:
    span = positive(value, what)
    if span > MAX_TARGET:
        msg = f"{what} must be at most {MAX_TARGET.days} days, got {span}"
        raise InvalidValueError(msg)
    return span


def _each_span(value: object, what: str) -> BySeverity[timedelta]:
    spans: BySeverity[timedelta] = instance(value, BySeverity, what)
    for severity in Severity:
        within(severity.value, _span, spans[severity], f"{what}.{severity}")
    return spans


def _each_money(value: object, what: str) -> BySeverity[Money]:
    amounts: BySeverity[Money] = instance(value, BySeverity, what)
    for severity in Severity:
        within(severity.value, instance, amounts[severity], Money, f"{what}.{severity}")
    return amounts


def _count(low: int) -> Callable[[object, str], int]:
    def count(value: object, what: str) -> int:
        return whole(value, what, low, MAX_COUNT)

    return count


def _share(value: object, what: str) -> Decimal:
    share = instance(value, Decimal, what)
    if not Decimal(0) < share <= Decimal(1):
        msg = f"{what} must be above 0 and at most 1, got {share}"
        raise InvalidValueError(msg)
    return share


def _multiplier(value: object, what: str) -> Decimal:
    factor = instance(value, Decimal, what)
    if not Decimal(1) <= factor <= MAX_MULTIPLIER:
        msg = (
            f"{what} must be from 1 (replacing costs more than keeping) to {MAX_MULTIPLIER}, "
            f"got {factor}"
        )
        raise InvalidValueError(msg)
    return factor


def _thresholds(value: object, what: str) -> None:
    checked_warnings(value)
    del what  # checked_warnings names each threshold itself


def _severity(value: Severity | str) -> Severity:
    return member(Severity, value, "a severity")


def _pause_clock(value: PauseClock | str) -> PauseClock:
    return member(PauseClock, value, "a pause clock")


def _ladder(value: AuthorityLadder) -> AuthorityLadder:
    # A converter, not a validator: the defaults of the fields after it read the ladder.
    try:
        return instance(value, AuthorityLadder, "authority")
    except RecoveryError as err:
        raise PolicyError(str(err), errors=[("authority", str(err))]) from None


def _number(value: object) -> Decimal:
    try:
        return number(value, "a number")
    except RecoveryError as err:
        raise PolicyError(str(err), errors=[("", str(err))]) from None


def _decimal(value: Decimal | int | str) -> Decimal:
    return _number(value)


def _decimals(values: Iterable[Decimal | int | str]) -> tuple[Decimal, ...]:
    try:
        items = sequence(values, "warning_thresholds")
    except RecoveryError as err:
        raise PolicyError(str(err), errors=[("", str(err))]) from None
    return tuple(_number(value) for value in items)


def _checked(method: Callable[..., Any], name: str, kind: type[Decision]) -> Callable[..., Any]:
    """Wrap a subclass's override point so that what it answers is checked."""

    @functools.wraps(method)
    def checked(policy: RecoveryPolicy, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        where = f"{type(policy).__name__}.{name}"
        checked_incident(args[0] if args else kwargs.get("incident"))
        try:
            answer = method(policy, *args, **kwargs)
        except PolicyError as err:
            msg = f"{where}: {err}"
            raise PolicyError(msg, errors=[(name, str(err))]) from err
        problem = decision_problem(policy, answer, kind)
        if problem is not None:
            msg = f"{where} returned {shown(answer)}: {problem}"
            raise PolicyError(msg, errors=[(name, problem)])
        return answer

    checked.__checked__ = True  # type: ignore[attr-defined]
    return checked


def checked_incident(value: object) -> IncidentRecord:
    """`value` if it is an incident's record: what every override point is asked about."""
    return instance(value, IncidentRecord, "incident")


def decision_problem(policy: RecoveryPolicy, answer: object, kind: type[Decision]) -> str | None:
    """What is wrong with an override point's answer, or None if it is sound."""
    if not isinstance(answer, kind):
        return f"expected {kind.__name__}, a decision with at least one Reason"
    return answer.problem(policy.authority.names)


@attrs.frozen
class RecoveryPolicy:
    """How a business recovers unhappy customers: targets, limits and the rules' defaults.

    Every field carries the docs/rules.md rule it comes from in its metadata
    (``attrs.fields(RecoveryPolicy).min_options.metadata["rule"] == "R9"``). Subclass it
    to change how a rule decides; construct it with other values to change the numbers.

    A subclass's override points are checked as they answer: a decision of the wrong
    kind, a target of zero or a level that is not on the ladder raises `PolicyError`
    naming the method, so a buggy policy fails loudly in tests, not silently later.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init_subclass__(**kwargs)
        for name, kind in OVERRIDE_POINTS.items():
            method = cls.__dict__.get(name)
            if callable(method) and not hasattr(method, "__checked__"):
                setattr(cls, name, _checked(method, name, kind))
                # Kept in the class too: when attrs rebuilds the class with slots, it
                # re-points the method's super() at the new class only if it finds it.
                setattr(cls, f"_unchecked_{name}", method)

    response_time: timedelta = attrs.field(
        default=timedelta(seconds=60),
        validator=_setting(_span),
        metadata=_rule("R1", "respond to a complaint within 60 seconds, wall-clock"),
    )
    deferred_response_time: timedelta | None = attrs.field(
        default=None,
        validator=_setting(optional(_span)),
        metadata=_rule("R13", "the response target on email and web forms; None: the same"),
    )
    deferred_response_calendar: BusinessCalendar | None = attrs.field(
        default=None,
        validator=_setting(optional(of(BusinessCalendar))),
        metadata=_rule(
            "R13", "the business hours an email or web form is answered in; unset: 24x7"
        ),
    )
    severe_on_deferred: Severity = attrs.field(
        default=Severity.HIGH,
        converter=_severity,
        metadata=_rule("R13", "from this severity up, a deferred channel escalates"),
    )
    fcr_target: Decimal = attrs.field(
        default=Decimal("0.95"),
        converter=_decimal,
        validator=_setting(_share),
        metadata=_rule("R5", "front-line staff resolve at least 95% on first contact"),
    )
    resolution_times: BySeverity[timedelta] = attrs.field(
        factory=lambda: BySeverity(*(timedelta(hours=h) for h in (72, 24, 8, 4))),
        validator=_setting(_each_span),
        metadata=_rule("R19", "correct fast: resolve within this much business time, by severity"),
    )
    calendar: BusinessCalendar = attrs.field(
        factory=BusinessCalendar,
        validator=_setting(of(BusinessCalendar)),
        metadata=_rule("R19", "the business hours resolution targets count in (24x7 by default)"),
    )
    pause_clock: PauseClock = attrs.field(
        default=PauseClock.BUSINESS,
        converter=_pause_clock,
        metadata=_rule("R19", "how time waiting on the customer extends a resolution target"),
    )
    warning_thresholds: tuple[Decimal, ...] = attrs.field(
        default=(Decimal("0.5"), Decimal("0.75")),
        converter=_decimals,
        validator=_setting(_thresholds),
        metadata=_rule("R1", "the shares of a target used at which a timer warns"),
    )
    sla_compliance_target: Decimal = attrs.field(
        default=Decimal("0.95"),
        converter=_decimal,
        validator=_setting(_share),
        metadata=_rule("R1", "the share of responses a scorecard expects within their target"),
    )
    min_options: int = attrs.field(
        default=2,
        validator=_setting(_count(1)),
        metadata=_rule("R9", "offer the customer at least two options"),
    )
    max_handoffs: int = attrs.field(
        default=1,
        validator=_setting(_count(0)),
        metadata=_rule("R2", "no chain of transfers: at most one handoff"),
    )
    escalate_excess_handoffs: bool = attrs.field(
        default=False,
        validator=_setting(flag),
        metadata=_rule("R2", "a handoff beyond the limit escalates instead of being refused"),
    )
    authority: AuthorityLadder = attrs.field(
        factory=AuthorityLadder.default,
        converter=_ladder,
        metadata=_rule("R3", "pre-authorized amounts per incident, by level"),
    )
    decline_level: str = attrs.field(
        default=attrs.Factory(lambda policy: policy.authority.second, takes_self=True),
        validator=_setting(text),
        metadata=_rule(
            "R15", "the lowest level that may let a customer go (default: the ladder's second)"
        ),
    )
    replacement_cost_multiplier: Decimal = attrs.field(
        default=Decimal(5),
        converter=_decimal,
        validator=_setting(_multiplier),
        metadata=_rule("R14", "replacing a customer costs five times more than keeping one"),
    )
    recurring_cause_threshold: int = attrs.field(
        default=3,
        validator=_setting(_count(2)),
        metadata=_rule("R6", "a root cause seen this often within the window is recurring"),
    )
    recurring_cause_window: timedelta = attrs.field(
        default=timedelta(days=30),
        validator=_setting(_span),
        metadata=_rule("R6", "the window in which recurring root causes are counted"),
    )
    agent_cooldowns: BySeverity[timedelta] = attrs.field(
        factory=lambda: BySeverity(*(timedelta(minutes=m) for m in (2, 5, 10, 15))),
        validator=_setting(_each_span),
        metadata=_rule("R11", "a pause for the agent after an angry customer, by severity"),
    )
    compensation_guide: BySeverity[Money] = attrs.field(
        default=attrs.Factory(
            lambda policy: BySeverity(
                *(Money.of(n, policy.authority.currency) for n in (10, 25, 50, 100))
            ),
            takes_self=True,
        ),
        validator=_setting(_each_money),
        metadata=_rule("R18", "what a grant usually stays within, by severity; more is a finding"),
    )
    min_offer_value: BySeverity[Money] | None = attrs.field(
        default=None,
        validator=_setting(optional(_each_money)),
        metadata=_rule(
            "R4", "the least each choice offered is worth to the customer, by severity; unset: any"
        ),
    )
    ignored_complaint_severity: Severity = attrs.field(
        default=Severity.CRITICAL,
        converter=_severity,
        metadata=_rule("R16", "an ignored complaint is the gravest kind"),
    )
    mistreatment_notifies: str = attrs.field(
        default=attrs.Factory(lambda policy: policy.authority.second, takes_self=True),
        validator=_setting(text),
        metadata=_rule(
            "R16", "who hears of mistreatment by staff (default: the ladder's second level)"
        ),
    )

    def __attrs_post_init__(self) -> None:
        for name in ("compensation_guide", "min_offer_value"):
            amounts: BySeverity[Money] | None = getattr(self, name)
            if amounts is None:
                continue
            found = {amounts[severity].currency for severity in Severity}
            if found != {self.authority.currency}:
                msg = (
                    f"{name} is in {', '.join(sorted(found))} but the authority ladder in "
                    f"{self.authority.currency}; give it in {self.authority.currency}"
                )
                raise PolicyError(msg, errors=[(name, msg)])
        least = self.min_offer_value
        negative = [str(s) for s in Severity if least is not None and least[s].amount < 0]
        if negative:
            msg = f"min_offer_value must be zero or more, got less for {', '.join(negative)}"
            raise PolicyError(msg, errors=[(f"min_offer_value.{negative[0]}", msg)])
        for name in ("decline_level", "mistreatment_notifies"):
            level = getattr(self, name)
            if level not in self.authority.names:
                msg = (
                    f"{name} {shown(level)} is not a level of the authority ladder; "
                    f"pick one of {', '.join(self.authority.names)}"
                )
                raise PolicyError(msg, errors=[(name, msg)])

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build a policy from plain data, such as a TOML file the host has read.

        Durations are '60s', '1h30m', '2d', ISO 8601 ('PT4H') or whole seconds; amounts
        are '100 USD'; ratios are numbers or strings. Every problem is reported at once.

        Raises:
            PolicyError: unknown keys, wrong types, negative durations, a non-increasing
                ladder, …; `err.errors` lists each as (path, message), such as
                ``("authority.levels[1].limit", "...")``.
        """
        return policy_from_mapping(data, cls)

    def to_mapping(self) -> dict[str, Any]:
        """Return the policy as plain data that `from_mapping` reads back."""
        return policy_to_mapping(self)

    @property
    def name(self) -> str:
        """The policy's class as ``module.Class``, recorded in every history it decides."""
        return policy_name(self)

    @property
    def fingerprint(self) -> str:
        """A short digest of the class and every setting, recorded in every history it decides.

        `Incident.replay` compares it, so a history is not silently read under a policy
        other than the one that decided it (see the policies docs).
        """
        return policy_fingerprint(self)

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
        incident: IncidentRecord,
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
            LadderError: the actor's level is not on the ladder.
        """
        if not isinstance(amount, Money) or not amount.is_positive:
            msg = (
                f"a grant must be positive Money such as Money.of('25', 'USD'), got {shown(amount)}"
            )
            raise InvalidAmountError(msg)
        checked_incident(incident)
        instance(actor, Actor, "actor")
        instance(budget, CompensationBudget, "budget")
        aware(at)
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
        severity = incident.severity
        guide = self.compensation_guide[severity]
        findings = []
        if (
            outcome is not GrantOutcome.REFUSED
            and guide.currency == total.currency
            and total > guide
        ):
            findings.append(
                deferred(
                    "R18.generosity",
                    lambda: (
                        f"{total} is above the {guide} suggested for a {severity} incident: "
                        f"a marketing investment, not a fault"
                    ),
                )
            )
        return unchecked(  # every field checked above or made here
            GrantDecision,
            reasons=(reason,),
            findings=tuple(findings),
            outcome=outcome,
            incident_id=incident.id,
            reference=f"{incident.id}/grant-{len(incident.grant_decisions) + 1}",
            amount=amount,
            total=total,
            actor=actor,
            approver_level=approver,
        )

    def _grant_verdict(
        self,
        incident: IncidentRecord,
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
            allowed = deferred(
                "R3.authority",
                lambda: (
                    f"{total} is within the {level.name} limit of {level.limit}: no approval needed"
                ),
            )
            return GrantOutcome.APPROVED, None, allowed

        incident_id = incident.id  # a sentence keeps what it names, not the incident

        def over() -> str:
            so_far = "" if total == amount else f" brings incident {incident_id} to {total}, which"
            return f"{amount}{so_far} exceeds the {level.name} limit of {level.limit}"

        able = self.authority.lowest_able(total)
        if able is None:
            top = self.authority.highest
            beyond = deferred(
                "R3.authority",
                lambda: f"{over()}, and every level's, up to {top.name} at {top.limit}",
            )
            return GrantOutcome.REFUSED, None, beyond
        needs = deferred(
            "R3.authority", lambda: f"{over()}; {able.name} may approve up to {able.limit}"
        )
        return GrantOutcome.NEEDS_APPROVAL, able.name, needs

    def least_offer_value(self, incident: IncidentRecord) -> Money | None:
        """R4: the least a choice offered on `incident` is worth to the customer, or None.

        `min_offer_value` for the incident's severity: stingy compensation has little
        impact, so a choice worth less does not count among the options R9 asks for.
        """
        least = self.min_offer_value
        return None if least is None else least[checked_incident(incident).severity]

    def suggest_offers(
        self, incident: IncidentRecord, catalog: Iterable[Offer], *, actor: Actor
    ) -> OfferSuggestion:
        """The offers `actor` may give without approval, best value per cost first (R4, R9).

        Only what the customer can actually take counts (a not-possible offer through its
        alternative, R17), and only if it is worth `min_offer_value` for the incident's
        severity (R4). When fewer than `min_options` fit, the suggestion says so and names
        the lowest level that could approve enough.
        """
        checked_incident(incident)
        instance(actor, Actor, "actor")
        ladder = self.authority
        offers: tuple[Offer, ...] = each(of(Offer))(catalog, "catalog")
        choices = rank_offers({offer.choice for offer in offers})
        for offer in choices:
            if offer.cost.currency != ladder.currency:
                msg = f"offer {shown(offer.kind)} costs {offer.cost}, not in {ladder.currency}"
                raise CurrencyMismatch(msg, left=ladder.currency, right=offer.cost.currency)
        least = self.least_offer_value(incident)
        ranking = [Reason("R4.value", "ranked by value to the customer per unit of cost to us")]
        stingy = [] if least is None else [o for o in choices if o.value < least]
        if stingy:
            choices = tuple(offer for offer in choices if offer not in stingy)
            left_out = ", ".join(f"{offer.kind!r} ({offer.value})" for offer in stingy)
            ranking.append(
                Reason("R4.generosity", f"left out, worth less than {least}: {left_out}")
            )
        granted = incident.granted

        def within(limit: Money) -> tuple[Offer, ...]:
            return tuple(offer for offer in choices if granted + offer.cost <= limit)

        level = ladder.level(actor.level)
        offers = within(level.limit)
        if len(offers) >= self.min_options:
            detail = (
                f"{len(offers)} options within {actor}'s authority; "
                f"the policy asks for {self.min_options}"
            )
            return OfferSuggestion(
                offers=offers, enough=True, reasons=[Reason("R9.options", detail), *ranking]
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
            reasons=[Reason("R9.options", detail), *ranking],
        )

    # The override points below each answer with a Decision and its reasons. Subclass the
    # policy and override one; call super() for the default.

    def response_target(self, incident: IncidentRecord) -> TargetDecision:
        """How soon the incident must be acknowledged (R1), by channel (R13).

        Wall-clock time: a customer waiting on the line does not care about business
        hours. An email or a web form waits for `deferred_response_calendar`'s hours when
        the policy sets one. Override to set targets or calendars by severity, by the
        host's `fields` or anything else (`TargetDecision(calendar=...)`).
        """
        channel = checked_incident(incident).channel
        return _response_decision(
            self.response_time,
            self.deferred_response_time,
            None if channel.is_realtime else self.deferred_response_calendar,
            channel,
        )

    def resolution_target(self, incident: IncidentRecord) -> TargetDecision:
        """How much business time resolving the incident may take, by its severity (R19).

        Counted on `calendar`; time waiting on the customer pauses it (`pause_clock`).
        The incident's current severity counts, so a raised severity tightens it.
        """
        severity = checked_incident(incident).severity
        return _resolution_decision(self.resolution_times[severity], self.calendar, severity)

    def on_alert(self, incident: IncidentRecord, alert: Alert) -> AlertDecision:
        """What to do when a timer warns, breaches, or a promise is broken (R1, R10).

        By default a response breach escalates to a supervisor (the ladder's second
        level); a resolution breach tells one; a broken promise escalates and raises the
        severity one step (R10: always keep promises); a warning is noted. Nobody is
        escalated to below the level already holding the incident.
        """
        checked_incident(incident)
        instance(alert, Alert, "alert")
        supervisor = self.authority.second
        above = self.authority.rank(supervisor) > self.authority.rank(incident.level)
        # An unanswered complaint cannot escalate (the table escalates once acknowledged):
        # then the supervisor is told instead.
        above = above and Action.ESCALATE in allowed_actions(incident.step)
        if alert.kind is AlertKind.WARNING:
            detail = f"{alert.threshold:%} of the {alert.timer} target used; due {alert.due:%H:%M}"
            return AlertDecision(reasons=[Reason("R1.warning", detail)])
        if alert.kind is AlertKind.BROKEN_PROMISE:
            graver = _graver(incident.severity)
            detail = (
                f"{alert.timer} was broken: the customer was not contacted by {alert.due:%H:%M}"
            )
            return AlertDecision(
                escalate_to=supervisor if above else None,
                raise_severity=graver,
                notify=() if above else (supervisor,),
                reasons=[Reason("R10.broken", detail)],
            )
        if alert.timer == "response":
            detail = f"the complaint was not answered by {alert.due:%H:%M:%S}"
            return AlertDecision(
                escalate_to=supervisor if above else None,
                notify=() if above else (supervisor,),
                reasons=[Reason("R1.breach", detail)],
            )
        detail = f"the {alert.timer} target passed at {alert.due:%Y-%m-%d %H:%M}"
        return AlertDecision(notify=(supervisor,), reasons=[Reason("R19.breach", detail)])

    def escalation(self, incident: IncidentRecord, at: datetime) -> EscalationDecision:
        """Whether `incident` must escalate now, to which level, and who to tell.

        By default: an ignored complaint goes at once to the highest level (R16: as soon
        as it is acknowledged, since the table escalates from there); a grant waiting for
        approval goes to the level that may approve it (R3); a handoff beyond
        `max_handoffs` goes to a supervisor, the ladder's second level (R2, when
        `escalate_excess_handoffs`), and so does a severe incident on a deferred channel
        (R13). Mistreatment by staff notifies `mistreatment_notifies` (R16). The
        incident goes to the highest level any rule asks for, never down, and nothing
        escalates once the outcome is decided. `at` is for subclasses that escalate on
        time.
        """
        checked_incident(incident)
        aware(at)  # the default rules do not depend on the time, a subclass's may
        ladder = self.authority
        notify: tuple[str, ...] = ()
        told = []
        if incident.category is Category.MISTREATMENT:
            notify = (self.mistreatment_notifies,)
            told.append(Reason("R16.mistreatment", f"mistreatment by staff: tell {notify[0]}"))
        current = ladder.rank(incident.level)
        asks = [
            (level, reason)
            for level, reason in self._escalation_rules(incident)
            if ladder.rank(level) > current and incident.step.is_open
        ]
        if not asks:
            holder, incident_id = incident.level, incident.id  # not the incident itself
            keep = deferred(
                "R2.ownership",
                lambda: f"{holder} keeps incident {incident_id}: no rule asks for a higher level",
            )
            return unchecked(  # the default decision of nearly every incident, made here
                EscalationDecision,
                reasons=(keep, *told),
                findings=(),
                escalate=False,
                to=None,
                notify=notify,
            )
        to = max((level for level, _ in asks), key=ladder.rank)
        reasons = [reason for _, reason in asks]
        if Action.ESCALATE not in allowed_actions(incident.step):
            # The table escalates once acknowledged: until then, tell the level instead.
            wait = Reason("R1.acknowledge", f"tell {to} now; escalate once acknowledged")
            notify = tuple(dict.fromkeys((to, *notify)))
            return EscalationDecision(
                escalate=False, notify=notify, reasons=[*reasons, wait, *told]
            )
        return EscalationDecision(escalate=True, to=to, notify=notify, reasons=[*reasons, *told])

    def _escalation_rules(self, incident: IncidentRecord) -> list[tuple[str, Reason]]:
        """Every default rule that asks for a level, with the level and why."""
        ladder, rules = self.authority, []
        if incident.category is Category.IGNORED_COMPLAINT:
            detail = "an ignored complaint goes at once to the highest level"
            rules.append((ladder.highest.name, Reason("R16.ignored", detail)))
        for waiting in incident.pending_approvals:
            level = waiting.approver_level or ladder.highest.name
            detail = f"{waiting.amount} ({waiting.reference}) waits for {level}'s approval"
            rules.append((level, Reason("R3.authority", detail)))
        if incident.handoffs > self.max_handoffs:
            detail = f"handed off {incident.handoffs} times, more than {self.max_handoffs}"
            rules.append((ladder.second, Reason("R2.handoffs", detail)))
        if not incident.channel.is_realtime and incident.severity >= self.severe_on_deferred:
            detail = f"a {incident.severity} incident waits on {incident.channel}: an emergency"
            rules.append((ladder.second, Reason("R13.channel", detail)))
        return rules

    def worth_recovering(
        self, incident: IncidentRecord, *, customer_value: Money, expected_cost: Money
    ) -> WorthDecision:
        """Whether recovering the customer is worth its cost (R14, R15), naming the numbers.

        Losing the customer means winning a replacement, which costs
        `replacement_cost_multiplier` (5) times what the customer is worth to the
        business. A recovery that costs more than that is not worth it: the business may
        let the customer go (R15, `Incident.decline`).
        """
        checked_incident(incident)
        for name, amount in (("customer_value", customer_value), ("expected_cost", expected_cost)):
            if not isinstance(amount, Money) or amount.amount < 0:
                msg = f"{name} must be Money of zero or more, got {shown(amount)}"
                raise InvalidAmountError(msg)
        multiplier = self.replacement_cost_multiplier
        replacement = customer_value * multiplier
        numbers = deferred(
            "R14.economics",
            lambda: (
                f"recovering costs {expected_cost}; replacing the customer costs "
                f"{replacement} ({multiplier} x {customer_value})"
            ),
        )
        worth = expected_cost <= replacement
        reasons: tuple[Reason, ...] = (numbers,)
        if not worth:
            detail = f"incident {incident.id}: keeping this customer costs more than losing them"
            reasons = (numbers, Reason("R15.decline", detail))
        return unchecked(  # the amounts checked above, the rest made here
            WorthDecision,
            reasons=reasons,
            findings=(),
            worth=worth,
            customer_value=customer_value,
            expected_cost=expected_cost,
            replacement_cost=replacement,
        )

    def agent_cooldown(self, incident: IncidentRecord) -> CooldownDecision:
        """How long the agent pauses after this incident (R11), longer when more severe."""
        pause = self.agent_cooldowns[checked_incident(incident).severity]
        detail = f"after a {incident.severity} incident the agent pauses {pause}"
        return CooldownDecision(pause=pause, reasons=[Reason("R11.cooldown", detail)])

    def agent_available_at(
        self, incident: IncidentRecord, *, finished_at: datetime | None = None
    ) -> datetime:
        """When the agent who handled `incident` may take the next customer (R11).

        `finished_at` defaults to when the incident reached its outcome (resolved, lost
        or declined); the cool-down of `agent_cooldown` follows it.

        Raises:
            InvalidValueError: the incident has no outcome yet and no `finished_at` is given.
        """
        checked_incident(incident)
        if finished_at is None:
            finished_at = incident.outcome_at
            if finished_at is None:
                msg = (
                    f"incident {shown(incident.id)} is {incident.step}, still in the agent's "
                    "hands; "
                    f"pass finished_at= to say when the agent let go of it"
                )
                raise InvalidValueError(msg)
        return later(aware(finished_at, "finished_at"), self.agent_cooldown(incident).pause)


def _remembered(decide: Callable[..., TargetDecision]) -> Callable[..., TargetDecision]:
    """`decide`, remembered per setting and channel or severity for plain timedeltas.

    An incident's timers are read on every tick and every scorecard. A pendulum Duration
    equals the timedelta it prints differently from ("4 hours", "4:00:00"), so a
    remembered decision could carry another policy's words: it is decided afresh, as is
    one on a calendar of a class of one's own, which may not even hash.
    """
    cached = functools.lru_cache(maxsize=256)(decide)

    @functools.wraps(decide)
    def remembered(*args: object) -> TargetDecision:
        for arg in args:
            kind = type(arg)
            if (isinstance(arg, timedelta) and kind is not timedelta) or (
                isinstance(arg, BusinessCalendar) and kind is not BusinessCalendar
            ):
                return decide(*args)
        return cached(*args)

    return remembered


@_remembered
def _response_decision(
    response_time: timedelta,
    deferred: timedelta | None,
    calendar: BusinessCalendar | None,
    channel: Channel,
) -> TargetDecision:
    reasons = []
    if deferred is not None and not channel.is_realtime:
        target = deferred
        reasons.append(Reason("R13.channel", f"{channel} is deferred: respond within {deferred}"))
    else:
        target = response_time
        clock = "wall-clock" if calendar is None else "business time"
        detail = f"respond to a complaint within {response_time}, {clock}"
        reasons.append(Reason("R1.response", detail))
    if calendar is not None:
        reasons.append(Reason("R13.calendar", f"{channel} is answered in business hours"))
    return TargetDecision(target=target, calendar=calendar, reasons=reasons)


@_remembered
def _resolution_decision(
    target: timedelta, calendar: BusinessCalendar, severity: Severity
) -> TargetDecision:
    detail = f"resolve a {severity} incident within {target} of business time"
    return TargetDecision(target=target, calendar=calendar, reasons=[Reason("R19.fast", detail)])


OVERRIDE_POINTS: dict[str, type[Decision]] = {
    "response_target": TargetDecision,
    "resolution_target": TargetDecision,
    "on_alert": AlertDecision,
    "escalation": EscalationDecision,
    "authorize": GrantDecision,
    "suggest_offers": OfferSuggestion,
    "worth_recovering": WorthDecision,
    "agent_cooldown": CooldownDecision,
}
"""The methods a policy author overrides, and the kind of decision each answers with."""
