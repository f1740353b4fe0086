"""Time `simulate` at growing sizes, and the same stream on Dask with one and two workers.

Each size runs in a fresh process, so its peak memory (ru_maxrss) is its own. Prints
incidents per second and peak memory per size, whether time grows linearly and memory
stays flat, and the Dask speed-up.

Run: .venv/bin/python benchmarks/bench_simulation.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent

ONE_RUN = """
import json, resource, sys, time
sys.path.insert(0, {examples!r})
from service_recovery import RecoveryPolicy, SyntheticStream, simulate
stream = SyntheticStream(seed=1, incidents={size}, transactions_per_day=1_000_000)
started = time.perf_counter()
if {workers} == 0:
    card = simulate(RecoveryPolicy(), stream)
else:
    from dask_scoring import score_with_dask
    card = score_with_dask(RecoveryPolicy(), stream, parts={workers}, workers={workers})
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "incidents": card.incidents}}))
"""


def run(size: int, workers: int = 0) -> dict[str, float]:
    """Simulate `size` incidents in a fresh process (on Dask with `workers` if > 0)."""
    code = ONE_RUN.format(examples=str(ROOT / "examples"), size=size, workers=workers)
    command = [sys.executable, "-c", code]  # our own code, with our own numbers
    out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["incidents"] == size  # noqa: S101 (every incident was scored)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; one process per run; {time.strftime('%Y-%m-%d')}")
    print()
    print("| incidents | seconds | incidents/s | peak MB |")
    print("|----------:|--------:|------------:|--------:|")
    results = {}
    for size in args.sizes:
        results[size] = result = run(size)
        rate = size / result["seconds"]
        seconds, peak = result["seconds"], result["peak_mb"]
        print(f"| {size:>9,} | {seconds:>7.1f} | {rate:>11,.0f} | {peak:>7.0f} |")
    smallest, largest = min(results), max(results)
    growth = results[largest]["seconds"] / results[smallest]["seconds"]
    memory = results[largest]["peak_mb"] / results[smallest]["peak_mb"]
    print()
    print(
        f"time x{growth:.1f} for x{largest // smallest} incidents (linear: x{largest // smallest})"
    )
    print(f"peak memory x{memory:.2f} for x{largest // smallest} incidents (flat: x1)")
    one, two = run(largest, workers=1), run(largest, workers=2)
    speedup = one["seconds"] / two["seconds"]
    print()
    print(f"Dask on {largest:,}: 1 worker {one['seconds']:.1f} s, 2 workers {two['seconds']:.1f} s")
    print(f"speed-up x{speedup:.2f} (target >= 1.6)")
    if largest >= 1_000_000:
        under = results[largest]["seconds"] < 60 and results[largest]["peak_mb"] < 300
        print(f"target 1M in < 60 s and < 300 MB in one process: {'met' if under else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
