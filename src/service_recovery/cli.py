"""The command line, ``service-recovery``: the only module that prints or reads files.

Output goes through rich: tables sized to the terminal, colour and a progress bar only on
a terminal. Only this module imports it, so the core works without it. docs/cli.md lists
the exit statuses: 0 done, 1 a policy or data file is wrong, 2 the command line is wrong,
130 interrupted, 141 the reader of the output went away.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO
from zoneinfo import ZoneInfo

import attrs
from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from service_recovery import __version__
from service_recovery._base.checks import shown
from service_recovery._base.instants import elapsed
from service_recovery._base.vocabulary import Category, Channel, Severity
from service_recovery._money.money import Money
from service_recovery._money.offers import Offer
from service_recovery._recovery.incident import Incident
from service_recovery._recovery.policy import RecoveryPolicy
from service_recovery._scoring.scorecard import Scorecard, report
from service_recovery._scoring.simulation import SyntheticStream, compare, simulate
from service_recovery._serialization.stored import deserialize_event
from service_recovery._time.timer import SlaStatus
from service_recovery.errors import PolicyError, RecoveryError, ReplayError
from service_recovery.events import (
    Acknowledged,
    Closed,
    CustomerContacted,
    Event,
    OptionsOffered,
    PromiseMade,
    Received,
    Resolved,
    Restated,
    SatisfactionRecorded,
)

_BAD_INPUT = 1  # a policy or data file is wrong: fix the file
_USAGE = 2  # the command line is wrong, as argparse exits for its own errors
_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as a shell reports an interrupted program
_BROKEN_PIPE = 141  # `| head` stopped reading: 128 + SIGPIPE, as a shell reports `yes | head`

_STDIN = "-"  # where a file is read, `-` reads standard input instead

DEMO_START = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Madrid"))
"""The demo's fixed start, so its output is the same on every run."""


def demo_incident() -> Incident:
    """One complaint recovered step by step, at fixed times (the demo's story)."""

    def after(**delta: float) -> datetime:
        return DEMO_START + timedelta(**delta)

    def eur(amount: str) -> Money:
        return Money.of(amount, "EUR")

    return (
        Incident.receive(
            incident_id="INC-0001",
            customer="ana@example.com",
            channel=Channel.PHONE,
            category=Category.POOR_SERVICE,
            severity=Severity.MEDIUM,
            at=DEMO_START,
        )
        .acknowledge(by="luis", at=after(seconds=42))
        .restate(problem="room not cleaned after two requests", confirmed=True, at=after(minutes=3))
        .offer(
            [
                Offer("suite upgrade tonight", cost=eur("45"), value=eur("250")),
                Offer("late checkout", cost=eur("0"), value=eur("60")),
            ],
            at=after(minutes=5),
        )
        .resolve(summary="moved to a suite, room cleaned", at=after(minutes=20))
        .promise(due=after(days=1), at=after(minutes=21), note="check in tomorrow 09:00")
        .contact(at=after(hours=23, minutes=55), note="all fine, thanked us")
        .record_satisfaction(9, at=after(days=1, minutes=10))
        .close(
            root_cause="housekeeping shift left uncovered",
            cost=eur("45"),
            at=after(days=1, hours=2),
        )
    )


def _describe(event: Event, incident: Incident) -> str:  # noqa: PLR0911 (one case per kind)
    """One line of the timeline: what happened, in words."""
    match event:
        case Received():
            return (
                f"{event.customer} complains by {event.channel}: {event.category}, {event.severity}"
            )
        case Acknowledged():
            waited = elapsed(incident.received_at, event.at)
            target = incident.policy.response_target(incident).target
            response = incident.timers["response"].status(incident.updated_at)
            verdict = "met" if response is SlaStatus.MET else "MISSED"
            return (
                f"{event.by} answers and apologizes; {int(target.total_seconds())}-second "
                f"response {verdict} ({int(waited.total_seconds())} s)"
            )
        case Restated():
            return f"restated and confirmed: {event.problem!r}"
        case OptionsOffered():
            return "offered: " + "; ".join(f"{o.kind} ({o.cost} to us)" for o in event.offers)
        case Resolved():
            return f"resolved: {event.summary}"
        case PromiseMade():
            return f"promised to call by {event.due:%a %H:%M} ({event.note})"
        case CustomerContacted():
            return f"called the customer: {event.note} (promise kept)"
        case SatisfactionRecorded():
            return f"customer rates the recovery {event.score}/10"
        case Closed():
            return f"closed: root cause {event.root_cause!r}, cost {event.cost}"
    return type(event).__name__  # pragma: no cover - every demo event is described above


