"""The examples in examples/ run, and give what they promise."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from service_recovery import RecoveryPolicy, Scorecard, SyntheticStream, simulate

EXAMPLES = Path(__file__).parent.parent / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Dask's workers unpickle functions by module name
    spec.loader.exec_module(module)
    return module


class TestDaskScoring:
    @pytest.mark.parametrize(
        ("scheduler", "parts"), [("synchronous", 3), ("threads", 2), ("processes", 2)]
    )
    def test_dask_gives_exactly_the_single_process_scorecard(
        self, scheduler: str, parts: int
    ) -> None:
        dask_scoring = load("dask_scoring")
        policy = RecoveryPolicy()
        stream = SyntheticStream(seed=5, incidents=600, transactions_per_day=400_000)

        spread: Scorecard = dask_scoring.score_with_dask(
            policy, stream, parts=parts, scheduler=scheduler
        )

        assert spread == simulate(policy, stream)
        assert spread.incidents == 600

    def test_the_example_runs_as_a_script(self, capsys: pytest.CaptureFixture[str]) -> None:
        load("dask_scoring").main(300, 2)

        assert "identical to one process: True" in capsys.readouterr().out


class TestFrontlineLimitChart:
    def test_the_chart_in_the_docs_is_what_the_script_draws_and_fcr_rises(self) -> None:
        chart = load("frontline_limit_chart")

        points = chart.measure()

        assert chart.CHART.read_text(encoding="utf-8") == chart.draw(points), (
            "run examples/frontline_limit_chart.py"
        )
        shares = [fcr for _, fcr, _ in points]
        assert shares[0] < shares[-1]
