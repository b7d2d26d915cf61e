"""What filing a claim costs: the 受理费 of 诉讼费用交纳办法 (国务院令第481号) and the small-claims limit.

- 第十三条第（一）项: a 财产案件's fee by the amount claimed, cumulative by bracket
  (``BRACKETS``: 50 元 a case up to 10,000 元, then 2.5% of the part over 10,000 up to
  100,000, and so on down to 0.5% of the part over 20,000,000).
- 第十四条第（二）项: an application for a 支付令 pays one third of that fee.
- 第十六条: a case heard under the 简易程序 (small claims included) pays half.
- 民事诉讼法第一百六十五条: small claims up to 50% of the province's prior-year average
  annual wage of employed persons (``Court.average_wage``, a policy setting; unknown -> None).

Each fee is computed exactly and rounded once, half-up to the cent (a third of a fee is a
third of the exact fee, not of a rounded one). Courts round to the yuan or the jiao by local
practice and set the fee themselves: whatever prints these says so (``FEE_NOTE``).
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from generator.core.model import Court
from generator.core.money import ZERO, round_cents
from generator.speed.records import Record

FIRST_BRACKET = Decimal(10000)  # up to this, a flat fee a case
FLAT_FEE = Decimal(50)
# (upper bound of the part, rate on the part above the previous bound); None: no upper bound
BRACKETS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(100000), Decimal("0.025")),
    (Decimal(200000), Decimal("0.02")),
    (Decimal(500000), Decimal("0.015")),
    (Decimal(1000000), Decimal("0.01")),
    (Decimal(2000000), Decimal("0.009")),
    (Decimal(5000000), Decimal("0.008")),
    (Decimal(10000000), Decimal("0.007")),
    (Decimal(20000000), Decimal("0.006")),
    (None, Decimal("0.005")),
)
SMALL_CLAIMS_SHARE = Decimal("0.5")  # of the average wage (民事诉讼法第一百六十五条第一款)
FEE_NOTE = "以上诉讼费用按《诉讼费用交纳办法》计算到分，仅供参考；实际交纳数额以人民法院的缴费通知为准。"


class CourtFees(Record):
    """The fees of one claim amount, and whether it is a small claim at the court the policy names."""

    amount: Decimal  # what is claimed (诉讼标的额)
    case_fee: Decimal  # 财产案件受理费, ordinary procedure (第十三条)
    payment_order_fee: Decimal  # 申请支付令 (第十四条): a third
    simple_fee: Decimal  # 简易程序, small claims included (第十六条): half
    small_claims_limit: Decimal | None  # None: the policy names no average wage
    wage_year: int | None
    small_claim: bool | None  # None: unknown (no average wage)


def _exact_case_fee(amount: Decimal) -> Fraction:
    if amount <= 0:
        return Fraction(0)
    fee = Fraction(FLAT_FEE)
    lower = FIRST_BRACKET
    for upper, rate in BRACKETS:
        if amount <= lower:
            break
        top = amount if upper is None else min(amount, upper)
        fee += Fraction(top - lower) * Fraction(rate)
        if upper is None:
            break
        lower = upper
    return fee


def case_fee(amount: Decimal) -> Decimal:
    """财产案件受理费 for ``amount`` (第十三条第（一）项); nothing claimed, nothing due."""
    return round_cents(_exact_case_fee(amount)) if amount > 0 else ZERO


def payment_order_fee(amount: Decimal) -> Decimal:
    """申请支付令: one third of the 财产案件受理费 (第十四条第（二）项)."""
    return round_cents(_exact_case_fee(amount) / 3) if amount > 0 else ZERO


def simple_procedure_fee(amount: Decimal) -> Decimal:
    """简易程序 (and small claims): half the 受理费 (第十六条)."""
    return round_cents(_exact_case_fee(amount) / 2) if amount > 0 else ZERO


def small_claims_limit(court: Court | None) -> Decimal | None:
    """50% of the province's prior-year average wage, or None when the policy names none."""
    if court is None or court.average_wage is None:
        return None
    return round_cents(court.average_wage * SMALL_CLAIMS_SHARE)


def fees_for(amount: Decimal, court: Court | None) -> CourtFees:
    limit = small_claims_limit(court)
    return CourtFees(
        amount, case_fee(amount), payment_order_fee(amount), simple_procedure_fee(amount), limit,
        court.wage_year if court is not None and limit is not None else None,
        None if limit is None else amount <= limit,
    )