# ---------------------------------------------------------------------- output


class _Console(Console):
    """A rich console that lets a closed pipe reach `main` as `BrokenPipeError`.

    rich's own answer is to exit with status 1, which here says a file is wrong.
    """

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _console(file: IO[str]) -> Console:
    """A console on `file`: the terminal's width, colour only on a terminal.

    rich honours ``NO_COLOR`` and ``FORCE_COLOR``, and ``COLUMNS`` where the width
    cannot be asked; text is printed as it is, never read as markup or emoji codes.
    """
    return _Console(file=file, markup=False, emoji=False, highlight=False)


def _table(*columns: str, wrap: Sequence[str] = ()) -> Table:
    """A table with a header: only the columns in `wrap` wrap to fit the terminal."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=column not in wrap, overflow="fold")
    return table


def _elapsed(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"+{hours}:{rest // 60:02}:{rest % 60:02}"


def timeline(incident: Incident) -> RenderableType:
    """An incident's history: time since the complaint, step, what happened."""
    title = Text(f"Incident {incident.id}, received {incident.received_at:%Y-%m-%d %H:%M %Z}")
    table = _table("since", "step", "what happened", wrap=("what happened",))
    table.columns[0].justify = "right"
    for event, step in incident.history():
        since = _elapsed(elapsed(incident.received_at, event.at))
        table.add_row(since, str(step), _describe(event, incident))
    return Group(title, Text(), table)


