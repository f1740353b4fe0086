"""Budgets: a holder's pool per period, a per-incident cap, and the ledger of grants."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

import attrs
import pendulum

from service_recovery._base.checks import (
    instance,
    member,
    of,
    optional,
    shown,
    text,
    valid,
    whole,
    zone,
)
from service_recovery._base.instants import aware, not_before
from service_recovery._base.reasons import Reason
from service_recovery._money.authority import Actor
from service_recovery._money.money import Money, exact
from service_recovery.errors import (
    BudgetExceeded,
    CurrencyMismatch,
    GrantConflict,
    InvalidAmountError,
    InvalidTypeError,
    InvalidValueError,
    RecoveryError,
)

MAX_VERSION = 2**63 - 1
"""The highest `version` a stored budget may carry: what a database's integer holds."""


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
    # Running sums of the ledger, so that a grant does not scan it in Python (they are
    # copied forward in C): what each incident got, and each grant by its reference.
    _spent_by_incident: dict[str, Decimal] = attrs.field(init=False, eq=False, repr=False)
    _by_reference: dict[str, Grant] = attrs.field(init=False, eq=False, repr=False)

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
        object.__setattr__(self, "_spent_by_incident", {})
        object.__setattr__(self, "_by_reference", {})
        self._check_ledger()

    def __getstate__(self) -> dict[str, object]:
        """The settings, the ledger and the version: the sums are worked out on reading."""
        return {name: getattr(self, name) for name in _STORED}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in _STORED:
            object.__setattr__(self, name, state[name])
        by_incident: dict[str, Decimal] = {}
        for grant in self.ledger:
            amount = by_incident.get(grant.incident_id, self.pool.amount * 0)
            by_incident[grant.incident_id] = amount + grant.amount.amount
        object.__setattr__(self, "_spent_by_incident", by_incident)
        object.__setattr__(self, "_by_reference", {g.reference: g for g in self.ledger})
        object.__setattr__(self, "_latest", None)
        if self.ledger:
            start, end = self._utc_bounds(self.ledger[-1].at)
            object.__setattr__(self, "_latest", (start, end, self._spent_between(start, end)))

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
            if grant.reference in rebuilt._by_reference:
                msg = (
                    f"ledger[{index}]: the reference {shown(grant.reference)} is in the ledger "
                    "already; a reference names one grant"
                )
                raise InvalidValueError(msg, path=f"ledger[{index}].reference")
            try:
                rebuilt = rebuilt.record(grant)
            except RecoveryError as err:
                msg = f"ledger[{index}] ({grant.reference}) cannot be in this budget: {err}"
                raise InvalidValueError(msg, path=f"ledger[{index}]") from err
        object.__setattr__(self, "ledger", rebuilt.ledger)
        object.__setattr__(self, "version", version)
        for derived in ("_latest", "_spent_by_incident", "_by_reference"):
            object.__setattr__(self, derived, getattr(rebuilt, derived))

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
        return exact(self._spent_on(text(incident_id, "incident_id")), self.currency)

    def _spent_on(self, incident_id: str) -> Decimal:
        return self._spent_by_incident.get(incident_id, self.pool.amount * 0)

    def check(self, incident_id: str, amount: Money, at: datetime) -> None:
        """Refuse a grant of `amount` the budget cannot cover; change nothing.

        Raises:
            CurrencyMismatch: `amount` is not in the budget's currency.
            InvalidAmountError: `amount` is not above zero.
            TimeWentBackwards: `at` is before the ledger's last grant.
            BudgetExceeded: the period's pool or the incident's cap would be exceeded.
        """
        self._covered(text(incident_id, "incident_id"), amount, at)

    def refusal(self, incident_id: str, amount: Money, at: datetime) -> Reason | None:
        """Why the budget cannot cover `amount` on the incident now, or None if it can.

        R3.budget: more than what is left of the period's pool; R3.cap: more than the
        per-incident cap, counting what the incident already got from this budget.
        """
        incident_id = text(incident_id, "incident_id")
        spent = self._spent_between(*self._utc_bounds(at))
        return self._refusal(incident_id, self._in_currency(amount), spent)

    def record(self, grant: Grant) -> CompensationBudget:
        """Return the budget with `grant` in its ledger, or refuse it (see `check`).

        The same grant recorded again (a retried write) returns the budget as it is.

        Raises:
            GrantConflict: another grant under a reference already in the ledger.
        """
        instance(grant, Grant, "a grant")
        earlier = self._by_reference.get(grant.reference)
        if earlier is not None:
            if earlier == grant:
                return self
            msg = (
                f"budget {shown(self.holder)} already recorded {shown(grant.reference)} "
                f"({earlier.amount} on {earlier.incident_id} by {earlier.actor}); another grant "
                "needs another reference: authorize again on the incident as stored now"
            )
            raise GrantConflict(msg, path="reference")
        start, end, spent = self._covered(grant.incident_id, grant.amount, grant.at)
        # Everything but the ledger is as checked when this budget was built.
        recorded = object.__new__(CompensationBudget)
        for field in _BUDGET_FIELDS:
            object.__setattr__(recorded, field, getattr(self, field))
        object.__setattr__(recorded, "ledger", (*self.ledger, grant))
        object.__setattr__(recorded, "version", self.version + 1)
        amount, incident_id = grant.amount.amount, grant.incident_id
        object.__setattr__(recorded, "_latest", (start, end, spent + amount))
        by_incident = {**self._spent_by_incident, incident_id: self._spent_on(incident_id) + amount}
        object.__setattr__(recorded, "_spent_by_incident", by_incident)
        object.__setattr__(
            recorded, "_by_reference", {**self._by_reference, grant.reference: grant}
        )
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
_STORED = (*_BUDGET_FIELDS, "ledger", "version")
