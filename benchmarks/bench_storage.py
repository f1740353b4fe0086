"""Time reading a stored history back: `deserialize_events` against `json.loads` of the same lines.

A host reads an incident's events from its store (one JSON line per event) and rebuilds
them, every field checked by value, before replaying them. The parse is the floor: the
target (issue 11) is rebuilding the events at most 1.5x the cost of `json.loads`, per event.

Run: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/bench_storage.py
"""

from __future__ import annotations

import json
import sys

from histories import recovered
from rounds import interleaved, report
from service_recovery import deserialize_events, serialize_events

INCIDENT = recovered()
LINES = [json.dumps(data) for data in serialize_events(INCIDENT.events)]
PARSED = [json.loads(line) for line in LINES]


def main() -> int:
    assert deserialize_events(PARSED) == INCIDENT.events  # noqa: S101 (a faithful round trip)
    timings = interleaved(
        {
            "json.loads of the lines": lambda: [json.loads(line) for line in LINES],
            "deserialize_events": lambda: deserialize_events(PARSED),
        }
    )
    events = len(LINES)
    print(f"a history of {events} events; medians of interleaved rounds, per event")
    print()
    print(f"| {'step':<26} | {'µs / event':>10} |")
    print(f"|{'-' * 28}|{'-' * 12}|")
    for name in timings.rounds:
        print(f"| {name:<26} | {timings.median(name) / events:>10.2f} |")
    ratio = timings.ratio("deserialize_events", "json.loads of the lines")
    spread = timings.spread("deserialize_events", "json.loads of the lines")
    print(f"\ndeserialize_events is {ratio:.1f}x json.loads ({spread} across rounds)")
    return report({"deserialize_events <= 1.5x json.loads": ratio <= 1.5})


if __name__ == "__main__":
    sys.exit(main())
