"""Errors: one hierarchy rooted at `RecoveryError`, in four families a host can act on.

- `InvalidArgumentError`: the caller passed something that can never be right (a naive
  time, a float amount, an unknown name, a malformed ladder or calendar). Fix the call.
- `CommandRefused`: the arguments are fine, but the transition table, a rule of
  docs/rules.md, a timer, the authority ladder or the budget says no now, and nothing
  changed. Show it to the agent.
- `PolicyError`: a policy is malformed (every problem with its path), or one of its
  override points answered something invalid. Fix the policy.
- `StoredDataError`: what was read back cannot be a history or a budget the commands
  could have produced. Look at the store.

Every class also subclasses the built-in it refines (`ValueError`, `TypeError`), so a
caller can catch either. Messages name the bad value and what would be right; the data
is kept on the exception too (`err.path`, `err.rule`, `err.step`, …), so nobody has to
parse the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

__all__ = [
    "ApprovalError",
    "AuthorityError",
    "BudgetExceeded",
    "CalendarError",
    "CommandRefused",
    "CurrencyMismatch",
    "FloatAmountError",
    "GrantConflict",
    "InvalidAmountError",
    "InvalidArgumentError",
    "InvalidTransition",
    "InvalidTypeError",
    "InvalidValueError",
    "LadderError",
    "MoneyError",
    "NaiveDatetimeError",
    "PolicyError",
    "RecoveryError",
    "ReplayError",
    "RuleViolation",
    "SerializationError",
    "StoredDataError",
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


# ---------------------------------------------------------------------- a bad argument


class InvalidArgumentError(RecoveryError):
    """The caller passed a value that can never be right, whatever the incident's state."""


class InvalidValueError(InvalidArgumentError, ValueError):
    """A value is outside what the library accepts (an empty id, an unknown name, …)."""


class InvalidTypeError(InvalidArgumentError, TypeError):
    """A value has the wrong type (a float where money is expected, an int for a date, …)."""


class MoneyError(InvalidArgumentError):
    """Base for the bad arguments about amounts of money."""


class FloatAmountError(MoneyError, InvalidTypeError):
    """A float was given as an amount of money: floats cannot hold cents exactly."""


class InvalidAmountError(MoneyError, InvalidValueError):
    """An amount is NaN, infinite, too precise for its currency, or otherwise unusable."""


class UnknownCurrencyError(MoneyError, InvalidValueError):
    """A currency code is not an active ISO 4217 code."""


class CurrencyMismatch(MoneyError, InvalidValueError):  # noqa: N818 (the name reads as the fact)
    """Two amounts in different currencies met; the library never converts silently."""

    def __init__(self, message: str, *, left: str, right: str) -> None:
        super().__init__(message)
        self.left = left
        self.right = right


class NaiveDatetimeError(InvalidTypeError):
    """A datetime without a time zone was given; the library never guesses a zone."""


class CalendarError(InvalidValueError):
    """A business calendar cannot be built as asked (bad zone, overlapping hours, …)."""


class LadderError(InvalidValueError):
    """An authority ladder is malformed, or a level it does not have was named.

    For a malformed ladder, `path` names the offending field (``levels[1].limit``).
    """


# ---------------------------------------------------------------------- a command refused


class CommandRefused(RecoveryError, ValueError):  # noqa: N818 (the name reads as the fact)
    """Valid arguments, but a rule says no now; the incident and the budget are unchanged."""


class InvalidTransition(CommandRefused):
    """An action is not allowed from the incident's current step.

    `allowed` lists the actions the table allows from `step`; for a command that leaves
    the step as it is, `allowed_steps` lists the steps it may run in.
    """

    def __init__(
        self,
        message: str,
        *,
        step: str,
        action: str,
        allowed: Iterable[str],
        allowed_steps: Iterable[str] = (),
    ) -> None:
        super().__init__(message)
        self.step = step
        self.action = action
        self.allowed = tuple(sorted(allowed))
        self.allowed_steps = tuple(sorted(allowed_steps))


class RuleViolation(CommandRefused):
    """A command breaks one of the rules of docs/rules.md; `rule` names it (``"R9"``)."""

    def __init__(self, message: str, *, rule: str, path: str = "") -> None:
        super().__init__(message, path=path)
        self.rule = rule


class TimeWentBackwards(CommandRefused):
    """A command is dated before the last thing that happened to the same object."""

    def __init__(self, message: str, *, at: datetime, last: datetime) -> None:
        super().__init__(message)
        self.at = at
        self.last = last


class TimerError(CommandRefused):
    """An SLA timer was asked to do something its state does not allow."""


class AuthorityError(CommandRefused):
    """An actor acts beyond their authority (R3): the amount is above their level's limit."""


class BudgetExceeded(CommandRefused):
    """A grant would take a budget's pool or its per-incident cap below zero."""


class ApprovalError(CommandRefused):
    """An approval is refused: unknown request, self-approval, or a level too low."""


class GrantConflict(CommandRefused):
    """A grant decision was already used, or another grant overtook it: authorize again.

    What two agents acting on stale copies of one incident or budget meet; the second
    writer reads the stored values again and asks the policy anew.
    """


# ---------------------------------------------------------------------- a policy error


class PolicyError(RecoveryError, ValueError):
    """A policy is malformed, or one of its override points returned something invalid.

    `errors` holds every problem found, each as ``(path, message)``, so a policy file is
    reported whole rather than one mistake at a time.
    """

    def __init__(self, message: str, *, errors: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.errors = tuple(errors)


# ---------------------------------------------------------------------- stored data


class StoredDataError(RecoveryError, ValueError):
    """What was read back cannot be what the library's commands stored."""


class SerializationError(StoredDataError):
    """Stored data cannot be read back; `path` says where (``events[3].at``).

    `errors` holds every problem found, each as ``(path, message)``.
    """

    def __init__(self, message: str, *, path: str, errors: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message, path=path)
        self.errors = tuple(errors) or ((path, message),)


class ReplayError(StoredDataError):
    """A history of events cannot be folded into an incident (wrong order, mixed ids, …)."""
