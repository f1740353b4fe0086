"""What-if simulation: a seeded stream of complaints, replayed under a policy.

Each synthetic complaint goes through the real `Incident` commands and is scored into a
`Scorecard`.

The stream is split into blocks, each drawn from its own seeded generator, and every block
belongs to one agent whose daily budget it spends. A part of the stream (``part`` of
``parts``) holds whole agents, so scoring the parts anywhere and adding the scorecards
gives exactly the single-process result.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from service_recovery._base.checks import shown
from service_recovery._base.instants import aware
from service_recovery._base.vocabulary import Category, Channel, Severity
from service_recovery._money.authority import Actor
from service_recovery._money.budget import CompensationBudget, Period
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._scoring.scorecard import Scorecard, _Tally, report
from service_recovery.decisions import GrantOutcome
from service_recovery.errors import InvalidValueError
from service_recovery.events import Event

_CHUNK = 50  # an agent's arrivals drawn from one seeded generator
_CAUSES = (
    "stock out",
    "late courier",
    "billing error",
    "rude reply",
    "faulty batch",
    "queue too long",
    "wrong item",
    "booking lost",
)
_WANTS = {  # what a customer needs, by severity: median and spread of a lognormal
    Severity.LOW: (10, 0.5),
    Severity.MEDIUM: (30, 0.6),
    Severity.HIGH: (80, 0.6),
    Severity.CRITICAL: (250, 0.5),
}


def _mix(value: object) -> tuple[tuple[object, int], ...]:
    return tuple(dict(value).items()) if isinstance(value, dict) else tuple(value)  # type: ignore[arg-type]


@attrs.frozen
class Arrival:
    """One synthetic complaint and how it will go: the facts the simulation acts out."""

    index: int
    incident_id: str
    agent: str
    at: datetime
    channel: Channel
    category: Category
    severity: Severity
    response: timedelta
    fixable: bool
    wants: Decimal
    customer_value: Decimal
    patient: bool
    score_before: int
    follow_up: bool
    root_cause: str


@attrs.frozen
class SyntheticStream:
    """A seeded stream of complaints: same seed, same stream, on any machine.

    Args:
        seed: the stream's seed.
        incidents: how many complaints.
        start: when the first arrives.
        transactions_per_day: the business's volume; complaints arrive at
            `incident_rate` of it (R20: one per 1,000 transactions, three sigma).
        channels, categories, severities: the mix, as weights.
        median_response: the agents' median time to answer; `response_spread` is the
            sigma of its lognormal distribution.
        frontline_fixable: the share of problems a front-line agent can fix alone (R5).
        customer_value: the range of what a customer is worth, in `currency`.
        cases_per_agent_day: each agent's daily load, which sizes the team.
    """

    seed: int = 0
    incidents: int = 1000
    start: datetime = datetime(2026, 11, 1, tzinfo=UTC)
    transactions_per_day: int = 50_000
    incident_rate: Decimal = Decimal("0.001")
    channels: tuple[tuple[Channel, int], ...] = attrs.field(
        converter=_mix,
        default=(
            (Channel.PHONE, 35),
            (Channel.CHAT, 25),
            (Channel.EMAIL, 20),
            (Channel.IN_PERSON, 10),
            (Channel.SOCIAL, 5),
            (Channel.WEB_FORM, 5),
        ),
    )
    categories: tuple[tuple[Category, int], ...] = attrs.field(
        converter=_mix,
        default=(
            (Category.PRODUCT_DEFECT, 45),
            (Category.POOR_SERVICE, 35),
            (Category.MISTREATMENT, 12),
            (Category.IGNORED_COMPLAINT, 8),
        ),
    )
    severities: tuple[tuple[Severity, int], ...] = attrs.field(
        converter=_mix,
        default=(
            (Severity.LOW, 40),
            (Severity.MEDIUM, 35),
            (Severity.HIGH, 20),
            (Severity.CRITICAL, 5),
        ),
    )
    median_response: timedelta = timedelta(seconds=30)
    response_spread: float = 0.5
    frontline_fixable: Decimal = Decimal("0.9")
    customer_value: tuple[int, int] = (50, 2000)
    currency: str = "USD"
    cases_per_agent_day: int = 40

    def __attrs_post_init__(self) -> None:
        if (
            self.incidents < 0
            or self.transactions_per_day < 1
            or not 0 < self.incident_rate <= 1
            or self.cases_per_agent_day < 1
        ):
            msg = (
                f"a stream needs incidents >= 0, transactions_per_day >= 1, an incident rate "
                f"in (0, 1] and cases_per_agent_day >= 1, got {self.incidents}, "
                f"{self.transactions_per_day}, {self.incident_rate}, {self.cases_per_agent_day}"
            )
            raise InvalidValueError(msg)

    @property
    def per_day(self) -> Decimal:
        """Complaints a day: the volume times the incident rate (R20)."""
        return self.transactions_per_day * self.incident_rate

    @property
    def agents(self) -> int:
        """How many agents share the load."""
        return max(1, math.ceil(self.per_day / self.cases_per_agent_day))

    def arrivals(self, part: int = 0, parts: int = 1) -> Iterator[Arrival]:
        """The complaints handled by agents ``part``, ``part + parts``, …, agent by agent.

        Complaints go round the agents in arrival order; each agent's are drawn in
        chunks from generators seeded by (seed, agent, chunk), so a part of the stream
        costs only its own share to draw and is the same wherever it is drawn.
        """
        if not 0 <= part < parts:
            msg = f"part must be in 0..{shown(parts - 1)}, got {shown(part)}"
            raise InvalidValueError(msg)
        agents = self.agents
        for agent in range(part, min(agents, self.incidents), parts):
            rng = random.Random()  # noqa: S311 (a simulation, not a secret)
            for turn in range(math.ceil((self.incidents - agent) / agents)):
                if turn % _CHUNK == 0:
                    rng.seed((self.seed * 1_000_003 + agent) * 1_000_003 + turn // _CHUNK)
                yield self._arrival(rng, turn * agents + agent, agent)

    def _arrival(self, rng: random.Random, index: int, agent: int) -> Arrival:
        channel, category, severity = (
            kinds[bisect.bisect(totals, rng.random() * totals[-1])] for kinds, totals in self._mixes
        )
        median, spread = _WANTS[severity]
        return Arrival(
            index=index,
            incident_id=f"SIM-{self.seed}-{index}",
            agent=f"agent-{agent}",
            at=self._start_utc + timedelta(days=index / float(self.per_day)),
            channel=channel,
            category=category,
            severity=severity,
            response=self.median_response * rng.lognormvariate(0, self.response_spread),
            fixable=rng.random() < self.frontline_fixable,
            wants=Decimal(round(median * rng.lognormvariate(0, spread))),
            customer_value=Decimal(rng.randint(*self.customer_value)),
            patient=rng.random() < 0.8,  # noqa: PLR2004 (four in five wait for a supervisor)
            score_before=rng.randint(0, 6),
            follow_up=rng.random() < 0.05,  # noqa: PLR2004
            root_cause=rng.choice(_CAUSES),
        )

    def split(self, parts: int) -> tuple[StreamPart, ...]:
        """The stream in `parts` parts that add up to it, for parallel engines (Dask)."""
        if parts < 1:
            msg = f"parts must be at least 1, got {shown(parts)}"
            raise InvalidValueError(msg)
        return tuple(StreamPart(self, part, parts) for part in range(parts))

    @functools.cached_property
    def _start_utc(self) -> datetime:
        # All simulated times are UTC: adding minutes to a named zone's time is wall-clock
        # arithmetic, an hour off across a daylight-saving change.
        return aware(self.start, "start").astimezone(UTC)

    @functools.cached_property
    def _mixes(self) -> tuple[tuple[tuple[Any, ...], tuple[int, ...]], ...]:
        """Each mix as its kinds and cumulative weights, to draw one by bisection."""
        return tuple(
            (tuple(kind for kind, _ in mix), tuple(itertools.accumulate(w for _, w in mix)))
            for mix in (self.channels, self.categories, self.severities)
        )


@attrs.frozen
class StreamPart:
    """Part `part` of `parts` of a stream: whole agents, so it scores on its own."""

    stream: SyntheticStream
    part: int
    parts: int

    def arrivals(self) -> Iterator[Arrival]:
        """This part's complaints."""
        return self.stream.arrivals(self.part, self.parts)


