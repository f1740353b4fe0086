"""Measure candidates side by side, honestly: interleaved rounds, the collector on, medians.

Each round times every candidate once, in turn, so a neighbour slowing the machine slows
them all; a ratio is taken within each round and its median reported, with the spread of
the per-round ratios, instead of the best round of each (which flatters whoever had the
luckiest moment). Garbage collection stays on: a library's users run with it.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable, Mapping

import attrs


@attrs.frozen
class Timings:
    """Microseconds per call of each candidate in each round."""

    rounds: Mapping[str, tuple[float, ...]]

    def median(self, name: str) -> float:
        """The median microseconds per call of `name`."""
        return statistics.median(self.rounds[name])

    def ratios(self, slow: str, fast: str) -> tuple[float, ...]:
        """`slow`'s time over `fast`'s, one ratio per round."""
        return tuple(s / f for s, f in zip(self.rounds[slow], self.rounds[fast], strict=True))

    def ratio(self, slow: str, fast: str) -> float:
        """The median of the per-round ratios of `slow` over `fast`."""
        return statistics.median(self.ratios(slow, fast))

    def spread(self, slow: str, fast: str) -> str:
        """The lowest and highest per-round ratio, e.g. ``"9.8-11.2"``."""
        ratios = self.ratios(slow, fast)
        return f"{min(ratios):.2f}-{max(ratios):.2f}"


def interleaved(
    candidates: Mapping[str, Callable[[], object]], *, rounds: int = 15, seconds: float = 0.1
) -> Timings:
    """Time each candidate for about `seconds` per round, `rounds` times, interleaved."""
    numbers = {}
    for name, run in candidates.items():
        count, elapsed = timeit.Timer(run).autorange()
        numbers[name] = max(1, int(count * seconds / max(elapsed, 1e-9)))
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, run in candidates.items():
            # timeit turns the collector off while it times; keep it on.
            timer = timeit.Timer(run, setup="import gc; gc.enable()")
            times[name].append(timer.timeit(number=numbers[name]) / numbers[name] * 1e6)
    return Timings({name: tuple(values) for name, values in times.items()})


def report(targets: Mapping[str, bool]) -> int:
    """Print each target as met or not; the exit status is 1 if any is not met."""
    print()
    for target, met in targets.items():
        print(f"target {target}: {'met' if met else 'NOT MET'}")
    return 0 if all(targets.values()) else 1
