"""Time the questions a host asks of every open incident: a timer's status, a quiet tick, the
next wake-up.

`SlaTimer.status(at)` against the bare comparison of two aware datetimes it stands for;
a `tick` that finds nothing on an incident of 1,000 events against one of 2 (a host
polling open incidents pays it for each); `next_wakeup` against `status`. An incident
reads its timers from its events the first time it is asked, once: the "first tick" rows
ask a fresh copy each time, so they show that cost, which grows with the history.

Targets (issue 11): status at most 10x the comparison; a quiet tick at 1,000 events at
most 1.5x one at 2 events; next_wakeup as cheap as status (at most 1.5x).

Run: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/bench_timers.py
"""

from __future__ import annotations

import copy
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

from histories import START, long_running
from rounds import interleaved, report
from service_recovery import BusinessCalendar, SlaTimer

NEW_YORK = BusinessCalendar.weekdays("09:00", "17:00", zone="America/New_York")
LATER = START + timedelta(minutes=30)
UTC_TIMER = SlaTimer.start(name="response", target=timedelta(hours=1), at=START)
ZONED_TIMER = SlaTimer.start(
    name="resolution",
    target=timedelta(hours=8),
    at=START.astimezone(ZoneInfo("America/New_York")),
    calendar=NEW_YORK,
)


def quiet(events: int):  # noqa: ANN201 (an Incident)
    """An incident of about `events` events on which a tick at its last change finds nothing."""
    incident = long_running(events)
    incident, _ = incident.tick(incident.updated_at)
    assert not incident.tick(incident.updated_at)[1]  # noqa: S101 (quiet indeed)
    return incident


SHORT, LONG = quiet(2), quiet(1_000)


def main() -> int:
    candidates = {
        "aware datetime comparison": lambda: START < LATER,
        "status, UTC": lambda: UTC_TIMER.status(LATER),
        "status, America/New_York": lambda: ZONED_TIMER.status(LATER),
        "quiet tick, short history": lambda: SHORT.tick(SHORT.updated_at),
        "quiet tick, long history": lambda: LONG.tick(LONG.updated_at),
        "next_wakeup, short history": lambda: SHORT.next_wakeup,
        "first tick, short history": lambda: copy.copy(SHORT).tick(SHORT.updated_at),
        "first tick, long history": lambda: copy.copy(LONG).tick(LONG.updated_at),
    }
    timings = interleaved(candidates)
    base = "aware datetime comparison"
    print(f"histories of {len(SHORT.events)} and {len(LONG.events)} events; interleaved medians")
    print()
    print(f"| {'question':<28} | {'µs':>8} | {'ratio':>24} |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 26}|")
    rows = {
        "status, UTC": base,
        "status, America/New_York": base,
        "quiet tick, short history": None,
        "quiet tick, long history": "quiet tick, short history",
        "next_wakeup, short history": "status, UTC",
        "first tick, short history": None,
        "first tick, long history": "first tick, short history",
    }
    print(f"| {base:<28} | {timings.median(base):>8.3f} | {'':>24} |")
    for name, against in rows.items():
        ratio = (
            f"{timings.ratio(name, against):.1f}x ({timings.spread(name, against)})"
            if against
            else ""
        )
        print(f"| {name:<28} | {timings.median(name):>8.3f} | {ratio:>24} |")
    return report(
        {
            "status <= 10x a comparison": timings.ratio("status, UTC", base) <= 10,
            "quiet tick at 1,000 events <= 1.5x at 2": timings.ratio(
                "quiet tick, long history", "quiet tick, short history"
            )
            <= 1.5,
            "next_wakeup <= 1.5x status": timings.ratio("next_wakeup, short history", "status, UTC")
            <= 1.5,
        }
    )


if __name__ == "__main__":
    sys.exit(main())
