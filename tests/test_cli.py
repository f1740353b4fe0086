"""The command line: `service-recovery demo` prints a deterministic, readable timeline."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from service_recovery import RecoveryPolicy, Step
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


EXAMPLE = Path(__file__).parent.parent / "examples" / "hotel_policy.toml"


class TestCheck:
    def test_a_valid_policy_prints_its_rules_with_their_ids(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "check", str(EXAMPLE))

        assert "a valid policy" in out
        rows = {line.split()[1]: line for line in out.splitlines() if line[:1] == "R"}
        assert rows["response_time"].startswith("R1 ")
        assert "front desk 250.00 USD < duty manager 1000.00 USD" in rows["authority"]
        assert rows["decline_level"].split()[:3] == ["R15", "decline_level", "manager"]
        assert len(rows) == len(attrs.fields(RecoveryPolicy))

    def test_a_bad_policy_prints_every_error_with_its_path_and_fails(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text(
            'min_options = 0\ncolour = "red"\n[authority]\n'
            'levels = [{name = "a", limit = "10 USD"}, {name = "b", limit = "5 USD"}]\n',
            encoding="utf-8",
        )

        assert main(["check", str(bad)]) == 1

        err = capsys.readouterr().err
        assert "3 problem(s)" in err
        for path in ("colour:", "min_options:", "authority.levels[1].limit:"):
            assert path in err

    def test_a_missing_file_is_a_clear_message_and_exit_status_2(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        assert main(["check", str(tmp_path / "nope.toml")]) == 2

        assert "nope.toml: no such file" in capsys.readouterr().err

    def test_invalid_toml_names_the_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        broken = tmp_path / "broken.toml"
        broken.write_text("min_options =\n", encoding="utf-8")

        assert main(["check", str(broken)]) == 2

        assert "not valid TOML" in capsys.readouterr().err
