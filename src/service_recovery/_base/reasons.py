"""Reasons: every rule answers with the rule id it applied and a sentence a person can read."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

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


class _Written:
    """Where a reason keeps how to write its sentence until it is read (`deferred`)."""

    __slots__ = ("_write",)
    _write: Callable[[], str]


@attrs.frozen
class Reason(_Written):
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


def _written(reason: Reason, name: str) -> str:
    """`Reason.__getattr__`, called only for an unset attribute: `detail` before its first read."""
    if name != "detail":
        raise AttributeError(name)
    try:
        write: Callable[[], str] = object.__getattribute__(reason, "_write")
    except AttributeError:  # not a `deferred` reason: nothing to write
        raise AttributeError(name) from None
    detail = write()
    object.__setattr__(reason, "detail", detail)
    object.__delattr__(reason, "_write")  # nor what it named, once written
    return detail


# Set once the class exists, out of type checkers' sight: a `__getattr__` they saw would
# let `reason.anything` pass as a str.
setattr(Reason, "__getattr__", _written)  # noqa: B010


def deferred(rule: str, write: Callable[[], str]) -> Reason:
    """``Reason(rule, write())``, with `write` called when `detail` is first read.

    For the library's own reasons: a policy decides far more often than anyone reads
    why, and a simulation formats almost none of its sentences (amounts through
    Decimal, levels, ids). The reason is the same value either way: equality, hashing,
    `repr` and pickling read `detail`, which writes it.
    """
    _check_rule(None, None, rule)
    reason = object.__new__(Reason)
    object.__setattr__(reason, "rule", rule)
    object.__setattr__(reason, "_write", write)
    return reason
