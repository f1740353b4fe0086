"""The command line, ``service-recovery``: the only module that prints or reads files."""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from ._classification import Category, Channel, Severity
from ._compensation import Offer
from ._errors import PolicyError
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
from ._money import Money
from ._policy import RecoveryPolicy

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
            waited = event.at - incident.received_at
            target = incident.policy.response_target(incident).target
            verdict = "met" if waited <= target else "MISSED"
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
        since = _elapsed(event.at - incident.received_at)
        lines.append(f"  {since:>9}  {step:<15}  {_describe(event, incident)}")
    return "\n".join(lines) + "\n"


def _demo(_: argparse.Namespace) -> int:
    sys.stdout.write(timeline(demo_incident()))
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


def _check(args: argparse.Namespace) -> int:
    try:
        policy = _read_policy(args.policy)
    except PolicyError as err:
        sys.stderr.write(f"{args.policy}: {err}\n")
        return 1
    sys.stdout.write(f"{args.policy}: a valid policy\n\n{policy_table(policy)}")
    return 0


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
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except _UsageError as err:
        sys.stderr.write(f"service-recovery: {err}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
