"""Money: `Decimal` euros, rounded half-up to cents, never binary floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(x: Decimal | int) -> Decimal:
    """Euros rounded half-up to cents."""
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def dec(x: Decimal | float | int) -> Decimal:
    """A number as an exact Decimal (a float through its shortest text, 4.3 -> 4.3)."""
    return x if isinstance(x, Decimal) else Decimal(str(x))
