"""Events to JSON-ready dicts and back: versioned, lossless, and precise about bad data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest

from service_recovery import (
    SCHEMA_VERSION,
    Category,
    Channel,
    Incident,
    Money,
    Offer,
    Severity,
    deserialize_event,
    deserialize_events,
    serialize_event,
    serialize_events,
)
from service_recovery.errors import SerializationError

MADRID = ZoneInfo("Europe/Madrid")
T0 = datetime(2026, 3, 29, 1, 30, tzinfo=MADRID)  # half an hour before the DST jump


def later(**delta: float) -> datetime:
    """T0 plus real elapsed time (stdlib arithmetic on a ZoneInfo time is wall-clock)."""
    return (T0.astimezone(UTC) + timedelta(**delta)).astimezone(MADRID)


def history() -> list[dict[str, Any]]:
    usd = Money.of
    refund = Offer(
        "refund",
        usd("120", "USD"),
        usd("120", "USD"),
        possible=False,
        alternative=Offer("voucher", usd("30", "USD"), usd("80", "USD"), price=usd("0", "USD")),
    )
    incident = (
        Incident.receive(
            incident_id="INC-9",
            customer="bo",
            channel=Channel.CHAT,
            category=Category.IGNORED_COMPLAINT,
            severity=Severity.LOW,
            at=T0,
        )
        .acknowledge(by="luis", at=later(seconds=30, microseconds=7))
        .restate(problem="charged twice", confirmed=True, at=later(hours=1))
        .offer(
            [refund, Offer("apology call", usd("0", "USD"), usd("5", "USD"))],
            at=later(hours=2),
        )
        .promise(due=later(days=1), at=later(hours=2), note="call tomorrow")
    )
    stored: list[dict[str, Any]] = json.loads(json.dumps(serialize_events(incident.events)))
    return stored


class TestRoundTrip:
    def test_every_event_carries_the_schema_version_and_its_type(self) -> None:
        data = history()

        assert {item["schema"] for item in data} == {SCHEMA_VERSION}
        assert [item["type"] for item in data] == [
            "Received",
            "SeverityRaised",
            "Acknowledged",
            "Restated",
            "OptionsOffered",
            "PromiseMade",
        ]

    def test_json_round_trip_is_lossless(self) -> None:
        data = history()

        events = deserialize_events(data)

        assert serialize_events(events) == data
        assert Incident.replay(events).severity is Severity.CRITICAL

    def test_times_keep_their_zone_name_and_microseconds(self) -> None:
        data = history()

        assert data[0]["at"] == "2026-03-29T01:30:00+01:00[Europe/Madrid]"
        assert data[2]["at"] == "2026-03-29T01:30:30.000007+01:00[Europe/Madrid]"
        assert data[3]["at"] == "2026-03-29T03:30:00+02:00[Europe/Madrid]"
        restored = deserialize_events(data)[3].at
        assert restored.tzinfo == MADRID
        assert restored == later(hours=1)

    def test_amounts_are_strings_never_floats(self) -> None:
        offered = history()[4]

        assert offered["offers"][0]["alternative"]["cost"] == {"amount": "30.00", "currency": "USD"}

    def test_pendulum_and_fixed_offset_times_round_trip(self) -> None:
        for when in (
            pendulum.datetime(2026, 5, 1, 12, tz="Asia/Tokyo"),
            datetime(2026, 5, 1, tzinfo=UTC),
        ):
            incident = Incident.receive(
                incident_id="X",
                customer="c",
                channel="email",
                category="product_defect",
                severity="low",
                at=when,
            )
            (event,) = deserialize_events(serialize_events(incident.events))
            assert event == incident.events[0]
            assert event.at.utcoffset() == when.utcoffset()

    @pytest.mark.parametrize(
        "when",
        [
            datetime(2026, 3, 8, 2, 30, tzinfo=ZoneInfo("America/New_York")),  # in the gap
            datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York")),  # fold, first
            datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
        ],
    )
    def test_wall_times_in_a_dst_gap_or_fold_come_back_as_they_were(self, when: datetime) -> None:
        incident = Incident.receive(
            incident_id="X",
            customer="c",
            channel="email",
            category="product_defect",
            severity="low",
            at=when,
        )

        (event,) = deserialize_events(serialize_events(incident.events))

        assert (event.at, event.at.fold, event.at.utcoffset()) == (
            when,
            when.fold,
            when.utcoffset(),
        )

    def test_a_single_event_round_trips(self) -> None:
        event = deserialize_events(history())[2]

        assert deserialize_event(serialize_event(event)) == event


def corrupt(index: int, key: str, value: object) -> list[dict[str, Any]]:
    data = history()
    data[index][key] = value
    return data


class TestMalformedData:
    @pytest.mark.parametrize(
        ("data", "path", "message"),
        [
            (corrupt(3, "at", "yesterday"), "events[3].at", "not an ISO 8601 time"),
            (corrupt(3, "at", 1_700_000_000), "events[3].at", "expected an ISO 8601 time string"),
            (corrupt(3, "at", "2026-03-29T09:00:00"), "events[3].at", "no UTC offset"),
            (
                corrupt(3, "at", "2026-03-29T09:00:00+00:00[Mars/Olympus]"),
                "events[3].at",
                "unknown time zone",
            ),
            (corrupt(0, "channel", "fax"), "events[0].channel", "a Channel 'fax' is not one of"),
            (corrupt(0, "customer", 42), "events[0].customer", "expected str, got int"),
            (corrupt(5, "number", "1"), "events[5].number", "expected int"),
            (corrupt(5, "number", True), "events[5].number", "expected int, got bool"),
            (corrupt(5, "number", 0), "events[5].number", "whole number from 1 to 1000"),
            (corrupt(5, "number", 10**5000), "events[5].number", "an int of about 5000 digits"),
            (
                corrupt(5, "due", "2026-03-29T00:00:00+00:00"),
                "events[5].due",
                "R10: a promise made at",
            ),
            (corrupt(2, "by", " "), "events[2].by", "must not be empty"),
            (corrupt(0, "at", "1066-10-14T09:00:00+00:00"), "events[0].at", "outside 1900-01-01"),
            (
                corrupt(1, "reason", {"rule": "R99", "detail": "x"}),
                "events[1].reason",
                "not a rule id",
            ),
            (corrupt(2, "schema", 2), "events[2].schema", "reads schema 1"),
            (corrupt(2, "type", "Teleported"), "events[2].type", "expected one of Abandoned"),
            (
                corrupt(2, "extra", "field"),
                "events[2].extra",
                "unknown key 'extra'; expected one of",
            ),
        ],
    )
    def test_names_the_path_of_the_bad_value(
        self, data: list[dict[str, Any]], path: str, message: str
    ) -> None:
        with pytest.raises(
            SerializationError, match=path.replace("[", r"\[").replace("]", r"\]")
        ) as caught:
            deserialize_events(data)

        assert caught.value.path == path
        assert message in str(caught.value)

    def test_r12_a_stored_score_out_of_range_is_refused(self) -> None:
        rated = Incident.replay(deserialize_events(history()))
        rated = rated.resolve(summary="refunded", at=later(hours=3))
        rated = rated.record_satisfaction(9, at=later(hours=4))
        data = serialize_events(rated.events)
        data[-1]["score"] = 99

        with pytest.raises(SerializationError, match="from 0 to 10") as caught:
            deserialize_events(data)

        assert caught.value.path == f"events[{len(data) - 1}].score"

    def test_a_stored_alert_threshold_must_be_a_share_of_the_target(self) -> None:
        incident = Incident.replay(deserialize_events(history()))
        ticked, alerts = incident.tick(later(days=3))
        data = serialize_events(ticked.events)
        index = next(i for i, e in enumerate(data) if e["type"] == "AlertRaised")
        assert alerts
        data[index]["alert"]["threshold"] = "sNaN"
        data[index]["alert"]["kind"] = "warning"

        with pytest.raises(SerializationError, match="'sNaN' is not a finite number") as caught:
            deserialize_events(data)

        assert caught.value.path == f"events[{index}].alert.threshold"
        data[index]["alert"]["threshold"] = "1.5"
        with pytest.raises(SerializationError, match="between 0 and 1"):
            deserialize_events(data)

    def test_a_missing_field_is_named(self) -> None:
        data = history()
        del data[2]["by"]

        with pytest.raises(SerializationError, match=r"required field missing @ events\[2\]\.by"):
            deserialize_events(data)

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            (1.5, "expected a number as a string"),
            ("1.234", "more than 2 decimal places"),
            ("lots", "not a number"),
        ],
    )
    def test_bad_money_deep_inside_is_named(self, amount: object, message: str) -> None:
        data = history()
        data[4]["offers"][0]["alternative"]["cost"]["amount"] = amount

        with pytest.raises(SerializationError, match=message) as caught:
            deserialize_events(data)

        assert caught.value.path == "events[4].offers[0].alternative.cost"

    def test_money_must_be_amount_and_currency(self) -> None:
        data = history()
        data[4]["offers"][1]["cost"] = "0.00 USD"

        with pytest.raises(SerializationError, match=r"expected \{'amount'"):
            deserialize_events(data)

    @pytest.mark.parametrize("data", ["not a list", {"events": []}, b"bytes"])
    def test_the_history_must_be_a_list(self, data: object) -> None:
        with pytest.raises(SerializationError, match="must be a list") as caught:
            deserialize_events(data)  # type: ignore[arg-type]

        assert caught.value.path == "events"

    def test_an_event_must_be_a_dict(self) -> None:
        with pytest.raises(SerializationError, match=r"events\[0\] must be a dict"):
            deserialize_events([["Received"]])


class TestSchemaVersion:
    def test_a_schema_of_true_is_not_schema_1(self) -> None:
        data = history()
        data[0]["schema"] = True

        with pytest.raises(SerializationError, match=r"events\[0\]\.schema is True"):
            deserialize_events(data)
