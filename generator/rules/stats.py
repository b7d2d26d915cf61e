"""Rule 11 and the totals: the community's collection rate (收缴率) and sums."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from generator.core.money import ZERO, round_places


def collection_rate(rows: list[tuple[Decimal, Decimal, Decimal]]) -> Decimal | None:
    """paid / (amount - waived) over (amount, paid, waived) rows; four decimals; None when 0/0."""
    amount = sum((r[0] for r in rows), ZERO)
    paid = sum((r[1] for r in rows), ZERO)
    waived = sum((r[2] for r in rows), ZERO)
    denominator = amount - waived
    if denominator == 0:
        return None
    return round_places(Fraction(paid) / Fraction(denominator), 4)


def year_window(as_of: date) -> tuple[date, date]:
    return date(as_of.year, 1, 1), as_of
