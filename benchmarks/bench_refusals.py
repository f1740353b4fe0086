"""Time how long the library takes to refuse the inputs that once took seconds or escaped.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_refusals.py``. Each case is a bad
input from outside (a policy file, stored data, a caller) that must be refused with a
`RecoveryError`; the script fails if one is accepted or raises anything else.

Target: every refusal takes well under a millisecond, at most 0.2 ms at the median of
its rounds (a warning threshold of ``"1e10000000"`` once took about 25 seconds).
"""

from __future__ import annotations

import statistics
import sys
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from service_recovery import Money, RecoveryPolicy, deserialize_budget, deserialize_events
from service_recovery.errors import RecoveryError

HUGE_INT = 10**5000
POLICY = RecoveryPolicy()
CASES: dict[str, Callable[[], object]] = {
    "threshold '1e10000000'": lambda: RecoveryPolicy.from_mapping(
        {"warning_thresholds": ["1e10000000"]}
    ),
    "threshold of 5,000 digits": lambda: RecoveryPolicy.from_mapping(
        {"warning_thresholds": [HUGE_INT]}
    ),
    "multiplier '1e999999'": lambda: RecoveryPolicy.from_mapping(
        {"replacement_cost_multiplier": "1e999999"}
    ),
    "duration '99999999999d'": lambda: RecoveryPolicy.from_mapping(
        {"response_time": "99999999999d"}
    ),
    "Money.of('1e1000000')": lambda: Money.of("1e1000000", "USD"),
    "Money * Decimal('1e1000000')": lambda: Money.of("1", "USD") * Decimal("1e1000000"),
    "stored score of 5,000 digits": lambda: deserialize_events(
        [
            {
                "schema": 1,
                "type": "SatisfactionRecorded",
                "incident_id": "INC-1",
                "at": "2026-11-23T09:00:00+00:00",
                "score": HUGE_INT,
            }
        ]
    ),
    "stored budget version True": lambda: deserialize_budget(
        {
            "schema": 1,
            "holder": "desk",
            "pool": {"amount": "100.00", "currency": "USD"},
            "per_incident_cap": {"amount": "50.00", "currency": "USD"},
            "period": "month",
            "zone": "UTC",
            "ledger": [],
            "version": True,
        }
    ),
    "a time in year 9999": lambda: POLICY.calendar.add(
        datetime(9999, 1, 1, tzinfo=UTC), POLICY.response_time
    ),
}
TARGET_MS = 0.2
ROUNDS = 15


def refusal_ms(case: Callable[[], object]) -> float:
    """The median time of one refusal, in milliseconds; fails if `case` is not refused."""

    def once() -> None:
        try:
            case()
        except RecoveryError:
            return
        msg = "accepted a bad input"
        raise AssertionError(msg)

    once()
    timer = timeit.Timer(once)
    number, _ = timer.autorange()
    return statistics.median(t / number * 1000 for t in timer.repeat(ROUNDS, number))


def main() -> int:
    """Print each refusal's time; exit 1 if any is over the target."""
    print(f"{'refused input':<34} {'median ms':>10}")
    slow = []
    for name, case in CASES.items():
        ms = refusal_ms(case)
        print(f"{name:<34} {ms:>10.4f}")
        if ms > TARGET_MS:
            slow.append(name)
    if slow:
        print(f"over {TARGET_MS} ms: {', '.join(slow)}")
        return 1
    print(f"every refusal under {TARGET_MS} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
