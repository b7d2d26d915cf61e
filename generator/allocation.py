"""Rule 4: which credit settled which charge, when, and whether a payment or a waiver did it."""
from __future__ import annotations

import heapq
import operator
from collections import deque
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .billing import Charge
from .model import Payment, Waiver
from .records import speed_up

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a charge settled by one credit on one day."""

    amount: Decimal
    settled: date  # the day the piece was settled (rule 4)
    by_payment: bool  # False: a principal waiver
    credit_date: date  # the date of the payment or waiver itself
    source: Payment | Waiver


@dataclass(frozen=True, slots=True)
class Allocation:
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


def allocate(charges: list[Charge], credits: list[Payment | Waiver]) -> Allocation:
    """Settle charges (given in charge order) with credits (given in credit order).

    A credit settles the charges that exist on its date, oldest in charge
    order first; what is left waits and settles each later charge on the
    day that charge is issued.
    """
    count = len(charges)
    pieces: list[list[Piece]] = [[] for _ in range(count)]
    unpaid = [c.amount for c in charges]
    by_issue = sorted(range(count), key=lambda i: (charges[i].issued, i))
    open_charges: list[int] = []  # heap of indexes (charge order = index order)
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
                heapq.heappush(open_charges, index)

    issue_days = [charges[i].issued for i in by_issue]
    for credit in credits:
        day = credit.date
        if next_issue < count and issue_days[next_issue] <= day:
            issue_until(day)
        left = credit.amount
        is_payment = type(credit) is Payment
        while left > 0 and open_charges:
            index = open_charges[0]
            owed = unpaid[index]
            take = owed if owed < left else left  # min(left, owed)
            pieces[index].append(Piece(take, day, is_payment, day, credit))
            unpaid[index] = owed = owed - take
            left -= take
            if owed == 0:
                heapq.heappop(open_charges)
        if left > 0:
            waiting.append([credit, left])
    issue_until(None)
    credit_left = sum((entry[1] for entry in waiting), ZERO)
    return Allocation(tuple(tuple(p) for p in pieces), tuple(unpaid), credit_left)


speed_up(__name__)  # the same frozen records, built 2x faster (see records.py)
