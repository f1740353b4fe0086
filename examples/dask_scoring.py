"""Score a synthetic stream partitioned across Dask workers: the single-process scorecard.

The stream splits by agent (`SyntheticStream.split(parts)`), each part is simulated on a
worker, and the scorecards add up exactly, because `Scorecard + Scorecard` is the
scorecard of both inputs. The library knows nothing of Dask; this is all it takes.

Run:  .venv/bin/python examples/dask_scoring.py [INCIDENTS] [PARTS]
"""

from __future__ import annotations

import operator
import sys
from functools import partial

import dask.bag as db

from service_recovery import RecoveryPolicy, Scorecard, SyntheticStream, simulate


def score_with_dask(
    policy: RecoveryPolicy,
    stream: SyntheticStream,
    *,
    parts: int,
    scheduler: str = "processes",
    workers: int | None = None,
) -> Scorecard:
    """Simulate `stream` in `parts` Dask tasks and add their scorecards."""
    pieces = db.from_sequence(stream.split(parts), npartitions=parts)
    total = pieces.map(partial(simulate, policy)).fold(operator.add, initial=Scorecard())
    # chunksize=1: Dask's process pool otherwise hands a worker several tasks at once,
    # and with one task a part, one worker would do them all.
    result: Scorecard = total.compute(
        scheduler=scheduler, num_workers=workers or parts, chunksize=1
    )
    return result


def main(incidents: int = 2_000, parts: int = 2) -> None:
    policy = RecoveryPolicy()
    stream = SyntheticStream(seed=42, incidents=incidents, transactions_per_day=400_000)
    spread = score_with_dask(policy, stream, parts=parts)
    single = simulate(policy, stream)
    print(f"{incidents} incidents in {parts} parts on Dask: FCR {spread.fcr}, spent {spread.spent}")
    print("identical to one process:", spread == single)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
