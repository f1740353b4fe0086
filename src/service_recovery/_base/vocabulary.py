"""How an incident is classified: the channel it came in on, its kind (R16), its severity."""

from __future__ import annotations

from enum import StrEnum
from typing import Generic, TypeVar

import attrs

from service_recovery._base.checks import member, shown
from service_recovery.errors import InvalidTypeError


class Channel(StrEnum):
    """Where the complaint arrived: real-time or deferred (R13).

    An unhappy customer is an emergency, so real-time channels (phone, chat, social, in
    person) differ from deferred ones (email, web form).
    """

    PHONE = "phone"
    CHAT = "chat"
    SOCIAL = "social"
    IN_PERSON = "in_person"
    EMAIL = "email"
    WEB_FORM = "web_form"

    @property
    def is_realtime(self) -> bool:
        """True for channels where the customer is waiting now (R13)."""
        return self not in {Channel.EMAIL, Channel.WEB_FORM}


class Category(StrEnum):
    """R16: the four kinds of dissatisfaction, from least to most grave."""

    PRODUCT_DEFECT = "product_defect"
    POOR_SERVICE = "poor_service"
    MISTREATMENT = "mistreatment"
    IGNORED_COMPLAINT = "ignored_complaint"


class Severity(StrEnum):
    """How bad it is for the customer; ordered, so `Severity.HIGH > Severity.LOW`."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for LOW up to 3 for CRITICAL."""
        return _SEVERITY_RANK[self]

    def _rank_of(self, other: object) -> int:
        if not isinstance(other, Severity):
            msg = (
                f"compare a severity with a Severity, e.g. Severity({shown(other)}), not "
                f"{shown(other)}"
            )
            raise InvalidTypeError(msg)
        return other.rank

    # A StrEnum would otherwise compare as text ("critical" < "high").
    def __lt__(self, other: str) -> bool:
        return self.rank < self._rank_of(other)

    def __le__(self, other: str) -> bool:
        return self.rank <= self._rank_of(other)

    def __gt__(self, other: str) -> bool:
        return self.rank > self._rank_of(other)

    def __ge__(self, other: str) -> bool:
        return self.rank >= self._rank_of(other)


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}


T = TypeVar("T")


@attrs.frozen
class BySeverity(Generic[T]):
    """One value per severity (a target, a suggested amount), read with ``values[severity]``."""

    low: T
    medium: T
    high: T
    critical: T

    def __getitem__(self, severity: Severity | str) -> T:
        value: T = getattr(self, member(Severity, severity, "a severity").value)
        return value