_CATALOG = (
    ("apology call", "0", "5"),
    ("free delivery", "5", "15"),
    ("discount voucher", "10", "25"),
)


class _Run:
    """One agent-ordered pass over a stream under a policy."""

    def __init__(self, policy: RecoveryPolicy, stream: SyntheticStream) -> None:
        self.policy = policy
        self.currency = policy.authority.currency
        # R9: always as many options as the policy asks for.
        goodwill = [(f"goodwill gesture {n}", "1", "3") for n in range(policy.min_options)]
        choices = (*_CATALOG, *goodwill)[: max(policy.min_options, len(_CATALOG))]
        # R4: each choice worth at least what the policy asks of the gravest incident.
        least = policy.min_offer_value
        floor = max(least[s] for s in Severity) if least is not None else self._money(0)
        self.catalog = tuple(
            Offer(k, self._money(c), max(self._money(v), floor)) for k, c, v in choices
        )
        self.daily = self._money(stream.cases_per_agent_day * 300)
        self.budgets: dict[str, CompensationBudget] = {}
        self.clock: dict[str, datetime] = {}

    def _money(self, amount: object) -> Money:
        return Money.of(amount, self.currency)  # type: ignore[arg-type]

    def recover(self, arrival: Arrival) -> Incident:
        """Act out one complaint under the policy, from receipt to closing."""
        policy, now = self.policy, arrival.at + arrival.response
        incident = Incident.receive(
            incident_id=arrival.incident_id,
            customer=f"customer-{arrival.index}",
            channel=arrival.channel,
            category=arrival.category,
            severity=arrival.severity,
            at=arrival.at,
            policy=policy,
        )
        incident = incident.acknowledge(by=arrival.agent, at=now)
        incident = incident.record_satisfaction(arrival.score_before, at=now, before_recovery=True)
        now += timedelta(minutes=2)
        incident = incident.restate(problem=arrival.root_cause, confirmed=True, at=now)
        escalation = policy.escalation(incident, now)
        if escalation.escalate and escalation.to is not None:
            why = escalation.reasons[0]
            incident = incident.escalate(
                to=escalation.to, reason=why.detail, at=now, rule=why.rule_id
            )
        wants = self._money(arrival.wants)
        worth = policy.worth_recovering(
            incident, customer_value=self._money(arrival.customer_value), expected_cost=wants
        )
        if not worth.worth:  # R15: let the customer go
            manager = Actor(f"{policy.decline_level} on duty", policy.decline_level)
            declined = incident.decline(reason=worth.reasons[-1].detail, by=manager, at=now)
            return self._close(declined, arrival, now)
        compensated = self._compensate(incident, arrival, wants, now)
        if compensated is None:  # refused, or the customer would not wait for approval
            now += timedelta(minutes=10)
            lost = incident.abandon(reason="the customer would not wait", at=now)
            return self._close(lost, arrival, now)
        incident, now = compensated
        now += timedelta(minutes=3)
        incident = incident.offer(self.catalog, at=now)
        incident = incident.resolve(summary="made it right", at=now)
        if arrival.follow_up:
            incident = incident.promise(due=now + timedelta(days=1), at=now)
            incident = incident.contact(at=now + timedelta(hours=23), note="all well")
        surveyed = now + timedelta(days=1, hours=1)
        lift = 7 if _first_contact(incident) else 4  # R12: a quick recovery moves more
        incident = incident.record_satisfaction(min(10, arrival.score_before + lift), at=surveyed)
        return self._close(incident, arrival, surveyed)

    def _budget(self, agent: str, at: datetime) -> CompensationBudget:
        """The agent's budget for the day of `at`; a fresh one each day keeps ledgers short."""
        budget = self.budgets.get(agent)
        if budget is None or (
            budget.ledger and budget.period_bounds(budget.ledger[-1].at)[1] <= at
        ):
            budget = CompensationBudget(
                holder=agent,
                pool=self.daily,
                per_incident_cap=self.policy.authority.highest.limit,
                period=Period.DAY,
            )
            self.budgets[agent] = budget
        return budget

    def _compensate(
        self, incident: Incident, arrival: Arrival, wants: Money, now: datetime
    ) -> tuple[Incident, datetime] | None:
        """R3: grant what the customer needs, at once or after an approval; None if lost."""
        policy, agent = self.policy, arrival.agent
        # An agent's grants stay in time order even when one case runs long.
        now = max(now, self.clock.get(agent, now))
        budget = self._budget(agent, arrival.at)
        actor = Actor(agent, policy.authority.lowest.name)
        decision = policy.authorize(incident, wants, actor=actor, budget=budget, at=now)
        if decision.outcome is GrantOutcome.APPROVED and arrival.fixable:
            incident, budget = incident.grant(decision, budget=budget, at=now)
        elif decision.outcome is GrantOutcome.REFUSED or not arrival.patient:
            return None
        else:  # R9: beyond the agent's authority or skill, a higher level takes it
            ladder = policy.authority
            level = decision.approver_level or ladder.second
            if ladder.rank(level) > ladder.rank(incident.level):
                incident = incident.escalate(
                    to=level, reason="beyond the agent's authority", at=now
                )
            now += timedelta(minutes=15)
            if decision.outcome is GrantOutcome.NEEDS_APPROVAL:
                incident = incident.request_approval(decision, at=now)
                approver = Actor(f"{level} on duty", level)
                incident, budget = incident.approve(
                    decision.reference, approver=approver, budget=budget, at=now
                )
            else:
                incident, budget = incident.grant(decision, budget=budget, at=now)
        self.budgets[agent] = budget
        if budget.ledger:
            self.clock[agent] = budget.ledger[-1].at
        return incident, now

    def _close(self, incident: Incident, arrival: Arrival, now: datetime) -> Incident:
        return incident.close(root_cause=arrival.root_cause, cost=incident.granted, at=now)


