"""`check_policy`: the laws every policy keeps, tried on generated incidents."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from service_recovery._base.instants import later
from service_recovery._money.authority import Actor
from service_recovery._money.budget import CompensationBudget
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.policy import OVERRIDE_POINTS, RecoveryPolicy, decision_problem
from service_recovery.decisions import (
    AlertDecision,
    Decision,
    GrantOutcome,
)
from service_recovery.errors import RecoveryError
from service_recovery.testing._strategies import _AGENTS, budgets, incidents, money


@attrs.frozen
class BrokenLaw:
    """A law a policy broke, the smallest case hypothesis found, and what went wrong."""

    law: str
    counterexample: str
    problem: str

    def __str__(self) -> str:
        return f"{self.law}: {self.problem}\n    counterexample: {self.counterexample}"


@attrs.frozen
class PolicyReport:
    """What `check_policy` found: the laws it checked and those the policy broke."""

    policy: str
    checked: tuple[str, ...]
    broken: tuple[BrokenLaw, ...]

    @property
    def ok(self) -> bool:
        """True when every law holds."""
        return not self.broken

    def __str__(self) -> str:
        if self.ok:
            return f"{self.policy} keeps all {len(self.checked)} laws"
        lines = [f"{self.policy} breaks {len(self.broken)} of {len(self.checked)} laws:"]
        lines.extend(f"  - {law}" for law in self.broken)
        return "\n".join(lines)


@attrs.frozen
class _Case:
    """One situation a law is tried on."""

    incident: Incident
    amount: Money
    actor: Actor
    budget: CompensationBudget

    @property
    def at(self) -> datetime:
        return self.incident.updated_at


@st.composite
def _cases(draw: st.DrawFn, policy: RecoveryPolicy) -> _Case:
    ladder = policy.authority
    top = int(ladder.highest.limit.amount) + 100
    return _Case(
        incident=draw(incidents(policy)),
        amount=draw(money(ladder.currency, min_value=1, max_value=top)),
        actor=Actor(draw(_AGENTS), draw(st.sampled_from(ladder.names))),
        budget=draw(budgets(ladder.currency)),
    )


def _decisions(policy: RecoveryPolicy, case: _Case) -> dict[str, Decision]:
    return {
        "response_target": policy.response_target(case.incident),
        "resolution_target": policy.resolution_target(case.incident),
        "escalation": policy.escalation(case.incident, case.at),
        "authorize": policy.authorize(
            case.incident, case.amount, actor=case.actor, budget=case.budget, at=case.at
        ),
        "suggest_offers": policy.suggest_offers(
            case.incident, [Offer("voucher", case.amount, case.amount)], actor=case.actor
        ),
        "worth_recovering": policy.worth_recovering(
            case.incident, customer_value=case.amount, expected_cost=case.amount
        ),
        "agent_cooldown": policy.agent_cooldown(case.incident),
    }


def _never_approves_beyond_the_actors_limit(policy: RecoveryPolicy, case: _Case) -> str | None:
    decision = policy.authorize(
        case.incident, case.amount, actor=case.actor, budget=case.budget, at=case.at
    )
    limit = policy.authority.level(case.actor.level).limit
    if decision.outcome is GrantOutcome.APPROVED and decision.total > limit:
        return f"approved {decision.total} for {case.actor}, whose limit is {limit}"
    if decision.outcome is GrantOutcome.APPROVED and decision.amount > case.budget.remaining(
        case.at
    ):
        return (
            f"approved {decision.amount} with {case.budget.remaining(case.at)} left in the budget"
        )
    return None


def _every_escalation_names_a_level_that_can_act(policy: RecoveryPolicy, case: _Case) -> str | None:
    ladder = policy.authority
    escalation = policy.escalation(case.incident, case.at)
    if escalation.escalate and (
        escalation.to not in ladder.names
        or ladder.rank(escalation.to) <= ladder.rank(case.incident.level)
    ):
        return f"escalates to {escalation.to!r} from {case.incident.level!r}"
    grant = policy.authorize(
        case.incident, case.amount, actor=case.actor, budget=case.budget, at=case.at
    )
    if grant.outcome is GrantOutcome.NEEDS_APPROVAL:
        level = ladder.level(grant.approver_level or "")
        if level.limit < grant.total:
            return f"asks {level.name} (limit {level.limit}) to approve {grant.total}"
    return None


def _targets_are_positive(policy: RecoveryPolicy, case: _Case) -> str | None:
    for name in ("response_target", "resolution_target"):
        target = getattr(policy, name)(case.incident).target
        if target <= timedelta(0):
            return f"{name} {target}"
    return None


def _an_alert_never_goes_unanswered(policy: RecoveryPolicy, case: _Case) -> str | None:
    _, alerts = case.incident.tick(later(case.at, timedelta(days=2)))
    for alert in alerts:
        problem = decision_problem(policy, alert.decision, AlertDecision)
        if problem is not None:
            return f"{alert.alert}: {problem}"
    return None


def _every_decision_has_a_sound_answer(policy: RecoveryPolicy, case: _Case) -> str | None:
    for name, decision in _decisions(policy, case).items():
        problem = decision_problem(policy, decision, OVERRIDE_POINTS[name])
        if problem is not None:
            return f"{name}: {problem}"
    return None


def _same_inputs_same_decision(policy: RecoveryPolicy, case: _Case) -> str | None:
    first, second = _decisions(policy, case), _decisions(policy, case)
    differ = [name for name in first if first[name] != second[name]]
    return f"{', '.join(differ)} answered differently twice" if differ else None


LAWS: dict[str, Callable[[RecoveryPolicy, _Case], str | None]] = {
    "never approves beyond the actor's limit": _never_approves_beyond_the_actors_limit,
    "every escalation names a level that can act": _every_escalation_names_a_level_that_can_act,
    "targets are positive": _targets_are_positive,
    "every decision has a reason": _every_decision_has_a_sound_answer,
    "same inputs, same decision": _same_inputs_same_decision,
    "an alert never goes unanswered": _an_alert_never_goes_unanswered,
}
"""The laws every policy must keep, by name."""


def _verdict(
    law: Callable[[RecoveryPolicy, _Case], str | None], policy: RecoveryPolicy, case: _Case
) -> str | None:
    try:
        return law(policy, case)
    except RecoveryError as err:
        return f"raised {type(err).__name__}: {err}"


def _breaks(
    law: Callable[[RecoveryPolicy, _Case], str | None], policy: RecoveryPolicy, case: _Case
) -> bool:
    return _verdict(law, policy, case) is not None


def check_policy(policy: RecoveryPolicy, *, max_examples: int = 100) -> PolicyReport:
    """Try the laws every policy must keep on `policy`, with generated incidents.

    Each broken law comes with the smallest counterexample hypothesis could find. Use
    it in your test suite: ``assert check_policy(MyPolicy()).ok, check_policy(...)``.
    """
    broken = []
    config = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    for name, law in LAWS.items():
        breaks = functools.partial(_breaks, law, policy)
        try:
            case = find(_cases(policy), breaks, settings=config)
        except NoSuchExample:
            continue
        problem = _verdict(law, policy, case) or "inconsistent: broke the law only once"
        broken.append(BrokenLaw(name, _describe(case), problem))
    return PolicyReport(policy=type(policy).__name__, checked=tuple(LAWS), broken=tuple(broken))


def _describe(case: _Case) -> str:
    incident = case.incident
    return (
        f"incident {incident.id} ({incident.step}, {incident.channel}, {incident.category}, "
        f"{incident.severity}, held by {incident.level}, granted {incident.granted}), "
        f"amount {case.amount}, actor {case.actor}, budget pool {case.budget.pool} "
        f"cap {case.budget.per_incident_cap}"
    )
