"""Simulation: a seeded stream of complaints replayed under a policy (R20), and scoring."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_recovery import (
    Arrival,
    AuthorityLadder,
    AuthorityLevel,
    BySeverity,
    Incident,
    Money,
    RecoveryPolicy,
    Scorecard,
    SyntheticStream,
    compare,
    deserialize_events,
    score,
    serialize_events,
    simulate,
)
from service_recovery.errors import InvalidValueError
from service_recovery.testing import incidents

SMALL = SyntheticStream(seed=7, incidents=400)
POLICY = RecoveryPolicy()


def frontline_limit(amount: int) -> RecoveryPolicy:
    levels = [("frontline", amount), ("supervisor", 500), ("manager", 2000)]
    return RecoveryPolicy(
        authority=AuthorityLadder(AuthorityLevel(n, Money.of(v, "USD")) for n, v in levels)
    )


class TestSyntheticStream:
    def test_r20_one_incident_per_thousand_transactions_by_default(self) -> None:
        stream = SyntheticStream(transactions_per_day=80_000)

        assert stream.incident_rate == Decimal("0.001")
        assert stream.per_day == 80
        assert stream.agents == 2

    def test_the_same_seed_gives_the_same_stream(self) -> None:
        assert list(SMALL.arrivals()) == list(SyntheticStream(seed=7, incidents=400).arrivals())
        assert list(SMALL.arrivals()) != list(SyntheticStream(seed=8, incidents=400).arrivals())

    @pytest.mark.parametrize("parts", [1, 2, 3, 5])
    def test_the_parts_of_a_stream_are_the_whole_stream(self, parts: int) -> None:
        stream = SyntheticStream(seed=3, incidents=300, transactions_per_day=200_000)

        pieces = [a for part in range(parts) for a in stream.arrivals(part, parts)]

        assert sorted(a.index for a in pieces) == list(range(300))
        assert sorted(pieces, key=lambda a: a.index) == sorted(
            stream.arrivals(), key=lambda a: a.index
        )

    def test_arrivals_come_in_time_order_for_each_agent(self) -> None:
        stream = SyntheticStream(seed=1, incidents=500, transactions_per_day=400_000)
        by_agent: dict[str, list[Arrival]] = {}

        for arrival in stream.arrivals():
            by_agent.setdefault(arrival.agent, []).append(arrival)

        assert len(by_agent) == stream.agents
        for arrivals in by_agent.values():
            assert [a.at for a in arrivals] == sorted(a.at for a in arrivals)

    @pytest.mark.parametrize(
        "changes",
        [{"incidents": -1}, {"transactions_per_day": 0}, {"incident_rate": Decimal(0)}],
    )
    def test_a_malformed_stream_is_refused(self, changes: dict[str, object]) -> None:
        with pytest.raises(InvalidValueError, match="a stream needs"):
            SyntheticStream(**changes)  # type: ignore[arg-type]

    def test_a_part_out_of_range_is_refused(self) -> None:
        with pytest.raises(InvalidValueError, match=r"part must be in 0..1"):
            next(SMALL.arrivals(2, 2))
        with pytest.raises(InvalidValueError, match="at least 1"):
            SMALL.split(0)

    def test_split_parts_are_the_parts(self) -> None:
        halves = SMALL.split(2)

        assert [list(half.arrivals()) for half in halves] == [
            list(SMALL.arrivals(p, 2)) for p in range(2)
        ]


class TestSimulate:
    def test_every_complaint_reaches_an_outcome_through_the_real_commands(self) -> None:
        card = simulate(POLICY, SMALL)

        assert card.incidents == 400
        assert card.decided == 400
        assert card.responses == 400
        assert card.nps_before.count == 400

    def test_r4_a_policy_asking_for_generous_choices_is_simulated_with_them(self) -> None:
        least = BySeverity(*(Money.of(n, "USD") for n in (10, 20, 40, 80)))

        card = simulate(RecoveryPolicy(min_offer_value=least), SMALL)

        assert card.decided == 400

    def test_same_policy_and_stream_same_scorecard(self) -> None:
        assert simulate(POLICY, SMALL) == simulate(POLICY, SyntheticStream(seed=7, incidents=400))

    @settings(max_examples=5, deadline=None)
    @given(st.integers(0, 10**6), st.integers(2, 4))
    def test_scoring_the_parts_and_adding_equals_scoring_the_whole(
        self, seed: int, parts: int
    ) -> None:
        stream = SyntheticStream(seed=seed, incidents=240, transactions_per_day=300_000)

        pieces = [simulate(POLICY, piece) for piece in stream.split(parts)]

        assert sum(pieces, Scorecard()) == simulate(POLICY, stream)

    def test_r9_a_policy_asking_for_many_options_gets_them(self) -> None:
        card = simulate(RecoveryPolicy(min_options=5), SyntheticStream(seed=2, incidents=100))

        assert card.resolved > 0

    def test_progress_is_reported_every_thousand(self) -> None:
        seen: list[int] = []

        simulate(POLICY, SyntheticStream(incidents=2500), progress=seen.append)

        assert seen == [1000, 2000]

    def test_r3_a_higher_frontline_limit_resolves_more_at_first_contact_and_spends_more(
        self,
    ) -> None:
        stream = SyntheticStream(seed=11, incidents=1500)

        side_by_side = compare(frontline_limit(100), frontline_limit(300), stream)

        assert side_by_side.b.first_contact > side_by_side.a.first_contact
        assert (
            side_by_side.b.spent_by_level["frontline"] > side_by_side.a.spent_by_level["frontline"]
        )
        assert side_by_side.b.escalations["R9"] < side_by_side.a.escalations["R9"]
        rows = {row[0]: row for row in side_by_side.rows()}
        assert rows["first-contact resolution"][1] == "R5"


class TestScore:
    @settings(max_examples=10, deadline=None)
    @given(st.lists(incidents(POLICY), max_size=6))
    def test_stored_events_score_like_the_incidents(self, items: list[Incident]) -> None:
        stored = [json.loads(json.dumps(serialize_events(i.events))) for i in items]

        card = score((deserialize_events(history) for history in stored), policy=POLICY)

        assert card == Scorecard.of(items)


class TestAcrossDaylightSaving:
    def test_a_simulation_starting_before_a_dst_change_runs(self) -> None:
        stream = SyntheticStream(
            seed=1,
            incidents=300,
            start=datetime(2026, 3, 28, 12, tzinfo=ZoneInfo("Europe/Madrid")),
            transactions_per_day=400_000,
        )

        assert simulate(POLICY, stream).incidents == 300
