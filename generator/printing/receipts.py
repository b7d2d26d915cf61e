"""Receipts (收据): one per payment, and a month of them for printing.

Pure: ``plan_receipts(ledger, month, as_of, laws)`` returns ``Letter`` records
(kind ``receipt``) that ``print_run`` renders like the other letters.

A receipt is the payment as it stood on its own day, so its bytes do not
change as later days are computed: the unit is computed as of the payment's
date (``engine.unit_state``) with the credits up to and including it in
rule 4's order (earlier payments and those before it the same day, waivers
dated before it; waivers of the same day come after payments). What it
settled are its own pieces (rule 4, 民法典第五百六十条: designated charges
first, then those due and in time, then those due and past limitation, then
the rest); what it did not settle is prepayment (预交), which settles later
bills on their issue day; a late-fee payment (``for: late_fee``) settles no
principal and reduces the late fee (rule 6). What is still owed after it is
that day's outstanding, not-yet-due principal, late fee and credit.

The number printed is the payment's ``receipt`` when it has one, else a
stable one made from the date, the unit and the payment's place among the
unit's payments that day (``SJ-20261114-3-2-1802-1``); the file is always
named by the latter, so nothing from the data reaches a path.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.core.dates import days_in_month
from generator.core.model import FOR_OPENING, Ledger, Payment
from generator.core.money import ZERO, to_capitals
from generator.printing.letters import Letter, agency, letter_laws
from generator.rules.allocation import own_events
from generator.rules.billing import KIND_OPENING
from generator.rules.engine import ChargeState, UnitState, unit_state
from generator.rules.limitation import EXPIRED, UnitClock, unit_interruptions

KIND = "receipt"
TITLE = "收据"
PREFIX = "SJ"


@dataclass(frozen=True, slots=True)
class SettledLine:
    """One charge a payment settled (part of)."""

    item: str
    period: str
    due: date
    amount: Decimal  # the charge's amount
    settled: Decimal  # what this payment paid of it
    unpaid: Decimal  # what is left unpaid after it
    designated: bool  # the payer named it (``for``)
    barred: bool  # past limitation on the payment's day (民法典第一百九十二条第二款: paid of the payer's own will)


@dataclass(frozen=True, slots=True)
class OwedLine:
    """A charge still unpaid after the payment."""

    item: str
    period: str
    due: date
    unpaid: Decimal
    overdue: bool
    barred: bool = False  # past limitation on the payment's day (rule 10): the owner may refuse it


def parse_month(text: str) -> tuple[int, int] | None:
    """``2026-11`` (or ``2026-1``, ``2026年11月``) as (year, month); None when it is not a month."""
    cleaned = text.strip().replace("年", "-").removesuffix("月")
    year, _, month = cleaned.partition("-")
    if not (year.isascii() and year.isdigit() and len(year) == 4 and month.isascii() and month.isdigit() and len(month) <= 2):
        return None
    if not 1 <= int(month) <= 12:
        return None
    return int(year), int(month)


def receipt_id(payment: Payment, same_day: list[Payment]) -> str:
    """The stable number of a payment: date, unit and its place among the unit's payments that day (load order)."""
    place = sorted(same_day, key=lambda p: p.seq).index(payment) + 1
    return f"{PREFIX}-{payment.date:%Y%m%d}-{payment.unit}-{place}"


def month_payments(ledger: Ledger, month: tuple[int, int], as_of: date) -> list[Payment]:
    """The payments dated in ``month`` and on or before ``as_of``, by date, then load order."""
    year, number = month
    first, last = date(year, number, 1), min(date(year, number, days_in_month(year, number)), as_of)
    return sorted((p for p in ledger.payments if first <= p.date <= last), key=lambda p: (p.date, p.seq))


def plan_receipts(ledger: Ledger, month: tuple[int, int], as_of: date, laws=None) -> list[Letter]:
    """A receipt for every payment of the month up to ``as_of``, in print order (date, then load order)."""
    payments = month_payments(ledger, month, as_of)
    wanted = {p.unit for p in payments}
    units = {u.id: u for u in ledger.units if u.id in wanted}
    records: dict[str, dict[str, list]] = {unit: defaultdict(list) for unit in wanted}
    for key, entries in (("payments", ledger.payments), ("waivers", ledger.waivers), ("charges", ledger.charges), ("plans", ledger.plans)):
        for entry in entries:
            if entry.unit in records:
                records[entry.unit][key].append(entry)
    return [receipt(ledger, units[p.unit], p, records[p.unit], laws) for p in payments]


