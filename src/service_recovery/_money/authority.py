"""Authority: who may spend how much (R3), as an ordered ladder of levels."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from service_recovery._base.checks import (
    described,
    shown,
    text,
)
from service_recovery._money.money import Money
from service_recovery.errors import (
    CurrencyMismatch,
    InvalidTypeError,
    LadderError,
)


@attrs.frozen
class AuthorityLevel:
    """One rung of the ladder: a role and what it may grant per incident without asking (R3)."""

    name: str
    limit: Money

    def __attrs_post_init__(self) -> None:
        text(self.name, "an authority level's name")
        if not isinstance(self.limit, Money) or not self.limit.is_positive:
            msg = f"level {shown(self.name)} needs a positive Money limit, got {shown(self.limit)}"
            raise LadderError(msg)


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
        LadderError: no levels, a duplicate name, mixed currencies, or a limit that
            does not rise above the one before; the message names the offending level.
    """

    levels: tuple[AuthorityLevel, ...] = attrs.field(converter=_levels)

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            msg = "an authority ladder needs at least one level, e.g. frontline 100 USD"
            raise LadderError(msg, path="levels")
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
                raise LadderError(msg, path=f"levels[{index}].name")
            seen.add(level.name)
            if below is None:
                continue
            if level.limit.currency != below.limit.currency:
                msg = (
                    f"levels[{index}] {shown(level.name)} is in {level.limit.currency} but the "
                    "ladder "
                    f"is in {below.limit.currency}; use one currency for every level"
                )
                raise LadderError(msg, path=f"levels[{index}].limit")
            if level.limit <= below.limit:
                msg = (
                    f"levels[{index}] {shown(level.name)} has limit {level.limit}, not above "
                    f"{shown(below.name)} at {below.limit}; limits must rise strictly up the ladder"
                )
                raise LadderError(msg, path=f"levels[{index}].limit")

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
            LadderError: no level has that name; the message lists the known ones.
        """
        for level in self.levels:
            if level.name == name:
                return level
        msg = f"unknown authority level {shown(name)}; the ladder has {', '.join(self.names)}"
        raise LadderError(msg)

    def rank(self, name: str) -> int:
        """Return the position of level `name`, 0 for the lowest."""
        return self.levels.index(self.level(name))

    def lowest_able(self, amount: Money) -> AuthorityLevel | None:
        """Return the lowest level whose limit covers `amount`, or None if none does (R3)."""
        if amount.currency != self.currency:
            msg = f"{amount} is not in the ladder's currency {self.currency}; pass {self.currency}"
            raise CurrencyMismatch(msg, left=self.currency, right=amount.currency)
        return next((level for level in self.levels if amount <= level.limit), None)


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
