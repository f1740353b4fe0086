"""The authority ladder (R3) and offers (R4, R17)."""

from __future__ import annotations

import pytest

from service_recovery import (
    AuthorityError,
    AuthorityLadder,
    AuthorityLevel,
    InvalidTypeError,
    InvalidValueError,
    Money,
    Offer,
    RuleViolation,
)


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


class TestAuthorityLadder:
    def test_r3_lowest_able_is_the_first_level_whose_limit_covers_the_amount(self) -> None:
        ladder = AuthorityLadder.default()

        assert ladder.lowest_able(usd(100)) == ladder.level("frontline")
        assert ladder.lowest_able(usd("100.01")) == ladder.level("supervisor")
        assert ladder.lowest_able(usd(2000)) == ladder.level("manager")
        assert ladder.lowest_able(usd("2000.01")) is None

    def test_levels_are_ordered_and_named(self) -> None:
        ladder = AuthorityLadder.default()

        assert ladder.names == ("frontline", "supervisor", "manager")
        assert (ladder.lowest.name, ladder.highest.name) == ("frontline", "manager")
        assert ladder.rank("manager") == 2
        assert ladder.currency == "USD"

    def test_an_unknown_level_lists_the_known_ones(self) -> None:
        with pytest.raises(AuthorityError, match=r"unknown authority level 'ceo'.*frontline"):
            AuthorityLadder.default().level("ceo")

    def test_an_amount_in_another_currency_is_refused(self) -> None:
        with pytest.raises(AuthorityError, match="pass USD"):
            AuthorityLadder.default().lowest_able(Money.of(5, "EUR"))

    @pytest.mark.parametrize(
        ("levels", "message"),
        [
            ([], "at least one level"),
            ([("a", usd(10)), ("a", usd(20))], r"levels\[1\]: the name 'a' is used twice"),
            ([("a", usd(20)), ("b", usd(20))], r"levels\[1\] 'b' has limit 20.00 USD, not above"),
            ([("a", usd(20)), ("b", usd(10))], "limits must rise strictly"),
            ([("a", usd(20)), ("b", Money.of(30, "EUR"))], r"levels\[1\] 'b' is in EUR"),
        ],
    )
    def test_malformed_ladders_are_refused_naming_the_level(
        self, levels: list[tuple[str, Money]], message: str
    ) -> None:
        with pytest.raises(AuthorityError, match=message):
            AuthorityLadder(AuthorityLevel(name, limit) for name, limit in levels)

    def test_a_level_needs_a_name_and_a_positive_limit(self) -> None:
        with pytest.raises(InvalidValueError):
            AuthorityLevel(" ", usd(10))
        with pytest.raises(AuthorityError, match="positive Money limit"):
            AuthorityLevel("frontline", usd(0))

    def test_levels_must_be_authority_levels(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"levels\[0\]"):
            AuthorityLadder([("frontline", usd(10))])  # type: ignore[list-item]


class TestOffer:
    def test_r17_a_not_possible_offer_must_name_an_alternative(self) -> None:
        with pytest.raises(RuleViolation, match=r"R17.*never a bare 'no'") as caught:
            Offer("full refund", usd(200), usd(200), possible=False)

        assert caught.value.rule == "R17"

    def test_r17_the_alternative_must_itself_be_possible(self) -> None:
        voucher = Offer("voucher", usd(20), usd(50))
        impossible = Offer("refund", usd(200), usd(200), possible=False, alternative=voucher)

        with pytest.raises(RuleViolation, match="R17"):
            Offer("cash", usd(200), usd(200), possible=False, alternative=impossible)

    def test_r17_yes_we_can_at_a_price(self) -> None:
        express = Offer("express shipping", usd(15), usd(40), price=usd(10))

        assert express.price == usd(10)
        assert express.choice is express

    def test_the_choice_of_a_not_possible_offer_is_its_alternative(self) -> None:
        voucher = Offer("voucher", usd(20), usd(50))

        refund = Offer("refund", usd(200), usd(200), possible=False, alternative=voucher)

        assert refund.choice is voucher

    def test_a_possible_offer_has_no_alternative(self) -> None:
        with pytest.raises(InvalidValueError, match="only a not-possible offer"):
            Offer("voucher", usd(20), usd(50), alternative=Offer("x", usd(1), usd(1)))

    @pytest.mark.parametrize("field", ["cost", "value", "price"])
    def test_amounts_are_money_of_zero_or_more(self, field: str) -> None:
        amounts = {"cost": usd(1), "value": usd(1), "price": usd(1), field: usd(-1)}

        with pytest.raises(InvalidValueError, match=field):
            Offer("voucher", amounts["cost"], amounts["value"], price=amounts["price"])
