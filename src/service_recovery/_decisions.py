"""Reasons: every rule answers with the rule id it applied and a sentence a person can read."""

from __future__ import annotations

import re

import attrs

from ._errors import InvalidValueError

_RULE_ID = re.compile(r"R(?:[1-9]|1[0-9]|20)(?:\.[a-z][a-z0-9_]*)?")


def _check_rule(_instance: object, _attribute: object, rule: str) -> None:
    if not isinstance(rule, str) or not _RULE_ID.fullmatch(rule):
        msg = (
            f"rule {rule!r} is not a rule id of DOMAIN.md; pass 'R1'…'R20', "
            f"optionally with a topic, e.g. 'R3.authority'"
        )
        raise InvalidValueError(msg)


def _check_detail(_instance: object, _attribute: object, detail: str) -> None:
    if not isinstance(detail, str) or not detail.strip():
        msg = f"a reason needs a detail a supervisor can read, got {detail!r}"
        raise InvalidValueError(msg)


@attrs.frozen
class Reason:
    """Why a rule decided what it did: `rule` traces to DOMAIN.md, `detail` explains.

    Example: ``Reason("R3.authority", "150.00 USD exceeds the frontline limit of 100.00 USD")``.
    """

    rule: str = attrs.field(validator=_check_rule)
    detail: str = attrs.field(validator=_check_detail)

    @property
    def rule_id(self) -> str:
        """The bare rule id without its topic: ``"R3"`` for ``"R3.authority"``."""
        return self.rule.partition(".")[0]

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"
