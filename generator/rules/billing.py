"""Rules 1-3: the charges a unit owes (fee bills, opening arrears, one-off charges) and their order."""
from __future__ import annotations

import functools
import operator
import zlib
from datetime import date
from decimal import Decimal
from fractions import Fraction

from generator.core.dates import days_in_month, month_index, month_start
from generator.core.diagnostics import Pos
from generator.core.model import Fee, OneOffCharge, Unit
from generator.core.money import round_cents
from generator.speed.records import Record

KIND_OPENING, KIND_FEE, KIND_CHARGE = 0, 1, 2
_ORDER = operator.attrgetter("order")
KIND_NAMES = {KIND_OPENING: "opening", KIND_FEE: "fee", KIND_CHARGE: "charge"}


class Charge(Record):
    """Something the unit owes: amount, when it exists (issued) and when it is due."""

    unit: str
    kind: int  # KIND_OPENING | KIND_FEE | KIND_CHARGE
    item: str
    period: str
    amount: Decimal
    issued: date
    due: date
    order: tuple  # rule 3: (due, issued, kind, fee order or load order)
    fee_id: str | None = None
    months: Fraction | None = None  # billed month count, for fee bills
    monthly_base: Fraction | None = None
    pos: Pos | None = None
    assignment_notified: date | None = None  # an opening item's 债权转让通知到达日 (rule 10)

    @property
    def key(self) -> str:
        """A stable id for the charge, used in document numbers and page anchors."""
        if self.kind == KIND_OPENING:
            index = self.order[-1][0]
            return "opening" if index == 0 else f"opening-{index + 1}"
        if self.kind == KIND_FEE:
            return f"{self.fee_id}-{self.period}"
        path, index = self.order[-1]
        return f"charge-{zlib.crc32(path.encode()):08x}-{index}"


def monthly_base(fee: Fee, unit: Unit) -> Fraction:
    """rate x area (or x 1), x vacant_factor for vacant units; exact."""
    rate = fee.rate_for(unit.type)
    base = Fraction(rate) if rate is not None else Fraction(0)
    if fee.basis == "area":
        base *= Fraction(unit.area or 0)
    if unit.occupancy == "vacant":
        base *= Fraction(fee.vacant_factor)
    return base


def period_label(first: int, last: int) -> str:
    start = month_start(first)
    if first == last:
        return f"{start.year}-{start.month:02d}"
    end = month_start(last)
    return f"{start.year}-{start.month:02d}~{end.year}-{end.month:02d}"


def fee_bills(fee: Fee, unit: Unit, as_of: date) -> list[Charge]:
    """Rule 1: the bills of one fee version for one unit that exist at ``as_of``."""
    start = unit.billing_start
    base = monthly_base(fee, unit)
    if base == 0:
        return []
    cycle = fee.cycle
    first_month = month_index(start)
    first_cycle = first_month - first_month % cycle
    if fee.valid_from is not None:
        from_month = month_index(fee.valid_from)
        if from_month > first_cycle:
            first_cycle = from_month - from_month % cycle
            if first_cycle < from_month:
                first_cycle += cycle
    last_month = month_index(as_of)
    full_amount = round_cents(base * cycle)
    full_months = Fraction(cycle)
    valid_from, valid_until, due_day = fee.valid_from, fee.valid_until, fee.due_day
    unit_id, name, fee_id, fee_pos = unit.id, fee.name, fee.id, fee.pos
    order_tail = (fee.order, "")
    bills: list[Charge] = []
    cycle_month = first_cycle
    while cycle_month <= last_month:
        cycle_start, cycle_due, period = _cycle(cycle_month, cycle, due_day)
        if valid_until is not None and cycle_start > valid_until:
            break
        if valid_from is not None and cycle_start < valid_from:
            cycle_month += cycle
            continue
        issued = cycle_start if cycle_start >= start else start
        if issued > as_of:
            break
        due = cycle_due if cycle_due >= start else start
        if issued == cycle_start:
            months = full_months
            amount = full_amount
        else:  # the first cycle, entered at billing_start
            whole = cycle_month + cycle - 1 - first_month
            dim = days_in_month(start.year, start.month)
            if start.day == 1:
                months = Fraction(whole + 1)
            else:
                months = whole + Fraction(dim - start.day + 1, dim)
            amount = round_cents(base * months)
        if amount > 0:
            # Charge(unit, kind, item, period, amount, issued, due, order, fee_id, months, monthly_base, pos)
            bills.append(Charge(unit_id, KIND_FEE, name, period, amount, issued, due, (due, issued, KIND_FEE, order_tail), fee_id, months, base, fee_pos))
        cycle_month += cycle
    return bills


@functools.lru_cache(maxsize=4096)
def _cycle(cycle_month: int, cycle: int, due_day: int) -> tuple[date, date, str]:
    """A calendar cycle's first day, its due day (before billing_start is applied) and its period label."""
    cycle_start = month_start(cycle_month)
    return cycle_start, date(cycle_start.year, cycle_start.month, due_day), period_label(cycle_month, cycle_month + cycle - 1)


def one_off(charge: OneOffCharge) -> Charge:
    return Charge(
        unit=charge.unit, kind=KIND_CHARGE, item=charge.item, period=charge.period,
        amount=charge.amount, issued=charge.issued, due=charge.due,
        order=(charge.due, charge.issued, KIND_CHARGE, charge.seq), pos=charge.pos,
    )


def unit_charges(unit: Unit, fees: tuple[Fee, ...], extra: list[OneOffCharge], as_of: date) -> list[Charge]:
    """Rules 1-3: every charge of the unit that exists at ``as_of``, in charge order."""
    charges: list[Charge] = []
    for index, item in enumerate(unit.opening):
        due = item.due
        if due > as_of:
            continue
        charges.append(
            Charge(
                unit=unit.id, kind=KIND_OPENING, item="期初欠费", period=item.period or f"{due.year}-{due.month:02d}前",
                amount=item.amount, issued=due, due=due,
                order=(due, due, KIND_OPENING, (index, "")), pos=item.pos,
                assignment_notified=item.assignment_notified,
            )
        )
    for fee in fees:
        charges.extend(fee_bills(fee, unit, as_of))
    charges.extend(one_off(c) for c in extra if c.issued <= as_of)
    charges.sort(key=_ORDER)
    return charges
