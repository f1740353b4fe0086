"""The transition table: data that the docs draw and the tests enumerate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service_recovery import TRANSITIONS, Action, Step, allowed_actions, to_mermaid
from service_recovery._recovery.lifecycle import (
    ACTION_OF,
    SIDE_COMMANDS,
    check_side_step,
    next_step,
)
from service_recovery.errors import InvalidTransition
from service_recovery.events import AlertRaised, HandedOff, PromiseMade, WaitingOnCustomer

ROOT = Path(__file__).parent.parent
MERMAID_BLOCK = re.compile(r"```mermaid\n(stateDiagram-v2\n.*?)```", re.DOTALL)


class TestTransitionTable:
    def test_every_step_has_an_entry(self) -> None:
        assert set(TRANSITIONS) == set(Step)

    def test_the_table_matches_the_architecture(self) -> None:
        assert dict(TRANSITIONS[Step.RECEIVED]) == {
            Action.ACKNOWLEDGE: Step.ACKNOWLEDGED,
            Action.ABANDON: Step.LOST,
        }
        assert TRANSITIONS[Step.OPTIONS_OFFERED][Action.RESOLVE] is Step.RESOLVED
        assert TRANSITIONS[Step.ESCALATED][Action.OFFER] is Step.OPTIONS_OFFERED
        for outcome in (Step.RESOLVED, Step.LOST, Step.DECLINED):
            assert dict(TRANSITIONS[outcome]) == {Action.CLOSE: Step.CLOSED}
        assert allowed_actions(Step.CLOSED) == frozenset()

    def test_every_open_step_can_be_abandoned(self) -> None:
        for step in Step:
            assert (Action.ABANDON in allowed_actions(step)) == step.is_open

    def test_decline_only_once_the_problem_is_understood(self) -> None:
        decliners = {step for step in Step if Action.DECLINE in allowed_actions(step)}

        assert decliners == {Step.UNDERSTOOD, Step.OPTIONS_OFFERED, Step.ESCALATED}

    def test_the_table_cannot_be_changed_at_run_time(self) -> None:
        with pytest.raises(TypeError):
            TRANSITIONS[Step.CLOSED] = {}  # type: ignore[index]

    def test_only_closed_is_final(self) -> None:
        assert [step for step in Step if step.is_final] == [Step.CLOSED]


class TestNextStep:
    def test_every_move_of_the_table_leads_where_the_table_says(self) -> None:
        for step, moves in TRANSITIONS.items():
            for action, target in moves.items():
                assert next_step(step, action, "INC-1") is target

    def test_a_move_not_in_the_table_is_refused_naming_what_is_allowed(self) -> None:
        with pytest.raises(InvalidTransition) as refused:
            next_step(Step.RECEIVED, Action.RESOLVE, "INC-1")

        assert str(refused.value) == (
            "cannot resolve incident 'INC-1' while it is received; "
            "allowed from received: abandon, acknowledge"
        )
        assert (refused.value.step, refused.value.action) == (Step.RECEIVED, Action.RESOLVE)
        assert refused.value.allowed == (Action.ABANDON, Action.ACKNOWLEDGE)

    def test_a_closed_incident_is_told_nothing_is_allowed(self) -> None:
        with pytest.raises(InvalidTransition) as refused:
            next_step(Step.CLOSED, Action.ACKNOWLEDGE, "INC-1")

        assert str(refused.value) == (
            "cannot acknowledge incident 'INC-1' while it is closed; "
            "allowed from closed: nothing (it is closed)"
        )
        assert refused.value.allowed == ()


class TestMermaid:
    def test_draws_every_transition_once(self) -> None:
        diagram = to_mermaid()

        for step, moves in TRANSITIONS.items():
            for action, target in moves.items():
                assert f"    {step.name} --> {target.name}: {action}\n" in diagram
        edges = [line for line in diagram.splitlines() if ": " in line]
        assert len(edges) == sum(len(moves) for moves in TRANSITIONS.values())

    @pytest.mark.parametrize("page", ["README.md", "docs/concepts/lifecycle.md"])
    def test_diagram_in_the_docs_is_what_to_mermaid_draws(self, page: str) -> None:
        blocks = MERMAID_BLOCK.findall((ROOT / page).read_text(encoding="utf-8"))

        assert blocks == [to_mermaid()], f"regenerate the diagram in {page} with to_mermaid()"


class TestSideCommands:
    def test_every_action_is_recorded_by_exactly_one_event(self) -> None:
        assert sorted(ACTION_OF.values()) == sorted(Action)

    def test_a_side_command_is_not_a_move(self) -> None:
        assert set(SIDE_COMMANDS).isdisjoint(ACTION_OF)

    def test_where_each_side_command_may_run(self) -> None:
        open_steps = frozenset(step for step in Step if step.is_open)

        assert SIDE_COMMANDS[HandedOff] == ("hand_off", open_steps - {Step.RECEIVED})
        assert SIDE_COMMANDS[WaitingOnCustomer] == ("wait_for_customer", open_steps)
        assert SIDE_COMMANDS[PromiseMade] == ("promise", frozenset(Step) - {Step.CLOSED})
        assert SIDE_COMMANDS[AlertRaised] == ("tick", frozenset(Step))

    @pytest.mark.parametrize("kind", list(SIDE_COMMANDS), ids=lambda kind: kind.__name__)
    def test_a_side_command_runs_in_each_of_its_steps(self, kind: type) -> None:
        allowed = [step for step in Step if step in SIDE_COMMANDS[kind][1]]
        for step in allowed:
            check_side_step(step, kind, "INC-1")  # refuses nothing: raises on a refusal

        assert allowed

    def test_a_side_command_elsewhere_is_refused_naming_where_it_may_run(self) -> None:
        with pytest.raises(InvalidTransition) as caught:
            check_side_step(Step.RECEIVED, HandedOff, "INC-1")

        assert str(caught.value) == (
            "cannot hand_off incident 'INC-1' while it is received; only while acknowledged, "
            "escalated, options_offered, understood"
        )
        assert caught.value.step is Step.RECEIVED
        assert caught.value.action == "hand_off"
        assert caught.value.allowed == ("abandon", "acknowledge")
        assert caught.value.allowed_steps == (
            "acknowledged",
            "escalated",
            "options_offered",
            "understood",
        )

    def test_a_closed_incident_refuses_a_promise_and_allows_no_move(self) -> None:
        with pytest.raises(InvalidTransition) as caught:
            check_side_step(Step.CLOSED, PromiseMade, "INC-2")

        assert str(caught.value).startswith("cannot promise incident 'INC-2' while it is closed")
        assert caught.value.allowed == ()
        assert "closed" not in caught.value.allowed_steps