def _setting(value: object) -> str:
    """A policy setting as one readable cell: nested settings flattened."""
    if isinstance(value, dict) and set(value) == {"levels"}:
        return " < ".join(f"{level['name']} {level['limit']}" for level in value["levels"])
    if isinstance(value, dict):
        return ", ".join(f"{key} {_setting(item)}" for key, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def policy_table(policy: RecoveryPolicy) -> Table:
    """The policy as a table of rules: rule id, setting, value, and why."""
    values = policy.to_mapping()
    rows = [
        (
            field.metadata.get("rule", ""),
            field.name,
            _setting(values.get(field.name, "-")),
            field.metadata.get("why", ""),
        )
        for field in attrs.fields(type(policy))
    ]
    rows.sort(key=lambda row: (int(row[0][1:]) if row[0][1:].isdigit() else 99, row[1]))
    table = _table("rule", "setting", "value", "why", wrap=("value", "why"))
    for row in rows:
        table.add_row(*row)
    return table


_VERDICT: dict[bool | None, Text | str] = {
    True: Text("met", style="green"),
    False: Text("NOT MET", style="bold red"),
    None: "",
}


def _scorecard(card: Scorecard, policy: RecoveryPolicy) -> RenderableType:
    """A scorecard as a table of metrics next to the policy's targets, then R6's findings."""
    table = _table("metric", "rule", "value", "target", "met", wrap=("value",))
    for metric in report(card, policy):
        table.add_row(metric.name, metric.rule, metric.value, metric.target, _VERDICT[metric.met])
    findings = card.recurring_causes(policy.recurring_cause_threshold)
    return Group(table, *(Padding(Text(str(finding)), (0, 0, 0, 2)) for finding in findings))


def _scorecard_data(card: Scorecard, policy: RecoveryPolicy) -> dict[str, Any]:
    """A scorecard for machines: its metrics against the policy's targets, and its counts."""
    return {
        "metrics": [attrs.asdict(metric) for metric in report(card, policy)],
        "scorecard": card.to_mapping(),
    }


def _write_json(data: object) -> None:
    """JSON on standard output, as it is: never wrapped to the terminal's width."""
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


class _RateColumn(ProgressColumn):
    """Incidents a second: rich's own speed column counts bytes."""

    def render(self, task: Task) -> Text:
        """The rate so far, once rich has measured one."""
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} incidents/s", "progress.data.speed")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error if it is a terminal: percentage, rate, time left.

    Nothing when standard error is piped or redirected (``FORCE_COLOR`` forces colour,
    not a bar redrawn in a log). The bar goes away when the run ends.
    """
    if not sys.stderr.isatty():
        yield None
        return
    bar = Progress(
        TextColumn("simulating"),
        BarColumn(),
        TaskProgressColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        console=_console(sys.stderr),
        transient=True,
    )
    # Ctrl-C only sets a flag while the bar runs, and the next report raises it: a
    # KeyboardInterrupt raised anywhere could leave rich's lock held, and its refresh
    # thread waiting on it forever.
    asked_to_stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda _signal, _frame: asked_to_stop.set())
    task = bar.add_task("simulating", total=total)

    def report(done: int) -> None:
        if asked_to_stop.is_set():
            raise KeyboardInterrupt
        bar.update(task, completed=done)

    try:
        with bar:
            yield report
            report(total)  # the core reports every thousand, not the rest
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)


# ---------------------------------------------------------------------- input


class _UsageError(Exception):
    """The command line cannot be carried out as written: exit status 2."""


class _InputError(Exception):
    """A policy or data file is wrong; the message names the file: exit status 1."""


def _name(source: str) -> str:
    """The name errors give a file: its path, or ``<stdin>`` for ``-``."""
    return "<stdin>" if source == _STDIN else source


@contextmanager
def _opened(source: str) -> Iterator[BinaryIO]:
    """The file `source` names, or standard input for ``-``, read as bytes.

    A file that cannot be opened (missing, a folder, not allowed) is a usage error, as
    argparse reports one; one that fails while it is read is an input error.
    """
    opened: AbstractContextManager[BinaryIO]
    if source == _STDIN:
        opened = nullcontext(sys.stdin.buffer)  # read, and left open for the caller
    else:
        try:
            opened = Path(source).open("rb")  # noqa: SIM115 (closed by the with below)
        except OSError as err:
            raise _UsageError(_failed(source, err)) from None
    with opened as file:
        try:
            yield file
        except OSError as err:
            raise _InputError(_failed(_name(source), err)) from None


def _failed(name: str, err: OSError) -> str:
    """``name: no such file or directory``: what the system said, without its number."""
    return f"{name}: {(err.strerror or str(err)).lower()}"


def _read_policy(source: str) -> RecoveryPolicy:
    """Read a TOML policy; every error names the file and says what is wrong."""
    name = _name(source)
    with _opened(source) as file:
        try:
            data = tomllib.load(file)
        except UnicodeDecodeError as err:
            msg = f"{name}: not UTF-8 text: {_undecodable(err)}; a policy is a TOML file"
            raise _InputError(msg) from None
        except tomllib.TOMLDecodeError as err:
            msg = f"{name}: not valid TOML: {err}"
            raise _InputError(msg) from None
        except ValueError:  # tomllib's only other: an integer Python will not read
            msg = (
                f"{name}: not valid TOML here: an integer of more than "
                f"{sys.get_int_max_str_digits():,} digits; no setting needs one"
            )
            raise _InputError(msg) from None
        except RecursionError:
            msg = f"{name}: not valid TOML here: arrays or tables nested too deeply"
            raise _InputError(msg) from None
    try:
        return RecoveryPolicy.from_mapping(data)
    except PolicyError as err:
        msg = f"{name}: {err}"
        raise _InputError(msg) from None


def _undecodable(err: UnicodeDecodeError, *, lines: bool = True) -> str:
    """Where text stops being UTF-8: ``byte 0xE9 at line 2, column 12`` (or the column)."""
    before = err.object[: err.start]
    column = err.start - before.rfind(b"\n")
    line = f"line {before.count(10) + 1}, " if lines else ""  # 10: the newline byte
    return f"byte 0x{err.object[err.start]:02X} at {line}column {column}"


def _policy_or_default(source: str | None) -> RecoveryPolicy:
    return RecoveryPolicy() if source is None else _read_policy(source)


class _NotJsonError(ValueError):
    """``NaN`` or ``Infinity``: Python's json reads them, JSON has no such numbers."""


def _no_constant(word: str) -> object:
    msg = f"{word} is not a JSON number"
    raise _NotJsonError(msg)


_JSON = json.JSONDecoder(parse_constant=_no_constant)  # built once: json.loads would per line


