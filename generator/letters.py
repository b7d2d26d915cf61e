"""Which letters a desk calls for on a day, and what each one says.

Pure: ``plan_letters(desk, laws)`` returns frozen ``Letter`` records whose
``context`` is everything the letter's template prints.  Rendering them to
PDF is ``pdf.py``'s job; writing the folder and manifest is ``print_run.py``'s.

Which letter goes to whom:
- the letter a dunning stage names (``letter: notice``) to every unit whose
  next action is to send it (do the stage, or repeat it before escalating);
- a statement (对账单) to every unit in arrears;
- an installment agreement for every unit's latest plan;
- an evidence list for every unit at the policy's last stage;
- one notice-board summary per build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import labels
from .aging import BUCKET_NAMES
from .dates import next_workday
from .engine import ChargeState, Desk, UnitState
from .money import ZERO, fmt_grouped, to_capitals
from .stats import collection_rate, year_window

TITLES = {
    "notice": "催缴通知书",
    "lawyer": "律师函（草稿）",
    "statement": "欠费明细对账单",
    "plan": "分期付款协议",
    "board": "物业费收缴情况公示",
    "evidence": "证据目录",
}
PREFIXES = {"notice": "TZ", "lawyer": "LS", "statement": "DZ", "plan": "FQ", "board": "GS", "evidence": "ZJ"}
DEFAULT_DEADLINE_DAYS = 15  # a statement's payment window when no letter stage names one
LETTER_CHANNELS = frozenset({"letter", "registered_mail", "lawyer_letter", "court"})


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str  # notice | lawyer | statement | plan | board | evidence | another stage's letter key
    doc_no: str  # stable for the same data and as-of day
    unit: str | None
    title: str
    file: str  # relative to the letters folder
    total: Decimal | None
    template: str
    context: dict = field(hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class ChargeLine:
    item: str
    period: str
    amount: Decimal
    unpaid: Decimal
    due: date
    days_overdue: int
    late_fee: Decimal
    limitation: str | None  # ok | warning | expired
    expiry: date | None


def doc_no(kind: str, as_of: date, unit: str | None) -> str:
    prefix = PREFIXES.get(kind) or re.sub(r"[^A-Za-z0-9]", "", kind).upper()[:4] or "HJ"
    return f"{prefix}-{as_of:%Y%m%d}" + (f"-{unit}" if unit else "")


def charge_lines(state: UnitState) -> list[ChargeLine]:
    """The unit's unpaid overdue charges, oldest first."""
    lines = []
    for c in state.charges:
        if not c.overdue or c.unpaid <= 0:
            continue
        lines.append(ChargeLine(
            c.charge.item, c.charge.period, c.charge.amount, c.unpaid, c.charge.due, c.days_overdue or 0,
            c.late_fee.amount if c.late_fee else ZERO,
            c.limitation.status if c.limitation else None, c.limitation.expiry if c.limitation else None,
        ))
    return lines


def deadline_days(desk: Desk, kind: str) -> int:
    """The payment window a letter gives: its stage's deadline_days or wait_days."""
    stages = [s for s in desk.policy.dunning if s.letter == kind] if kind in _stage_letters(desk) else []
    stages = stages or [s for s in desk.policy.dunning if s.letter and (s.deadline_days or s.wait_days)]
    for stage in stages:
        if stage.deadline_days or stage.wait_days:
            return stage.deadline_days or stage.wait_days
    return DEFAULT_DEADLINE_DAYS


def _stage_letters(desk: Desk) -> set[str]:
    return {s.letter for s in desk.policy.dunning if s.letter}


def _late_fee_basis(desk: Desk) -> dict | None:
    rule = desk.policy.late_fee
    if rule is None:
        return None
    return {
        "daily_rate": rule.daily_rate,
        "daily_rate_text": _rate_text(rule.daily_rate),
        "grace_days": rule.grace_days,
        "cap_percent": format((rule.cap * 100).normalize(), "f"),
    }


def _rate_text(rate: Decimal) -> str:
    """0.0003 -> 万分之三; any other rate as a percentage."""
    per_ten_thousand = rate * 10000
    if per_ten_thousand == per_ten_thousand.to_integral_value() and 0 < per_ten_thousand < 10:
        return "万分之" + "一二三四五六七八九"[int(per_ten_thousand) - 1]
    return f"{(rate * 100).normalize():f}%"


