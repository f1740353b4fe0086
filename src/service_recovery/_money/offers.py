"""Offers: what is put in front of the customer (R4, R9, R17), and how they rank."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from service_recovery._base.checks import (
    flag,
    instance,
    shown,
    text,
)
from service_recovery._money.money import Money
from service_recovery.errors import (
    CurrencyMismatch,
    InvalidValueError,
    RuleViolation,
)


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
        if type(self.possible) is not bool:  # the message only when it is needed
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


def value_per_cost(offer: Offer) -> Decimal:
    """R4: what the customer gets for each unit the business spends (free is infinite)."""
    cost = offer.cost.amount
    return Decimal("Infinity") if not cost else offer.value.amount / cost


def rank_offers(offers: Iterable[Offer]) -> tuple[Offer, ...]:
    """Order offers best first (R4: high value, low cost), then by value, then by name."""
    return tuple(sorted(offers, key=lambda o: (-value_per_cost(o), -o.value.amount, o.kind)))
