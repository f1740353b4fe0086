"""Compensation: who may spend how much (the authority ladder), and what is offered."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

import attrs
import pendulum

from ._checks import (
    described,
    each,
    exactly,
    flag,
    instance,
    member,
    of,
    optional,
    shown,
    text,
    valid,
    whole,
    within,
    zone,
)
from ._decisions import Decision, Reason
from ._errors import (
    AuthorityError,
    BudgetExceeded,
    CurrencyMismatch,
    InvalidAmountError,
    InvalidTypeError,
    InvalidValueError,
    RecoveryError,
    RuleViolation,
)
from ._money import Money, exact
from ._time import aware, not_before

MAX_VERSION = 2**63 - 1
"""The highest `version` a stored budget may carry: what a database's integer holds."""


@attrs.frozen
class AuthorityLevel:
    """One rung of the ladder: a role and what it may grant per incident without asking (R3)."""

    name: str
    limit: Money

    def __attrs_post_init__(self) -> None:
        text(self.name, "an authority level's name")
        if not isinstance(self.limit, Money) or not self.limit.is_positive:
            msg = f"level {shown(self.name)} needs a positive Money limit, got {shown(self.limit)}"
            raise AuthorityError(msg)


def _levels(value: Iterable[AuthorityLevel]) -> tuple[AuthorityLevel, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"levels must be a list of AuthorityLevel, got {described(value)}"
        raise InvalidTypeError(msg)
    return tuple(value)


@attrs.frozen
class AuthorityLadder:
    """Ordered levels with strictly increasing per-incident limits, all in one currency.

    R3: within its limit an actor's grant is approved at once; above it, the lowest level
    whose limit covers the amount approves. The default is frontline 100, supervisor 500
    (Stew Leonard's), manager 2,000 USD (the Ritz-Carlton's per-guest figure).

    Raises:
        AuthorityError: no levels, a duplicate name, mixed currencies, or a limit that
            does not rise above the one before; the message names the offending level.
    """

    levels: tuple[AuthorityLevel, ...] = attrs.field(converter=_levels)

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            msg = "an authority ladder needs at least one level, e.g. frontline 100 USD"
            raise AuthorityError(msg, path="levels")
        seen: set[str] = set()
        for index, (below, level) in enumerate(
            zip((None, *self.levels), self.levels, strict=False)
        ):
            if not isinstance(level, AuthorityLevel):
                msg = f"levels[{index}] must be an AuthorityLevel, got {shown(level)}"
                raise InvalidTypeError(msg)
            if level.name in seen:
                msg = (
                    f"levels[{index}]: the name {shown(level.name)} is used twice; names are unique"
                )
                raise AuthorityError(msg, path=f"levels[{index}].name")
            seen.add(level.name)
            if below is None:
                continue
            if level.limit.currency != below.limit.currency:
                msg = (
                    f"levels[{index}] {shown(level.name)} is in {level.limit.currency} but the "
                    "ladder "
                    f"is in {below.limit.currency}; use one currency for every level"
                )
                raise AuthorityError(msg, path=f"levels[{index}].limit")
            if level.limit <= below.limit:
                msg = (
                    f"levels[{index}] {shown(level.name)} has limit {level.limit}, not above "
                    f"{shown(below.name)} at {below.limit}; limits must rise strictly up the ladder"
                )
                raise AuthorityError(msg, path=f"levels[{index}].limit")

    @classmethod
    def default(cls) -> AuthorityLadder:
        """Frontline 100, supervisor 500, manager 2,000 USD (docs/rules.md, R3)."""
        return cls(
            AuthorityLevel(name, Money.of(limit, "USD"))
            for name, limit in (("frontline", 100), ("supervisor", 500), ("manager", 2000))
        )

    @property
    def currency(self) -> str:
        """The one currency every limit is in."""
        return self.levels[0].limit.currency

    @property
    def lowest(self) -> AuthorityLevel:
        """The first rung: front-line staff."""
        return self.levels[0]

    @property
    def highest(self) -> AuthorityLevel:
        """The top rung: who handles what nobody else may."""
        return self.levels[-1]

    @property
    def second(self) -> str:
        """The rung above the front line (a supervisor), or the only one: a default level."""
        return self.levels[min(1, len(self.levels) - 1)].name

    @property
    def names(self) -> tuple[str, ...]:
        """The level names from lowest to highest."""
        return tuple(level.name for level in self.levels)

    def level(self, name: str) -> AuthorityLevel:
        """Return the level called `name`.

        Raises:
            AuthorityError: no level has that name; the message lists the known ones.
        """
        for level in self.levels:
            if level.name == name:
                return level
        msg = f"unknown authority level {shown(name)}; the ladder has {', '.join(self.names)}"
        raise AuthorityError(msg)

    def rank(self, name: str) -> int:
        """Return the position of level `name`, 0 for the lowest."""
        return self.levels.index(self.level(name))

    def lowest_able(self, amount: Money) -> AuthorityLevel | None:
        """Return the lowest level whose limit covers `amount`, or None if none does (R3)."""
        if amount.currency != self.currency:
            msg = f"{amount} is not in the ladder's currency {self.currency}; pass {self.currency}"
            raise AuthorityError(msg)
        return next((level for level in self.levels if amount <= level.limit), None)


@attrs.frozen(cache_hash=True)  # hashed whenever options are counted (R9)
class Offer:
    """Something offered to win the customer back (R4, R9, R17).

    Args:
        kind: what it is, in words ("suite upgrade").
        cost: what it costs the business.
        value: what it is worth to the customer; R4 ranks offers by value per cost.
        price: what the customer pays, for "yes, we can; this is the price" (R17).
        possible: whether the business can do it at all.
        alternative: for an offer that is not possible, the one offered instead (R17:
            never a bare "no").

    Raises:
        RuleViolation: R17, a not-possible offer without a possible alternative.
    """

    kind: str
    cost: Money
    value: Money
    price: Money | None = None
    possible: bool = True
    alternative: Offer | None = None

    def __attrs_post_init__(self) -> None:
        text(self.kind, "an offer's kind")
        for name in ("cost", "value"):
            amount = getattr(self, name)
            if not isinstance(amount, Money) or amount.amount < 0:
                msg = (
                    f"offer {shown(self.kind)}: {name} must be Money of zero or more, got "
                    f"{shown(amount)}"
                )
                raise InvalidValueError(msg)
        if self.price is not None and (not isinstance(self.price, Money) or self.price.amount < 0):
            msg = (
                f"offer {shown(self.kind)}: price must be Money of zero or more, or None, got "
                f"{shown(self.price)}"
            )
            raise InvalidValueError(msg)
        flag(self.possible, f"offer {shown(self.kind)}: possible")
        if self.alternative is not None:
            instance(self.alternative, Offer, f"offer {shown(self.kind)}: alternative")
        amounts = [self.cost, self.value, *([self.price] if self.price is not None else [])]
        other = next((a.currency for a in amounts if a.currency != self.cost.currency), None)
        if other is not None:
            msg = (
                f"offer {shown(self.kind)} mixes currencies "
                f"({', '.join(str(a) for a in amounts)}); "
                f"give its cost, value and price in one currency"
            )
            raise CurrencyMismatch(msg, left=self.cost.currency, right=other)
        if self.possible and self.alternative is not None:
            msg = (
                f"offer {shown(self.kind)} is possible; only a not-possible offer names an "
                "alternative"
            )
            raise InvalidValueError(msg)
        if not self.possible and (self.alternative is None or not self.alternative.possible):
            msg = (
                f"R17: offer {shown(self.kind)} is not possible, so it must name a possible "
                f"alternative (never a bare 'no'); pass alternative=Offer(...)"
            )
            raise RuleViolation(msg, rule="R17")

    @property
    def choice(self) -> Offer:
        """What the customer can actually take: the offer itself, or its alternative."""
        return self if self.alternative is None else self.alternative


@attrs.frozen
class Actor:
    """Someone who acts on an incident: a person and the authority level they hold (R3)."""

    name: str
    level: str

    def __attrs_post_init__(self) -> None:
        text(self.name, "an actor's name")
        text(self.level, f"the authority level of {shown(self.name)}")

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"


@attrs.frozen
class Grant:
    """One entry of a budget's ledger: compensation given on an incident (R3)."""

    incident_id: str = attrs.field(validator=valid(text))
    amount: Money = attrs.field(validator=valid(of(Money)))
    actor: Actor = attrs.field(validator=valid(of(Actor)))
    approver: Actor | None = attrs.field(validator=valid(optional(of(Actor))))
    reference: str = attrs.field(validator=valid(text))
    at: datetime = attrs.field(validator=valid(aware))

    def __attrs_post_init__(self) -> None:
        if self.approver is not None and self.approver.name == self.actor.name:
            msg = (
                f"grant {shown(self.reference)} is approved by {shown(self.actor.name)}, who asked "
                "for it; an approver is someone else (four eyes)"
            )
            raise InvalidValueError(msg, path="approver")


class Period(StrEnum):
    """How often a budget's pool refills: at local midnight, on Monday, on the 1st."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def adjective(self) -> str:
        """'daily', 'weekly' or 'monthly', for messages."""
        return {"day": "daily", "week": "weekly", "month": "monthly"}[self.value]


@functools.lru_cache(maxsize=4096)
def _bounds(period: Period, zone: str, local_day: date) -> tuple[datetime, datetime]:
    # pendulum knows local midnights across DST and month lengths; it costs ~100 µs a
    # call, so each (period, zone, day) is worked out once.
    local = pendulum.datetime(local_day.year, local_day.month, local_day.day, tz=zone)
    start = local.start_of(period.value)
    end = start.add(**{f"{period.value}s": 1})
    # Stdlib datetimes in UTC: ~10x cheaper to compare than pendulum's, and exact across a
    # DST fold, where two times in one named zone compare by their wall clocks.
    return (
        datetime.fromtimestamp(start.timestamp(), UTC),
        datetime.fromtimestamp(end.timestamp(), UTC),
    )


@attrs.frozen
class CompensationBudget:
    """A holder's pool of compensation per period, a per-incident cap, and the ledger.

    The pool refills at the start of each period in the budget's time zone (local
    midnight, Monday or the 1st). Every grant is in the ledger and the ledger is the
    spend: `spent(at)` is the sum of the period's grants, `remaining(at)` the pool less
    that, never below zero. A grant's reference is its idempotency key: recording the
    same grant again changes nothing, another grant under a used reference is refused.

    `version` rises with every change (a grant, a `revise`), so a host that stores the
    budget with compare-and-set on it never loses a concurrent change (see the docs).

    Raises:
        InvalidValueError: an empty holder, an unknown zone, a pool or cap that is not
            positive.
        CurrencyMismatch: the pool and the cap are in different currencies.
    """

    holder: str
    pool: Money
    per_incident_cap: Money
    period: Period = Period.MONTH
    zone: str = "UTC"
    ledger: tuple[Grant, ...] = ()
    version: int = attrs.field(kw_only=True)
    # What the latest grant's period has spent so far, so that a budget answers
    # `remaining` without summing its ledger on every grant: (start, end, spent).
    _latest: tuple[datetime, datetime, Decimal] | None = attrs.field(
        init=False, eq=False, repr=False
    )

    @version.default
    def _recorded(self) -> int:
        # A budget built with a ledger has seen one change per grant, unless told more.
        return len(self.ledger) if isinstance(self.ledger, tuple | list) else 0

    def __attrs_post_init__(self) -> None:
        text(self.holder, "a budget's holder")
        zone(self.zone)
        for name in ("pool", "per_incident_cap"):
            amount = getattr(self, name)
            if not isinstance(amount, Money) or not amount.is_positive:
                msg = (
                    f"budget {shown(self.holder)}: {name} must be positive Money, got "
                    f"{shown(amount)}"
                )
                raise InvalidValueError(msg)
        if self.pool.currency != self.per_incident_cap.currency:
            msg = (
                f"budget {shown(self.holder)}: the pool is in {self.pool.currency} but the cap in "
                f"{self.per_incident_cap.currency}; use one currency"
            )
            raise CurrencyMismatch(
                msg, left=self.pool.currency, right=self.per_incident_cap.currency
            )
        object.__setattr__(self, "period", member(Period, self.period, "period"))
        object.__setattr__(self, "_latest", None)
        self._check_ledger()

    def _check_ledger(self) -> None:
        """A ledger given whole (read back from storage) must be one `record` could build."""
        if isinstance(self.ledger, str | bytes) or not isinstance(self.ledger, Iterable):
            msg = f"ledger must be a sequence of Grant, got {type(self.ledger).__name__}"
            raise InvalidTypeError(msg)
        grants = tuple(self.ledger)
        version = whole(self.version, "version", len(grants), MAX_VERSION)
        object.__setattr__(self, "ledger", ())
        rebuilt: CompensationBudget = self
        for index, grant in enumerate(grants):
            instance(grant, Grant, f"ledger[{index}]")
            if any(earlier.reference == grant.reference for earlier in rebuilt.ledger):
                msg = (
                    f"ledger[{index}]: the reference {shown(grant.reference)} is in the ledger "
                    "already; a reference names one grant"
                )
                raise InvalidValueError(msg, path=f"ledger[{index}].reference")
            try:
                rebuilt = rebuilt.record(grant)
            except RecoveryError as err:
                msg = f"ledger[{index}] ({grant.reference}) cannot be in this budget: {err}"
                raise BudgetExceeded(msg, path=f"ledger[{index}]") from err
        object.__setattr__(self, "ledger", rebuilt.ledger)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "_latest", rebuilt._latest)  # noqa: SLF001 (our own class)

    @property
    def currency(self) -> str:
        """The currency of the pool, the cap and every grant."""
        return self.pool.currency

    def revise(
        self, *, pool: Money | None = None, per_incident_cap: Money | None = None
    ) -> CompensationBudget:
        """Return the budget with a larger pool or cap (a manager's decision), one version on.

        Limits only rise: every grant in the ledger stays one the budget could record,
        which is what a stored budget is checked against. To lower them, start a new
        budget for the next period.

        Raises:
            InvalidValueError: a limit below the current one, or nothing to change.
            CurrencyMismatch: a limit in another currency.
        """
        if pool is None and per_incident_cap is None:
            msg = f"budget {shown(self.holder)}: pass pool=, per_incident_cap= or both to revise"
            raise InvalidValueError(msg)
        changes = {"pool": pool, "per_incident_cap": per_incident_cap}
        for name, limit in changes.items():
            if limit is None:
                continue
            current = getattr(self, name)
            if self._in_currency(instance(limit, Money, name)) < current:
                msg = (
                    f"budget {shown(self.holder)}: {name} {limit} is below the current "
                    f"{current}; limits only rise, so every grant in the ledger stays within them"
                )
                raise InvalidValueError(msg, path=name)
        return attrs.evolve(
            self,
            pool=pool or self.pool,
            per_incident_cap=per_incident_cap or self.per_incident_cap,
            version=self.version + 1,
        )

    def period_bounds(self, at: datetime) -> tuple[datetime, datetime]:
        """The start (included) and end (excluded) of the period that contains `at`.

        Both are in the budget's zone: local midnight, Monday or the 1st.
        """
        local = zone(self.zone)
        start, end = self._utc_bounds(at)
        return start.astimezone(local), end.astimezone(local)

    def _utc_bounds(self, at: datetime) -> tuple[datetime, datetime]:
        latest = self._latest
        if latest is not None and latest[0] <= aware(at) < latest[1]:
            return latest[0], latest[1]
        local = aware(at).astimezone(zone(self.zone))
        return _bounds(self.period, self.zone, local.date())

    def spent(self, at: datetime) -> Money:
        """The sum of the grants in the period that contains `at`."""
        return exact(self._spent_between(*self._utc_bounds(at)), self.currency)

    def _spent_between(self, start: datetime, end: datetime) -> Decimal:
        latest = self._latest
        if latest is not None and latest[0] == start:
            return latest[2]
        return sum(
            (g.amount.amount for g in self.ledger if start <= g.at < end), self.pool.amount * 0
        )

    def remaining(self, at: datetime) -> Money:
        """What is left of the pool in the period that contains `at` (never below zero)."""
        return self.pool - self.spent(at)

    def spent_on(self, incident_id: str) -> Money:
        """Everything granted on one incident, in any period (the cap applies to it)."""
        return exact(self._spent_on(incident_id), self.currency)

    def _spent_on(self, incident_id: str) -> Decimal:
        mine = (g.amount.amount for g in self.ledger if g.incident_id == incident_id)
        return sum(mine, self.pool.amount * 0)

    def check(self, incident_id: str, amount: Money, at: datetime) -> None:
        """Refuse a grant of `amount` the budget cannot cover; change nothing.

        Raises:
            CurrencyMismatch: `amount` is not in the budget's currency.
            InvalidAmountError: `amount` is not above zero.
            TimeWentBackwards: `at` is before the ledger's last grant.
            BudgetExceeded: the period's pool or the incident's cap would be exceeded.
        """
        self._covered(incident_id, amount, at)

    def refusal(self, incident_id: str, amount: Money, at: datetime) -> Reason | None:
        """Why the budget cannot cover `amount` on the incident now, or None if it can.

        R3.budget: more than what is left of the period's pool; R3.cap: more than the
        per-incident cap, counting what the incident already got from this budget.
        """
        spent = self._spent_between(*self._utc_bounds(at))
        return self._refusal(incident_id, self._in_currency(amount), spent)

    def record(self, grant: Grant) -> CompensationBudget:
        """Return the budget with `grant` in its ledger, or refuse it (see `check`).

        The same grant recorded again (a retried write) returns the budget as it is.

        Raises:
            InvalidValueError: another grant under a reference already in the ledger.
        """
        instance(grant, Grant, "a grant")
        earlier = next((g for g in self.ledger if g.reference == grant.reference), None)
        if earlier is not None:
            if earlier == grant:
                return self
            msg = (
                f"budget {shown(self.holder)} already recorded {shown(grant.reference)} "
                f"({earlier.amount} on {earlier.incident_id} by {earlier.actor}); another grant "
                "needs another reference: authorize again on the incident as stored now"
            )
            raise InvalidValueError(msg, path="reference")
        start, end, spent = self._covered(grant.incident_id, grant.amount, grant.at)
        # Everything but the ledger is as checked when this budget was built.
        recorded = object.__new__(CompensationBudget)
        for field in _BUDGET_FIELDS:
            object.__setattr__(recorded, field, getattr(self, field))
        object.__setattr__(recorded, "ledger", (*self.ledger, grant))
        object.__setattr__(recorded, "version", self.version + 1)
        object.__setattr__(recorded, "_latest", (start, end, spent + grant.amount.amount))
        return recorded

    def _in_currency(self, amount: Money) -> Money:
        instance(amount, Money, "a grant's amount")
        if amount.currency != self.currency:
            msg = (
                f"budget {shown(self.holder)} is in {self.currency}; {amount} cannot be "
                "granted from it"
            )
            raise CurrencyMismatch(msg, left=self.currency, right=amount.currency)
        return amount

    def _covered(
        self, incident_id: str, amount: Money, at: datetime
    ) -> tuple[datetime, datetime, Decimal]:
        """`check`, returning the period of `at` and what it has spent, for `record`."""
        if not self._in_currency(amount).is_positive:
            msg = f"a grant must be above zero, got {amount}"
            raise InvalidAmountError(msg)
        if self.ledger:
            not_before(aware(at), self.ledger[-1].at, f"a grant from budget {shown(self.holder)}")
        start, end = self._utc_bounds(at)
        spent = self._spent_between(start, end)
        refusal = self._refusal(incident_id, amount, spent)
        if refusal is not None:
            raise BudgetExceeded(str(refusal))
        return start, end, spent

    def _refusal(self, incident_id: str, amount: Money, spent: Decimal) -> Reason | None:
        """`refusal`, given what the period of the grant has spent so far."""
        currency = self.currency
        left = self.pool.amount - spent
        if amount.amount > left:
            detail = (
                f"{amount} exceeds what is left of {self.holder}'s {self.period.adjective} "
                f"pool: {exact(left, currency)} of {self.pool}"
            )
            return Reason("R3.budget", detail)
        after = self._spent_on(incident_id) + amount.amount
        if after > self.per_incident_cap.amount:
            detail = (
                f"{exact(after, currency)} on incident {incident_id} exceeds {self.holder}'s "
                f"per-incident cap of {self.per_incident_cap}"
            )
            return Reason("R3.cap", detail)
        return None


_BUDGET_FIELDS = ("holder", "pool", "per_incident_cap", "period", "zone")


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


def value_per_cost(offer: Offer) -> Decimal:
    """R4: what the customer gets for each unit the business spends (free is infinite)."""
    cost = offer.cost.amount
    return Decimal("Infinity") if not cost else offer.value.amount / cost


def rank_offers(offers: Iterable[Offer]) -> tuple[Offer, ...]:
    """Order offers best first (R4: high value, low cost), then by value, then by name."""
    return tuple(sorted(offers, key=lambda o: (-value_per_cost(o), -o.value.amount, o.kind)))


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