def arrears_context(desk: Desk, state: UnitState, days: int) -> dict:
    """What every dunning letter prints about one unit's arrears."""
    lines = charge_lines(state)
    principal = sum((line.unpaid for line in lines), ZERO)
    total = principal + state.late_fee
    deadline, exact = next_workday(desk.as_of + timedelta(days=days))
    expired = sum((line.unpaid for line in lines if line.limitation == "expired"), ZERO)
    gross_late_fee = sum((c.late_fee.amount for c in state.charges if c.late_fee), ZERO)
    return {
        "lines": lines,
        "principal": principal,
        "late_fee": state.late_fee,
        "late_fee_gross": gross_late_fee,
        "late_fee_on_settled": gross_late_fee - sum((line.late_fee for line in lines), ZERO),
        "late_fee_waived": state.late_fee_waived,
        "late_fee_basis": _late_fee_basis(desk),
        "total": total,
        "total_capitals": to_capitals(total),
        "credit": state.credit,
        "deadline": deadline,
        "deadline_days": days,
        "deadline_exact": exact,
        "deadline_moved": deadline != desk.as_of + timedelta(days=days),
        "suable": principal - expired,
        "expired": expired,
    }


def _common(desk: Desk, laws, kind: str) -> dict:
    return {
        "policy": desk.policy,
        "issuer": desk.policy.issuer,
        "as_of": desk.as_of,
        "laws": tuple(laws.for_context(f"letter:{kind}")) if laws is not None else (),
        "kind": kind,
    }


def _unit_letter(desk: Desk, laws, state: UnitState, kind: str, title: str, days: int, **extra) -> Letter:
    number = doc_no(kind, desk.as_of, state.unit.id)
    context = _common(desk, laws, kind) | {"doc_no": number, "title": title, "s": state, "u": state.unit}
    context |= arrears_context(desk, state, days) | extra
    return Letter(kind, number, state.unit.id, title, f"{kind}/{number}.pdf", context["total"], f"{kind}.html.j2", context)


def stage_letters(desk: Desk, laws) -> list[Letter]:
    """The letter of each unit whose next action sends one."""
    out = []
    for state in desk.units:
        action = state.next_action
        if not state.in_arrears or not action.letter or action.kind not in ("do_stage", "repeat"):
            continue
        stage = desk.policy.stage(action.stage)
        kind = action.letter
        title = TITLES.get(kind) or (stage.name if stage else kind)
        days = (stage.deadline_days or stage.wait_days) if stage and (stage.deadline_days or stage.wait_days) else deadline_days(desk, kind)
        out.append(_unit_letter(desk, laws, state, kind, title, days, stage=stage, action=action))
    return out


def statements(desk: Desk, laws) -> list[Letter]:
    days = deadline_days(desk, "statement")
    return [_unit_letter(desk, laws, s, "statement", TITLES["statement"], days, history=_history(s, desk.as_of)) for s in desk.units if s.in_arrears]


STATEMENT_HISTORY_DAYS = 730


def _history(state: UnitState, as_of: date) -> dict:
    """Payments and waivers of the last two years, for the statement."""
    since = as_of - timedelta(days=STATEMENT_HISTORY_DAYS)
    return {
        "payments": sorted((p for p in state.payments if p.date >= since), key=lambda p: (p.date, p.seq)),
        "waivers": sorted((w for w in state.waivers if w.date >= since), key=lambda w: (w.date, w.seq)),
        "since": since,
    }


def plan_letters(desk: Desk, laws) -> list[Letter]:
    out = []
    for state in desk.units:
        if state.plan is None:
            continue
        plan = state.plan.plan
        number = f"{PREFIXES['plan']}-{plan.signed:%Y%m%d}-{state.unit.id}"
        context = _common(desk, laws, "plan") | {
            "doc_no": number, "title": TITLES["plan"], "s": state, "u": state.unit, "p": state.plan,
            "installments": sorted(plan.installments, key=lambda i: i.due),
            "total": plan.total, "total_capitals": to_capitals(plan.total),
        }
        out.append(Letter("plan", number, state.unit.id, TITLES["plan"], f"plan/{number}.pdf", plan.total, "plan.html.j2", context))
    return out


