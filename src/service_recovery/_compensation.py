"""Compensation: who may spend how much (the authority ladder), and what is offered."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._checks import text
from ._errors import AuthorityError, InvalidTypeError, InvalidValueError, RuleViolation
from ._money import Money


@attrs.frozen
class AuthorityLevel:
    """One rung of the ladder: a role and what it may grant per incident without asking (R3)."""

    name: str
    limit: Money

    def __attrs_post_init__(self) -> None:
        text(self.name, "an authority level's name")
        if not isinstance(self.limit, Money) or not self.limit.is_positive:
            msg = f"level {self.name!r} needs a positive Money limit, got {self.limit!r}"
            raise AuthorityError(msg)


def _levels(value: Iterable[AuthorityLevel]) -> tuple[AuthorityLevel, ...]:
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
            raise AuthorityError(msg)
        seen: set[str] = set()
        for index, (below, level) in enumerate(
            zip((None, *self.levels), self.levels, strict=False)
        ):
            if not isinstance(level, AuthorityLevel):
                msg = f"levels[{index}] must be an AuthorityLevel, got {level!r}"
                raise InvalidTypeError(msg)
            if level.name in seen:
                msg = f"levels[{index}]: the name {level.name!r} is used twice; names are unique"
                raise AuthorityError(msg)
            seen.add(level.name)
            if below is None:
                continue
            if level.limit.currency != below.limit.currency:
                msg = (
                    f"levels[{index}] {level.name!r} is in {level.limit.currency} but the ladder "
                    f"is in {below.limit.currency}; use one currency for every level"
                )
                raise AuthorityError(msg)
            if level.limit <= below.limit:
                msg = (
                    f"levels[{index}] {level.name!r} has limit {level.limit}, not above "
                    f"{below.name!r} at {below.limit}; limits must rise strictly up the ladder"
                )
                raise AuthorityError(msg)

    @classmethod
    def default(cls) -> AuthorityLadder:
        """Frontline 100, supervisor 500, manager 2,000 USD (DOMAIN.md, R3)."""
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
        msg = f"unknown authority level {name!r}; the ladder has {', '.join(self.names)}"
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
                msg = f"offer {self.kind!r}: {name} must be Money of zero or more, got {amount!r}"
                raise InvalidValueError(msg)
        if self.price is not None and (not isinstance(self.price, Money) or self.price.amount < 0):
            msg = f"offer {self.kind!r}: price must be Money of zero or more, or None"
            raise InvalidValueError(msg)
        if self.possible and self.alternative is not None:
            msg = f"offer {self.kind!r} is possible; only a not-possible offer names an alternative"
            raise InvalidValueError(msg)
        if not self.possible and (self.alternative is None or not self.alternative.possible):
            msg = (
                f"R17: offer {self.kind!r} is not possible, so it must name a possible "
                f"alternative (never a bare 'no'); pass alternative=Offer(...)"
            )
            raise RuleViolation(msg, rule="R17")

    @property
    def choice(self) -> Offer:
        """What the customer can actually take: the offer itself, or its alternative."""
        return self if self.alternative is None else self.alternative
