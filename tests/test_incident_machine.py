"""Random command sequences: the table holds, refusals change nothing, replay is exact."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from service_recovery import (
    TRANSITIONS,
    Action,
    Actor,
    Incident,
    Money,
    Offer,
    Step,
    deserialize_events,
    serialize_events,
)
from service_recovery.errors import InvalidTransition, RecoveryError, RuleViolation
from service_recovery.testing import aware_datetimes, incidents, offers

LEVELS = st.sampled_from(["frontline", "supervisor", "manager"])
TEXT = st.sampled_from(["", "  ", "customer hung up", "wrong size", "billing error"])
AGENTS = st.sampled_from(["luis", "marta", "pere", ""])
# Mostly forward, sometimes the same instant, now and then backwards.
STEPS = st.one_of(
    st.timedeltas(timedelta(0), timedelta(hours=30)),
    st.just(timedelta(0)),
    st.timedeltas(timedelta(seconds=-600), timedelta(0)),
)


class IncidentMachine(RuleBasedStateMachine):
    """Drives one incident with random commands, valid or not."""

    incident: Incident
    now: datetime

    @initialize(incident=incidents())
    def receive(self, incident: Incident) -> None:
        self.incident, self.now = incident, incident.updated_at

    def _try(
        self,
        action: Action | None,
        step: timedelta,
        command: Callable[[Incident, datetime], Incident],
    ) -> None:
        before, when = self.incident, self.now + step
        try:
            after = command(before, when)
        except RecoveryError as err:
            # Refused: the error is a specific one and nothing changed.
            assert not isinstance(err, KeyError | AttributeError)  # noqa: PT017 (any command may refuse)
            assert self.incident == before
            if isinstance(err, RuleViolation):
                assert err.rule.startswith("R")  # noqa: PT017
            return
        assert when >= before.updated_at
        assert after.events[: len(before.events)] == before.events
        assert len(after.events) == len(before.events) + 1
        if action is None:
            assert after.step is before.step
        else:
            assert TRANSITIONS[before.step][action] is after.step
        self.incident, self.now = after, when
        event(f"reached {after.step}")

    @rule(by=AGENTS, step=STEPS)
    def acknowledge(self, by: str, step: timedelta) -> None:
        self._try(Action.ACKNOWLEDGE, step, lambda i, t: i.acknowledge(by=by, at=t))

    @rule(problem=TEXT, confirmed=st.booleans(), step=STEPS)
    def restate(self, problem: str, confirmed: bool, step: timedelta) -> None:
        self._try(
            Action.RESTATE, step, lambda i, t: i.restate(problem=problem, confirmed=confirmed, at=t)
        )

    @rule(choices=st.lists(offers(), max_size=4), step=STEPS)
    def offer(self, choices: list[Offer], step: timedelta) -> None:
        self._try(Action.OFFER, step, lambda i, t: i.offer(choices, at=t))

    @rule(to=LEVELS, reason=TEXT, step=STEPS)
    def escalate(self, to: str, reason: str, step: timedelta) -> None:
        self._try(Action.ESCALATE, step, lambda i, t: i.escalate(to=to, reason=reason, at=t))

    @rule(summary=TEXT, step=STEPS)
    def resolve(self, summary: str, step: timedelta) -> None:
        self._try(Action.RESOLVE, step, lambda i, t: i.resolve(summary=summary, at=t))

    @rule(reason=TEXT, step=STEPS)
    def abandon(self, reason: str, step: timedelta) -> None:
        self._try(Action.ABANDON, step, lambda i, t: i.abandon(reason=reason, at=t))

    @rule(reason=TEXT, by=LEVELS, step=STEPS)
    def decline(self, reason: str, by: str, step: timedelta) -> None:
        manager = Actor("pere", by)
        self._try(Action.DECLINE, step, lambda i, t: i.decline(reason=reason, by=manager, at=t))

    @rule(root_cause=TEXT, cost=st.integers(-5, 500), step=STEPS)
    def close(self, root_cause: str, cost: int, step: timedelta) -> None:
        money = Money.of(cost, "USD")
        self._try(Action.CLOSE, step, lambda i, t: i.close(root_cause=root_cause, cost=money, at=t))

    @rule(to=AGENTS, step=STEPS)
    def hand_off(self, to: str, step: timedelta) -> None:
        self._try(None, step, lambda i, t: i.hand_off(to=to, at=t))

    @rule(due_in=st.timedeltas(timedelta(hours=-1), timedelta(days=2)), step=STEPS)
    def promise(self, due_in: timedelta, step: timedelta) -> None:
        self._try(None, step, lambda i, t: i.promise(due=t + due_in, at=t))

    @rule(step=STEPS)
    def contact(self, step: timedelta) -> None:
        self._try(None, step, lambda i, t: i.contact(at=t, note="checking in"))

    @rule(score=st.integers(-1, 11), before=st.booleans(), step=STEPS)
    def record_satisfaction(self, score: int, before: bool, step: timedelta) -> None:
        self._try(
            None, step, lambda i, t: i.record_satisfaction(score, at=t, before_recovery=before)
        )

    @rule(at=aware_datetimes())
    def naive_or_foreign_times_never_crash(self, at: datetime) -> None:
        self._try(None, timedelta(0), lambda i, _: i.contact(at=at.replace(tzinfo=None)))

    @invariant()
    def replay_equals_the_incident(self) -> None:
        assert Incident.replay(self.incident.events, policy=self.incident.policy) == self.incident

    @invariant()
    def the_json_round_trip_is_lossless(self) -> None:
        stored = json.loads(json.dumps(serialize_events(self.incident.events)))
        assert deserialize_events(stored) == self.incident.events

    @invariant()
    def time_never_runs_backwards(self) -> None:
        times = [event.at.astimezone(UTC) for event in self.incident.events]
        assert times == sorted(times)

    @invariant()
    def a_closed_incident_accepts_nothing_more(self) -> None:
        if self.incident.step is Step.CLOSED:
            with pytest.raises(InvalidTransition):
                self.incident.contact(at=self.now)


IncidentMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None
)
TestIncidentMachine = IncidentMachine.TestCase
