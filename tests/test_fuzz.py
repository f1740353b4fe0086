"""Junk in, library errors out: every entry point refuses anything with a `RecoveryError`.

Hypothesis feeds random JSON-like values to every reader of stored data and policies,
stored histories with one value replaced by junk, and random arguments to the public
constructors and commands. Only `RecoveryError` may escape, and a refused command leaves
its inputs equal to what they were. `make test` runs a modest number of examples;
`make fuzz` runs 100,000 per entry point and prints the counts.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_recovery import (
    Actor,
    AuthorityLadder,
    AuthorityLevel,
    BusinessCalendar,
    BySeverity,
    Category,
    Channel,
    CompensationBudget,
    Grant,
    Incident,
    Money,
    Offer,
    RecoveryPolicy,
    Severity,
    SlaTimer,
    WorkingHours,
    deserialize_budget,
    deserialize_event,
    deserialize_events,
    serialize_budget,
    serialize_events,
)
from service_recovery.decisions import Reason
from service_recovery.errors import RecoveryError
from service_recovery.events import EVENT_TYPES, Alert

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Madrid"))
USD = Money.of("100", "USD")

_HUGE = "<an int of 5,000 digits>"


def _with_huge_ints(value: Any) -> Any:
    """`value` with each `_HUGE` made an int beyond Python's int-to-str limit.

    Drawn directly, such ints break hypothesis's own reports; made after the draw, they
    reach the library all the same.
    """
    if value == _HUGE:
        return 10**5000
    if isinstance(value, list):
        return [_with_huge_ints(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_huge_ints(item) for key, item in value.items()}
    return value


_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(_HUGE)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "1e10000000",
            "sNaN",
            "NaN",
            "-Infinity",
            "0.95",
            "100 USD",
            "1e1000 USD",
            "PT4H",
            "P1Y",
            "1h30m",
            "-5s",
            "99999999999d",
            "2026-11-23T09:00:00",
            "2026-11-23T09:00:00+00:00",
            "9999-12-31T23:59:59+00:00",
            "2026-11-23T09:00:00+01:00[Mars/Olympus]",
            "Europe/Madrid",
            "../../etc",
            "frontline",
            "phone",
            "critical",
            "",
            "\x00",
        ]
    )
)
json_like = st.recursive(
    _leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12) | st.integers(), children, max_size=4)
    ),
    max_leaves=12,
).map(_with_huge_ints)
"""Any value a JSON or TOML parser gives (and a few a careless host does)."""

junk = json_like | st.sampled_from(
    [
        datetime(2026, 11, 23, 9, 0),  # noqa: DTZ001 (naive on purpose)
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, tzinfo=UTC),
        datetime(2026, 11, 23, tzinfo=timezone(timedelta(hours=23, minutes=59))),
        T0,
        timedelta(days=-1),
        timedelta(0),
        timedelta.max,
        Decimal("1e1000000"),
        Decimal("sNaN"),
        Decimal("-0"),
        USD,
        -USD,
        Money.of("100", "EUR"),
        Actor("luis", "frontline"),
        object(),
        b"bytes",
        (1, 2),
        frozenset({1}),
    ]
)
"""Anything a caller without a type checker might pass."""


def only_library_errors(call: Callable[[], object]) -> None:
    """Run `call`; a refusal must be a `RecoveryError`, anything else fails the test."""
    with contextlib.suppress(RecoveryError):
        call()


_ARITY = re.compile(r"(missing \d+ required|unexpected keyword|takes \d+|positional argument)")


def only_library_errors_or_a_wrong_signature(call: Callable[[], object]) -> None:
    """As `only_library_errors`, also letting through Python's own error for a call that
    does not match the signature (too many arguments, an unknown keyword): mypy's to catch.
    """
    try:
        call()
    except RecoveryError:
        pass
    except TypeError as err:
        if type(err) is not TypeError or not _ARITY.search(str(err)):
            raise


def _history() -> Incident:
    policy = RecoveryPolicy()
    incident = Incident.receive(
        incident_id="INC-1",
        customer="ana",
        channel=Channel.EMAIL,
        category=Category.IGNORED_COMPLAINT,
        severity=Severity.LOW,
        at=T0,
        policy=policy,
        fields={"tier": "gold", "tags": ["wifi", "noise"], "org": {"id": 42, "vip": True}},
    )
    at = T0
    for step in range(1, 6):
        at += timedelta(minutes=30)
        if step == 1:
            incident = incident.acknowledge(by="luis", at=at).promise(
                due=at + timedelta(hours=1), at=at, note="call back"
            )
        elif step == 2:
            incident = incident.restate(problem="charged twice", confirmed=True, at=at)
        elif step == 3:
            offers = (Offer("refund", USD, USD), Offer("voucher", USD, USD * 2))
            incident = incident.offer(offers, at=at).wait_for_customer(at=at)
        elif step == 4:
            incident = incident.customer_replied(at=at)
            incident, _ = incident.tick(at + timedelta(days=2))
        else:
            incident = incident.resolve(summary="refunded", at=at + timedelta(days=2))
    return incident.record_satisfaction(9, at=at + timedelta(days=2))


HISTORY = _history()
STORED = json.loads(json.dumps(serialize_events(HISTORY.events)))
BUDGET = CompensationBudget(holder="desk", pool=USD * 10, per_incident_cap=USD * 2).record(
    Grant("INC-1", USD, Actor("luis", "frontline"), None, "INC-1/grant-1", T0)
)
STORED_BUDGET = json.loads(json.dumps(serialize_budget(BUDGET)))
POLICY_DATA = json.loads(json.dumps(RecoveryPolicy().to_mapping(), default=str))


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*path, index)))
    return found


@st.composite
def tampered(draw: st.DrawFn, data: Any) -> object:
    """`data` with one value somewhere inside replaced by junk, or one key dropped."""
    changed = copy.deepcopy(data)
    path = draw(st.sampled_from(_paths(changed)[1:]))
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(json_like)
    return changed


# ---------------------------------------------------------------------- stored data


class TestStoredData:
    @given(json_like)
    def test_deserialize_event_of_junk(self, data: Any) -> None:
        only_library_errors(lambda: deserialize_event(data))

    @given(json_like)
    def test_deserialize_events_of_junk(self, data: Any) -> None:
        only_library_errors(lambda: deserialize_events(data))

    @given(json_like)
    def test_deserialize_budget_of_junk(self, data: Any) -> None:
        only_library_errors(lambda: deserialize_budget(data))

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(tampered(STORED))
    def test_a_tampered_history_reads_and_replays_or_is_refused(self, data: Any) -> None:
        def read_and_replay() -> None:
            incident = Incident.replay(deserialize_events(data))
            incident.tick(T0 + timedelta(days=30))
            assert -1 < (incident.satisfaction or 0) <= 10

        only_library_errors(read_and_replay)

    @given(tampered(STORED_BUDGET))
    def test_a_tampered_budget_reads_or_is_refused(self, data: Any) -> None:
        def read() -> None:
            budget = deserialize_budget(data)
            budget.remaining(T0)
            assert budget.version >= len(budget.ledger)

        only_library_errors(read)


# ---------------------------------------------------------------------- policies


class TestPolicyData:
    @given(json_like)
    def test_policy_from_mapping_of_junk(self, data: Any) -> None:
        only_library_errors(lambda: RecoveryPolicy.from_mapping(data))

    @given(tampered(POLICY_DATA))
    def test_a_tampered_policy_file_loads_or_is_refused(self, data: Any) -> None:
        only_library_errors(lambda: RecoveryPolicy.from_mapping(data))

    @given(json_like)
    def test_calendar_from_mapping_of_junk(self, data: Any) -> None:
        only_library_errors(lambda: BusinessCalendar.from_mapping(data))

    @given(st.sampled_from([f.name for f in attrs.fields(RecoveryPolicy)]), junk)
    def test_a_policy_setting_of_junk(self, name: str, value: Any) -> None:
        only_library_errors(lambda: RecoveryPolicy(**{name: value}))


# ---------------------------------------------------------------------- values


VALUES: dict[str, Callable[..., object]] = {
    "Money": Money,
    "Money.of": Money.of,
    "Reason": Reason,
    "Actor": Actor,
    "AuthorityLevel": AuthorityLevel,
    "AuthorityLadder": AuthorityLadder,
    "Offer": Offer,
    "Grant": Grant,
    "Alert": Alert,
    "WorkingHours": WorkingHours,
    "BusinessCalendar": BusinessCalendar,
    "CompensationBudget": CompensationBudget,
    "BySeverity": BySeverity,
}


EVENTS = {kind.__name__: kind for kind in EVENT_TYPES.values()}


class TestValues:
    @given(st.sampled_from(sorted(VALUES)), st.lists(junk, max_size=6))
    def test_constructors_of_junk(self, name: str, args: list[object]) -> None:
        only_library_errors_or_a_wrong_signature(lambda: VALUES[name](*args))

    @given(st.sampled_from(sorted(EVENTS)), st.data())
    def test_events_of_junk(self, name: str, data: st.DataObject) -> None:
        kind = EVENTS[name]
        fields: dict[str, Any] = {f.name: data.draw(junk) for f in attrs.fields(kind)}
        only_library_errors(lambda: kind(**fields))

    @given(junk, junk)
    def test_money_arithmetic_of_junk(self, left: Any, right: Any) -> None:
        for operation in (
            lambda: USD + right,
            lambda: USD - right,
            lambda: USD * right,
            lambda: right > USD,
            lambda: Money.of(left, right),
        ):
            only_library_errors(operation)

    @given(st.sampled_from(["response", "resolution"]), junk, junk)
    def test_timers_of_junk(self, name: str, target: Any, at: Any) -> None:
        only_library_errors(lambda: SlaTimer.start(name=name, target=target, at=at))
        timer = HISTORY.timers[name]
        only_library_errors(lambda: timer.explain(target))
        only_library_errors(lambda: HISTORY.explain_due(at))
        only_library_errors(lambda: timer.calendar.open_spans(target, at))
        only_library_errors(lambda: BusinessCalendar().open_spans(at, target))

    @given(junk, junk)
    def test_budget_questions_of_junk(self, first: Any, second: Any) -> None:
        for question in (
            lambda: BUDGET.remaining(first),
            lambda: BUDGET.spent(first),
            lambda: BUDGET.check("INC-1", first, second),
            lambda: BUDGET.record(first),
            lambda: BUDGET.revise(pool=first),
        ):
            only_library_errors(question)


# ---------------------------------------------------------------------- commands


def _commands(incident: Incident, a: Any, b: Any) -> list[Callable[[], object]]:
    policy = incident.policy
    return [
        lambda: Incident.receive(
            incident_id=a,
            customer=b,
            channel=a,
            category=b,
            severity=a,
            at=b,
        ),
        lambda: Incident.receive(
            incident_id="INC-9",
            customer="bo",
            channel=Channel.CHAT,
            category=Category.POOR_SERVICE,
            severity=Severity.LOW,
            at=T0,
            fields={"tier": a, "more": b} if isinstance(a, str) else a,
        ),
        lambda: incident.acknowledge(by=a, at=b),
        lambda: incident.restate(problem=a, confirmed=b, at=T0),
        lambda: incident.offer(a, at=b),
        lambda: incident.escalate(to=a, reason=b, at=T0),
        lambda: incident.resolve(summary=a, at=b),
        lambda: incident.abandon(reason=a, at=b),
        lambda: incident.decline(reason=a, by=b, at=T0),
        lambda: incident.close(root_cause=a, cost=b, at=T0),
        lambda: incident.hand_off(to=a, at=b),
        lambda: incident.promise(due=a, at=b),
        lambda: incident.contact(at=a, note=b),
        lambda: incident.record_satisfaction(a, at=b),
        lambda: incident.wait_for_customer(at=a, note=b),
        lambda: incident.customer_replied(at=a),
        lambda: incident.tick(a),
        lambda: incident.grant(a, budget=b, at=T0),
        lambda: incident.request_approval(a, at=b),
        lambda: incident.approve(a, approver=b, budget=BUDGET, at=T0),
        lambda: incident.reject(a, approver=b, reason="no", at=T0),
        lambda: Incident.replay(a, policy=b),
        lambda: policy.authorize(incident, a, actor=b, budget=BUDGET, at=T0),
        lambda: policy.escalation(incident, a),
        lambda: policy.response_target(a),
    ]


_STARTS = [HISTORY, Incident.replay(HISTORY.events[:1]), Incident.replay(HISTORY.events[:3])]


class TestCommands:
    @given(st.sampled_from(range(len(_STARTS))), st.integers(0, 24), junk, junk)
    def test_a_command_of_junk_raises_a_library_error_and_changes_nothing(
        self, start: int, command: int, a: Any, b: Any
    ) -> None:
        incident = _STARTS[start]
        before = attrs.evolve(incident)
        budget_before = attrs.evolve(BUDGET)

        only_library_errors(_commands(incident, a, b)[command])

        assert incident == before
        assert budget_before == BUDGET
        assert incident.events == before.events
