"""The command line: `service-recovery demo` prints a deterministic, readable timeline."""

from __future__ import annotations

import pytest

from service_recovery import Step
from service_recovery.cli import demo_incident, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


class TestDemo:
    def test_output_is_the_same_on_every_run(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "demo") == run(capsys, "demo")

    def test_prints_one_line_per_event_with_its_step(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        lines = run(capsys, "demo").splitlines()[3:]

        history = demo_incident().history()
        assert len(lines) == len(history)
        for line, (_, step) in zip(lines, history, strict=True):
            assert line.split()[1] == step

    def test_r1_says_whether_the_60_second_response_was_met(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "demo")

        assert (
            "+0:00:42  acknowledged     luis answers and apologizes; 60-second response met (42 s)"
            in out
        )

    def test_the_demo_story_ends_closed_and_rated(self) -> None:
        incident = demo_incident()

        assert (incident.step, incident.outcome, incident.satisfaction) == (
            Step.CLOSED,
            Step.RESOLVED,
            9,
        )

    def test_a_command_is_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main([])

        assert caught.value.code == 2
        assert "required" in capsys.readouterr().err
