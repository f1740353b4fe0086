"""Reasons: every rule answers with the rule id it applied and a sentence a person can read."""

from __future__ import annotations

import functools
import re

import attrs

from service_recovery._base.checks import (
    shown,
)
from service_recovery.errors import InvalidValueError

_RULE_ID = re.compile(r"R(?:[1-9]|1[0-9]|20)(?:\.[a-z][a-z0-9_]*)?")


@functools.lru_cache(maxsize=1024)
def _is_rule_id(rule: str) -> bool:
    # A policy names the same few rules millions of times: match each spelling once.
    return _RULE_ID.fullmatch(rule) is not None


def _check_rule(_instance: object, _attribute: object, rule: str) -> None:
    if not isinstance(rule, str) or not _is_rule_id(rule):
        msg = (
            f"rule {shown(rule)} is not a rule id of docs/rules.md; pass 'R1'…'R20', "
            f"optionally with a topic, e.g. 'R3.authority'"
        )
        raise InvalidValueError(msg)


def _check_detail(_instance: object, _attribute: object, detail: str) -> None:
    if not isinstance(detail, str) or not detail.strip():
        msg = f"a reason needs a detail a supervisor can read, got {shown(detail)}"
        raise InvalidValueError(msg)


@attrs.frozen
class Reason:
    """Why a rule decided what it did: `rule` traces to docs/rules.md, `detail` explains.

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
