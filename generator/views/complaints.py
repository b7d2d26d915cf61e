"""What the complaints page and the dashboard show about complaints (issue 16), from a computed Desk.

Every figure can be counted by hand from the owner files:

- a complaint is open on a day when it was opened by then and not resolved by then (``Complaint.open_on``);
- its age is the days from ``opened`` to ``as_of``; a promise is overdue when ``promised`` is before ``as_of``
  and the complaint is still open;
- 投诉率 of a month: the units with at least one complaint opened in that month, divided by all units;
- the average resolution time of a month: the mean of ``resolved - opened`` in days over the complaints
  resolved in that month, to one decimal place;
- the arrears held by open complaints: what the units in arrears with an open complaint owe (``outstanding``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from generator.core.dates import month_index, month_start
from generator.core.labels import COMPLAINT_CATEGORY
from generator.core.model import Complaint
from generator.core.money import ZERO
from generator.rules.engine import Desk, UnitState

# The categories in the order the page and the chart show them (the owner file's ``category``)
CATEGORIES = tuple(COMPLAINT_CATEGORY)
MONTHS_SHOWN = 12
# Age groups of open complaints, in days: (label, lowest day, highest day or None)
AGE_GROUPS = (("7 天内", 0, 7), ("8–30 天", 8, 30), ("31–60 天", 31, 60), ("60 天以上", 61, None))


@dataclass(frozen=True, slots=True)
class OpenComplaint:
    state: UnitState
    complaint: Complaint
    age: int  # days from opened to as_of
    overdue: int  # days past the promised date (0: no promise, or not yet past)


@dataclass(frozen=True, slots=True)
class HandlerLoad:
    handler: str  # the complaint's ``owner``: who handles it
    ages: tuple[int, ...]  # open complaints in each of AGE_GROUPS
    overdue: int  # of them, with the promised date passed
    oldest: int  # the age of the oldest, in days

    @property
    def open(self) -> int:
        return sum(self.ages)


@dataclass(frozen=True, slots=True)
class ComplaintMonth:
    month: str  # YYYY-MM
    opened: tuple[int, ...]  # complaints opened in the month, by CATEGORIES
    units: int  # units with at least one complaint opened in the month
    rate: Decimal | None  # units / all units (None: no units)
    resolved: int  # complaints resolved in the month
    average_days: Decimal | None  # their mean days from opened to resolved, one decimal (None: none resolved)

    @property
    def opened_total(self) -> int:
        return sum(self.opened)


@dataclass(frozen=True, slots=True)
class ComplaintsView:
    as_of: date
    units: int  # all units: the denominator of 投诉率
    open: tuple[OpenComplaint, ...]  # oldest first
    overdue: tuple[OpenComplaint, ...]  # promise passed, most overdue first
    handlers: tuple[HandlerLoad, ...]  # most open first
    months: tuple[ComplaintMonth, ...]  # the last MONTHS_SHOWN months, oldest first; the last is as_of's month
    held: tuple[OpenComplaint, ...]  # one row per unit in arrears with an open complaint (its oldest), largest arrears first
    held_amount: Decimal  # what those units owe
    total: int  # complaints recorded, open or not, opened by as_of
    resolved: int  # of them, resolved by as_of
    confirmed: int  # of those, confirmed by the owner

    @property
    def this_month(self) -> ComplaintMonth | None:
        return self.months[-1] if self.months else None


def age_group(age: int) -> int:
    """The index in AGE_GROUPS of an age in days."""
    for i, (_, low, high) in enumerate(AGE_GROUPS):
        if age >= low and (high is None or age <= high):
            return i
    return 0  # a complaint opened after as_of is not open: never asked


def open_complaints(desk: Desk) -> list[OpenComplaint]:
    """Every complaint open at ``as_of``, oldest first (then by unit)."""
    as_of = desk.as_of
    rows = [
        OpenComplaint(state, c, (as_of - c.opened).days,
                      (as_of - c.promised).days if c.promised is not None and c.promised < as_of else 0)
        for state in desk.units for c in state.unit.complaints if c.open_on(as_of)
    ]
    rows.sort(key=lambda r: (r.complaint.opened, r.state.unit.id))
    return rows


def handler_loads(rows: list[OpenComplaint]) -> tuple[HandlerLoad, ...]:
    by_handler: dict[str, list[OpenComplaint]] = {}
    for row in rows:
        by_handler.setdefault(row.complaint.owner or "（未指定）", []).append(row)
    loads = []
    for handler, items in by_handler.items():
        ages = Counter(age_group(r.age) for r in items)
        loads.append(HandlerLoad(handler, tuple(ages[i] for i in range(len(AGE_GROUPS))),
                                 sum(1 for r in items if r.overdue), max(r.age for r in items)))
    loads.sort(key=lambda h: (-h.open, h.handler))
    return tuple(loads)


def _average(days: list[int]) -> Decimal | None:
    if not days:
        return None
    return (Decimal(sum(days)) / Decimal(len(days))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def complaint_months(desk: Desk, months: int = MONTHS_SHOWN) -> tuple[ComplaintMonth, ...]:
    """投诉率, categories and resolution time of the last ``months`` months up to ``as_of``'s month.

    Only what happened by ``as_of`` counts: a month in progress counts its days so far.
    """
    last = month_index(desk.as_of)
    first = last - months + 1
    opened: dict[int, Counter] = {i: Counter() for i in range(first, last + 1)}
    units: dict[int, set[str]] = {i: set() for i in range(first, last + 1)}
    days: dict[int, list[int]] = {i: [] for i in range(first, last + 1)}
    for state in desk.units:
        for c in state.unit.complaints:
            if c.opened <= desk.as_of and (i := month_index(c.opened)) in opened:
                opened[i][c.category] += 1
                units[i].add(state.unit.id)
            if c.resolved is not None and c.resolved <= desk.as_of and (i := month_index(c.resolved)) in days:
                days[i].append((c.resolved - c.opened).days)
    total = len(desk.units)
    out = []
    for i in range(first, last + 1):
        start = month_start(i)
        counts = opened[i]
        known = tuple(counts[k] for k in CATEGORIES)
        unknown = sum(n for k, n in counts.items() if k not in CATEGORIES)  # counted as "other"
        by_category = known[:-1] + (known[-1] + unknown,)
        rate = (Decimal(len(units[i])) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if total else None
        out.append(ComplaintMonth(f"{start.year}-{start.month:02d}", by_category, len(units[i]), rate,
                                  len(days[i]), _average(days[i])))
    return tuple(out)


def complaints_view(desk: Desk) -> ComplaintsView:
    rows = open_complaints(desk)
    overdue = sorted((r for r in rows if r.overdue), key=lambda r: (-r.overdue, r.state.unit.id))
    first_open: dict[str, OpenComplaint] = {}
    for row in rows:  # oldest first: the first row of a unit is its oldest open complaint
        if row.state.in_arrears:
            first_open.setdefault(row.state.unit.id, row)
    held = sorted(first_open.values(), key=lambda r: (-r.state.outstanding, r.state.unit.id))
    recorded = [c for s in desk.units for c in s.unit.complaints if c.opened <= desk.as_of]
    resolved = [c for c in recorded if c.resolved is not None and c.resolved <= desk.as_of]
    return ComplaintsView(
        as_of=desk.as_of,
        units=len(desk.units),
        open=tuple(rows),
        overdue=tuple(overdue),
        handlers=handler_loads(rows),
        months=complaint_months(desk),
        held=tuple(held),
        held_amount=sum((r.state.outstanding for r in held), ZERO),
        total=len(recorded),
        resolved=len(resolved),
        confirmed=sum(1 for c in resolved if c.confirmed is not None and c.confirmed <= desk.as_of),
    )
