"""Money: exact amounts, one currency at a time."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service_recovery import Money, minor_unit
from service_recovery._money.money import money_sum
from service_recovery.errors import (
    CurrencyMismatch,
    FloatAmountError,
    InvalidAmountError,
    InvalidTypeError,
    MoneyError,
    UnknownCurrencyError,
)
from service_recovery.testing import money


class TestMoney:
    def test_amount_is_quantized_to_the_currency_minor_unit(self) -> None:
        assert Money.of("12.5", "USD").amount == Decimal("12.50")
        assert Money.of("1000", "JPY").amount == Decimal(1000)
        assert Money.of("1.5", "KWD").amount == Decimal("1.500")
        assert str(Money.of(7, "EUR")) == "7.00 EUR"

    def test_minor_units_follow_iso_4217(self) -> None:
        assert (minor_unit("USD"), minor_unit("JPY"), minor_unit("BHD")) == (2, 0, 3)

    def test_float_amount_is_refused_with_a_hint_to_pass_a_string(self) -> None:
        with pytest.raises(FloatAmountError, match=r"Money\.of\('0\.1', 'USD'\)"):
            Money.of(0.1, "USD")  # type: ignore[arg-type]

    def test_float_amount_is_refused_by_the_constructor_too(self) -> None:
        with pytest.raises(FloatAmountError):
            Money(0.1, "USD")  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", ["NaN", "Infinity", "-inf", "twelve", ""])
    def test_non_finite_or_malformed_amounts_are_refused(self, bad: str) -> None:
        with pytest.raises(InvalidAmountError, match=repr(bad)):
            Money.of(bad, "USD")

    @pytest.mark.parametrize(
        "huge",
        ["1e1000000", "-1e15", Decimal("1e1000000"), 10**15, -(10**5000), "1" * 65],
        ids=["1e1000000", "-1e15", "Decimal 1e1000000", "int 10**15", "int of 5000 digits", "long"],
    )
    def test_an_amount_beyond_the_limit_is_refused_saying_what_is_allowed(
        self, huge: str | int | Decimal
    ) -> None:
        with pytest.raises(InvalidAmountError, match=r"10\*\*15|longer than 64"):
            Money.of(huge, "USD")
        with pytest.raises(InvalidAmountError, match=r"10\*\*15|longer than 64"):
            Money(huge, "USD")  # type: ignore[arg-type]

    def test_the_largest_amount_below_the_limit_is_money(self) -> None:
        assert Money.of("-999999999999999.99", "USD").amount == Decimal("-999999999999999.99")

    def test_a_tiny_amount_is_too_precise_not_an_overflow(self) -> None:
        with pytest.raises(InvalidAmountError, match="more than 2 decimal places"):
            Money.of("1e-1000000", "USD")

    def test_zero_with_any_exponent_is_zero(self) -> None:
        assert Money.of("0e-2000000", "USD") == Money.zero("USD")

    @pytest.mark.parametrize(
        "factor",
        [Decimal("1e1000000"), Decimal("1e-1000000"), 10**40, -(10**5000)],
        ids=["Decimal 1e1000000", "Decimal 1e-1000000", "int 10**40", "int of 5000 digits"],
    )
    def test_multiplying_by_a_factor_out_of_range_is_refused_not_an_overflow(
        self, factor: int | Decimal
    ) -> None:
        with pytest.raises(
            InvalidAmountError, match=r"a factor lies within 10\*\*-30 and 10\*\*30"
        ):
            Money.of("1", "USD") * factor

    def test_an_amount_too_precise_for_the_currency_is_refused_not_rounded(self) -> None:
        with pytest.raises(InvalidAmountError, match=r"more than 2 decimal places.*'12\.34'"):
            Money.of("12.345", "USD")

    def test_a_bool_or_other_object_is_not_an_amount(self) -> None:
        with pytest.raises(InvalidTypeError, match="bool"):
            Money.of(True, "USD")
        with pytest.raises(InvalidTypeError, match="list"):
            Money.of([1], "USD")  # type: ignore[arg-type]

    @pytest.mark.parametrize("code", ["usd", "US", "DOLLAR", "ABC"])
    def test_malformed_or_unknown_currency_codes_are_refused(self, code: str) -> None:
        with pytest.raises(UnknownCurrencyError, match=repr(code)):
            Money.of("1", code)

    def test_lowercase_code_error_suggests_the_uppercase_one(self) -> None:
        with pytest.raises(UnknownCurrencyError, match="did you mean 'EUR'"):
            Money.of("1", "eur")

    def test_currency_must_be_a_string(self) -> None:
        with pytest.raises(InvalidTypeError, match="ISO 4217"):
            Money.of("1", 840)  # type: ignore[arg-type]

    def test_mixed_currencies_are_refused_for_arithmetic_and_comparison(self) -> None:
        usd, eur = Money.of("1", "USD"), Money.of("1", "EUR")

        with pytest.raises(CurrencyMismatch, match="convert one of them to USD") as err:
            usd + eur
        assert (err.value.left, err.value.right) == ("USD", "EUR")
        with pytest.raises(CurrencyMismatch):
            usd - eur
        with pytest.raises(CurrencyMismatch):
            _ = usd < eur

    def test_money_only_meets_money(self) -> None:
        with pytest.raises(InvalidTypeError, match="pass Money"):
            Money.of("1", "USD") + Decimal(1)  # type: ignore[operator]

    def test_multiplication_rounds_half_to_even_and_refuses_floats(self) -> None:
        assert Money.of("0.05", "USD") * Decimal("0.5") == Money.of("0.02", "USD")
        assert 3 * Money.of("1.10", "USD") == Money.of("3.30", "USD")
        with pytest.raises(FloatAmountError):
            Money.of("1", "USD") * 1.5  # type: ignore[operator]
        with pytest.raises(InvalidTypeError):
            Money.of("1", "USD") * "2"  # type: ignore[operator]

    def test_a_product_stays_below_the_limit_and_never_negative_zero(self) -> None:
        largest = Money.of("999999999999999.99", "USD")
        with pytest.raises(InvalidAmountError, match=r"rounds to 1000000000000000\.00"):
            largest * Decimal("1.000000000000000006")
        assert str(Money.of("-0.01", "USD") * Decimal("0.1")) == "0.00 USD"

    def test_every_money_error_is_a_recovery_error_and_a_builtin(self) -> None:
        assert issubclass(FloatAmountError, MoneyError)
        assert issubclass(FloatAmountError, TypeError)
        assert issubclass(CurrencyMismatch, ValueError)

    def test_zero_and_sign(self) -> None:
        assert Money.zero("USD").is_zero
        assert not Money.zero("USD").is_positive
        assert (-Money.of("2", "USD")).amount == Decimal("-2.00")

    @given(money("EUR"), money("EUR"), money("EUR"))
    def test_addition_is_exact_associative_and_undone_by_subtraction(
        self, a: Money, b: Money, c: Money
    ) -> None:
        assert (a + b) + c == a + (b + c)
        assert (a + b) - b == a
        assert (a + b).amount == a.amount + b.amount

    @given(money("USD"), money("USD"))
    def test_ordering_agrees_with_the_amounts(self, a: Money, b: Money) -> None:
        assert (a < b) == (a.amount < b.amount)
        assert (a <= b) == (a.amount <= b.amount)
        assert (a > b) == (a.amount > b.amount)
        assert (a >= b) == (a.amount >= b.amount)

    @given(st.from_type(Money))
    def test_registered_strategy_gives_valid_money(self, value: Money) -> None:
        assert value == Money.of(str(value.amount), value.currency)


_BELOW_THE_LIMIT = "amounts stay below 10**15 so that sums stay exact"


class TestMoneyContracts:
    """What the messages and boundaries promise, each case a mutant once let through."""

    def test_zero_and_negation_keep_the_currency(self) -> None:
        assert Money.zero("KWD") == Money.of("0", "KWD")
        assert str(Money.zero("KWD")) == "0.000 KWD"
        assert -Money.of("2", "JPY") == Money.of("-2", "JPY")
        assert str(-Money.of("2", "JPY")) == "-2 JPY"

    @pytest.mark.parametrize(
        ("operation", "verb"),
        [
            (lambda a, b: a + b, "add"),
            (lambda a, b: a - b, "subtract"),
            (lambda a, b: a < b, "compare"),
            (lambda a, b: a <= b, "compare"),
            (lambda a, b: a > b, "compare"),
            (lambda a, b: a >= b, "compare"),
        ],
        ids=["+", "-", "<", "<=", ">", ">="],
    )
    def test_a_currency_mismatch_names_the_operation_and_both_amounts(
        self, operation: Callable[[Money, Money], object], verb: str
    ) -> None:
        with pytest.raises(CurrencyMismatch) as refused:
            operation(Money.of("1", "USD"), Money.of("2", "EUR"))

        assert str(refused.value) == (
            f"cannot {verb} 1.00 USD and 2.00 EUR: the currencies differ; "
            "convert one of them to USD first"
        )

    @pytest.mark.parametrize(
        ("factor", "error", "message"),
        [
            (1.5, FloatAmountError, "by the float 1.5; pass an int or Decimal"),
            ("2", InvalidTypeError, "by str '2'; pass Decimal"),
            (Decimal("NaN"), InvalidAmountError, "by NaN; pass a finite Decimal"),
            (
                Decimal("1e31"),
                InvalidAmountError,
                (
                    "by Decimal('1E+31'); a factor lies within 10**-30 and 10**30, with at most "
                    "40 digits"
                ),
            ),
            (
                2**100,
                InvalidAmountError,
                f"by {2**100}; a factor lies within 10**-30 and 10**30, with at most 40 digits",
            ),
        ],
        ids=["float", "str", "NaN", "Decimal 1e31", "int 2**100"],
    )
    def test_a_refused_factor_is_named_with_what_would_do(
        self, factor: object, error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error) as refused:
            Money.of("1", "USD") * factor  # type: ignore[operator]

        assert str(refused.value) == f"cannot multiply 1.00 USD {message}"

    @pytest.mark.parametrize(
        "factor",
        [2**99, Decimal("1e30"), Decimal("1e-30")],
        ids=["int of 100 bits", "Decimal 1e30", "Decimal 1e-30"],
    )
    def test_a_factor_at_the_edge_of_its_range_is_allowed(self, factor: int | Decimal) -> None:
        assert Money.zero("USD") * factor == Money.zero("USD")
        assert Money.of("0.01", "USD") * Decimal("1e-30") == Money.zero("USD")

    def test_a_product_of_exactly_the_limit_is_too_large(self) -> None:
        with pytest.raises(InvalidAmountError) as refused:
            Money.of("100000000000000", "USD") * 10

        assert str(refused.value) == (
            "100000000000000.00 USD times 10 is too large; amounts stay below 10**15"
        )

    def test_a_product_rounds_half_to_even_whatever_the_callers_decimal_context(self) -> None:
        with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
            assert Money.of("0.05", "USD") * Decimal("0.5") == Money.of("0.02", "USD")

    @pytest.mark.parametrize(
        ("amount", "currency", "error", "message"),
        [
            (
                0.1,
                "USD",
                FloatAmountError,
                (
                    "0.1 is a float and cannot hold money exactly; pass a str or Decimal, "
                    "e.g. Money.of('0.1', 'USD')"
                ),
            ),
            (
                "1" * 65,
                "USD",
                InvalidAmountError,
                f"'{'1' * 65}' is longer than 64 characters for an amount",
            ),
            (2**50, "USD", InvalidAmountError, f"{2**50} is too large; {_BELOW_THE_LIMIT}"),
            ("1e15", "USD", InvalidAmountError, f"'1e15' is too large; {_BELOW_THE_LIMIT}"),
            (
                "12.345",
                "USD",
                InvalidAmountError,
                (
                    "'12.345' has more than 2 decimal places, the minor unit of USD; "
                    "round it first, e.g. '12.34'"
                ),
            ),
            (
                "1",
                840,
                InvalidTypeError,
                "currency must be an ISO 4217 code such as 'USD', got int 840",
            ),
            (
                "1",
                "ABC",
                UnknownCurrencyError,
                "'ABC' is not an active ISO 4217 currency code (e.g. 'USD', 'EUR', 'JPY')",
            ),
        ],
        ids=["float", "long text", "int of 51 bits", "1e15", "too precise", "int code", "ABC"],
    )
    def test_a_refused_amount_or_code_is_named_with_what_would_do(
        self, amount: object, currency: object, error: type[Exception], message: str
    ) -> None:
        # The hint rounds half to even whatever the caller's decimal context says.
        with decimal.localcontext(rounding=decimal.ROUND_HALF_UP), pytest.raises(error) as refused:
            Money.of(amount, currency)  # type: ignore[arg-type]

        assert str(refused.value) == message

    def test_only_money_meets_money_and_the_message_names_the_other_value(self) -> None:
        with pytest.raises(InvalidTypeError) as refused:
            Money.of("1", "USD") + 1  # type: ignore[operator]

        assert str(refused.value) == "cannot add 1.00 USD and int 1; pass Money"

    def test_amounts_at_the_edge_of_the_limits_are_money(self) -> None:
        assert Money.of("0" * 64, "USD") == Money.zero("USD")
        assert Money.of(2**49, "USD").amount == Decimal(2**49)

    def test_negative_zero_is_zero(self) -> None:
        assert str(Money.of("-0.00", "USD")) == "0.00 USD"
        assert not Money.of("-0", "USD").amount.is_signed()

    def test_money_sum_adds_amounts_of_one_currency_from_its_zero(self) -> None:
        assert money_sum([Decimal("1.50"), Decimal("2.25")], "USD") == Money.of("3.75", "USD")
        assert str(money_sum([], "KWD")) == "0.000 KWD"
        with pytest.raises(UnknownCurrencyError):
            money_sum([], "usd")


class TestEdges:
    def test_negative_zero_is_zero(self) -> None:
        assert str(Money.of("-0", "USD")) == "0.00 USD"
        assert Money.of("-0", "USD") == Money.zero("USD")

    def test_an_amount_of_too_many_digits_is_refused_before_rounding(self) -> None:
        with pytest.raises(InvalidAmountError) as caught:
            Money.of(Decimal("0." + "1" * 45), "USD")

        assert str(caught.value) == (
            "an amount has at most 40 digits, got 0.111111…; round it first"
        )