def _parsed(line: bytes, where: str) -> object:
    """One line of JSON lines, parsed; `where` (``file:3``) starts every error."""
    try:
        return _JSON.decode(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        msg = f"{where}: not UTF-8 text: {_undecodable(err, lines=False)}; events are JSON"
    except json.JSONDecodeError as err:
        msg = f"{where}: not valid JSON: {err.msg} (column {err.colno})"
    except _NotJsonError as err:
        msg = f"{where}: not valid JSON: {err}"
    except ValueError:  # json's only other: an integer Python will not read
        msg = (
            f"{where}: not valid JSON here: an integer of more than "
            f"{sys.get_int_max_str_digits():,} digits; no stored value needs one"
        )
    except RecursionError:
        msg = f"{where}: not valid JSON here: nested too deeply; an event is one flat object"
    raise _InputError(msg)


def _events(source: str) -> Iterator[tuple[int, Event]]:
    """Each stored event with its line number, read one line at a time."""
    name = _name(source)
    with _opened(source) as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            try:
                event = deserialize_event(_parsed(line, where))
            except RecoveryError as err:
                msg = f"{where}: {err}"
                raise _InputError(msg) from None
            yield number, event


def _histories(source: str) -> Iterator[tuple[list[int], list[Event]]]:
    """Each incident's events with their line numbers, one incident at a time.

    An incident's events stand together in the file, as `serialize_events` writes them,
    so only one history is ever held; an incident seen again later is refused.
    """
    numbers: list[int] = []
    events: list[Event] = []
    ended: dict[str, int] = {}  # each finished incident's last line
    for number, event in _events(source):
        if events and event.incident_id != events[0].incident_id:
            ended[events[0].incident_id] = numbers[-1]
            yield numbers, events
            numbers, events = [], []
        last = ended.get(event.incident_id)
        if last is not None:
            msg = (
                f"{_name(source)}:{number}: an event of incident {shown(event.incident_id)}, "
                f"whose events ended at line {last}; keep each incident's events together"
            )
            raise _InputError(msg)
        numbers.append(number)
        events.append(event)
    if events:
        yield numbers, events


_EVENT_INDEX = re.compile(r"events\[(\d+)\]")  # how a ReplayError names its event


def _replayed(source: str, policy: RecoveryPolicy, *, changed: bool) -> Iterator[Incident]:
    """Each stored incident replayed under `policy`; an error names the event's line."""
    for numbers, events in _histories(source):
        try:
            incident = Incident.replay(events, policy=policy, policy_changed=changed)
        except ReplayError as err:
            index = _EVENT_INDEX.match(str(err))
            number = numbers[int(index[1])] if index else numbers[0]
            msg = f"{_name(source)}:{number}: {err}"
            raise _InputError(msg) from None
        yield incident


# ---------------------------------------------------------------------- the commands


SMALL_SHOP = SyntheticStream(seed=2026, incidents=600, transactions_per_day=20_000)
"""A small shop's month: 20,000 sales a day, one complaint per thousand (R20), 30 days."""


def _demo(_: argparse.Namespace, out: Console) -> None:
    out.print(timeline(demo_incident()))
    policy = RecoveryPolicy()
    month = simulate(policy, SMALL_SHOP)
    out.print()
    out.print(
        f"A month in a small shop under the default policy: {SMALL_SHOP.incidents} "
        f"complaints from {SMALL_SHOP.transactions_per_day:,} sales a day (R20)"
    )
    out.print()
    out.print(_scorecard(month, policy))


def _check(args: argparse.Namespace, out: Console) -> None:
    policy = _read_policy(args.policy)
    out.print(f"{_name(args.policy)}: a valid policy")
    out.print()
    out.print(policy_table(policy))


def _stream(args: argparse.Namespace) -> SyntheticStream:
    try:
        return SyntheticStream(seed=args.seed, incidents=args.incidents)
    except RecoveryError as err:
        msg = f"--incidents {args.incidents}: {err}"
        raise _UsageError(msg) from None


def _simulate(args: argparse.Namespace, out: Console) -> None:
    stream = _stream(args)
    policy = _policy_or_default(args.policy)
    with _progress(stream.incidents) as progress:
        card = simulate(policy, stream, progress=progress)
    if args.format == "json":
        _write_json(_scorecard_data(card, policy))
    else:
        out.print(_scorecard(card, policy))


def _one_stdin(*sources: str | None) -> None:
    """Standard input can be read once: refuse a command that asks for it twice."""
    if sources.count(_STDIN) > 1:
        msg = "standard input (-) can be read for only one of the files"
        raise _UsageError(msg)


def _score(args: argparse.Namespace, out: Console) -> None:
    _one_stdin(args.events, args.policy)
    policy = _policy_or_default(args.policy)
    # One policy replays every incident, so their currency and cause window agree.
    card = Scorecard.of(_replayed(args.events, policy, changed=args.policy_changed))
    if args.format == "json":
        _write_json(_scorecard_data(card, policy))
    else:
        out.print(_scorecard(card, policy))


def _labels(a: str, b: str) -> tuple[str, str]:
    """Two policies' column titles: their file names, or their paths if those are the same."""
    names = Path(_name(a)).name, Path(_name(b)).name
    return (_name(a), _name(b)) if names[0] == names[1] else names


def _compare(args: argparse.Namespace, out: Console) -> None:
    _one_stdin(args.a, args.b)
    stream = _stream(args)
    a, b = _read_policy(args.a), _read_policy(args.b)
    with _progress(2 * stream.incidents) as progress:
        comparison = compare(a, b, stream, progress=progress)
    label_a, label_b = _labels(args.a, args.b)
    if args.format == "json":
        _write_json(
            {
                "a": {"policy": _name(args.a), **_scorecard_data(comparison.a, a)},
                "b": {"policy": _name(args.b), **_scorecard_data(comparison.b, b)},
            }
        )
        return
    table = _table("metric", "rule", label_a, label_b, wrap=(label_a, label_b))
    for row in comparison.rows():
        table.add_row(*row)
    out.print(table)


def _whole(text: str) -> int:
    """A whole number from the command line; argparse reports anything else (exit 2)."""
    try:
        return int(text)
    except ValueError:  # not a number, or more digits than Python reads
        msg = f"expected a whole number, such as 1000; got {shown(text)}"
        raise argparse.ArgumentTypeError(msg) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="service-recovery",
        description="Service-recovery policy as code.",
        epilog="A file argument of - reads standard input. Exit status: 0 done, 1 a policy "
        "or data file is wrong, 2 the command line is wrong, 130 interrupted, 141 the reader "
        "of the output stopped early.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="walk one complaint through the recovery steps")
    demo.set_defaults(run=_demo)
    check = commands.add_parser("check", help="validate a TOML policy and print its rules")
    check.add_argument("policy", help="the policy file, e.g. examples/hotel_policy.toml")
    check.set_defaults(run=_check)
    simulation = commands.add_parser("simulate", help="score a synthetic month under a policy")
    _stream_options(simulation)
    simulation.add_argument("--policy", help="a TOML policy (default: the defaults)")
    _format_option(simulation)
    simulation.set_defaults(run=_simulate)
    scoring = commands.add_parser("score", help="score stored events (JSON lines)")
    scoring.add_argument("events", help="one serialized event a line, by incident")
    scoring.add_argument("--policy", help="a TOML policy (default: the defaults)")
    scoring.add_argument(
        "--policy-changed",
        action="store_true",
        help="score histories decided by another policy under this one",
    )
    _format_option(scoring)
    scoring.set_defaults(run=_score)
    comparing = commands.add_parser("compare", help="two policies on the same synthetic stream")
    comparing.add_argument("a", help="the first TOML policy")
    comparing.add_argument("b", help="the second TOML policy")
    _stream_options(comparing)
    _format_option(comparing)
    comparing.set_defaults(run=_compare)
    return parser


def _stream_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--incidents", type=_whole, default=10_000, help="how many (10,000)")
    command.add_argument("--seed", type=_whole, default=0, help="the stream's seed (0)")


def _format_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", choices=("table", "json"), default="table")


def _error(message: str) -> None:
    """One message on standard error, named for the program, never wrapped."""
    text = Text.assemble(("service-recovery: ", "bold red"), message)
    _console(sys.stderr).print(text, soft_wrap=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``service-recovery`` with `argv` (the process's arguments by default).

    Returns the exit status, argparse's own included (``--help``, ``--version``, a bad
    option), so a caller can run the command line as a function.
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # argparse has printed help, the version or the mistake
        return int(stop.code or 0)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the command `args` names; every way it can end is a line and an exit status."""
    try:
        args.run(args, _console(sys.stdout))
        sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
    except KeyboardInterrupt:
        _error("interrupted")
        return _INTERRUPTED
    except BrokenPipeError:
        # The reader has gone (`| head`): stop quietly. Standard output now points at
        # devnull, so Python's last flush on the way out finds nothing to complain about.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return _BROKEN_PIPE
    except _UsageError as err:
        _error(str(err))
        return _USAGE
    except (_InputError, RecoveryError) as err:
        _error(str(err))
        return _BAD_INPUT
    except OSError as err:  # every file read names itself: this is the output failing
        _error(_failed("standard output", err))
        return _BAD_INPUT
    return 0
