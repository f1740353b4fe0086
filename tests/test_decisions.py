"""Reason: every decision traces to a rule of docs/rules.md."""

from __future__ import annotations

import copy
import gc
import pickle
import weakref

import attrs
import pytest

from service_recovery._base.reasons import deferred
from service_recovery.decisions import Reason
from service_recovery.errors import InvalidValueError


class TestReason:
    def test_a_reason_has_a_rule_id_and_a_readable_detail(self) -> None:
        reason = Reason("R3.authority", "150.00 USD exceeds the frontline limit of 100.00 USD")

        assert reason.rule_id == "R3"
        assert str(reason) == "R3.authority: 150.00 USD exceeds the frontline limit of 100.00 USD"

    @pytest.mark.parametrize("rule", ["R0", "R21", "r3", "R3.", "R3.Authority", "3", "", None])
    def test_a_rule_that_is_not_in_the_domain_is_refused(self, rule: object) -> None:
        with pytest.raises(InvalidValueError, match=r"not a rule id of docs/rules\.md"):
            Reason(rule, "detail")  # type: ignore[arg-type]

    @pytest.mark.parametrize("detail", ["", "   ", None])
    def test_a_reason_without_a_detail_is_refused(self, detail: object) -> None:
        with pytest.raises(InvalidValueError, match="detail a supervisor can read"):
            Reason("R1", detail)  # type: ignore[arg-type]


class TestDeferredReason:
    """The library's own reasons write their sentence when it is first read (`deferred`)."""

    def test_it_is_the_reason_its_sentence_makes(self) -> None:
        eager = Reason("R3.authority", "within the limit")

        assert deferred("R3.authority", lambda: "within the limit") == eager
        assert hash(deferred("R3.authority", lambda: "within the limit")) == hash(eager)
        assert repr(deferred("R3.authority", lambda: "within the limit")) == repr(eager)
        assert str(deferred("R3.authority", lambda: "within the limit")) == str(eager)
        assert attrs.asdict(deferred("R3.authority", lambda: "within the limit")) == {
            "rule": "R3.authority",
            "detail": "within the limit",
        }

    def test_its_copies_and_pickles_hold_the_sentence(self) -> None:
        pickled = pickle.dumps(deferred("R3", lambda: "written"))  # a lambda does not pickle

        assert pickle.loads(pickled) == Reason("R3", "written")  # noqa: S301 (our own value)
        assert copy.deepcopy(deferred("R3", lambda: "written")) == Reason("R3", "written")

    def test_the_sentence_is_written_once_and_only_when_read(self) -> None:
        written: list[str] = []

        def write() -> str:
            written.append("once")
            return "written"

        reason = deferred("R3", write)
        assert reason.rule_id == "R3"
        assert written == []

        assert (reason.detail, reason.detail) == ("written", "written")
        assert written == ["once"]

    def test_once_written_it_no_longer_holds_what_its_sentence_named(self) -> None:
        class Named:
            def __str__(self) -> str:
                return "a value"

        def about() -> tuple[Reason, weakref.ref[Named]]:
            named = Named()
            return deferred("R3", lambda: f"about {named}"), weakref.ref(named)

        reason, held = about()
        assert held() is not None  # held until the sentence is written
        assert reason.detail == "about a value"

        gc.collect()
        assert held() is None

    def test_its_rule_is_checked_at_once(self) -> None:
        with pytest.raises(InvalidValueError, match=r"not a rule id of docs/rules\.md"):
            deferred("R21", lambda: "never written")

    def test_any_other_missing_attribute_is_an_attribute_error(self) -> None:
        with pytest.raises(AttributeError, match="nothing"):
            deferred("R3", lambda: "written").nothing  # type: ignore[attr-defined]  # noqa: B018
