"""What one unit's page shows, derived from its computed state (pure; presentation is in templates).

The page keeps recent and unpaid items in full and folds charges settled
more than half a year ago into one row per year. Every folded row carries the
late fee of its charges, so the rows shown always add up to the unit's
late fee card; each payment lists the charges it settled, folded or not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .engine import ChargeState, UnitState
from .model import Payment
from .money import ZERO

HISTORY_DAYS = 183  # half a year in full: a monthly payer's page stays small on a 5,000-unit site
SETTLES_LISTED = 3  # a payment that settled more charges than this shows them per item, first to last period


@dataclass(frozen=True, slots=True)
class ChargeRow:
    c: ChargeState
    settled: date | None  # the day the last piece settled it, for a charge fully settled
    days_late: int  # for a settled charge: days after its due day it was settled (0: on time)
    status: str | None  # limitation status of an unpaid overdue charge


@dataclass(frozen=True, slots=True)
class YearSummary:
    year: int
    count: int
    amount: Decimal
    late_fee: Decimal  # the late fee of the folded charges (rule 6, before late-fee waivers)


@dataclass(frozen=True, slots=True)
class Settled:
    text: str  # item and period(s)
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentRow:
    p: Payment
    settles: tuple[Settled, ...]
    to_credit: Decimal  # what of it settled nothing yet (prepaid)


@dataclass(frozen=True, slots=True)
class UnitHistory:
    charges: tuple[ChargeRow, ...]  # newest first
    older_charges: tuple[YearSummary, ...]
    payments: tuple[PaymentRow, ...]  # newest first
    older_payments: tuple[YearSummary, ...]
    late_fee_shown: Decimal  # late fees of the rows shown in full
    late_fee_folded: Decimal  # late fees of the folded rows
    late_fee_waived: Decimal


def _charge_row(c: ChargeState) -> ChargeRow:
    settled = None
    days_late = 0
    if c.unpaid == 0 and c.pieces:
        settled = max(p.settled for p in c.pieces)
        days_late = max(0, (settled - c.charge.due).days)
    return ChargeRow(c, settled, days_late, c.limitation_status)


def _settles(pieces: list[tuple[ChargeState, Decimal]]) -> tuple[Settled, ...]:
    if len(pieces) <= SETTLES_LISTED:
        return tuple(Settled(f"{c.charge.item} {c.charge.period}".rstrip(), amount) for c, amount in pieces)
    by_item: dict[str, list[tuple[ChargeState, Decimal]]] = {}
    for c, amount in pieces:
        by_item.setdefault(c.charge.item, []).append((c, amount))
    out = []
    for item, group in by_item.items():
        first, last = group[0][0].charge.period, group[-1][0].charge.period
        span = first if first == last else f"{first} 至 {last}"
        out.append(Settled(f"{item} {span}（{len(group)} 笔）", sum((a for _, a in group), ZERO)))
    return tuple(out)


def unit_history(state: UnitState, as_of: date) -> UnitHistory:
    cutoff = as_of - timedelta(days=HISTORY_DAYS)
    recent: list[ChargeRow] = []
    older: dict[int, list] = {}
    shown_fee = folded_fee = ZERO
    by_payment: dict[int, list[tuple[ChargeState, Decimal]]] = {}
    for c in state.charges:
        for piece in c.pieces:
            if piece.by_payment:
                by_payment.setdefault(id(piece.source), []).append((c, piece.amount))
    for c in reversed(state.charges):
        fee = c.late_fee.amount if c.late_fee else ZERO
        if c.unpaid > 0 or c.charge.due >= cutoff:
            recent.append(_charge_row(c))
            shown_fee += fee
        else:
            row = older.setdefault(c.charge.due.year, [0, ZERO, ZERO])
            row[0] += 1
            row[1] += c.charge.amount
            row[2] += fee
            folded_fee += fee
    payments: list[PaymentRow] = []
    older_payments: dict[int, list] = {}
    for p in sorted(state.payments, key=lambda p: (p.date, p.seq), reverse=True):
        if p.date >= cutoff:
            pieces = by_payment.get(id(p), [])
            payments.append(PaymentRow(p, _settles(pieces), p.amount - sum((a for _, a in pieces), ZERO)))
        else:
            row = older_payments.setdefault(p.date.year, [0, ZERO, ZERO])
            row[0] += 1
            row[1] += p.amount
    return UnitHistory(
        charges=tuple(recent),
        older_charges=tuple(YearSummary(y, *older[y]) for y in sorted(older, reverse=True)),
        payments=tuple(payments),
        older_payments=tuple(YearSummary(y, *older_payments[y]) for y in sorted(older_payments, reverse=True)),
        late_fee_shown=shown_fee, late_fee_folded=folded_fee, late_fee_waived=state.late_fee_waived,
    )