def state_after(ledger: Ledger, unit, payment: Payment, records: dict[str, list], include: bool = True) -> UnitState:
    """The unit on the payment's day, with the credits before it in rule 4's order (and it, with ``include``)."""
    day, key = payment.date, (payment.date, payment.seq)
    payments = [p for p in records["payments"] if (p.date, p.seq) < key or (include and p == payment)]
    waivers = [w for w in records["waivers"] if w.date < day]
    charges = [c for c in records["charges"] if c.issued <= day]
    plans = [p for p in records["plans"] if p.signed <= day]
    return unit_state(ledger.policy, unit, payments, waivers, charges, plans, day)


def _designated(state: ChargeState, payment: Payment) -> bool:
    charge = state.charge
    wanted = payment.designation
    return (FOR_OPENING in wanted and charge.kind == KIND_OPENING) or f"{charge.due.year}-{charge.due.month:02d}" in wanted


def settled_lines(state: UnitState, payment: Payment, clock: UnitClock) -> list[SettledLine]:
    """What the payment settled, in the order it settled them (rule 4)."""
    day = payment.date
    found = []
    for c in state.charges:
        mine = [piece for piece in c.pieces if piece.source == payment]
        if not mine:
            continue
        earlier = [piece for piece in c.pieces if piece.source != payment]
        barred = c.charge.due < day and clock.expired_on(c.charge.due, own_events(c.charge, earlier, day), day)
        line = SettledLine(c.charge.item, c.charge.period, c.charge.due, c.charge.amount, sum((p.amount for p in mine), ZERO),
                           c.unpaid, _designated(c, payment), barred)
        group = 0 if payment.designation and line.designated else 3 if line.due >= day else 2 if barred else 1
        found.append((group, line))
    # rule 4's groups (designated, due and in time, due and barred, the rest), each in charge order
    return [line for _group, line in sorted(found, key=lambda pair: pair[0])]


def receipt(ledger: Ledger, unit, payment: Payment, records: dict[str, list], laws) -> Letter:
    """One payment's receipt."""
    policy = ledger.policy
    day = payment.date
    number = receipt_id(payment, [p for p in records["payments"] if p.date == day])
    after = state_after(ledger, unit, payment, records)
    clock = UnitClock(unit_interruptions(policy, unit, after.contacts, after.plans, day), policy.limitation.years)
    late_fee_payment = payment.for_late_fee
    lines = [] if late_fee_payment else settled_lines(after, payment, clock)
    settled = sum((line.settled for line in lines), ZERO)
    to_late_fee = ZERO
    if late_fee_payment:
        before = state_after(ledger, unit, payment, records, include=False)
        to_late_fee = before.late_fee - after.late_fee
    owed = [OwedLine(c.charge.item, c.charge.period, c.charge.due, c.unpaid, c.overdue, c.limitation_status == EXPIRED)
            for c in after.charges if c.unpaid > 0]
    barred_paid = sum((line.settled for line in lines if line.barred), ZERO)
    context = {
        "policy": policy, "issuer": policy.issuer, "kind": KIND, "title": TITLE,
        "doc_no": number, "receipt_no": payment.receipt or number, "p": payment, "u": unit, "s": after,
        "day": day, "amount": payment.amount, "capitals": to_capitals(payment.amount),
        "lines": lines, "settled": settled,
        "prepaid": ZERO if late_fee_payment else payment.amount - settled,
        "late_fee_payment": late_fee_payment, "to_late_fee": to_late_fee,
        "late_fee_beyond": payment.amount - to_late_fee if late_fee_payment else ZERO,
        "barred_paid": barred_paid, "designated": bool(payment.designation),
        "owed": owed, "outstanding": after.outstanding, "not_due": after.not_due,
        "late_fee": after.late_fee if policy.late_fee else ZERO, "late_fee_basis": policy.late_fee,
        "credit": after.credit,
        "laws": letter_laws(laws, "allocation", barred=barred_paid > 0),
        "manifest": {"receipt": payment.receipt or None, "date": day.isoformat()},
    } | agency(policy, day)
    return Letter(KIND, number, unit.id, TITLE, f"{KIND}/{number}.pdf", payment.amount, f"{KIND}.html.j2", context)


__all__ = ["KIND", "TITLE", "OwedLine", "SettledLine", "month_payments", "parse_month", "plan_receipts", "receipt_id"]
