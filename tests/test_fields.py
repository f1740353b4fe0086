"""A helpdesk's own fields on a ticket: JSON-like, bounded, immutable (`Fields`)."""

from __future__ import annotations

import copy
import json
import math
import pickle
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import builders
from service_recovery import Incident, RecoveryPolicy, deserialize_events, serialize_events
from service_recovery._base.fields import (
    MAX_FIELD_DEPTH,
    MAX_FIELD_INT,
    MAX_FIELD_NAME,
    MAX_FIELD_TEXT,
    MAX_FIELD_VALUES,
    NO_FIELDS,
    host_fields,
)
from service_recovery.decisions import Reason, TargetDecision
from service_recovery.errors import (
    InvalidTypeError,
    InvalidValueError,
    RecoveryError,
    SerializationError,
)
from service_recovery.events import Fields, Received
from service_recovery.testing import ticket_fields

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_20S = timedelta(seconds=20)


def receive(**more: Any) -> Incident:
    return builders.received(at=T0, channel="email", **more)


class Tier(StrEnum):
    GOLD = "gold"


class TestFields:
    def test_a_plain_table_is_kept_with_lists_as_tuples_and_tables_as_fields(self) -> None:
        kept = host_fields({"tier": "gold", "tags": ["wifi", "noise"], "org": {"id": 42}})

        assert kept["tags"] == ("wifi", "noise")
        assert isinstance(kept["org"], Fields)
        assert kept == {"tier": "gold", "tags": ("wifi", "noise"), "org": {"id": 42}}
        assert kept.as_json() == {"tier": "gold", "tags": ["wifi", "noise"], "org": {"id": 42}}

    def test_values_are_kept_as_exactly_their_builtin_type(self) -> None:
        kept = host_fields({Tier.GOLD: Tier.GOLD, "n": True, "x": 1.5})

        assert [type(name) for name in kept] == [str, str, str]
        assert type(kept["gold"]) is str
        assert kept["n"] is True

    def test_equal_fields_hash_alike_and_a_copy_is_equal(self) -> None:
        kept = host_fields({"tier": "gold", "tags": ["a"], "org": {"id": 1}})

        assert hash(kept) == hash(host_fields({"org": {"id": 1}, "tags": ["a"], "tier": "gold"}))
        assert pickle.loads(pickle.dumps(kept)) == kept  # noqa: S301 (our own value)
        assert copy.deepcopy(kept) == kept
        assert repr(kept) == "Fields({'tier': 'gold', 'tags': ('a',), 'org': Fields({'id': 1})})"

    def test_they_cannot_be_changed(self) -> None:
        kept = host_fields({"tier": "gold"})

        with pytest.raises(AttributeError, match="immutable"):
            kept._items = {}
        with pytest.raises(TypeError):
            kept["tier"] = "silver"  # type: ignore[index]

    def test_the_dict_given_can_change_after_without_changing_them(self) -> None:
        given_ = {"tags": ["a"]}
        kept = host_fields(given_)
        given_["tags"].append("b")

        assert kept["tags"] == ("a",)

    @pytest.mark.parametrize(
        ("value", "error", "path", "message"),
        [
            ({"a": {1, 2}}, InvalidTypeError, "a", "fields.a is set"),
            ({"a": b"x"}, InvalidTypeError, "a", "a str, a whole number"),
            ({1: "x"}, InvalidTypeError, "", "name int 1; a field's name is a str"),
            ({" ": 1}, InvalidValueError, "", "a field's name is 1 to 64 characters"),
            ({"n" * (MAX_FIELD_NAME + 1): 1}, InvalidValueError, "", "1 to 64 characters"),
            ({"a": "x" * (MAX_FIELD_TEXT + 1)}, InvalidValueError, "a", "at most 1000 char"),
            ({"a": "\ud800"}, InvalidValueError, "a", "valid Unicode"),
            ({"\udfff": 1}, InvalidValueError, "", "valid Unicode"),
            ({"a": "g\x00ld"}, InvalidValueError, "a", "valid Unicode"),
            ({"a": MAX_FIELD_INT + 1}, InvalidValueError, "a", "beyond ±9007199254740991"),
            ({"a": [-MAX_FIELD_INT - 1]}, InvalidValueError, "a[0]", "beyond ±"),
            ({"a": math.nan}, InvalidValueError, "a", "finite numbers only"),
            ({"a": {"b": {"c": {"d": [1]}}}}, InvalidValueError, "a.b.c.d", "deeper than 4"),
            ({"a": list(range(MAX_FIELD_VALUES))}, InvalidValueError, "a[255]", "more than 256"),
            (["tier", "gold"], InvalidTypeError, "", "must be a table of names to values"),
            ("tier=gold", InvalidTypeError, "", "must be a table of names to values"),
        ],
    )
    def test_what_is_not_json_like_or_beyond_the_bounds_is_refused_naming_it(
        self, value: object, error: type[RecoveryError], path: str, message: str
    ) -> None:
        with pytest.raises(error, match=message) as refused:
            host_fields(value)

        assert refused.value.path == path

    def test_a_subclass_cannot_pass_one_value_to_the_checks_and_store_another(self) -> None:
        class Short(str):
            __slots__ = ()

            def __len__(self) -> int:
                return 1

        class Small(int):
            def __int__(self) -> int:
                return 10**100

            def __abs__(self) -> int:
                return 1

        class Finite(float):
            def __float__(self) -> float:
                return math.nan

        with pytest.raises(InvalidValueError, match="at most 1000"):
            host_fields({"a": Short("x" * 5000)})
        assert host_fields({"a": Small(5), "b": Finite(1.5)}) == {"a": 5, "b": 1.5}

    def test_a_value_that_only_claims_a_builtin_class_is_refused(self) -> None:
        class Pretender:
            __class__ = int  # type: ignore[assignment]

        with pytest.raises(InvalidTypeError, match="a field holds a str"):
            host_fields({"a": Pretender()})

    @pytest.mark.parametrize("shape", ["table", "list"])
    def test_a_container_of_ones_own_that_fails_when_read_is_refused(self, shape: str) -> None:
        class Failing(dict[str, int]):
            def items(self) -> Any:
                raise KeyError(self)

        class FailingList(list[int]):
            def __iter__(self) -> Any:
                raise IndexError(len(self))

        class NoItems(dict[str, int]):
            @property
            def items(self) -> Any:
                raise RuntimeError(self)

        with pytest.raises(InvalidTypeError, match="could not be read as a table"):
            host_fields({"b": NoItems()})
        value = {"a": Failing()} if shape == "table" else {"a": FailingList([1])}
        with pytest.raises(InvalidTypeError, match=f"could not be read as a {shape}") as refused:
            host_fields(value)

        assert refused.value.path == "a"

    def test_two_names_that_are_one_once_read_are_refused(self) -> None:
        class Name(str):
            __slots__ = ()
            __hash__ = object.__hash__

        with pytest.raises(InvalidValueError, match="names 'tier' twice"):
            host_fields({Name("tier"): "gold", Name("tier"): "bronze"})

    def test_fields_built_directly_are_checked_too(self) -> None:
        assert Fields({"tier": "gold", "tags": ["a"]}) == host_fields(
            {"tier": "gold", "tags": ["a"]}
        )
        assert Fields() == {}
        assert len(Fields()) == 0
        with pytest.raises(InvalidTypeError, match=r"fields\.a is set"):
            Fields({"a": {1}})

    def test_the_bounds_themselves_are_accepted(self) -> None:
        deepest: dict[str, Any] = {"a": {"b": {"c": {"d": 1}}}}
        assert MAX_FIELD_DEPTH == 4  # the table, then three more levels
        assert host_fields(deepest)["a"] == host_fields({"b": {"c": {"d": 1}}})
        assert host_fields({"a": list(range(MAX_FIELD_VALUES - 1))})["a"][-1] == 254  # type: ignore[index]
        assert host_fields({"a": -MAX_FIELD_INT, "t": "x" * MAX_FIELD_TEXT})["a"] == -MAX_FIELD_INT

    @given(ticket_fields())
    def test_what_the_test_kit_draws_is_kept_as_it_reads_in_json(self, drawn: Fields) -> None:
        back = host_fields(json.loads(json.dumps(drawn.as_json())))

        assert back == drawn
        assert hash(back) == hash(drawn)

    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
            lambda children: (
                st.lists(children) | st.dictionaries(st.text() | st.integers(), children)
            ),
            max_leaves=40,
        )
    )
    def test_junk_is_kept_or_refused_with_a_library_error(self, junk: object) -> None:
        try:
            host_fields({"junk": junk})
        except RecoveryError as refused:
            path = refused.path
        else:
            path = "junk"
        assert path.startswith("junk")


