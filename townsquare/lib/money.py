"""Currencies members quote rates in, and a shipped conversion table for comparing rates.

The table is approximate on purpose (directory filters compare rates across currencies, they
do not bill anyone); operators may refresh it. Units: how many US dollars one unit buys.
"""

from __future__ import annotations

from decimal import Decimal

USD_PER_UNIT: dict[str, Decimal] = {
    "USD": Decimal("1.00"),
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "CHF": Decimal("1.12"),
    "CAD": Decimal("0.73"),
    "AUD": Decimal("0.66"),
    "NZD": Decimal("0.60"),
    "SEK": Decimal("0.095"),
    "NOK": Decimal("0.093"),
    "DKK": Decimal("0.145"),
    "PLN": Decimal("0.25"),
    "INR": Decimal("0.012"),
    "BRL": Decimal("0.20"),
    "MXN": Decimal("0.058"),
    "ZAR": Decimal("0.055"),
    "SGD": Decimal("0.74"),
    "JPY": Decimal("0.0067"),
}
CURRENCIES: tuple[str, ...] = tuple(USD_PER_UNIT)


def to_usd(amount: Decimal | None, currency: str) -> Decimal | None:
    if amount is None:
        return None
    return (amount * USD_PER_UNIT[currency]).quantize(Decimal("0.01"))
