"""The checks every value and command shares: bounded numbers, short messages, paths."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from service_recovery._base.checks import each, number, shown, text, unchecked, valid, whole
from service_recovery.errors import InvalidTypeError, InvalidValueError


class TestShown:
    def test_a_small_value_is_its_repr(self) -> None:
        assert shown("chat") == "'chat'"

    def test_an_int_too_long_to_print_is_described(self) -> None:
        assert shown(10**5000) == "an int of about 5000 digits"

    def test_a_container_holding_such_an_int_is_named_by_its_type(self) -> None:
        assert shown([10**5000]) == "a list"

    def test_a_long_string_is_cut(self) -> None:
        assert shown("x" * 1000) == "'" + "x" * 118 + "…"

    def test_a_repr_that_raises_is_named_by_its_type(self) -> None:
        class Rude:
            def __repr__(self) -> str:
                raise RuntimeError

        assert shown(Rude()) == "a Rude"


class TestNumber:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [("0.75", Decimal("0.75")), (3, Decimal(3)), (Decimal("1e-30"), Decimal("1e-30"))],
    )
    def test_numbers_in_range_pass(self, value: object, expected: Decimal) -> None:
        assert number(value, "ratio") == expected

    @pytest.mark.parametrize(
        "value",
        ["1e10000000", "1e-10000000", Decimal("1e1000000"), 10**31, -(10**5000), "9" * 65],
        ids=["huge str", "tiny str", "huge Decimal", "int 10**31", "int of 5000 digits", "long"],
    )
    def test_numbers_far_out_of_range_are_refused_before_any_arithmetic(
        self, value: object
    ) -> None:
        with pytest.raises(InvalidValueError, match="ratio"):
            number(value, "ratio")

    @pytest.mark.parametrize("value", ["NaN", "sNaN", "-Infinity", "twelve"])
    def test_not_finite_numbers_are_refused(self, value: str) -> None:
        with pytest.raises(InvalidValueError, match="ratio"):
            number(value, "ratio")

    @pytest.mark.parametrize("value", [0.5, True, None, [1]])
    def test_other_types_are_refused(self, value: object) -> None:
        with pytest.raises(InvalidTypeError, match="ratio"):
            number(value, "ratio")


class TestWhole:
    def test_a_count_in_range_passes(self) -> None:
        assert whole(3, "count", 0, 10) == 3

    def test_a_huge_count_is_refused_without_printing_it(self) -> None:
        with pytest.raises(InvalidValueError, match="got an int of about 5000 digits"):
            whole(10**5000, "count", 0, 10)

    def test_a_bool_is_not_a_count(self) -> None:
        with pytest.raises(InvalidTypeError, match="count must be a whole number"):
            whole(True, "count", 0, 10)


@attrs.frozen
class Named:
    name: str = attrs.field(validator=valid(text))
    tags: tuple[str, ...] = attrs.field(default=(), validator=valid(each(text)))


class TestValid:
    def test_an_error_names_the_field_as_its_path(self) -> None:
        with pytest.raises(InvalidTypeError) as refused:
            Named(name=3)  # type: ignore[arg-type]

        assert refused.value.path == "name"

    def test_an_error_in_a_list_names_the_item(self) -> None:
        with pytest.raises(InvalidValueError) as refused:
            Named(name="ana", tags=("vip", " "))

        assert refused.value.path == "tags[1]"


class TestUnchecked:
    def test_it_builds_the_value_the_constructor_builds(self) -> None:
        built = unchecked(Named, name="ana", tags=("vip",))

        assert built == Named(name="ana", tags=("vip",))
        assert hash(built) == hash(Named(name="ana", tags=("vip",)))

    def test_it_trusts_every_field(self) -> None:
        assert unchecked(Named, name=" ", tags=()).name == " "  # Named(name=" ") is refused
