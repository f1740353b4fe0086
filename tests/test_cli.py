"""The command line: readable tables, clean errors with distinct exit statuses, pipes."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from service_recovery import RecoveryPolicy, Step, __version__, serialize_events
from service_recovery.cli import demo_incident, main

EXAMPLE = Path(__file__).parent.parent / "examples" / "hotel_policy.toml"
WIDE = "250"  # columns enough for any row to stay on one line


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from no colour settings and a known width, whatever CI has set."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", WIDE)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def refused(capsys: pytest.CaptureFixture[str], status: int, *argv: str) -> str:
    """Run a command that must fail with `status`; return its one clean message."""
    assert main(list(argv)) == status

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err.startswith("service-recovery: ")
    return captured.err


def program(*argv: str) -> list[str]:
    return [sys.executable, "-m", "service_recovery", *argv]


def events_file(tmp_path: Path, lines: Iterable[str], name: str = "events.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return str(path)


def demo_lines() -> list[str]:
    return [json.dumps(item) for item in serialize_events(demo_incident().events)]


def with_id(line: str, incident_id: str) -> str:
    return json.dumps(json.loads(line) | {"incident_id": incident_id})


def stdin(monkeypatch: pytest.MonkeyPatch, lines: Iterable[bytes]) -> None:
    """Standard input as the command sees it, one line at a time, never all at once."""

    class Stdin:
        buffer = iter(lines)

    monkeypatch.setattr(sys, "stdin", Stdin())


def stdin_text(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colours(text: str) -> set[int]:
    """The colour codes (30-49, 90-107) among the terminal styles in `text`."""
    codes = {int(code) for group in _SGR.findall(text) for code in group.split(";") if code}
    return {code for code in codes if 30 <= code <= 49 or 90 <= code <= 107}


@attrs.frozen
class OnTerminal:
    """A run with standard error on a terminal (a pty) and standard output piped."""

    status: int
    out: str
    terminal: str


def on_terminal(*argv: str, interrupt: bool = False, **env: str) -> OnTerminal:
    """Run the program with standard error on a pty; `interrupt` sends Ctrl-C once the
    progress bar shows, so the signal arrives while the command is at work."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    environ = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", **env}
    process = subprocess.Popen(  # noqa: S603 (our own program, fixed arguments)
        program(*argv), stdout=subprocess.PIPE, stderr=slave, env=environ
    )
    os.close(slave)
    seen, deadline, sent = b"", time.monotonic() + 120, False
    while time.monotonic() < deadline:
        if interrupt and not sent and b"%" in seen:
            process.send_signal(signal.SIGINT)
            sent = True
        if select.select([master], [], [], 0.1)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the program has closed the terminal
                chunk = b""
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    out, _ = process.communicate(timeout=120)
    os.close(master)
    return OnTerminal(process.wait(), out.decode(), seen.decode(errors="replace"))