def _first_contact(incident: Incident) -> bool:
    return incident.level == incident.policy.authority.lowest.name and not incident.handoffs


def simulate(
    policy: RecoveryPolicy,
    stream: SyntheticStream | StreamPart,
    *,
    progress: Callable[[int], None] | None = None,
) -> Scorecard:
    """Replay `stream` (or a part of one) through the real incident commands under `policy`.

    Every complaint is received, acknowledged, restated, escalated when the policy says,
    compensated through `policy.authorize` and the agent's daily budget, resolved, lost
    or declined, closed with its root cause and scored. Same policy and stream, same
    scorecard; the scorecards of `stream.split(n)` add up to the whole. `progress`, if
    given, is called with the number of incidents done, every thousand.
    """
    whole = stream if isinstance(stream, SyntheticStream) else stream.stream
    run, tally = _Run(policy, whole), _Tally()
    for done, arrival in enumerate(stream.arrivals(), start=1):
        tally.add(run.recover(arrival))
        if progress is not None and done % 1000 == 0:
            progress(done)
    return tally.scorecard()


def score(
    histories: Iterable[Iterable[Event]], *, policy: RecoveryPolicy | None = None
) -> Scorecard:
    """Score stored incidents: each history is replayed under `policy`, then counted."""
    tally = _Tally()
    for events in histories:
        tally.add(Incident.replay(events, policy=policy))
    return tally.scorecard()


@attrs.frozen
class Comparison:
    """Two policies and their scorecards on the same stream, side by side."""

    policy_a: RecoveryPolicy
    policy_b: RecoveryPolicy
    a: Scorecard
    b: Scorecard

    def rows(self) -> tuple[tuple[str, str, str, str], ...]:
        """Each metric as (name, rule, under A, under B)."""
        left, right = report(self.a, self.policy_a), report(self.b, self.policy_b)
        return tuple((x.name, x.rule, x.value, y.value) for x, y in zip(left, right, strict=True))


def compare(
    policy_a: RecoveryPolicy,
    policy_b: RecoveryPolicy,
    stream: SyntheticStream,
    *,
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """What `policy_b` would have done differently from `policy_a` on the same complaints.

    `progress`, if given, is called as `simulate` calls it, counting both runs: up to
    twice the stream's incidents.
    """
    after_a = None if progress is None else lambda done: progress(stream.incidents + done)
    return Comparison(
        policy_a,
        policy_b,
        simulate(policy_a, stream, progress=progress),
        simulate(policy_b, stream, progress=after_a),
    )
