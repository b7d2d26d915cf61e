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

from generator.core.dates import month_end, month_index
from generator.core.model import REACHED_OUTCOMES
from generator.core.money import ZERO, fmt_grouped, round_places
from generator.rules.aging import BUCKET_NAMES
from generator.rules.billing import KIND_FEE
from generator.rules.engine import Desk, UnitState
from generator.rules.followup import (
    PROMISE_BROKEN_TEXT,
    installment_text,
    plan_behind_text,
    plan_behind_why,
    promise_waiting_text,
    promised_amount_text,
)
from generator.rules.plans import BEHIND, ON_TRACK
from generator.rules.stats import collection_rate

QUEUE_HORIZON_DAYS = 7
NOT_REACHED_DAYS = 90


@dataclass(frozen=True, slots=True)
class MonthRate:
    month: str  # YYYY-MM
    rate: Decimal | None  # rule 11 applied at that month's end


@dataclass(frozen=True, slots=True)
class PeriodSpeed:
    fee: str  # the fee's name
    period: str
    due: date  # the period's due day (a bill prorated from a later move-in may fall due later)
    bills: int
    prorated: int  # of them, bills due later than the period's due day (moved in during the period)
    amount: Decimal
    within: tuple[Decimal | None, ...]  # share paid within 30, 90, 180 days of each bill's due (None: not yet that old)


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
    date: date | None  # when the work is due (None: no date)
    text: str
    why: str
    overdue: bool = False  # its date has passed: shown in red


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
    barred_units: int  # units with an amount past limitation: unpaid principal or late fee (rule 10, rule 6)
    expired_amount: Decimal  # unpaid principal past limitation, all units
    speeds: tuple[PeriodSpeed, ...]
    collectors: tuple[CollectorWork, ...]


def monthly_rates_at(desk: Desk, ends: list[date]) -> list[Decimal | None]:
    """Rule 11 at each month end of ``ends`` (ascending), in one pass over the charges.

    For each end: the charges issued by then and due in its year up to it, with
    what payments and waivers settled of them by that day.
    """
    rows: list[list[tuple[Decimal, Decimal, Decimal]]] = [[] for _ in ends]
    by_year: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for i, end in enumerate(ends):
        by_year[end.year].append((i, end))
    for state in desk.units:
        for c in state.charges:
            charge = c.charge
            due, issued = charge.due, charge.issued
            for i, end in by_year.get(due.year, ()):
                if due > end or issued > end:
                    continue
                paid = waived = ZERO
                for p in c.pieces:
                    if p.settled <= end:
                        if p.by_payment:
                            paid += p.amount
                        else:
                            waived += p.amount
                rows[i].append((charge.amount, paid, waived))
    return [collection_rate(r) for r in rows]


def monthly_rates(desk: Desk, months: int = 24) -> tuple[MonthRate, ...]:
    last = month_index(desk.as_of)
    ends = [min(month_end(index), desk.as_of) for index in range(last - months + 1, last + 1)]
    rates = monthly_rates_at(desk, ends)
    return tuple(MonthRate(f"{end.year}-{end.month:02d}", rate) for end, rate in zip(ends, rates))


def _group(states, key) -> tuple[tuple[str, int, Decimal], ...]:
    counts: Counter = Counter()
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for s in states:
        k = key(s)
        counts[k] += 1
        sums[k] += s.outstanding
    return tuple((k, counts[k], sums[k]) for k in sorted(counts))


def period_speeds(desk: Desk, limit: int = 12) -> tuple[PeriodSpeed, ...]:
    """How fast each fee's billing periods got paid: the last ``limit`` periods of each fee, fee by fee.

    Bills are grouped by fee and period; a bill prorated from a mid-period
    move-in falls due later and is counted from its own due day.
    """
    groups: dict[tuple[str, str], list] = defaultdict(list)
    fee_order = {fee.name: i for i, fee in enumerate(desk.policy.fees)}
    for state in desk.units:
        for c in state.charges:
            if c.charge.kind == KIND_FEE and c.charge.due < desk.as_of:
                groups[(c.charge.item, c.charge.period)].append(c)
    per_fee: dict[str, list] = defaultdict(list)
    for (fee, period), charges in groups.items():
        per_fee[fee].append((min(c.charge.due for c in charges), period, charges))
    speeds = []
    for fee in sorted(per_fee, key=lambda f: (fee_order.get(f, len(fee_order)), f)):
        for due, period, charges in sorted(per_fee[fee])[-limit:]:
            amount = sum((c.charge.amount - c.waived for c in charges), ZERO)
            shares = []
            for days in (30, 90, 180):
                if any(c.charge.due + timedelta(days=days) > desk.as_of for c in charges) or amount == 0:
                    shares.append(None)
                    continue
                paid = sum((p.amount for c in charges for p in c.pieces
                            if p.by_payment and p.settled <= c.charge.due + timedelta(days=days)), ZERO)
                shares.append(round_places(Fraction(paid) / Fraction(amount), 4))
            prorated = sum(1 for c in charges if c.charge.due > due)
            speeds.append(PeriodSpeed(fee, period, due, len(charges), prorated, amount, tuple(shares)))
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
                if contact.date <= payment.date <= end:  # a payment on the day of the contact counts
                    row["payments"].add(payment)
    return tuple(
        CollectorWork(name, r["contacts"], r["reached"], r["promises"], r["kept"], sum((p.amount for p in r["payments"]), ZERO))
        for name, r in sorted(rows.items())
    )


NO_STAGE = "未到催缴阶段"