class TestReceivedFields:
    def test_a_ticket_without_fields_has_none(self) -> None:
        incident = receive()

        assert incident.fields == {}
        assert incident.fields is NO_FIELDS

    def test_receive_keeps_them_in_the_first_event_and_replay_reads_them(self) -> None:
        incident = receive(fields={"tier": "gold", "tags": ["wifi"]})

        assert incident.received.fields == {"tier": "gold", "tags": ("wifi",)}
        assert incident.fields["tier"] == "gold"
        assert Incident.replay(incident.events).fields == incident.fields

    def test_a_bad_field_is_refused_on_receive_naming_its_path(self) -> None:
        with pytest.raises(InvalidTypeError) as refused:
            receive(fields={"tags": ["wifi", object()]})

        assert refused.value.path == "fields.tags[1]"
        assert "fields.tags[1] is object" in str(refused.value)

    def test_an_event_built_by_hand_checks_them_too(self) -> None:
        with pytest.raises(InvalidValueError) as refused:
            Received(
                incident_id="INC-1",
                at=T0,
                customer="ana",
                channel=receive().channel,
                category=receive().category,
                severity=receive().severity,
                fields={"a": math.inf},
            )

        assert refused.value.path == "fields.a"

    def test_they_are_stored_with_the_history_and_read_back(self) -> None:
        incident = receive(fields={"tier": "gold", "org": {"id": 42, "vip": True}})
        stored = json.loads(json.dumps(serialize_events(incident.events)))

        assert stored[0]["fields"] == {"tier": "gold", "org": {"id": 42, "vip": True}}
        assert deserialize_events(stored) == incident.events

    def test_a_ticket_without_fields_is_stored_as_before_they_existed(self) -> None:
        stored = serialize_events(receive().events)

        assert "fields" not in stored[0]
        assert deserialize_events(stored)[0] == receive().events[0]

    def test_bad_stored_fields_are_refused_naming_their_path(self) -> None:
        stored = serialize_events(receive(fields={"tier": "gold"}).events)
        stored[0]["fields"] = {"tier": {"a": {"b": {"c": [1]}}}}

        with pytest.raises(SerializationError, match="deeper than 4") as refused:
            deserialize_events(stored)

        assert refused.value.path == "events[0].fields.tier.a.b.c"

    def test_a_policy_decides_on_them(self) -> None:
        # R1: a gold customer is answered faster, by the host's own field, not by a name.
        class TierPolicy(RecoveryPolicy):
            def response_target(self, incident: Any) -> TargetDecision:
                if incident.fields.get("tier") == "gold":
                    why = Reason("R1.tier", "a gold customer is answered within 20 seconds")
                    return TargetDecision(target=_20S, reasons=[why])
                return super().response_target(incident)

        policy = TierPolicy()
        gold = receive(policy=policy, fields={"tier": "gold"})
        plain = receive(policy=policy)

        assert policy.response_target(gold).target == _20S
        assert policy.response_target(gold).reasons[0].rule == "R1.tier"
        assert policy.response_target(plain).target == RecoveryPolicy().response_time
