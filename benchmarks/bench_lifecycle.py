"""Time one full lifecycle (receive → acknowledge → restate → offer → resolve → close).

Ours, with its validation and event log, against the same graph built with `transitions`
(one Machine per model, auto_transitions=False) and with `python-statemachine`, a
hand-written dict-table baseline, and the floor of an immutable design: rebuilding a
frozen 8-field attrs value once per step. `transitions` is timed twice: one Machine per
model, and its fastest pattern, one Machine shared by every model whose events are
triggered directly (`Event.trigger(model)`). Everything is timed in one run, interleaved,
with the collector on; each ratio is the median of the per-round ratios (`rounds.py`).

Targets (issue 11): at least 10x faster than `transitions` with one Machine per model,
3x faster than its shared-Machine pattern, at most 2.5x the attrs floor, and 20x faster
than `python-statemachine`.

Run: make bench  (or PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/bench_lifecycle.py)
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from typing import Any

import attrs
from statemachine import State, StateMachine
from transitions import Machine

from rounds import interleaved, report
from service_recovery import Category, Channel, Incident, Money, Offer, RecoveryPolicy, Severity

T = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC) + timedelta(seconds=s) for s in range(6)]
OFFERS = (
    Offer("late checkout", Money.of("0", "USD"), Money.of("40", "USD")),
    Offer("suite upgrade", Money.of("60", "USD"), Money.of("300", "USD")),
)
COST = Money.of("60", "USD")
POLICY = RecoveryPolicy()
STEPS = ("acknowledge", "restate", "offer", "resolve", "close")
GRAPH = [
    ("acknowledge", "received", "acknowledged"),
    ("restate", "acknowledged", "understood"),
    ("offer", "understood", "options_offered"),
    ("resolve", "options_offered", "resolved"),
    ("close", "resolved", "closed"),
]


def ours() -> Incident:
    return (
        Incident.receive(
            incident_id="INC-1",
            customer="ana",
            channel=Channel.PHONE,
            category=Category.POOR_SERVICE,
            severity=Severity.MEDIUM,
            at=T[0],
            policy=POLICY,
        )
        .acknowledge(by="luis", at=T[1])
        .restate(problem="room not cleaned", confirmed=True, at=T[2])
        .offer(OFFERS, at=T[3])
        .resolve(summary="upgraded", at=T[4])
        .close(root_cause="shift gap", cost=COST, at=T[5])
    )


class _Model:
    """A `transitions` model that logs what happened, as our incident does."""

    def __init__(self) -> None:
        self.log: list[tuple[str, datetime]] = [("receive", T[0])]

    def record(self, event: Any) -> None:  # noqa: ANN401
        self.log.append((event.event.name, event.kwargs["at"]))


STATES = ["received", "acknowledged", "understood", "options_offered", "resolved", "closed"]


def machine(model: _Model | None) -> Machine:
    """The graph as a `transitions` Machine that logs each step on its model."""
    return Machine(
        model=model,
        states=STATES,
        transitions=[
            {"trigger": trigger, "source": source, "dest": dest, "after": "record"}
            for trigger, source, dest in GRAPH
        ],
        initial="received",
        auto_transitions=False,
        send_event=True,
    )


def with_transitions() -> _Model:
    model = _Model()
    machine(model)
    for step, at in zip(STEPS, T[1:], strict=True):
        getattr(model, step)(at=at)
    return model


SHARED = machine(None)
SHARED_EVENTS = [SHARED.events[step] for step in STEPS]


def with_a_shared_machine() -> _Model:
    model = _Model()
    SHARED.add_model(model)
    for event, at in zip(SHARED_EVENTS, T[1:], strict=True):
        event.trigger(model, at=at)
    SHARED.remove_model(model)
    return model


class RecoveryMachine(StateMachine):  # type: ignore[misc]
    """The same graph with python-statemachine."""

    received = State(initial=True)
    acknowledged = State()
    understood = State()
    options_offered = State()
    resolved = State()
    closed = State(final=True)

    acknowledge = received.to(acknowledged)
    restate = acknowledged.to(understood)
    offer = understood.to(options_offered)
    resolve = options_offered.to(resolved)
    close = resolved.to(closed)

    def __init__(self) -> None:
        self.log: list[tuple[str, datetime]] = [("receive", T[0])]
        super().__init__()

    def after_transition(self, event: str, at: datetime) -> None:
        self.log.append((event, at))


def with_python_statemachine() -> RecoveryMachine:
    machine = RecoveryMachine()
    for step, at in zip(STEPS, T[1:], strict=True):
        machine.send(step, at=at)
    return machine


TABLE = {source: {trigger: dest} for trigger, source, dest in GRAPH}


def dict_table() -> list[tuple[str, datetime]]:
    state, log = "received", [("receive", T[0])]
    for step, at in zip(STEPS, T[1:], strict=True):
        state = TABLE[state][step]
        log.append((step, at))
    return log


@attrs.frozen
class Eight:
    a: int
    b: int
    c: int
    d: int
    e: int
    f: int
    g: int
    h: int


def attrs_floor() -> Eight:
    value = Eight(0, 1, 2, 3, 4, 5, 6, 7)
    for step in range(1, 6):
        value = Eight(step, 1, 2, 3, 4, 5, 6, 7)
    return value


CANDIDATES: dict[str, Callable[[], object]] = {
    "service_recovery Incident": ours,
    "transitions": with_transitions,
    "transitions, shared Machine": with_a_shared_machine,
    "python-statemachine": with_python_statemachine,
    "dict table (baseline)": dict_table,
    "attrs 8-field rebuild x6 (floor)": attrs_floor,
}


def main() -> int:
    assert ours().step == "closed"  # noqa: S101 (each candidate really runs the graph)
    assert with_transitions().state == "closed"  # noqa: S101
    assert len(with_python_statemachine().log) == 6  # noqa: S101
    assert with_a_shared_machine().state == "closed"  # noqa: S101
    timings = interleaved(CANDIDATES)
    mine = "service_recovery Incident"
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(
        f"attrs {version('attrs')}, transitions {version('transitions')}, "
        f"python-statemachine {version('python-statemachine')}"
    )
    print()
    print(f"| {'implementation':<34} | {'µs / lifecycle':>14} | {'vs ours':>20} |")
    print(f"|{'-' * 36}|{'-' * 16}|{'-' * 22}|")
    for name in CANDIDATES:
        ratio = f"{timings.ratio(name, mine):.2f}x ({timings.spread(name, mine)})"
        print(f"| {name:<34} | {timings.median(name):>14.2f} | {ratio:>20} |")
    floor = "attrs 8-field rebuild x6 (floor)"
    return report(
        {
            ">= 10x faster than transitions": timings.ratio("transitions", mine) >= 10,
            ">= 3x faster than a shared transitions Machine": timings.ratio(
                "transitions, shared Machine", mine
            )
            >= 3,
            ">= 20x faster than python-statemachine": timings.ratio("python-statemachine", mine)
            >= 20,
            "<= 2.5x the attrs floor": timings.ratio(mine, floor) <= 2.5,
        }
    )


if __name__ == "__main__":
    sys.exit(main())