class TestDemo:
    def test_output_is_the_same_on_every_run(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "demo") == run(capsys, "demo")

    def test_output_is_the_same_in_other_processes_and_hash_seeds(self) -> None:
        def demo(seed: str) -> str:
            env = {**os.environ, "PYTHONHASHSEED": seed}
            ran = subprocess.run(  # noqa: S603 (our own program, fixed arguments)
                program("demo"), capture_output=True, text=True, check=True, env=env
            )
            return ran.stdout

        assert demo("1") == demo("2")

    def test_prints_one_line_per_event_with_its_step(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        history = demo_incident().history()

        lines = [line for line in run(capsys, "demo").splitlines() if line.lstrip()[:1] == "+"]

        assert [line.split()[1] for line in lines] == [step for _, step in history]

    def test_r1_says_whether_the_60_second_response_was_met(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "demo")

        row = next(line for line in out.splitlines() if "+0:00:42" in line)
        assert " ".join(row.split()[1:]) == (
            "acknowledged luis answers and apologizes; 60-second response met (42 s)"
        )

    def test_the_demo_ends_with_a_month_in_a_small_shop(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "demo")

        assert "A month in a small shop under the default policy: 600 complaints" in out
        assert "first-contact resolution" in out.split("A month in a small shop")[1]

    def test_the_demo_story_ends_closed_and_rated(self) -> None:
        incident = demo_incident()

        assert (incident.step, incident.outcome, incident.satisfaction) == (
            Step.CLOSED,
            Step.RESOLVED,
            9,
        )


class TestTheProgram:
    def test_version_names_the_program_and_its_version(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert run(capsys, "--version") == f"service-recovery {__version__}\n"

    def test_python_m_runs_the_command_line(self) -> None:
        ran = subprocess.run(  # noqa: S603 (our own program, fixed arguments)
            program("--version"), capture_output=True, text=True, check=False
        )

        assert (ran.returncode, ran.stdout, ran.stderr) == (
            0,
            f"service-recovery {__version__}\n",
            "",
        )

    def test_the_library_works_without_rich(self) -> None:
        code = (
            "import sys; sys.modules['rich'] = None; import service_recovery as sr; "
            "print(sr.simulate(sr.RecoveryPolicy(), sr.SyntheticStream(incidents=5)).incidents)"
        )

        ran = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )

        assert (ran.returncode, ran.stdout, ran.stderr) == (0, "5\n", "")

    def test_help_is_not_an_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["--help"]) == 0

        assert "141 the reader of the output stopped early" in capsys.readouterr().out

    def test_a_command_is_required_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([]) == 2

        assert "required" in capsys.readouterr().err

    def test_a_number_too_long_to_read_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["simulate", "--incidents", "9" * 5000]) == 2

        err = capsys.readouterr().err
        assert "argument --incidents: expected a whole number" in err
        assert len(err) < 500

    def test_ctrl_c_ends_with_130_and_one_line(self) -> None:
        ran = on_terminal("simulate", "--incidents", "1000000", interrupt=True)

        assert ran.status == 130
        assert "Traceback" not in ran.terminal
        assert ran.terminal.rstrip().endswith("service-recovery: \x1b[0minterrupted")
        assert ran.out == ""

    def test_a_reader_that_stops_early_ends_it_quietly(self) -> None:
        process = subprocess.Popen(  # noqa: S603 (our own program, fixed arguments)
            program("demo"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None
        process.stdout.close()  # as `| head` does, before the program has written

        _, err = process.communicate(timeout=120)

        assert (process.returncode, err) == (141, b"")

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
    def test_output_that_cannot_be_written_is_one_line(self) -> None:
        with Path("/dev/full").open("w") as full:
            ran = subprocess.run(  # noqa: S603 (our own program, fixed arguments)
                program("demo"), stdout=full, stderr=subprocess.PIPE, text=True, check=False
            )

        assert (ran.returncode, ran.stderr) == (
            1,
            "service-recovery: standard output: no space left on device\n",
        )


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

        err = refused(capsys, 1, "check", str(bad))

        assert f"{bad}: the policy has 3 problem(s)" in err
        for path in ("colour:", "min_options:", "authority.levels[1].limit:"):
            assert path in err

    def test_a_plain_value_where_a_table_belongs_is_a_policy_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "scalar.toml"
        bad.write_text('authority = "manager"\nwarning_thresholds = 0\n', encoding="utf-8")

        err = refused(capsys, 1, "check", str(bad))

        assert f"{bad}: the policy has 2 problem(s)" in err
        assert "authority: expected a table" in err
        assert "warning_thresholds: expected a list" in err

    def test_a_missing_file_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        err = refused(capsys, 2, "check", str(tmp_path / "nope.toml"))

        assert "nope.toml: no such file or directory" in err

    def test_invalid_toml_names_the_file_and_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        broken = tmp_path / "broken.toml"
        broken.write_text("min_options = 1\nmax_handoffs =\n", encoding="utf-8")

        err = refused(capsys, 1, "check", str(broken))

        assert f"{broken}: not valid TOML: " in err
        assert "line 2" in err

    @pytest.mark.parametrize(
        ("content", "says"),
        [
            (b"\x89PNG\r\n\x1a\n", "not UTF-8 text: byte 0x89 at line 1, column 1"),
            (b'min_options = 1\nname = "caf\xe9"\n', "byte 0xE9 at line 2, column 12"),
            (b"min_options = " + b"9" * 5000, "an integer of more than 4,300 digits"),
            (b"min_options = " + b"[" * 100_000, "nested too deeply"),
        ],
        ids=["binary", "latin-1", "huge integer", "deep nesting"],
    )
    def test_a_file_python_cannot_read_is_a_clean_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, says: str
    ) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_bytes(content)

        err = refused(capsys, 1, "check", str(bad))

        assert err.startswith(f"service-recovery: {bad}: ")
        assert says in err

    def test_a_policy_from_standard_input(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stdin_text(monkeypatch, EXAMPLE.read_text(encoding="utf-8"))

        out = run(capsys, "check", "-")

        assert out.startswith("<stdin>: a valid policy")
        assert "duty manager 1000.00 USD" in out

    def test_a_bad_policy_from_standard_input_is_named_so(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stdin_text(monkeypatch, "min_options = 0\n")

        err = refused(capsys, 1, "check", "-")

        assert err.startswith("service-recovery: <stdin>: the policy has 1 problem(s)")


class TestTerminalOutput:
    @pytest.mark.parametrize(
        "argv",
        [
            ["demo"],
            ["check", str(EXAMPLE)],
            ["simulate", "--incidents", "300", "--policy", str(EXAMPLE)],
            ["compare", str(EXAMPLE), str(EXAMPLE), "--incidents", "100"],
        ],
        ids=["demo", "check", "simulate", "compare"],
    )
    def test_tables_fit_80_columns(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
    ) -> None:
        monkeypatch.setenv("COLUMNS", "80")

        lines = run(capsys, *argv).splitlines()

        assert max(len(line) for line in lines) <= 80
        assert len(lines) > 10

    def test_no_colour_when_piped(self, capsys: pytest.CaptureFixture[str]) -> None:
        out = run(capsys, "simulate", "--incidents", "300")

        assert "\x1b" not in out

    def test_force_color_colours_the_verdicts_even_when_piped(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("FORCE_COLOR", "1")

        out = run(capsys, "simulate", "--incidents", "300")

        assert colours(out)
        assert "NOT MET" in _SGR.sub("", out)

    def test_no_color_wins_over_force_color_and_leaves_bold_alone(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("NO_COLOR", "1")

        out = run(capsys, "simulate", "--incidents", "300")

        assert colours(out) == set()
        assert "\x1b[1m" in out  # the header: NO_COLOR is about colour, not emphasis

    @pytest.mark.parametrize(
        "argv",
        [
            ["simulate", "--incidents", "2500"],
            ["compare", "", str(EXAMPLE), "--incidents", "1250"],  # "": an empty policy
        ],
        ids=["simulate", "compare"],
    )
    def test_a_progress_bar_with_percentage_rate_and_time_left_on_a_terminal(
        self, tmp_path: Path, argv: list[str]
    ) -> None:
        default = tmp_path / "default.toml"
        default.write_text("", encoding="utf-8")

        ran = on_terminal(*(arg or str(default) for arg in argv))

        assert ran.status == 0
        shown = _SGR.sub("", ran.terminal)
        assert re.search(r"\b\d+%", shown)
        assert re.search(r"[\d,]+ incidents/s", shown)
        assert re.search(r"\d:\d\d:\d\d", shown)
        assert "2500/2500" in shown  # both runs of a comparison count
        assert "\x1b" not in ran.out
        assert "first-contact resolution" in ran.out

    def test_no_progress_bar_when_piped(self, capsys: pytest.CaptureFixture[str]) -> None:
        run(capsys, "simulate", "--incidents", "1200")

        assert capsys.readouterr().err == ""


class TestSimulate:
    def test_simulate_prints_each_metric_next_to_its_target(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = run(capsys, "simulate", "--incidents", "300", "--seed", "4")

        lines = {line.split("  ")[0]: line for line in out.splitlines()}
        assert "300" in lines["incidents scored"]
        assert ">= 95.0%" in lines["first-contact resolution"]
        assert lines["first-contact resolution"].rstrip().endswith(("met", "NOT MET"))

    def test_simulate_as_json_is_for_machines_and_deterministic(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("COLUMNS", "20")  # JSON is never wrapped to the terminal

        first = json.loads(run(capsys, "simulate", "--incidents", "200", "--format", "json"))
        second = json.loads(run(capsys, "simulate", "--incidents", "200", "--format", "json"))

        assert first == second
        assert first["scorecard"]["incidents"] == 200
        assert {m["name"] for m in first["metrics"]} >= {
            "first-contact resolution",
            "promises kept",
        }

    def test_a_bad_policy_names_its_file_and_exits_1(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text("min_options = 0\n", encoding="utf-8")

        err = refused(capsys, 1, "simulate", "--policy", str(bad), "--incidents", "10")

        assert err.startswith(f"service-recovery: {bad}: the policy has 1 problem(s)")
        assert "min_options" in err

    def test_a_policy_from_standard_input(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        from_file = run(capsys, "simulate", "--incidents", "200", "--policy", str(EXAMPLE))
        stdin_text(monkeypatch, EXAMPLE.read_text(encoding="utf-8"))

        from_stdin = run(capsys, "simulate", "--incidents", "200", "--policy", "-")

        assert from_stdin == from_file

    def test_a_negative_count_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        err = refused(capsys, 2, "simulate", "--incidents", "-1")

        assert "--incidents -1: a stream needs incidents >= 0" in err


class TestScore:
    def test_score_reads_stored_events(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = events_file(tmp_path, demo_lines())

        out = run(capsys, "score", events, "--format", "json")

        card = json.loads(out)["scorecard"]
        assert (card["incidents"], card["resolved"], card["first_contact"]) == (1, 1, 0)

    def test_score_counts_each_incident_once(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        lines = demo_lines()
        events = events_file(tmp_path, [*lines, "", *(with_id(line, "INC-2") for line in lines)])

        card = json.loads(run(capsys, "score", events, "--format", "json"))["scorecard"]

        assert (card["incidents"], card["resolved"], card["promises_kept"]) == (2, 2, 2)

    def test_score_reads_standard_input(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stdin(monkeypatch, (f"{line}\n".encode() for line in demo_lines()))

        card = json.loads(run(capsys, "score", "-", "--format", "json"))["scorecard"]

        assert card["incidents"] == 1

    def test_score_streams_and_stops_at_the_first_bad_line(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def endless() -> Iterator[bytes]:
            """Two whole incidents, a bad line, then more events than memory could hold."""
            for incident_id in ("INC-1", "INC-2"):
                yield from (f"{with_id(line, incident_id)}\n".encode() for line in demo_lines())
            yield b"{not json\n"
            yield from itertools.repeat(f"{demo_lines()[0]}\n".encode())

        stdin(monkeypatch, endless())

        err = refused(capsys, 1, "score", "-")

        assert err.startswith(f"service-recovery: <stdin>:{2 * len(demo_lines()) + 1}: not valid")

    def test_score_names_the_line_of_bad_json(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = events_file(tmp_path, [demo_lines()[0], "{not json"])

        err = refused(capsys, 1, "score", events)

        assert f"{events}:2: not valid JSON" in err

    def test_score_names_the_line_of_a_bad_event(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = json.dumps(json.loads(demo_lines()[0]) | {"channel": "fax"})
        events = events_file(tmp_path, ["", bad])

        err = refused(capsys, 1, "score", events)

        assert err.startswith(f"service-recovery: {events}:2: ")
        assert "'fax'" in err
        assert "event.channel" in err

    @pytest.mark.parametrize(
        ("line", "says"),
        [
            (b"\xff\xfe{}", "not UTF-8 text: byte 0xFF at column 1"),
            (b'{"note": "caf\xe9"}', "byte 0xE9 at column 14"),
            (b"[" * 100_000, "nested too deeply"),
            (b'{"score": ' + b"9" * 5000 + b"}", "an integer of more than 4,300 digits"),
            (b'{"score": NaN}', "NaN is not a JSON number"),
        ],
        ids=["binary", "latin-1", "deep nesting", "huge integer", "NaN"],
    )
    def test_a_line_python_cannot_read_is_a_clean_error_naming_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, line: bytes, says: str
    ) -> None:
        events = tmp_path / "events.jsonl"
        events.write_bytes(demo_lines()[0].encode() + b"\n" + line + b"\n")

        err = refused(capsys, 1, "score", str(events))

        assert err.startswith(f"service-recovery: {events}:2: ")
        assert says in err

    def test_score_names_the_line_of_an_event_that_cannot_replay(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        received, _, *rest = demo_lines()  # no acknowledgement
        events = events_file(tmp_path, ["", received, *rest])

        err = refused(capsys, 1, "score", events)

        assert f"{events}:3: events[1] (Restated) cannot be replayed" in err

    def test_score_refuses_a_history_that_does_not_start_with_received(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = events_file(tmp_path, demo_lines()[1:2])

        err = refused(capsys, 1, "score", events)

        assert f"{events}:1: events[0] must be Received" in err

    def test_score_refuses_an_incident_whose_events_are_apart(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        first, second, *_ = demo_lines()
        events = events_file(tmp_path, [first, with_id(first, "INC-2"), second])

        err = refused(capsys, 1, "score", events)

        assert f"{events}:3: an event of incident 'INC-0001', whose events ended at line 1" in err

    def test_a_history_of_another_policy_is_scored_only_when_asked(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        events = events_file(tmp_path, demo_lines())

        err = refused(capsys, 1, "score", events, "--policy", str(EXAMPLE))
        out = run(capsys, "score", events, "--policy", str(EXAMPLE), "--policy-changed")

        assert f"{events}:1: events[0]: incident 'INC-0001' was decided by policy" in err
        assert "incidents scored" in out

    def test_score_of_a_missing_file_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        err = refused(capsys, 2, "score", str(tmp_path / "none.jsonl"))

        assert "none.jsonl: no such file or directory" in err

    @pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
    def test_a_file_that_fails_while_read_is_named(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = refused(capsys, 1, "score", "/proc/self/mem")

        assert err == "service-recovery: /proc/self/mem: input/output error\n"

    def test_standard_input_serves_one_file_only(self, capsys: pytest.CaptureFixture[str]) -> None:
        err = refused(capsys, 2, "score", "-", "--policy", "-")

        assert "standard input (-) can be read for only one of the files" in err


class TestCompare:
    def test_compare_shows_two_policies_side_by_side(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        default = tmp_path / "default.toml"
        default.write_text("", encoding="utf-8")

        out = run(capsys, "compare", str(default), str(EXAMPLE), "--incidents", "300")

        header, _, *rows = out.splitlines()
        assert header.split() == ["metric", "rule", "default.toml", "hotel_policy.toml"]
        assert any(row.startswith("first-contact resolution") for row in rows)

    def test_two_files_of_one_name_are_told_apart_by_their_paths(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        for folder in ("today", "proposed"):
            (tmp_path / folder).mkdir()
            (tmp_path / folder / "policy.toml").write_text("", encoding="utf-8")
        today, proposed = (str(tmp_path / f / "policy.toml") for f in ("today", "proposed"))

        header = run(capsys, "compare", today, proposed, "--incidents", "10").splitlines()[0]

        assert header.split()[2:] == [today, proposed]

    def test_compare_as_json_is_each_policys_simulation(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        default = tmp_path / "default.toml"
        default.write_text("", encoding="utf-8")
        stream = ("--incidents", "200", "--seed", "3")

        both = json.loads(
            run(capsys, "compare", str(default), str(EXAMPLE), *stream, "--format", "json")
        )
        alone: dict[str, Any] = {
            side: json.loads(run(capsys, "simulate", "--policy", path, *stream, "--format", "json"))
            for side, path in (("a", str(default)), ("b", str(EXAMPLE)))
        }

        assert both == {
            "a": {"policy": str(default), **alone["a"]},
            "b": {"policy": str(EXAMPLE), **alone["b"]},
        }
        assert both["a"]["metrics"] != both["b"]["metrics"]

    def test_a_bad_second_policy_names_its_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "bad.toml"
        bad.write_text('authority = "manager"\n', encoding="utf-8")

        err = refused(capsys, 1, "compare", str(EXAMPLE), str(bad), "--incidents", "10")

        assert err.startswith(f"service-recovery: {bad}: the policy has 1 problem(s)")

    def test_standard_input_serves_one_policy_only(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = refused(capsys, 2, "compare", "-", "-")

        assert "standard input (-) can be read for only one of the files" in err


class TestBadArguments:
    def test_the_cli_turns_a_bad_argument_into_a_message(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["simulate", "--incidents", "-1"]) == 2
        assert main(["check", "examples"]) == 2

        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.count("service-recovery:") == 2
