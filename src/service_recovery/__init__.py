"""service_recovery: service-recovery policy as code.

Incidents move through the recovery steps as event-sourced values; policies decide with
reasons that trace to the rules of DOMAIN.md. This module is the whole public API.
"""

from importlib.metadata import version as _version

from ._classification import Category, Channel, Severity
from ._compensation import AuthorityLadder, AuthorityLevel, Offer
from ._decisions import Reason
from ._errors import (
    ApprovalError,
    AuthorityError,
    BudgetExceeded,
    CalendarError,
    CurrencyMismatch,
    FloatAmountError,
    InvalidAmountError,
    InvalidTransition,
    InvalidTypeError,
    InvalidValueError,
    MoneyError,
    NaiveDatetimeError,
    PolicyError,
    RecoveryError,
    ReplayError,
    RuleViolation,
    SerializationError,
    TimerError,
    TimeWentBackwards,
    UnknownCurrencyError,
)
from ._events import (
    Abandoned,
    Acknowledged,
    Closed,
    CustomerContacted,
    Declined,
    Escalated,
    Event,
    HandedOff,
    OptionsOffered,
    PromiseMade,
    Received,
    Resolved,
    Restated,
    SatisfactionRecorded,
    SeverityRaised,
)
from ._incident import Incident, Promise
from ._lifecycle import TRANSITIONS, Action, Step, allowed_actions, to_mermaid
from ._money import Money, minor_unit
from ._policy import RecoveryPolicy
from ._serialization import (
    SCHEMA_VERSION,
    deserialize_event,
    deserialize_events,
    serialize_event,
    serialize_events,
)

__version__ = _version("service-recovery")

__all__ = [
    "SCHEMA_VERSION",
    "TRANSITIONS",
    "Abandoned",
    "Acknowledged",
    "Action",
    "ApprovalError",
    "AuthorityError",
    "AuthorityLadder",
    "AuthorityLevel",
    "BudgetExceeded",
    "CalendarError",
    "Category",
    "Channel",
    "Closed",
    "CurrencyMismatch",
    "CustomerContacted",
    "Declined",
    "Escalated",
    "Event",
    "FloatAmountError",
    "HandedOff",
    "Incident",
    "InvalidAmountError",
    "InvalidTransition",
    "InvalidTypeError",
    "InvalidValueError",
    "Money",
    "MoneyError",
    "NaiveDatetimeError",
    "Offer",
    "OptionsOffered",
    "PolicyError",
    "Promise",
    "PromiseMade",
    "Reason",
    "Received",
    "RecoveryError",
    "RecoveryPolicy",
    "ReplayError",
    "Resolved",
    "Restated",
    "RuleViolation",
    "SatisfactionRecorded",
    "SerializationError",
    "Severity",
    "SeverityRaised",
    "Step",
    "TimeWentBackwards",
    "TimerError",
    "UnknownCurrencyError",
    "__version__",
    "allowed_actions",
    "deserialize_event",
    "deserialize_events",
    "minor_unit",
    "serialize_event",
    "serialize_events",
    "to_mermaid",
]
