"""Aggregates the dashboard and queue show, derived from a computed Desk.

All of it is exact: the monthly collection rates reuse the pieces computed
at ``as_of``, which are the same at any earlier month end because
allocation runs in date order (rule 4).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .aging import BUCKET_NAMES
from .billing import KIND_FEE
from .dates import month_end, month_index
from .engine import Desk, UnitState
from .followup import REACHED_OUTCOMES
from .money import ZERO, round_places
from .stats import collection_rate

QUEUE_HORIZON_DAYS = 7
NOT_REACHED_DAYS = 90


@dataclass(frozen=True, slots=True)
class MonthRate:
    month: str  # YYYY-MM
    rate: Decimal | None  # rule 11 applied at that month's end


@dataclass(frozen=True, slots=True)
class PeriodSpeed:
    period: str
    due: date
    amount: Decimal
    within: tuple[Decimal | None, ...]  # share paid within 30, 90, 180 days of due (None: not yet that old)


@dataclass(frozen=True, slots=True)
class CollectorWork:
    name: str
    contacts: int
    reached: int
    promises: int
    promises_kept: int
    paid_within_30: Decimal


@dataclass(frozen=True, slots=True)
class QueueItem:
    state: UnitState
    date: date | None
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    aging: dict[str, Decimal]
    monthly_rates: tuple[MonthRate, ...]
    by_building: tuple[tuple[str, int, Decimal], ...]
    by_type: tuple[tuple[str, int, Decimal], ...]
    by_stage: tuple[tuple[str, int, Decimal], ...]
    by_reason: tuple[tuple[str, int], ...]
    limitation_warnings: int
    limitation_expired: int
    speeds: tuple[PeriodSpeed, ...]
    collectors: tuple[CollectorWork, ...]


def rate_at(desk: Desk, end: date) -> Decimal | None:
    start = date(end.year, 1, 1)
    rows = []
    for state in desk.units:
        for c in state.charges:
            if c.charge.issued <= end and start <= c.charge.due <= end:
                paid = sum((p.amount for p in c.pieces if p.by_payment and p.settled <= end), ZERO)
                waived = sum((p.amount for p in c.pieces if not p.by_payment and p.settled <= end), ZERO)
                rows.append((c.charge.amount, paid, waived))
    return collection_rate(rows)


def monthly_rates(desk: Desk, months: int = 24) -> tuple[MonthRate, ...]:
    last = month_index(desk.as_of)
    result = []
    for index in range(last - months + 1, last + 1):
        end = min(month_end(index), desk.as_of)
        result.append(MonthRate(f"{end.year}-{end.month:02d}", rate_at(desk, end)))
    return tuple(result)


def _group(states, key) -> tuple[tuple[str, int, Decimal], ...]:
    counts: Counter = Counter()
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for s in states:
        k = key(s)
        counts[k] += 1
        sums[k] += s.outstanding
    return tuple((k, counts[k], sums[k]) for k in sorted(counts))


def period_speeds(desk: Desk, limit: int = 12) -> tuple[PeriodSpeed, ...]:
    groups: dict[tuple[date, str], list] = defaultdict(list)
    for state in desk.units:
        for c in state.charges:
            if c.charge.kind == KIND_FEE and c.charge.due < desk.as_of:
                groups[(c.charge.due, c.charge.period)].append(c)
    speeds = []
    for (due, period), charges in sorted(groups.items())[-limit:]:
        amount = sum((c.charge.amount - c.waived for c in charges), ZERO)
        shares = []
        for days in (30, 90, 180):
            cutoff = due + timedelta(days=days)
            if cutoff > desk.as_of or amount == 0:
                shares.append(None)
                continue
            paid = sum((p.amount for c in charges for p in c.pieces if p.by_payment and p.settled <= cutoff), ZERO)
            shares.append(round_places(Fraction(paid) / Fraction(amount), 4))
        speeds.append(PeriodSpeed(period, due, amount, tuple(shares)))
    return tuple(speeds)


def collectors(desk: Desk) -> tuple[CollectorWork, ...]:
    rows: dict[str, dict] = defaultdict(lambda: {"contacts": 0, "reached": 0, "promises": 0, "kept": 0, "payments": set()})
    for state in desk.units:
        kept = {id(p.contact) for p in state.promises if p.kept}
        for contact in state.contacts:
            row = rows[contact.by or "（未署名）"]
            row["contacts"] += 1
            row["reached"] += contact.outcome in REACHED_OUTCOMES
            if contact.outcome == "promised":
                row["promises"] += 1
                row["kept"] += id(contact) in kept
            end = contact.date + timedelta(days=30)
            for payment in state.payments:
                if contact.date < payment.date <= end:
                    row["payments"].add(payment)
    return tuple(
        CollectorWork(name, r["contacts"], r["reached"], r["promises"], r["kept"], sum((p.amount for p in r["payments"]), ZERO))
        for name, r in sorted(rows.items())
    )


def dashboard(desk: Desk) -> Dashboard:
    arrears = [s for s in desk.units if s.in_arrears]
    aging = {name: sum((s.aging[name] for s in arrears), ZERO) for name in BUCKET_NAMES}
    reasons: Counter = Counter(r for s in arrears for r in s.reasons)
    return Dashboard(
        aging=aging,
        monthly_rates=monthly_rates(desk),
        by_building=_group(arrears, lambda s: s.unit.building),
        by_type=_group(arrears, lambda s: s.unit.type),
        by_stage=_group(arrears, lambda s: s.stage.name if s.stage else "未到催缴阶段"),
        by_reason=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        limitation_warnings=sum(1 for s in arrears if s.limitation.status == "warning"),
        limitation_expired=sum(1 for s in arrears if s.limitation.status == "expired"),
        speeds=period_speeds(desk),
        collectors=collectors(desk),
    )


def queue(desk: Desk) -> dict[str, list[QueueItem]]:
    """The follow-up queue: what is due today and in the next seven days, by kind of work."""
    horizon = desk.as_of + timedelta(days=QUEUE_HORIZON_DAYS)
    groups: dict[str, list[QueueItem]] = {key: [] for key in QUEUE_GROUPS}
    for s in desk.units:
        if not s.in_arrears:
            continue
        action = s.next_action
        soon = action.date is not None and action.date <= horizon
        if action.kind == "promise_broken":
            groups["promises"].append(QueueItem(s, action.date, action.text, action.why))
        elif action.kind == "promise" and soon:
            groups["promises"].append(QueueItem(s, action.date, action.text, action.why))
        elif action.kind == "wait" and soon:
            groups["waiting"].append(QueueItem(s, action.date, action.text, action.why))
        elif action.letter and action.kind in ("do_stage", "repeat") and soon:
            groups["letters"].append(QueueItem(s, action.date, action.text, action.why))
        elif action.kind in ("plan_behind",) or (action.kind == "plan" and soon):
            groups["plans"].append(QueueItem(s, action.date, action.text, action.why))
        elif soon and action.kind not in ("none",):
            groups["contacts"].append(QueueItem(s, action.date, action.text, action.why))
        if s.limitation.status == "warning":
            groups["limitation"].append(QueueItem(s, s.limitation.earliest_expiry, f"诉讼时效将于 {s.limitation.earliest_expiry} 届满", "尽快送达书面催缴并取得签收，或与业主签订还款计划，以中断时效"))
        if s.last_reached is None or (desk.as_of - s.last_reached).days > NOT_REACHED_DAYS:
            since = f"上次联系上是 {s.last_reached}" if s.last_reached else "从未联系上"
            groups["unreached"].append(QueueItem(s, s.last_reached, f"超过 {NOT_REACHED_DAYS} 天未联系上业主", since))
    for items in groups.values():
        items.sort(key=lambda i: (i.date or date.min, i.state.unit.id))
    return groups


QUEUE_GROUPS = {
    "promises": "承诺到期或未兑现",
    "waiting": "等待期届满",
    "letters": "待发函件",
    "plans": "分期协议跟进",
    "contacts": "待联系",
    "limitation": "诉讼时效将届满",
    "unreached": "长期未联系上",
}
