"""kept: what a frozen value works out once, outside its equality, hash and pickle."""

from __future__ import annotations

import copy
import pickle

import attrs

from service_recovery._base.kept import Keeps, kept


@attrs.frozen
class Square(Keeps):
    """A frozen value that counts how often its area is worked out."""

    side: int
    calls: list[int] = attrs.field(factory=list, eq=False, repr=False)

    @kept
    def area(self) -> int:
        """The side squared."""
        self.calls.append(self.side)
        return self.side * self.side


def test_it_is_worked_out_once_per_value() -> None:
    square = Square(3)

    assert (square.area, square.area) == (9, 9)
    assert square.calls == [3]


def test_each_value_works_out_its_own() -> None:
    a, b = Square(3), Square(4)

    assert (a.area, b.area) == (9, 16)
    assert attrs.evolve(a, side=5).area == 25


def test_what_is_kept_is_outside_equality_hash_repr_and_pickle() -> None:
    asked, fresh = Square(3), Square(3)
    assert asked.area == 9

    assert asked == fresh
    assert hash(asked) == hash(fresh)
    assert repr(asked) == repr(fresh)
    assert pickle.loads(pickle.dumps(asked)).calls == [3]  # noqa: S301 (our own value)
    assert not hasattr(pickle.loads(pickle.dumps(asked)), "_kept")  # noqa: S301
    assert not hasattr(copy.copy(asked), "_kept")


def test_it_adds_no_getattr_hook_to_the_class() -> None:
    # attrs adds one for functools.cached_property, slowing every attribute read.
    assert "__getattr__" not in vars(Square)
    assert Square.area.__doc__ == "The side squared."
