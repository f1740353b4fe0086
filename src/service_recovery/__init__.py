"""service_recovery: service-recovery policy as code.

Incidents move through the recovery steps as event-sourced values; policies decide with
reasons that trace to the rules of docs/rules.md. This module holds the everyday API,
grouped by topic; the uniform families have public modules of their own:
`service_recovery.errors`, `service_recovery.events`, `service_recovery.decisions`, and
the test kit `service_recovery.testing`.
"""

from importlib.metadata import version as _version

from service_recovery._money import (
    Actor,
    AuthorityLadder,
    AuthorityLevel,
    CompensationBudget,
    Grant,
    Money,
    Offer,
    Period,
    minor_unit,
    rank_offers,
    value_per_cost,
)
from service_recovery._recovery import (
    TRANSITIONS,
    Action,
    BySeverity,
    Category,
    Channel,
    Incident,
    IncidentRecord,
    Promise,
    RecoveryPolicy,
    Severity,
    Step,
    allowed_actions,
    to_mermaid,
)
from service_recovery._scoring import (
    Arrival,
    Comparison,
    Metric,
    NpsTally,
    Scorecard,
    StreamPart,
    SyntheticStream,
    compare,
    report,
    score,
    simulate,
)
from service_recovery._serialization import (
    SCHEMA_VERSION,
    deserialize_budget,
    deserialize_event,
    deserialize_events,
    serialize_budget,
    serialize_event,
    serialize_events,
)
from service_recovery._time import (
    BusinessCalendar,
    Pause,
    PauseClock,
    SlaStatus,
    SlaTimer,
    Weekday,
    WorkingHours,
)

__version__ = _version("service-recovery")

# By topic, in the order the reference presents them (docs/sphinxext/api_reference.py).
__all__ = [  # noqa: RUF022 (grouped by topic, not sorted)
    # incidents and the rules that govern them
    "Incident",
    "IncidentRecord",
    "Promise",
    "Step",
    "Action",
    "TRANSITIONS",
    "allowed_actions",
    "to_mermaid",
    "Channel",
    "Category",
    "Severity",
    "BySeverity",
    "RecoveryPolicy",
    # business time
    "BusinessCalendar",
    "WorkingHours",
    "Weekday",
    "SlaTimer",
    "SlaStatus",
    "Pause",
    "PauseClock",
    # money and compensation
    "Money",
    "minor_unit",
    "AuthorityLadder",
    "AuthorityLevel",
    "Actor",
    "CompensationBudget",
    "Grant",
    "Period",
    "Offer",
    "rank_offers",
    "value_per_cost",
    # storage
    "SCHEMA_VERSION",
    "serialize_events",
    "deserialize_events",
    "serialize_event",
    "deserialize_event",
    "serialize_budget",
    "deserialize_budget",
    # scoring and simulation
    "Scorecard",
    "Metric",
    "NpsTally",
    "report",
    "simulate",
    "score",
    "compare",
    "Comparison",
    "SyntheticStream",
    "StreamPart",
    "Arrival",
    "__version__",
]
