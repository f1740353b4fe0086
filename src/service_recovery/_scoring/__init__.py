"""Scoring and simulation: mergeable scorecards, and what-if runs of a policy."""

from service_recovery._scoring.scorecard import Metric, NpsTally, Scorecard, report
from service_recovery._scoring.simulation import (
    Arrival,
    Comparison,
    StreamPart,
    SyntheticStream,
    compare,
    score,
    simulate,
)

__all__ = [
    "Arrival",
    "Comparison",
    "Metric",
    "NpsTally",
    "Scorecard",
    "StreamPart",
    "SyntheticStream",
    "compare",
    "report",
    "score",
    "simulate",
]
