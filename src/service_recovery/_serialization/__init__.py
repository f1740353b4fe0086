"""Storage: histories and budgets to and from JSON-ready dicts with a schema version."""

from service_recovery._serialization.converter import SCHEMA_VERSION
from service_recovery._serialization.stored import (
    deserialize_budget,
    deserialize_event,
    deserialize_events,
    serialize_budget,
    serialize_event,
    serialize_events,
)

__all__ = [
    "SCHEMA_VERSION",
    "deserialize_budget",
    "deserialize_event",
    "deserialize_events",
    "serialize_budget",
    "serialize_event",
    "serialize_events",
]
