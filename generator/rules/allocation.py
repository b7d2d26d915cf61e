"""Rule 4: which credit settled which charge, when, and whether a payment or a waiver did it."""
from __future__ import annotations

import bisect
import operator
from collections import deque
from datetime import date
from decimal import Decimal

from generator.core.dates import add_years
from generator.core.model import FOR_OPENING, Payment, Waiver
from generator.core.money import ZERO
from generator.rules.billing import KIND_OPENING, Charge
from generator.rules.limitation import (
    ASSIGNMENT,
    Interruption,
    UnitClock,
    payment_event,
)
from generator.speed.records import Record


class Piece(Record):
    """Part of a charge settled by one credit on one day."""

    amount: Decimal
    settled: date  # the day the piece was settled (rule 4)
    by_payment: bool  # False: a principal waiver
    credit_date: date  # the date of the payment or waiver itself
    source: Payment | Waiver


class Allocation(Record):
    pieces: tuple[tuple[Piece, ...], ...]  # per charge, same order as the charges given
    unpaid: tuple[Decimal, ...]  # per charge, what is left unpaid at as_of
    credit: Decimal  # what is left of the credits


_CREDIT_KEY = operator.itemgetter(0, 1, 2)
_DATE_SEQ = operator.attrgetter("date", "seq")


def credit_order(payments: list[Payment], waivers: list[Waiver]) -> list[Payment | Waiver]:
    """Credits by date, payments before waivers on one day, then load order."""
    if not waivers:  # the usual case, sorted with a key made in C
        return sorted(payments, key=_DATE_SEQ)
    credits: list[tuple] = [(p.date, 0, p.seq, p) for p in payments]
    credits += [(w.date, 1, w.seq, w) for w in waivers]
    credits.sort(key=_CREDIT_KEY)
    return [c[3] for c in credits]


def allocate(charges: list[Charge], credits: list[Payment | Waiver], clock: UnitClock | None = None) -> Allocation:
    """Settle charges (given in charge order) with credits (given in credit order).

    A credit settles the charges that exist on its date; what is left waits
    and settles each later charge on the day that charge is issued, in charge
    order. A payment settles the charges that exist on its date in the order
    of 民法典第五百六十条 (rule 4): those its ``for`` names, then the charges
    due before it that are still in time, then those already past limitation
    (``clock`` says which; without it none are), then the rest. A waiver
    settles them in plain charge order.
    """
    count = len(charges)
    pieces: list[list[Piece]] = [[] for _ in range(count)]
    unpaid = [c.amount for c in charges]
    by_issue = sorted(range(count), key=lambda i: (charges[i].issued, i))
    open_charges: list[int] = []  # indexes of existing unpaid charges, sorted (charge order = index order)
    waiting: deque[list] = deque()  # [credit, remaining]
    next_issue = 0

    def issue_until(day: date | None) -> None:
        nonlocal next_issue
        while next_issue < count:
            index = by_issue[next_issue]
            charge = charges[index]
            if day is not None and charge.issued > day:
                return
            next_issue += 1
            while waiting and unpaid[index] > 0:
                entry = waiting[0]
                credit, left = entry
                take = min(left, unpaid[index])
                pieces[index].append(Piece(take, charge.issued, type(credit) is Payment, credit.date, credit))
                unpaid[index] -= take
                entry[1] = left - take
                if entry[1] == 0:
                    waiting.popleft()
            if unpaid[index] > 0:
                bisect.insort(open_charges, index)

    def expired(index: int, day: date) -> bool:
        charge = charges[index]
        return clock.expired_on(charge.due, own_events(charge, pieces[index], day), day)

    issue_days = [charges[i].issued for i in by_issue]
    head, head_runs_to = -1, None  # the oldest open charge and the last day its clock surely runs (no interruption shortens it)
    for credit in credits:
        day = credit.date
        if next_issue < count and issue_days[next_issue] <= day:
            issue_until(day)
        left = credit.amount
        is_payment = type(credit) is Payment
        if open_charges:
            if clock is not None and open_charges[0] != head:
                head = open_charges[0]
                head_runs_to = add_years(charges[head].due, clock.years)
            if is_payment and (credit.designation or (clock is not None and day > head_runs_to)):
                order = _payment_order(charges, open_charges, credit, day, expired if clock is not None else None)
            else:
                order = open_charges
            settled = 0
            for index in order:
                if left <= 0:
                    break
                owed = unpaid[index]
                take = owed if owed < left else left  # min(left, owed)
                pieces[index].append(Piece(take, day, is_payment, day, credit))
                unpaid[index] = owed - take
                left -= take
                settled += 1
            if order is open_charges:  # plain order settles a prefix in full (all but perhaps the last)
                while open_charges and unpaid[open_charges[0]] == 0:
                    del open_charges[0]
            elif settled:
                open_charges[:] = [i for i in open_charges if unpaid[i] > 0]
        if left > 0:
            waiting.append([credit, left])
    issue_until(None)
    credit_left = sum((entry[1] for entry in waiting), ZERO)
    return Allocation(tuple(tuple(p) for p in pieces), tuple(unpaid), credit_left)


def _payment_order(charges: list[Charge], open_charges: list[int], payment: Payment, day: date, expired) -> list[int]:
    """Rule 4 (v2), 民法典第五百六十条: designated, then due and in time, then due and expired, then the rest."""
    designated: list[int] = []
    if payment.designation:
        wanted = set(payment.designation)
        opening = FOR_OPENING in wanted
        for index in open_charges:
            charge = charges[index]
            if (opening and charge.kind == KIND_OPENING) or f"{charge.due.year}-{charge.due.month:02d}" in wanted:
                designated.append(index)
    chosen = set(designated)
    in_time: list[int] = []
    barred: list[int] = []
    later: list[int] = []
    for index in open_charges:
        if index in chosen:
            continue
        if charges[index].due >= day:
            later.append(index)
        elif expired is not None and expired(index, day):
            barred.append(index)
        else:
            in_time.append(index)
    return designated + in_time + barred + later


def own_events(charge: Charge, pieces, as_of: date) -> list[Interruption]:
    """The events of one charge alone (rule 10): the payments towards it and the assignment notice of an opening item, in date order.

    Only events dated on or before ``as_of`` count; the payments are its pieces
    settled by payments (a late-fee payment settles none).
    """
    events = [payment_event(piece.source, piece.settled) for piece in pieces if piece.by_payment and piece.settled <= as_of]
    notified = charge.assignment_notified  # pieces come in settlement order; the notice is put in its place
    if notified is not None and notified <= as_of:
        events.append(Interruption(notified, ASSIGNMENT, "债权转让通知", False, charge))
        events.sort(key=operator.attrgetter("date"))
    return events
