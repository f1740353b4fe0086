"""One exception hierarchy, rooted at `RecoveryError`.

Every class also subclasses the built-in it refines (`ValueError`, `TypeError`), so a
caller can catch either. Messages name the bad value and what would be right; the data
is kept on the exception too, so nobody has to parse the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

__all__ = [
    "ApprovalError",
    "AuthorityError",
    "BudgetExceeded",
    "CalendarError",
    "CurrencyMismatch",
    "FloatAmountError",
    "InvalidAmountError",
    "InvalidTransition",
    "InvalidTypeError",
    "InvalidValueError",
    "MoneyError",
    "NaiveDatetimeError",
    "PolicyError",
    "RecoveryError",
    "ReplayError",
    "RuleViolation",
    "SerializationError",
    "TimeWentBackwards",
    "TimerError",
    "UnknownCurrencyError",
]


class RecoveryError(Exception):
    """The root of every error this library raises on purpose.

    `path` names the field a value was refused in, when one was (``score``, or
    ``events[3].score`` for stored data); it is empty for a refusal about no one field.
    """

    def __init__(self, message: str = "", *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class InvalidValueError(RecoveryError, ValueError):
    """A value is outside what the library accepts (an empty id, an unknown name, …)."""


class InvalidTypeError(RecoveryError, TypeError):
    """A value has the wrong type (a float where money is expected, an int for a date, …)."""


# ---------------------------------------------------------------------- money


class MoneyError(RecoveryError):
    """Base for errors about amounts of money."""


class FloatAmountError(MoneyError, TypeError):
    """A float was given as an amount of money: floats cannot hold cents exactly."""


class InvalidAmountError(MoneyError, ValueError):
    """An amount is NaN, infinite, too precise for its currency, or otherwise unusable."""


class UnknownCurrencyError(MoneyError, ValueError):
    """A currency code is not an active ISO 4217 code."""


class CurrencyMismatch(MoneyError, ValueError):  # noqa: N818 (the name reads as the fact)
    """Two amounts in different currencies met; the library never converts silently."""

    def __init__(self, message: str, *, left: str, right: str) -> None:
        super().__init__(message)
        self.left = left
        self.right = right


# ---------------------------------------------------------------------- time


class NaiveDatetimeError(RecoveryError, TypeError):
    """A datetime without a time zone was given; the library never guesses a zone."""


class TimeWentBackwards(RecoveryError, ValueError):  # noqa: N818 (the name reads as the fact)
    """A command is dated before the last thing that happened to the same object."""

    def __init__(self, message: str, *, at: datetime, last: datetime) -> None:
        super().__init__(message)
        self.at = at
        self.last = last


class CalendarError(RecoveryError, ValueError):
    """A business calendar cannot be built as asked (bad zone, overlapping hours, …)."""


class TimerError(RecoveryError, ValueError):
    """An SLA timer was asked to do something its state does not allow."""


# ---------------------------------------------------------------------- the lifecycle


class InvalidTransition(RecoveryError, ValueError):  # noqa: N818 (the name reads as the fact)
    """An action is not allowed from the incident's current step."""

    def __init__(self, message: str, *, step: str, action: str, allowed: Iterable[str]) -> None:
        super().__init__(message)
        self.step = step
        self.action = action
        self.allowed = tuple(sorted(allowed))


class RuleViolation(RecoveryError, ValueError):  # noqa: N818 (the name reads as the fact)
    """A command breaks one of the rules of docs/rules.md; `rule` names it (``"R9"``)."""

    def __init__(self, message: str, *, rule: str, path: str = "") -> None:
        super().__init__(message, path=path)
        self.rule = rule


class ReplayError(RecoveryError, ValueError):
    """A history of events cannot be folded into an incident (wrong order, mixed ids, …)."""


# ---------------------------------------------------------------------- compensation


class AuthorityError(RecoveryError, ValueError):
    """An authority ladder is malformed, or an actor acts beyond their authority.

    For a malformed ladder, `path` names the offending field (``levels[1].limit``).
    """


class BudgetExceeded(RecoveryError, ValueError):  # noqa: N818 (the name reads as the fact)
    """A grant would take a budget or an incident cap below zero.

    For a ledger read back whole, `path` names the grant (``ledger[3]``).
    """


class ApprovalError(RecoveryError, ValueError):
    """An approval is refused: unknown request, self-approval, or a level too low."""


# ---------------------------------------------------------------------- policy and data


class PolicyError(RecoveryError, ValueError):
    """A policy is malformed, or one of its override points returned something invalid.

    `errors` holds every problem found, each as ``(path, message)``, so a policy file is
    reported whole rather than one mistake at a time.
    """

    def __init__(self, message: str, *, errors: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.errors = tuple(errors)


class SerializationError(RecoveryError, ValueError):
    """Stored data cannot be read back; `path` says where (``events[3].at``).

    `errors` holds every problem found, each as ``(path, message)``.
    """

    def __init__(self, message: str, *, path: str, errors: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message, path=path)
        self.errors = tuple(errors) or ((path, message),)
