"""The command line, ``service-recovery``: the only module that prints or reads files."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from ._classification import Category, Channel, Severity
from ._compensation import Offer
from ._errors import PolicyError, RecoveryError, ReplayError, SerializationError
from ._events import (
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
from ._incident import Incident
from ._metrics import Scorecard, report
from ._money import Money
from ._policy import RecoveryPolicy
from ._serialization import deserialize_event
from ._simulation import SyntheticStream, compare, score, simulate
from ._sla import SlaStatus
from ._time import elapsed

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


def _elapsed(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"+{hours}:{rest // 60:02}:{rest % 60:02}"


def timeline(incident: Incident) -> str:
    """Render an incident's history: time since the complaint, step, what happened."""
    lines = [
        f"Incident {incident.id}, received {incident.received_at:%Y-%m-%d %H:%M %Z}",
        "",
        f"  {'since':>9}  {'step':<15}  what happened",
    ]
    for event, step in incident.history():
        since = _elapsed(elapsed(incident.received_at, event.at))
        lines.append(f"  {since:>9}  {step:<15}  {_describe(event, incident)}")
    return "\n".join(lines) + "\n"


SMALL_SHOP = SyntheticStream(seed=2026, incidents=600, transactions_per_day=20_000)
"""A small shop's month: 20,000 sales a day, one complaint per thousand (R20), 30 days."""


def _demo(_: argparse.Namespace) -> int:
    sys.stdout.write(timeline(demo_incident()))
    policy = RecoveryPolicy()
    month = simulate(policy, SMALL_SHOP)
    sys.stdout.write(
        f"\nA month in a small shop under the default policy: {SMALL_SHOP.incidents} "
        f"complaints from {SMALL_SHOP.transactions_per_day:,} sales a day (R20)\n\n"
    )
    sys.stdout.write(_scorecard_out(month, policy, "table"))
    return 0