def _in_dunning_order(rows, desk: Desk):
    """Stage rows in the order of the policy's dunning ladder, "not yet at a stage" first."""
    order = {NO_STAGE: -1, **{stage.name: i for i, stage in enumerate(desk.policy.dunning)}}
    return tuple(sorted(rows, key=lambda r: (order.get(r[0], len(order)), r[0])))


def charge_statuses(state: UnitState) -> set[str]:
    """The limitation statuses of the unit's unpaid charges: a unit can have several."""
    return {status for c in state.charges for status in (c.limitation_status,) if status}


def dashboard(desk: Desk) -> Dashboard:
    arrears = [s for s in desk.units if s.in_arrears]
    aging = {name: sum((s.aging[name] for s in arrears), ZERO) for name in BUCKET_NAMES}
    reasons: Counter = Counter(r for s in arrears for r in s.reasons)
    return Dashboard(
        aging=aging,
        monthly_rates=monthly_rates(desk),
        by_building=_group(arrears, lambda s: s.unit.building),
        by_type=_group(arrears, lambda s: s.unit.type),
        by_stage=_in_dunning_order(_group(arrears, lambda s: s.stage.name if s.stage else NO_STAGE), desk),
        by_reason=tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        limitation_warnings=sum(1 for s in arrears if "warning" in charge_statuses(s)),
        limitation_expired=sum(1 for s in arrears if "expired" in charge_statuses(s)),
        barred_units=sum(1 for s in desk.units if s.limitation.expired_amount > 0 or s.late_fee_barred > 0),
        expired_amount=sum((s.limitation.expired_amount for s in desk.units), ZERO),
        speeds=period_speeds(desk),
        collectors=collectors(desk),
    )


def queue(desk: Desk) -> dict[str, list[QueueItem]]:
    """The follow-up queue: what is due today and in the next seven days, by kind of work.

    A unit is listed in every group that applies to it (a broken promise and a
    plan behind: both), not only under its single next action.
    """
    as_of = desk.as_of
    horizon = as_of + timedelta(days=QUEUE_HORIZON_DAYS)
    groups: dict[str, list[QueueItem]] = {key: [] for key in QUEUE_GROUPS}

    def add(key: str, s: UnitState, when: date | None, text: str, why: str) -> None:
        groups[key].append(QueueItem(s, when, text, why, when is not None and when < as_of))

    for s in desk.units:
        if not s.in_arrears:
            continue
        action = s.next_action
        soon = action.date is not None and action.date <= horizon
        unauthorised = action.kind == "authorise"  # the issuer may not demand today: no demand is queued, only that
        for promise in s.promises:
            p = promise.contact.promise
            if promise.broken and not promise.superseded:
                if unauthorised:
                    continue
                add("promises", s, p.date + timedelta(days=1), PROMISE_BROKEN_TEXT,
                    f"业主 {promise.contact.date} 承诺 {p.date} 前付{promised_amount_text(p)}，到期只付了 {fmt_grouped(promise.paid)} 元")
            elif not promise.kept and not promise.broken and p.date <= horizon:
                add("promises", s, p.date, promise_waiting_text(p), f"{promise.contact.date} 联系时业主承诺付款")
        plan = s.plan
        if plan is not None and plan.status == BEHIND:
            if not unauthorised:
                add("plans", s, as_of, plan_behind_text(plan), plan_behind_why(plan))
        elif plan is not None and plan.status == ON_TRACK and plan.next_installment and plan.next_installment[0] <= horizon:
            due, amount = plan.next_installment
            add("plans", s, due, installment_text(due, amount), f"分期协议（{plan.plan.signed} 签订）按期履行中")
        if unauthorised:
            add("authorise", s, action.date, action.text, action.why)
        elif action.kind in ("complaint", "complaint_resolved"):  # the why says why a lawyer letter is held
            add("complaints", s, action.date, action.text, action.why)
        elif action.kind == "wait" and soon:
            add("waiting", s, action.date, action.text, action.why)
        elif action.letter and action.kind in ("do_stage", "repeat") and soon:
            add("letters", s, action.date, action.text, action.why)
        elif soon and action.kind not in ("none", "plan", "plan_behind", "promise", "promise_broken"):
            add("contacts", s, action.date, action.text, action.why)
        warning = [c.limitation.expiry for c in s.charges if c.limitation_status == "warning"]
        if warning:
            first = min(warning)
            add("limitation", s, first, f"诉讼时效将于 {first} 届满（{len(warning)} 笔）",
                ("先取得债权人的书面授权（或请债权人自己）" if unauthorised else "")
                + "尽快送达书面催缴并取得签收，或与业主签订还款计划，以中断时效")
        if s.last_reached is None or (as_of - s.last_reached).days > NOT_REACHED_DAYS:
            since = f"上次联系上是 {s.last_reached}" if s.last_reached else "从未联系上"
            groups["unreached"].append(QueueItem(s, None, f"超过 {NOT_REACHED_DAYS} 天未联系上业主", since))
    for key, items in groups.items():
        if key == "unreached":  # longest without contact first; dates here are not due dates
            items.sort(key=lambda i: (i.state.last_reached or date.min, i.state.unit.id))
        else:
            items.sort(key=lambda i: (i.date or date.min, i.state.unit.id))
    return groups


QUEUE_GROUPS = {
    "authorise": "先取得债权人授权",
    "complaints": "先处理投诉（暂缓律师函）和投诉解决后回访",
    "promises": "承诺到期或未兑现",
    "waiting": "等待期届满",
    "letters": "待发函件",
    "plans": "分期协议跟进",
    "contacts": "待联系",
    "limitation": "诉讼时效将届满",
    "unreached": "长期未联系上",
}
