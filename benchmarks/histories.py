"""Realistic incidents for the benchmarks: a full recovery of 12 events, and a long one.

Built through the public commands, as a helpdesk would build them, so every benchmark
measures the library on the same shape of history.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service_recovery import (
    Actor,
    Category,
    Channel,
    CompensationBudget,
    Incident,
    Money,
    Offer,
    RecoveryPolicy,
    Severity,
)

POLICY = RecoveryPolicy()
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OFFERS = (
    Offer("late checkout", Money.of("0", "USD"), Money.of("40", "USD")),
    Offer("suite upgrade", Money.of("60", "USD"), Money.of("300", "USD")),
)
AGENT = Actor("luis", "frontline")


def opened(number: int = 1, at: datetime = START) -> Incident:
    """A complaint just received."""
    return Incident.receive(
        incident_id=f"INC-{number}",
        customer=f"customer-{number}",
        channel=Channel.PHONE,
        category=Category.POOR_SERVICE,
        severity=Severity.MEDIUM,
        at=at,
        policy=POLICY,
    )


def recovered(number: int = 1, at: datetime = START) -> Incident:
    """A full recovery in 12 events.

    Answered, handed off, rated, restated, compensated, offered, resolved, a promise
    kept, rated again and closed.
    """
    minute = timedelta(minutes=1)
    incident = opened(number, at)
    incident = incident.acknowledge(by="luis", at=at + minute)
    incident = incident.hand_off(to="marta", at=at + minute)
    incident = incident.record_satisfaction(2, at=at + minute, before_recovery=True)
    incident = incident.restate(problem="room not cleaned", confirmed=True, at=at + 2 * minute)
    budget = CompensationBudget(
        holder="luis", pool=Money.of("500", "USD"), per_incident_cap=Money.of("100", "USD")
    )
    decision = POLICY.authorize(
        incident, Money.of("25", "USD"), actor=AGENT, budget=budget, at=at + 3 * minute
    )
    incident, budget = incident.grant(decision, budget=budget, at=at + 3 * minute)
    incident = incident.offer(OFFERS, at=at + 4 * minute)
    incident = incident.resolve(summary="upgraded", at=at + 5 * minute)
    incident = incident.promise(due=at + timedelta(days=1), at=at + 5 * minute)
    incident = incident.contact(at=at + timedelta(hours=20), note="all well")
    incident = incident.record_satisfaction(9, at=at + timedelta(hours=22))
    return incident.close(
        root_cause="shift gap", cost=incident.granted, at=at + timedelta(hours=23)
    )


def long_running(events: int, at: datetime = START) -> Incident:
    """An open incident with about `events` events: answered, then waits and replies."""
    incident = opened(1, at).acknowledge(by="luis", at=at + timedelta(minutes=1))
    moment = at + timedelta(minutes=2)
    while len(incident.events) + 2 <= events:
        incident = incident.wait_for_customer(at=moment)
        incident = incident.customer_replied(at=moment + timedelta(seconds=30))
        moment += timedelta(minutes=1)
    return incident
