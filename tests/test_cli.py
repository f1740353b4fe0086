"""The command line: `service-recovery demo` prints a deterministic, readable timeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from service_recovery import RecoveryPolicy, Step, serialize_events
from service_recovery.cli import demo_incident, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


class TestDemo:
    def test_output_is_the_same_on_every_run(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "demo") == run(capsys, "demo")

    def test_output_is_the_same_in_other_processes_and_hash_seeds(self) -> None:
        def demo(seed: str) -> str:
            command = [sys.executable, "-m", "service_recovery.cli", "demo"]
            env = {**os.environ, "PYTHONHASHSEED": seed}
            ran = subprocess.run(command, capture_output=True, text=True, check=True, env=env)  # noqa: S603
            return ran.stdout

        assert demo("1") == demo("2")

    def test_prints_one_line_per_event_with_its_step(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history = demo_incident().history()

        lines = run(capsys, "demo").splitlines()[3 : 3 + len(history)]

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

    def test_the_demo_ends_with_a_month_in_a_small_shop(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "demo")

        assert "A month in a small shop under the default policy: 600 complaints" in out
        assert "first-contact resolution" in out.split("A month in a small shop")[1]

    def test_a_progress_bar_on_a_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)

        assert main(["simulate", "--incidents", "2000"]) == 0

        err = capsys.readouterr().err
        assert "1,000/2,000" in err
        assert err.endswith("2,000/2,000\n")

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


class TestSimulateScoreCompare:
    def test_simulate_prints_each_metric_next_to_its_target(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "simulate", "--incidents", "300", "--seed", "4")

        lines = {line.split("  ")[0]: line for line in out.splitlines()}
        assert "300" in lines["incidents scored"]
        assert ">= 95.0%" in lines["first-contact resolution"]
        assert lines["first-contact resolution"].rstrip().endswith(("met", "NOT MET"))

    def test_simulate_as_json_is_for_machines_and_deterministic(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        first = json.loads(run(capsys, "simulate", "--incidents", "200", "--format", "json"))
        second = json.loads(run(capsys, "simulate", "--incidents", "200", "--format", "json"))

        assert first == second
        assert first["scorecard"]["incidents"] == 200
        assert {m["name"] for m in first["metrics"]} >= {
            "first-contact resolution",
            "promises kept",
        }

    def test_no_progress_bar_when_piped(self, capsys: pytest.CaptureFixture[str]) -> None:
        run(capsys, "simulate", "--incidents", "1200")

        assert capsys.readouterr().err == ""

    def test_score_reads_stored_events(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = tmp_path / "events.jsonl"
        lines = [json.dumps(item) for item in serialize_events(demo_incident().events)]
        events.write_text("\n".join(lines) + "\n", encoding="utf-8")

        out = run(capsys, "score", str(events), "--format", "json")

        card = json.loads(out)["scorecard"]
        assert (card["incidents"], card["resolved"], card["first_contact"]) == (1, 1, 0)

    def test_score_names_the_line_of_bad_json(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = tmp_path / "events.jsonl"
        good = json.dumps(serialize_events(demo_incident().events)[0])
        events.write_text(f"{good}\n{{not json\n", encoding="utf-8")

        assert main(["score", str(events)]) == 2

        assert "events.jsonl:2: not valid JSON" in capsys.readouterr().err

    def test_score_names_the_line_of_a_bad_event(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = tmp_path / "events.jsonl"
        bad = serialize_events(demo_incident().events)[0] | {"channel": "fax"}
        events.write_text(json.dumps(bad) + "\n", encoding="utf-8")

        assert main(["score", str(events)]) == 2

        assert "line 1.channel" in capsys.readouterr().err

    def test_score_refuses_a_history_that_cannot_replay(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = tmp_path / "events.jsonl"
        second = serialize_events(demo_incident().events)[1]
        events.write_text(json.dumps(second) + "\n", encoding="utf-8")

        assert main(["score", str(events)]) == 2

        assert "must be Received" in capsys.readouterr().err

    def test_score_of_a_missing_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        assert main(["score", str(tmp_path / "none.jsonl")]) == 2

        assert "no such file" in capsys.readouterr().err

    def test_compare_shows_two_policies_side_by_side(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        default = tmp_path / "default.toml"
        default.write_text("", encoding="utf-8")

        out = run(capsys, "compare", str(default), str(EXAMPLE), "--incidents", "300")

        header, *rows = out.splitlines()
        assert header.split() == ["metric", "rule", "default.toml", "hotel_policy.toml"]
        assert any(row.startswith("first-contact resolution") for row in rows)

    def test_a_bad_policy_for_simulate_exits_1(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text("min_options = 0\n", encoding="utf-8")

        assert main(["simulate", "--policy", str(bad), "--incidents", "10"]) == 1

        assert "min_options" in capsys.readouterr().err
