"""The public API: each name has exactly one public home, and the reference lists it there."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import service_recovery
from service_recovery import decisions, errors, events, testing

ROOT = Path(__file__).parent.parent
HOMES: tuple[ModuleType, ...] = (service_recovery, errors, events, decisions, testing)
PROGRAMS = {"cli", "__main__"}  # public modules that are programs, not API
EVERYDAY_MOST = 60  # names at the top, beyond which the everyday API is a namespace dump


def public_names() -> list[tuple[str, str]]:
    """Every (home, name) the public modules export, `__version__` aside."""
    return [
        (home.__name__, name) for home in HOMES for name in home.__all__ if name != "__version__"
    ]


def subclasses(base: type) -> set[type]:
    """Every class of the package that derives from `base`, `base` included."""
    found: set[type] = {base}
    todo: list[type] = [base]
    while todo:
        direct: list[type] = todo.pop().__subclasses__()
        for sub in direct:
            if sub.__module__.startswith("service_recovery") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


class TestHomes:
    def test_every_public_name_has_exactly_one_home(self) -> None:
        by_name: dict[str, list[str]] = {}
        by_object: dict[int, list[str]] = {}
        for home, name in public_names():
            by_name.setdefault(name, []).append(home)
            obj = getattr(importlib.import_module(home), name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                by_object.setdefault(id(obj), []).append(f"{home}.{name}")

        assert {name: homes for name, homes in by_name.items() if len(homes) > 1} == {}
        assert [names for names in by_object.values() if len(names) > 1] == []

    def test_every_export_exists(self) -> None:
        missing = [
            f"{home}.{name}"
            for home, name in public_names()
            if not hasattr(importlib.import_module(home), name)
        ]

        assert missing == []

    def test_the_public_modules_are_the_homes(self) -> None:
        public = {
            f"service_recovery.{info.name}"
            for info in pkgutil.iter_modules(service_recovery.__path__)
            if not info.name.startswith("_") and info.name not in PROGRAMS
        }

        assert public == {home.__name__ for home in HOMES} - {"service_recovery"}

    def test_the_top_holds_the_everyday_names_only(self) -> None:
        top = set(service_recovery.__all__)

        assert len(top) <= EVERYDAY_MOST
        assert {"Incident", "RecoveryPolicy", "Money", "SlaTimer", "Scorecard"} <= top
        assert top.isdisjoint(errors.__all__)
        assert top.isdisjoint(events.__all__)
        assert top.isdisjoint(decisions.__all__)


class TestFamilies:
    def test_every_error_lives_in_errors(self) -> None:
        assert {cls.__name__ for cls in subclasses(errors.RecoveryError)} == set(errors.__all__)

    def test_every_event_lives_in_events_and_is_stored_by_name(self) -> None:
        facts = {cls.__name__ for cls in subclasses(events.Event)} - {"Event"}

        assert facts <= set(events.__all__)
        assert set(events.EVENT_TYPES) == facts
        assert all(events.EVENT_TYPES[name].__name__ == name for name in facts)

    def test_every_decision_lives_in_decisions(self) -> None:
        answers = {cls.__name__ for cls in subclasses(decisions.Decision)}

        assert answers <= set(decisions.__all__)


@pytest.fixture(scope="module")
def reference() -> list[Any]:
    """The sections of the generated API reference (docs/sphinxext/api_reference.py)."""
    pytest.importorskip("sphinx")
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        extension = importlib.import_module("sphinxext.api_reference")
    finally:
        sys.path.remove(str(ROOT / "docs"))
    sections: list[Any] = extension.topics()
    return sections


class TestReference:
    def test_every_public_name_appears_once_in_the_reference(self, reference: list[Any]) -> None:
        listed = [(topic.home, name) for topic in reference for name in topic.names]

        assert sorted(listed) == sorted(public_names())

    def test_the_top_is_grouped_by_topic_in_the_order_of_all(self, reference: list[Any]) -> None:
        top = [topic for topic in reference if topic.home == "service_recovery"]

        assert [name for topic in top for name in topic.names] == [
            name for name in service_recovery.__all__ if name != "__version__"
        ]
        assert top[0].title == "Incidents and the rules that govern them"
