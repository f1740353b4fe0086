"""RecoveryPolicy: the defaults of DOMAIN.md as fields, each tagged with its rule id."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs

from ._classification import Category, Severity
from ._compensation import AuthorityLadder
from ._decisions import Reason
from ._errors import InvalidTypeError, PolicyError


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
