"""Histories and budgets to and from JSON-ready dicts, versioned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from service_recovery._base.checks import shown
from service_recovery._money.budget import CompensationBudget
from service_recovery._serialization.converter import (
    SCHEMA_VERSION,
    converter,
    structure,
    versioned,
)
from service_recovery.errors import SerializationError
from service_recovery.events import EVENT_TYPES, Event


def serialize_event(event: Event) -> dict[str, Any]:
    """Return `event` as a JSON-ready dict tagged with its type and the schema version."""
    data: dict[str, Any] = converter.unstructure(event)
    return {"schema": SCHEMA_VERSION, "type": type(event).__name__, **data}


def deserialize_event(data: object, *, path: str = "event") -> Event:
    """Rebuild an event from `serialize_event`'s dict.

    Raises:
        SerializationError: not a dict, an unknown schema or type, or a malformed field;
            the message and `err.path` name where (``events[3].at``).
    """
    fields = versioned(data, path)
    tag = fields.pop("type", None)
    kind = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if kind is None:
        msg = f"{path}.type is {shown(tag)}; expected one of {', '.join(sorted(EVENT_TYPES))}"
        raise SerializationError(msg, path=f"{path}.type")
    return structure(fields, kind, path)


def serialize_events(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Return a history as a list of JSON-ready dicts (see `serialize_event`)."""
    return [serialize_event(event) for event in events]


def deserialize_events(data: Iterable[object]) -> tuple[Event, ...]:
    """Rebuild a history; an error names the event's index (``events[3].at``)."""
    if isinstance(data, str | bytes | Mapping) or not isinstance(data, Iterable):
        msg = f"events must be a list of dicts, got {type(data).__name__}"
        raise SerializationError(msg, path="events")
    return tuple(deserialize_event(item, path=f"events[{i}]") for i, item in enumerate(data))


# ---------------------------------------------------------------------- policies as data


def serialize_budget(budget: CompensationBudget) -> dict[str, Any]:
    """Return a budget, its ledger included, as a JSON-ready dict with the schema version.

    Store it with compare-and-set on `budget.version` (see the compensation docs).
    """
    data: dict[str, Any] = converter.unstructure(budget)
    return {"schema": SCHEMA_VERSION, **data}


def deserialize_budget(data: object, *, path: str = "budget") -> CompensationBudget:
    """Rebuild a budget from `serialize_budget`'s dict; its ledger is checked grant by grant.

    Raises:
        SerializationError: malformed data, or a ledger no budget could have recorded
            (out of time order, over the pool or the cap, a reference twice, a `version`
            below the number of grants); the path names where.
    """
    return structure(versioned(data, path), CompensationBudget, path)
