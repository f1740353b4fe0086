"""Money: an exact Decimal amount in one ISO 4217 currency, quantized to its minor unit."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal

import attrs

from service_recovery._base.checks import (
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_NUMBER_TEXT,
    described,
    shown,
    too_long,
)
from service_recovery.errors import (
    CurrencyMismatch,
    FloatAmountError,
    InvalidAmountError,
    InvalidTypeError,
    UnknownCurrencyError,
)

# Active ISO 4217 codes by the number of digits after the decimal point (their minor unit).
# Most currencies use two; the exceptions are listed by their own count.
_TWO_DIGITS = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP
BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD
KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD
NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP
SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED
VES WST XCD XCG YER ZAR ZMW ZWG
"""
_ZERO_DIGITS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO_DIGITS.split(), 2),
    **dict.fromkeys(_ZERO_DIGITS.split(), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
_LIMIT_DIGITS = 15
LIMIT = Decimal(10) ** _LIMIT_DIGITS
"""Amounts stay below a quadrillion, so sums of millions of them keep every cent."""
_LIMIT_BITS = 50  # 2**50 > 10**15: an int longer than this is over the limit
_FACTOR_BITS = 100  # 2**100 > 10**30
_QUANTUM: dict[str, Decimal] = {code: Decimal(1).scaleb(-n) for code, n in _MINOR_UNITS.items()}


def minor_unit(currency: str) -> int:
    """Return how many decimal places `currency` uses (2 for USD, 0 for JPY, 3 for KWD)."""
    return _MINOR_UNITS[_currency(currency)]


def _currency(code: object) -> str:
    if not isinstance(code, str):
        msg = f"currency must be an ISO 4217 code such as 'USD', got {described(code)}"
        raise InvalidTypeError(msg)
    if code not in _MINOR_UNITS:
        hint = f"; did you mean {shown(code.upper())}?" if code.upper() in _MINOR_UNITS else ""
        msg = (
            f"{shown(code)} is not an active ISO 4217 currency code (e.g. 'USD', 'EUR', "
            f"'JPY'){hint}"
        )
        raise UnknownCurrencyError(msg)
    return code


def _amount(value: object, currency: str) -> Decimal:
    """Turn `value` into an exact Decimal with the currency's number of places."""
    if type(value) is str and len(value) <= MAX_NUMBER_TEXT:  # the commonest: stored, typed
        return _quantized(value, value.strip(), currency)
    if isinstance(value, float):
        msg = (
            f"{shown(value)} is a float and cannot hold money exactly; pass a str or Decimal, "
            f"e.g. Money.of({shown(str(value))}, {shown(currency)})"
        )
        raise FloatAmountError(msg)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        msg = f"an amount must be a str, int or Decimal, got {described(value)}"
        raise InvalidTypeError(msg)
    if isinstance(value, str) and len(value) > MAX_NUMBER_TEXT:
        msg = f"{shown(value)} is longer than {MAX_NUMBER_TEXT} characters for an amount"
        raise InvalidAmountError(msg)
    if isinstance(value, int) and value.bit_length() > _LIMIT_BITS:
        msg = f"{shown(value)} is too large; amounts stay below 10**15 so that sums stay exact"
        raise InvalidAmountError(msg)
    return _quantized(value, value.strip() if isinstance(value, str) else value, currency)


def _quantized(value: object, number: Decimal | int | str, currency: str) -> Decimal:
    """`number` (`value` as given, stripped) as a Decimal of `currency`'s places, if exact."""
    try:
        amount = Decimal(number)
    except decimal.InvalidOperation as err:
        msg = f"{shown(value)} is not a number; pass digits such as '12.50'"
        raise InvalidAmountError(msg) from err
    if not amount.is_finite():
        msg = f"{shown(value)} is not a finite amount; pass a number such as '12.50'"
        raise InvalidAmountError(msg)
    if too_long(amount):
        msg = f"an amount has at most {MAX_DIGITS} digits, got {amount:.6}…; round it first"
        raise InvalidAmountError(msg)
    # adjusted() reads the exponent without arithmetic: abs() of 1e1000000 would overflow.
    if amount and amount.adjusted() >= _LIMIT_DIGITS:
        msg = f"{shown(value)} is too large; amounts stay below 10**15 so that sums stay exact"
        raise InvalidAmountError(msg)
    quantum = _QUANTUM[currency]
    quantized = amount.quantize(quantum) + 0  # + 0 turns -0.00 into 0.00
    if quantized != amount:
        places = _MINOR_UNITS[currency]
        msg = (
            f"{shown(value)} has more than {places} decimal places, the minor unit of {currency}; "
            f"round it first, e.g. {shown(str(amount.quantize(quantum, decimal.ROUND_HALF_EVEN)))}"
        )
        raise InvalidAmountError(msg)
    return quantized


@attrs.frozen(order=False)
class Money:
    """An exact amount of one currency.

    Build it with `Money.of("12.50", "USD")` or `Money(Decimal("12.50"), "USD")`. The
    amount is quantized to the currency's minor unit (``12.5`` USD is stored as
    ``12.50``); an amount more precise than that is refused rather than rounded, so no
    cent is ever lost silently. Arithmetic and comparison work within one currency only.

    Raises:
        FloatAmountError: the amount is a float.
        InvalidAmountError: the amount is NaN, infinite, not a number, or too precise.
        UnknownCurrencyError: the code is not an active ISO 4217 code.
    """

    amount: Decimal
    currency: str

    def __attrs_post_init__(self) -> None:
        currency = _currency(self.currency)
        object.__setattr__(self, "amount", _amount(self.amount, currency))

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Build money from a str, int or Decimal amount and an ISO 4217 code."""
        return exact(_amount(amount, _currency(currency)), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return nothing of `currency`: the start of a sum."""
        return _ZEROS[_currency(currency)]

    def _same_currency(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            msg = f"cannot {operation} {self} and {described(other)}; pass Money"
            raise InvalidTypeError(msg)
        if other.currency != self.currency:
            msg = (
                f"cannot {operation} {self} and {other}: the currencies differ; "
                f"convert one of them to {self.currency} first"
            )
            raise CurrencyMismatch(msg, left=self.currency, right=other.currency)
        return other

    # Sums and differences of two amounts with the same quantum keep that quantum, so they
    # need no checking again: arithmetic is on the hot path of every grant and budget.
    def __add__(self, other: Money) -> Money:
        return exact(self.amount + self._same_currency(other, "add").amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return exact(self.amount - self._same_currency(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        return exact(-self.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        """Scale by an int or Decimal, rounding half to even to the minor unit."""
        if isinstance(factor, float):
            msg = f"cannot multiply {self} by the float {shown(factor)}; pass an int or Decimal"
            raise FloatAmountError(msg)
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            msg = f"cannot multiply {self} by {described(factor)}; pass Decimal"
            raise InvalidTypeError(msg)
        if isinstance(factor, Decimal) and not factor.is_finite():
            msg = f"cannot multiply {self} by {factor}; pass a finite Decimal"
            raise InvalidAmountError(msg)
        # Bounded before multiplying: a product beyond the context's exponents would overflow.
        if (isinstance(factor, int) and factor.bit_length() > _FACTOR_BITS) or (
            isinstance(factor, Decimal)
            and factor
            and (abs(factor.adjusted()) > MAX_EXPONENT or too_long(factor))
        ):
            msg = (
                f"cannot multiply {self} by {shown(factor)}; a factor lies within "
                f"10**-{MAX_EXPONENT} and 10**{MAX_EXPONENT}, with at most {MAX_DIGITS} digits"
            )
            raise InvalidAmountError(msg)
        product = self.amount * factor
        if abs(product) >= LIMIT:
            msg = f"{self} times {factor} is too large; amounts stay below 10**15"
            raise InvalidAmountError(msg)
        rounded = product.quantize(_QUANTUM[self.currency], decimal.ROUND_HALF_EVEN) + 0
        if abs(rounded) >= LIMIT:  # rounding up can reach the limit
            msg = f"{self} times {factor} rounds to {rounded}; amounts stay below 10**15"
            raise InvalidAmountError(msg)
        return exact(rounded, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency(other, "compare").amount

    @property
    def is_zero(self) -> bool:
        """True for an amount of exactly nothing."""
        return not self.amount

    @property
    def is_positive(self) -> bool:
        """True for an amount above zero."""
        return self.amount > 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


_new = object.__new__
_set = object.__setattr__


def exact(amount: Decimal, currency: str) -> Money:
    """Money from an amount and a currency already checked: no validation, ten times faster."""
    money: Money = _new(Money)
    _set(money, "amount", amount)
    _set(money, "currency", currency)
    return money


def money_sum(amounts: Iterable[Decimal], currency: str) -> Money:
    """The sum of amounts of one currency, each already quantized to its minor unit."""
    return exact(sum(amounts, _QUANTUM[_currency(currency)] * 0), currency)


_ZEROS = {code: exact(quantum * 0, code) for code, quantum in _QUANTUM.items()}
"""`Money.zero` of each currency, built once: every incident starts its grants at one."""
