"""Count the CPU instructions `simulate` spends per incident, under valgrind's callgrind.

Seconds on a shared VM move by 15% with its neighbours; instruction counts repeat to
the last digits, so they tell whether a change made the simulation cheaper. The count is
the difference between two sizes, divided by the extra incidents: start-up and imports
cancel out.

Run: .venv/bin/python benchmarks/count_instructions.py [--sizes 300 1300]
(needs valgrind; a run takes about a minute)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ONE_RUN = """
from service_recovery import RecoveryPolicy, SyntheticStream, simulate
stream = SyntheticStream(seed=1, incidents={size}, transactions_per_day=1_000_000)
simulate(RecoveryPolicy(), stream)
"""


def instructions(size: int) -> int:
    """Instructions executed by a fresh interpreter that simulates `size` incidents."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={Path(folder) / 'out'}",
            sys.executable,
            "-c",
            ONE_RUN.format(size=size),
        ]
        # The same set and dict orders each run, and no .pyc written by the first run
        # only: both sizes compile the same modules.
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        msg = f"callgrind failed (exit {done.returncode}):\n{done.stderr}"
        raise RuntimeError(msg)
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs=2, default=[300, 1300])
    small, large = parser.parse_args().sizes
    if not 0 <= small < large:
        parser.error(f"--sizes needs a smaller size first, got {small} and {large}")
    if shutil.which("valgrind") is None:
        print("valgrind is not installed; install it (apt install valgrind) to count")
        return 1
    per_incident = (instructions(large) - instructions(small)) / (large - small)
    print(f"simulate: {per_incident:,.0f} instructions per incident")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