def evidence_letters(desk: Desk, laws) -> list[Letter]:
    if not desk.policy.dunning:
        return []
    last = desk.policy.dunning[-1]
    out = []
    for state in desk.units:
        if not state.in_arrears or state.stage is None or state.stage.id != last.id:
            continue
        letters_sent = [c for c in state.contacts if c.channel in LETTER_CHANNELS]
        with_evidence = [c for c in state.contacts if c.evidence]
        out.append(_unit_letter(
            desk, laws, state, "evidence", TITLES["evidence"], deadline_days(desk, "evidence"),
            letters_sent=letters_sent, contacts_with_evidence=with_evidence,
            statement_no=doc_no("statement", desk.as_of, state.unit.id), fees=desk.policy.fees,
        ))
    return out


@dataclass(frozen=True, slots=True)
class BoardRow:
    name: str
    units: int
    in_arrears: int
    outstanding: Decimal
    rate: Decimal | None


def board_letter(desk: Desk, laws) -> Letter:
    """The notice-board summary: no names, no phones; unit numbers only when the policy opts in."""
    start, end = year_window(desk.as_of)
    buildings: dict[str, list[UnitState]] = {}
    for state in desk.units:
        buildings.setdefault(state.unit.building, []).append(state)
    rows = [
        BoardRow(name, len(states), sum(1 for s in states if s.in_arrears), sum((s.outstanding for s in states), ZERO),
                 collection_rate(_rate_rows(states, start, end)))
        for name, states in sorted(buildings.items())
    ]
    arrears = [s for s in desk.units if s.in_arrears]
    aging = {name: sum((s.aging[name] for s in arrears), ZERO) for name in BUCKET_NAMES}
    listed = sorted(((s.unit.id, s.outstanding) for s in arrears)) if desk.policy.publish_unit_amounts else []
    number = doc_no("board", desk.as_of, None)
    context = _common(desk, laws, "board") | {
        "doc_no": number, "title": TITLES["board"], "t": desk.totals, "rows": rows, "aging": aging,
        "year": desk.as_of.year, "listed": listed, "units": len(desk.units),
    }
    return Letter("board", number, None, TITLES["board"], f"board/{number}.pdf", desk.totals.outstanding, "board.html.j2", context)


def _rate_rows(states: list[UnitState], start: date, end: date) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [
        (c.charge.amount, c.paid, c.waived)
        for s in states for c in s.charges if start <= c.charge.due <= end
    ]


def plan_all(desk: Desk, laws) -> list[Letter]:
    """Every letter of the day, in print order: by kind, then unit."""
    letters = stage_letters(desk, laws) + statements(desk, laws) + plan_letters(desk, laws) + evidence_letters(desk, laws)
    letters.append(board_letter(desk, laws))
    order = {kind: i for i, kind in enumerate(TITLES)}
    letters.sort(key=lambda l: (order.get(l.kind, len(order)), l.kind, l.unit or "", l.doc_no))
    return letters


def filters() -> dict:
    """Jinja filters for the letter templates: the site's vocabulary, letter-style dates."""
    return {
        "money": fmt_grouped,
        "capitals": to_capitals,
        "cn_date": lambda d: f"{d.year}年{d.month}月{d.day}日",
        "channel": lambda v: labels.CHANNEL.get(v, v),
        "outcome": lambda v: labels.OUTCOME.get(v, v),
        "reason": lambda v: labels.REASON.get(v, v),
        "method": lambda v: labels.METHOD.get(v, v),
        "applies_to": lambda v: labels.APPLIES_TO.get(v, v),
        "plan_status": lambda v: labels.PLAN_STATUS.get(v, v),
        "limitation_status": lambda v: labels.LIMITATION_STATUS.get(v, v) if v else "—",
        "pct": lambda v: "—" if v is None else f"{v * 100:.2f}%",
    }


__all__ = ["Letter", "ChargeLine", "ChargeState", "TITLES", "plan_all", "filters", "arrears_context", "doc_no"]
