"""Measure what a live incident costs in memory: 10,000 incidents of 12 events held at once.

`tracemalloc` counts every block allocated while the incidents are built and still alive
(events, records, timers, decisions), less what the policy and the imports hold; the
growth per event is the slope between a 2-event and a 12-event incident.

Target (issue 11): a live incident of 12 events takes at most 4 KB.

Run: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/bench_memory.py
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from collections.abc import Callable
from datetime import timedelta

from histories import START, opened, recovered
from rounds import report
from service_recovery import Incident

COUNT = 10_000


def bytes_per_incident(build: Callable[[int], Incident]) -> tuple[float, int]:
    """The bytes each of `COUNT` live incidents holds, and their number of events."""
    build(0)  # caches (zones, calendars) are warmed outside the count
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    live = [build(number) for number in range(1, COUNT + 1)]
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / len(live), len(live[0].events)


def answered(number: int) -> Incident:
    """A complaint received and answered: 2 events."""
    at = START + timedelta(minutes=number)
    return opened(number, at).acknowledge(by="luis", at=at + timedelta(seconds=30))


def main() -> int:
    short, few = bytes_per_incident(answered)
    full, many = bytes_per_incident(lambda number: recovered(number, START))
    per_event = (full - short) / (many - few)
    print(f"{COUNT:,} live incidents each; tracemalloc, after a collection")
    print()
    print(f"| {'incident':<22} | {'events':>6} | {'bytes':>7} |")
    print(f"|{'-' * 24}|{'-' * 8}|{'-' * 9}|")
    print(f"| {'answered':<22} | {few:>6} | {short:>7,.0f} |")
    print(f"| {'recovered and closed':<22} | {many:>6} | {full:>7,.0f} |")
    print(f"\neach event beyond the second adds about {per_event:,.0f} bytes")
    return report({f"a live incident of {many} events <= 4 KB": full <= 4096})


if __name__ == "__main__":
    sys.exit(main())
