"""What a frozen value works out the first time it is asked, and keeps.

`functools.cached_property` would do, but on a slotted attrs class it makes attrs add a
``__getattr__``, and a class with one pays a Python call on every attribute read of
every instance (CPython then cannot specialise them): the simulation spent 10% more
instructions for two cached properties. `Keeps` gives a value one slot of its own, a
dict, that attrs leaves out of equality, hashing, `repr` and pickling; `kept` is the
property that fills it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class Keeps:
    """A base for frozen values with `kept` properties: the slot they are kept in."""

    __slots__ = ("_kept",)
    _kept: dict[str, Any]


class kept(Generic[T]):  # noqa: N801 (named as the decorator it is, like property)
    """A property worked out once per value, on first reading, then read from `Keeps`."""

    def __init__(self, work: Callable[[Any], T]) -> None:
        self._work = work
        self._name = work.__name__
        self.__doc__ = work.__doc__

    @overload
    def __get__(self, value: None, owner: type) -> kept[T]: ...
    @overload
    def __get__(self, value: Keeps, owner: type | None = None) -> T: ...
    def __get__(self, value: Keeps | None, owner: type | None = None) -> T | kept[T]:
        if value is None:
            return self
        known: dict[str, Any] | None = getattr(value, "_kept", None)
        if known is None:
            known = {}
            object.__setattr__(value, "_kept", known)  # a frozen value's own memo
        try:
            return known[self._name]  # type: ignore[no-any-return]
        except KeyError:
            answer = known[self._name] = self._work(value)
            return answer