def _setting(value: object) -> str:
    """A policy setting as one readable cell: nested settings flattened."""
    if isinstance(value, dict) and set(value) == {"levels"}:
        return " < ".join(f"{level['name']} {level['limit']}" for level in value["levels"])
    if isinstance(value, dict):
        return ", ".join(f"{key} {_setting(item)}" for key, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def policy_table(policy: RecoveryPolicy) -> str:
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
    widths = [
        max(len(row[i]) for row in [("rule", "setting", "value", ""), *rows]) for i in range(3)
    ]
    lines = [f"{'rule':<{widths[0]}}  {'setting':<{widths[1]}}  {'value':<{widths[2]}}  why"]
    lines.extend(
        f"{r:<{widths[0]}}  {n:<{widths[1]}}  {v:<{widths[2]}}  {w}" for r, n, v, w in rows
    )
    return "\n".join(lines) + "\n"


def _read_policy(path: Path) -> RecoveryPolicy:
    """Read a TOML policy file; the errors say which file and what is wrong."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        msg = f"{path}: no such file"
        raise _UsageError(msg) from None
    except tomllib.TOMLDecodeError as err:
        msg = f"{path}: not valid TOML: {err}"
        raise _UsageError(msg) from None
    return RecoveryPolicy.from_mapping(data)


class _UsageError(Exception):
    """A problem with what the user asked for: printed as it is, exit status 2."""


def _policy_or_default(path: Path | None) -> RecoveryPolicy:
    return RecoveryPolicy() if path is None else _read_policy(path)


def _progress(total: int) -> Callable[[int], None] | None:
    """A progress bar on stderr when it is a terminal; nothing when it is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int) -> None:
        filled = 30 * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")

    return show


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(f"{cell:<{width}}" for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"


def _scorecard_out(card: Scorecard, policy: RecoveryPolicy, form: str) -> str:
    metrics = report(card, policy)
    if form == "json":
        data = {
            "metrics": [attrs.asdict(metric) for metric in metrics],
            "scorecard": card.to_mapping(),
        }
        return json.dumps(data, indent=2) + "\n"
    verdict = {True: "met", False: "NOT MET", None: ""}
    rows = [(m.name, m.rule, m.value, m.target, verdict[m.met]) for m in metrics]
    findings = [
        f"  {finding}" for finding in card.recurring_causes(policy.recurring_cause_threshold)
    ]
    return _table(rows, ("metric", "rule", "value", "target", "met")) + "".join(
        f"{line}\n" for line in findings
    )


def _stream(args: argparse.Namespace) -> SyntheticStream:
    return SyntheticStream(seed=args.seed, incidents=args.incidents)


def _simulate(args: argparse.Namespace) -> int:
    policy = _policy_or_default(args.policy)
    card = simulate(policy, _stream(args), progress=_progress(args.incidents))
    sys.stdout.write(_scorecard_out(card, policy, args.format))
    return 0


def _read_histories(path: Path) -> list[list[Event]]:
    """Read stored events, one JSON object a line, grouped by incident in file order."""
    histories: dict[str, list[Event]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        msg = f"{path}: no such file"
        raise _UsageError(msg) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = deserialize_event(json.loads(line), path=f"line {number}")
        except json.JSONDecodeError as err:
            msg = f"{path}:{number}: not valid JSON: {err.msg}"
            raise _UsageError(msg) from None
        except SerializationError as err:
            msg = f"{path}:{number}: {err}"
            raise _UsageError(msg) from None
        histories.setdefault(event.incident_id, []).append(event)
    return list(histories.values())


def _score(args: argparse.Namespace) -> int:
    policy = _policy_or_default(args.policy)
    try:
        card = score(_read_histories(args.events), policy=policy)
    except ReplayError as err:
        msg = f"{args.events}: {err}"
        raise _UsageError(msg) from None
    sys.stdout.write(_scorecard_out(card, policy, args.format))
    return 0


def _compare(args: argparse.Namespace) -> int:
    a, b = _read_policy(args.a), _read_policy(args.b)
    comparison = compare(a, b, _stream(args))
    rows = comparison.rows()
    sys.stdout.write(_table(rows, ("metric", "rule", args.a.name, args.b.name)))
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        policy = _read_policy(args.policy)
    except PolicyError as err:
        sys.stderr.write(f"{args.policy}: {err}\n")
        return 1
    sys.stdout.write(f"{args.policy}: a valid policy\n\n{policy_table(policy)}")
    return 0


def _stream_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--incidents", type=int, default=10_000, help="how many (10,000)")
    command.add_argument("--seed", type=int, default=0, help="the stream's seed (0)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``service-recovery`` with `argv` (the process arguments by default)."""
    parser = argparse.ArgumentParser(
        prog="service-recovery", description="Service-recovery policy as code."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="walk one complaint through the recovery steps")
    demo.set_defaults(run=_demo)
    check = commands.add_parser("check", help="validate a TOML policy and print its rules")
    check.add_argument("policy", type=Path, help="the policy file, e.g. examples/hotel_policy.toml")
    check.set_defaults(run=_check)
    simulation = commands.add_parser("simulate", help="score a synthetic month under a policy")
    _stream_options(simulation)
    simulation.add_argument("--policy", type=Path, help="a TOML policy (default: the defaults)")
    simulation.add_argument("--format", choices=("table", "json"), default="table")
    simulation.set_defaults(run=_simulate)
    scoring = commands.add_parser("score", help="score stored events (JSON lines)")
    scoring.add_argument("events", type=Path, help="one serialized event a line")
    scoring.add_argument("--policy", type=Path, help="a TOML policy (default: the defaults)")
    scoring.add_argument("--format", choices=("table", "json"), default="table")
    scoring.set_defaults(run=_score)
    comparing = commands.add_parser("compare", help="two policies on the same synthetic stream")
    comparing.add_argument("a", type=Path, help="the first TOML policy")
    comparing.add_argument("b", type=Path, help="the second TOML policy")
    _stream_options(comparing)
    comparing.set_defaults(run=_compare)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except _UsageError as err:
        sys.stderr.write(f"service-recovery: {err}\n")
        return 2
    except PolicyError as err:
        sys.stderr.write(f"service-recovery: {err}\n")
        return 1
    except (OSError, RecoveryError) as err:  # a folder for a file, --incidents -1, …
        sys.stderr.write(f"service-recovery: {err}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
