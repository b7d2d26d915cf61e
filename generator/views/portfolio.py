"""One community's summary without personal data, and the portfolio over many summaries (issue 17, item 2).

``summarise(desk, community)`` gives a ``Summary``: totals, collection rate,
aging, limitation risk, dunning stages, plans, complaints and 24 months of
trends, with no unit id, name, phone, address or note. ``summary_json`` and
``parse_summary`` write and read it (``cuijiao-summary/1``); a summary read
from a file is hostile input, checked field by field with a Chinese message
naming the field. ``portfolio(summaries)`` adds them up.

The small-cell rule (``SMALL`` = 3): every figure is made from a set of
units (a count counts them, an amount sums over them, a rate or an average
is computed over them). A figure made from 1 or 2 units never appears:

- ordered cells (aging buckets, dunning stages) are merged with the next
  cell, and again, until the merged cell has 0 or at least 3 units; a small
  cell left at the end is merged into the cell before it; when all the cells
  together still hold 1 or 2 units, that one cell is withheld;
- any other figure (a total, a count, a rate, a month) made from 1 or 2
  units is withheld: a count is written ``"<3"``, an amount, rate or average
  ``null``.

Withheld cells never sit beside a total that would give them back by
subtraction: cells are merged until only the whole can be small, and then
the whole is withheld too.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from generator.core.dates import month_end, month_index, month_start
from generator.core.errors import CuijiaoError
from generator.core.inert import visible
from generator.core.money import ZERO, fmt, round_places
from generator.rules.aging import BUCKET_NAMES, BUCKETS
from generator.rules.engine import Desk, UnitState
from generator.rules.plans import BEHIND, ON_TRACK
from generator.rules.stats import collection_rate
from generator.views.dashboard import month_sums

FORMAT = "cuijiao-summary/1"
SMALL = 3  # a figure made from fewer units than this (but more than none) is merged or withheld
WITHHELD = "<3"  # how a withheld count is written
MONTHS = 24  # months of trends
COMPLAINT_MONTHS = 12  # the complaint totals cover the last 12 months
NO_STAGE = "未到催缴阶段"  # units in arrears not yet at a stage of the ladder (as the dashboard says)
TOTAL_KEYS = ("charged", "paid", "waived", "outstanding", "not_due", "late_fee", "late_fee_barred", "credit")
MAX_TEXT = 200  # the community's name in a summary
MAX_NAME = 100  # a stage's name
OVER_ONE_YEAR = tuple(name for name, upper in BUCKETS if upper is None or upper > 365)  # 366-730 and older


class SummaryProblem(CuijiaoError, ValueError):
    """A summary that is not a well-formed ``cuijiao-summary/1`` (Chinese message naming the field)."""


# -- the records ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Figure:
    """An amount over a set of units; both None when the set has 1 or 2 units."""

    units: int | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class Group:
    """One or more neighbouring cells (aging buckets, dunning stages) merged until they hold 0 or >= SMALL units."""

    names: tuple[str, ...]
    units: int | None  # None: withheld (all cells together hold 1 or 2 units)
    amount: Decimal | None

    @property
    def merged(self) -> bool:
        return len(self.names) > 1


@dataclass(frozen=True, slots=True)
class Month:
    month: str  # YYYY-MM
    rate: Decimal | None  # rule 11 at the month's end (year to date)
    due: Decimal | None  # its sums: charges due in the year by then, paid and waived of them (for the portfolio's rate)
    paid: Decimal | None
    waived: Decimal | None
    received: Decimal | None  # payments dated in the month
    opened: int | None  # complaints opened in the month
    resolved: int | None  # complaints resolved in the month
    days: int | None  # their days from opened to resolved, summed (the average is days / resolved)


@dataclass(frozen=True, slots=True)
class Summary:
    community: str  # the folder's name: communities/<community>/
    name: str  # the policy's community name
    as_of: date
    units: int | None
    units_in_arrears: int | None
    totals: dict[str, Decimal | None]  # TOTAL_KEYS
    rate: Decimal | None  # this year's collection rate (rule 11)
    year: Figure  # units with charges due this year; amount: what they were charged
    year_paid: Decimal | None
    year_waived: Decimal | None
    aging: tuple[Group, ...]
    over_one_year: Figure  # unpaid overdue principal more than 365 days overdue
    warn_days: int
    expired: Figure  # unpaid principal past limitation
    warning: Figure  # unpaid principal whose limitation ends within warn_days
    late_fee_barred: Figure  # late fee past limitation (never claimed)
    stages: tuple[Group, ...]
    plans_on_track: int | None
    plans_behind: int | None
    complaints_open: int | None
    complaints_overdue: int | None  # open, the promised date passed
    complaints_held: Figure  # units in arrears with an open complaint, and what they owe
    opened_12m: int | None
    resolved_12m: int | None
    days_12m: int | None
    months: tuple[Month, ...] = field(default=())

    @property
    def aging_total(self) -> Decimal | None:
        amounts = [g.amount for g in self.aging]
        return None if not amounts or None in amounts else sum(amounts, ZERO)

    @property
    def over_one_year_share(self) -> Decimal | None:
        total = self.aging_total
        if total is None or self.over_one_year.amount is None or total == 0:
            return None
        return share(self.over_one_year.amount, total)

    @property
    def average_days_12m(self) -> Decimal | None:
        return average(self.days_12m, self.resolved_12m)

    @property
    def withheld(self) -> int:
        """How many of its figures are withheld under the small-cell rule."""
        values = [self.units, self.units_in_arrears, *self.totals.values(), self.rate, self.plans_on_track, self.plans_behind,
                  self.complaints_open, self.complaints_overdue, self.opened_12m, self.resolved_12m]
        figures = [self.year, self.over_one_year, self.expired, self.warning, self.late_fee_barred, self.complaints_held,
                   *self.aging, *self.stages]
        return sum(v is None for v in values) + sum(f.units is None for f in figures)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole to four places, half-up; None when whole is 0."""
    return None if whole == 0 else round_places(Fraction(part) / Fraction(whole), 4)


def average(days: int | None, count: int | None) -> Decimal | None:
    """Mean days to one place, half-up; None when unknown or nothing was resolved."""
    if days is None or not count:
        return None
    return round_places(Fraction(days, count), 1)


# -- the small-cell rule ---------------------------------------------------------------------------------------

def small(units: int) -> bool:
    return 0 < units < SMALL


def count(units: int) -> int | None:
    return None if small(units) else units


def figure(units: set | int, amount: Decimal) -> Figure:
    n = units if isinstance(units, int) else len(units)
    return Figure(None, None) if small(n) else Figure(n, amount)


def merge_cells(cells: list[tuple[str, set, Decimal]]) -> tuple[Group, ...]:
    """Ordered cells (name, units, amount) merged so that no cell holds 1 or 2 units (see the module's rule).

    A unit may be in several cells (aging: a unit owes in several buckets); a merged cell counts it once.
    """
    groups: list[tuple[list[str], set, Decimal]] = []
    current: tuple[list[str], set, Decimal] | None = None
    for name, units, amount in cells:
        current = ([name], set(units), amount) if current is None else (current[0] + [name], current[1] | units, current[2] + amount)
        if not small(len(current[1])):
            groups.append(current)
            current = None
    while current is not None and groups:  # a small cell at the end joins the one before it, and so on back
        names, units, amount = groups.pop()
        current = (names + current[0], units | current[1], amount + current[2])
        if not small(len(current[1])):
            break
    if current is not None:
        groups.append(current)
    return tuple(Group(tuple(names), count(len(units)), None if small(len(units)) else amount) for names, units, amount in groups)


def over_one_year(aging: tuple[Group, ...], units: set) -> Figure:
    """The aging cells past 365 days added up, from the cells as merged: withheld when a merged cell straddles
    365 days (a figure of its own there would give, subtracted from that cell, what 1 or 2 units owe below it).
    ``units``: the units owing more than 365 days overdue (none: 0, whatever the cells)."""
    over = set(OVER_ONE_YEAR)
    if not units:  # nothing is that old: a zero takes nothing from any cell
        return Figure(0, ZERO)
    if any(over & set(g.names) and not set(g.names) <= over for g in aging):
        return Figure(None, None)
    cells = [g for g in aging if set(g.names) <= over]
    if any(g.units is None for g in cells):
        return Figure(None, None)
    return figure(units, sum((g.amount for g in cells), ZERO))


# -- one community's summary from its desk -----------------------------------------------------------------------

def _months(desk: Desk) -> tuple[Month, ...]:
    last = month_index(desk.as_of)
    indexes = list(range(last - MONTHS + 1, last + 1))
    ends = [min(month_end(i), desk.as_of) for i in indexes]
    sums = month_sums(desk, ends)
    received: dict[int, Decimal] = dict.fromkeys(indexes, ZERO)
    payers: dict[int, set] = {i: set() for i in indexes}
    opened: dict[int, set] = {i: set() for i in indexes}
    opened_n: dict[int, int] = dict.fromkeys(indexes, 0)
    resolved: dict[int, list] = {i: [] for i in indexes}
    for state in desk.units:
        uid = state.unit.id
        for p in state.payments:
            if (i := month_index(p.date)) in received and p.date <= desk.as_of:
                received[i] += p.amount
                payers[i].add(uid)
        for c in state.unit.complaints:
            if c.opened <= desk.as_of and (i := month_index(c.opened)) in opened:
                opened[i].add(uid)
                opened_n[i] += 1
            if c.resolved is not None and c.resolved <= desk.as_of and (i := month_index(c.resolved)) in resolved:
                resolved[i].append((uid, (c.resolved - c.opened).days))
    out = []
    for i, (due, paid, waived, units) in zip(indexes, sums):
        start = month_start(i)
        known = not small(units)
        done = resolved[i]
        done_units = {u for u, _ in done}
        out.append(Month(
            f"{start.year}-{start.month:02d}",
            collection_rate([(due, paid, waived)]) if known else None,
            due if known else None, paid if known else None, waived if known else None,
            None if small(len(payers[i])) else received[i],
            None if small(len(opened[i])) else opened_n[i],
            None if small(len(done_units)) else len(done),
            None if small(len(done_units)) else sum(d for _, d in done),
        ))
    return tuple(out)


def _text(text: str, limit: int) -> str:
    """A policy's words as a summary may hold them (``parse_summary``): one line, no control character, at most
    ``limit`` characters."""
    return " ".join(visible(text).split())[:limit] or "—"


def _units_where(states, test) -> set[str]:
    return {s.unit.id for s in states if test(s)}


def summarise(desk: Desk, community: str) -> Summary:
    """The community's figures without personal data, the small-cell rule applied."""
    units = desk.units
    arrears = [s for s in units if s.in_arrears]
    year_start = date(desk.as_of.year, 1, 1)
    year_units, year_due, year_paid, year_waived = set(), ZERO, ZERO, ZERO
    for s in units:
        for c in s.charges:
            if year_start <= c.charge.due <= desk.as_of:
                year_units.add(s.unit.id)
                year_due += c.charge.amount
                year_paid += c.paid
                year_waived += c.waived
    year_known = not small(len(year_units))
    totals = {}
    for key in TOTAL_KEYS:
        contributing = [s for s in units if getattr(s, key) != 0]
        totals[key] = None if small(len(contributing)) else sum((getattr(s, key) for s in contributing), ZERO)
    aging = merge_cells([(name, _units_where(arrears, lambda s, n=name: s.aging[n] > 0), sum((s.aging[name] for s in arrears), ZERO))
                         for name in BUCKET_NAMES])
    old = _units_where(arrears, lambda s: any(s.aging[n] > 0 for n in OVER_ONE_YEAR))
    warning_units, warning_amount = set(), ZERO
    for s in units:
        for c in s.charges:
            if c.limitation_status == "warning":
                warning_units.add(s.unit.id)
                warning_amount += c.unpaid
    expired = [s for s in units if s.limitation.expired_amount > 0]
    barred = [s for s in units if s.late_fee_barred > 0]
    stage_names = [NO_STAGE] + [stage.name for stage in desk.policy.dunning]
    by_stage: dict[str, list[UnitState]] = {name: [] for name in stage_names}
    for s in arrears:
        by_stage.setdefault(s.stage.name if s.stage else NO_STAGE, []).append(s)
    stages = merge_cells([(_text(name, MAX_NAME), {s.unit.id for s in rows}, sum((s.outstanding for s in rows), ZERO))
                          for name, rows in by_stage.items()])
    plans = defaultdict(set)
    for s in units:
        if s.plan is not None and s.plan.status in (ON_TRACK, BEHIND):
            plans[s.plan.status].add(s.unit.id)
    open_rows = [(s, c) for s in units for c in s.unit.complaints if c.open_on(desk.as_of)]
    overdue_rows = [(s, c) for s, c in open_rows if c.promised is not None and c.promised < desk.as_of]
    held = {s.unit.id: s for s, _ in open_rows if s.in_arrears}
    first = month_index(desk.as_of) - COMPLAINT_MONTHS + 1
    recent_opened = [(s.unit.id, c) for s in units for c in s.unit.complaints
                     if c.opened <= desk.as_of and month_index(c.opened) >= first]
    recent_resolved = [(s.unit.id, c) for s in units for c in s.unit.complaints
                       if c.resolved is not None and c.resolved <= desk.as_of and month_index(c.resolved) >= first]
    resolved_small = small(len({u for u, _ in recent_resolved}))
    return Summary(
        community=community,
        name=_text(desk.policy.community, MAX_TEXT),
        as_of=desk.as_of,
        units=count(len(units)),
        units_in_arrears=count(len(arrears)),
        totals=totals,
        rate=desk.totals.collection_rate if year_known else None,
        year=figure(year_units, year_due),
        year_paid=year_paid if year_known else None,
        year_waived=year_waived if year_known else None,
        aging=aging,
        over_one_year=over_one_year(aging, old),
        warn_days=desk.policy.limitation.warn_days,
        expired=figure({s.unit.id for s in expired}, sum((s.limitation.expired_amount for s in expired), ZERO)),
        warning=figure(warning_units, warning_amount),
        late_fee_barred=figure({s.unit.id for s in barred}, sum((s.late_fee_barred for s in barred), ZERO)),
        stages=stages,
        plans_on_track=count(len(plans[ON_TRACK])),
        plans_behind=count(len(plans[BEHIND])),
        complaints_open=None if small(len({s.unit.id for s, _ in open_rows})) else len(open_rows),
        complaints_overdue=None if small(len({s.unit.id for s, _ in overdue_rows})) else len(overdue_rows),
        complaints_held=figure(set(held), sum((s.outstanding for s in held.values()), ZERO)),
        opened_12m=None if small(len({u for u, _ in recent_opened})) else len(recent_opened),
        resolved_12m=None if resolved_small else len(recent_resolved),
        days_12m=None if resolved_small else sum((c.resolved - c.opened).days for _, c in recent_resolved),
        months=_months(desk),
    )


# -- JSON ------------------------------------------------------------------------------------------------------

def _n(value: int | None):
    return WITHHELD if value is None else value


def _m(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def _r(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _figure_json(f: Figure) -> dict:
    return {"units": _n(f.units), "amount": _m(f.amount)}


def _group_json(g: Group) -> dict:
    return {"names": list(g.names), "units": _n(g.units), "amount": _m(g.amount)}


def summary_json(s: Summary) -> dict:
    return {
        "format": FORMAT,
        "community": s.community,
        "name": s.name,
        "as_of": s.as_of.isoformat(),
        "small_cell": SMALL,
        "units": _n(s.units),
        "units_in_arrears": _n(s.units_in_arrears),
        "totals": {key: _m(s.totals[key]) for key in TOTAL_KEYS},
        "collection_rate": {"rate": _r(s.rate), "units": _n(s.year.units), "due": _m(s.year.amount),
                            "paid": _m(s.year_paid), "waived": _m(s.year_waived)},
        "aging": [_group_json(g) for g in s.aging],
        "over_one_year": _figure_json(s.over_one_year),
        "limitation": {"warn_days": s.warn_days, "expired": _figure_json(s.expired), "warning": _figure_json(s.warning),
                       "late_fee_barred": _figure_json(s.late_fee_barred)},
        "stages": [_group_json(g) for g in s.stages],
        "plans": {"on_track": _n(s.plans_on_track), "behind": _n(s.plans_behind)},
        "complaints": {"open": _n(s.complaints_open), "overdue": _n(s.complaints_overdue), "held": _figure_json(s.complaints_held),
                       "opened_12m": _n(s.opened_12m), "resolved_12m": _n(s.resolved_12m), "days_12m": _n(s.days_12m)},
        "months": [{"month": m.month, "collection_rate": _r(m.rate), "due": _m(m.due), "paid": _m(m.paid), "waived": _m(m.waived),
                    "received": _m(m.received), "complaints_opened": _n(m.opened), "complaints_resolved": _n(m.resolved),
                    "resolution_days": _n(m.days)} for m in s.months],
    }


def dumps(s: Summary) -> str:
    return json.dumps(summary_json(s), ensure_ascii=False, indent=2) + "\n"


# -- reading a summary back: every field checked --------------------------------------------------------------

SLUG = re.compile(r"[^\W_][\w.-]{0,99}")  # a folder's name: letters (any script), digits, "_", "-", "."; no "/" or leading dot
_MONEY = re.compile(r"-?\d{1,15}\.\d{2}")
_RATE = re.compile(r"\d{1,3}\.\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
MAX_MONTHS = 120
MAX_CELLS = 64


class _Reader:
    """Checks one value after another; ``where`` names the field in a message (``totals.paid``)."""

    def fail(self, where: str, what: str) -> SummaryProblem:
        return SummaryProblem(f"字段 {where}：{what}")

    def mapping(self, value, where: str, keys: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "应是一个对象（{...}）")
        unknown = sorted(k for k in value if k not in keys)
        if unknown:
            raise self.fail(where, f"有未知的字段“{unknown[0][:40]}”（汇总文件只应有 cuijiao summary 写出的字段）")
        missing = [k for k in keys if k not in value]
        if missing:
            raise self.fail(where, f"缺少字段“{missing[0]}”")
        return value

    def text(self, value, where: str, limit: int = MAX_TEXT) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "应是一段非空的文字")
        if len(value) > limit:
            raise self.fail(where, f"太长（{len(value)} 个字符，最多 {limit} 个）")
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
            raise self.fail(where, "含有控制字符")
        return value

    def count(self, value, where: str) -> int | None:
        if value == WITHHELD:
            return None
        if type(value) is not int or value < 0 or value > 10**9:
            raise self.fail(where, f"应是户数或件数（0 或以上的整数），或“{WITHHELD}”")
        if small(value):
            raise self.fail(where, f"是 {value}：不足 {SMALL} 户的格子应合并或写成“{WITHHELD}”（这个文件不是 cuijiao summary 写出的，或被改过）")
        return value

    def money(self, value, where: str) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _MONEY.fullmatch(value):
            raise self.fail(where, "应是写成文字的金额，两位小数（例如 \"1234.50\"），或 null")
        return Decimal(value)

    def rate(self, value, where: str) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _RATE.fullmatch(value):
            raise self.fail(where, "应是写成文字的比率，四位小数（例如 \"0.9125\"），或 null")
        return Decimal(value)

    def items(self, value, where: str, limit: int = MAX_CELLS) -> list:
        if not isinstance(value, list):
            raise self.fail(where, "应是一个列表（[...]）")
        if len(value) > limit:
            raise self.fail(where, f"项数太多（{len(value)}，最多 {limit}）")
        return value

    def figure(self, value, where: str) -> Figure:
        data = self.mapping(value, where, ("units", "amount"))
        units, amount = self.count(data["units"], where + ".units"), self.money(data["amount"], where + ".amount")
        if (units is None) != (amount is None):
            raise self.fail(where, f"户数是“{WITHHELD}”时金额应是 null，反之亦然")
        return Figure(units, amount)

    def groups(self, value, where: str, allowed: tuple[str, ...] | None) -> tuple[Group, ...]:
        out, seen = [], []
        for i, item in enumerate(self.items(value, where)):
            at = f"{where}[{i}]"
            data = self.mapping(item, at, ("names", "units", "amount"))
            names = tuple(self.text(n, f"{at}.names[{j}]", MAX_NAME) for j, n in enumerate(self.items(data["names"], at + ".names")))
            if not names:
                raise self.fail(at + ".names", "不能是空列表")
            seen += names
            f = self.figure({"units": data["units"], "amount": data["amount"]}, at)
            out.append(Group(names, f.units, f.amount))
        if len(set(seen)) != len(seen):
            raise self.fail(where, "同一个名称出现了不止一次")
        if allowed is not None and tuple(seen) != allowed:
            raise self.fail(where, "账龄段应按 " + "、".join(allowed) + " 的顺序各出现一次")
        return tuple(out)

    def month(self, value, where: str) -> str:
        match = _MONTH.fullmatch(value) if isinstance(value, str) else None
        if match is None or not 1 <= int(match[2]) <= 12:
            raise self.fail(where, "应是月份，写成 YYYY-MM")
        return value


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        duplicate = next(k for k in keys if keys.count(k) > 1)
        raise SummaryProblem(f"字段“{duplicate[:40]}”在同一个对象里出现了两次")
    return dict(pairs)


def loads(raw: bytes) -> Summary:
    """A summary file's bytes to a Summary; SummaryProblem (Chinese) when it is not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SummaryProblem("不是 UTF-8 编码的文字") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_float=Decimal, parse_constant=_refuse_constant)
    except RecursionError:
        raise SummaryProblem("JSON 嵌套太深") from None
    except (ValueError, InvalidOperation) as exc:
        if isinstance(exc, SummaryProblem):
            raise
        raise SummaryProblem(f"不是有效的 JSON（{str(exc)[:120]}）") from None
    return parse_summary(data)


def _refuse_constant(name: str):
    raise SummaryProblem(f"不是有效的 JSON（含有 {name}）")


def parse_summary(data: object) -> Summary:
    r = _Reader()
    top = r.mapping(data, "（顶层）", ("format", "community", "name", "as_of", "small_cell", "units", "units_in_arrears", "totals",
                                   "collection_rate", "aging", "over_one_year", "limitation", "stages", "plans", "complaints", "months"))
    if top["format"] != FORMAT:
        raise r.fail("format", f"应是“{FORMAT}”（用 cuijiao summary 生成的汇总文件）")
    if top["small_cell"] != SMALL:
        raise r.fail("small_cell", f"应是 {SMALL}")
    community = r.text(top["community"], "community", 100)
    if not SLUG.fullmatch(community):
        raise r.fail("community", "只能由字母、汉字、数字和 _ - . 组成，不以 . 开头（小区文件夹的名称）")
    name = r.text(top["name"], "name")
    try:
        as_of = date.fromisoformat(top["as_of"]) if isinstance(top["as_of"], str) and len(top["as_of"]) == 10 else None
    except ValueError:
        as_of = None
    if as_of is None or not 2000 <= as_of.year <= 2200:
        raise r.fail("as_of", "应是日期，写成 YYYY-MM-DD")
    totals_data = r.mapping(top["totals"], "totals", TOTAL_KEYS)
    totals = {key: r.money(totals_data[key], f"totals.{key}") for key in TOTAL_KEYS}
    rate = r.mapping(top["collection_rate"], "collection_rate", ("rate", "units", "due", "paid", "waived"))
    year = r.figure({"units": rate["units"], "amount": rate["due"]}, "collection_rate")
    year_paid, year_waived = r.money(rate["paid"], "collection_rate.paid"), r.money(rate["waived"], "collection_rate.waived")
    limitation = r.mapping(top["limitation"], "limitation", ("warn_days", "expired", "warning", "late_fee_barred"))
    warn_days = limitation["warn_days"]
    if type(warn_days) is not int or not 0 <= warn_days <= 3650:
        raise r.fail("limitation.warn_days", "应是 0 到 3650 之间的天数")
    plans = r.mapping(top["plans"], "plans", ("on_track", "behind"))
    complaints = r.mapping(top["complaints"], "complaints", ("open", "overdue", "held", "opened_12m", "resolved_12m", "days_12m"))
    months, previous = [], None
    for i, item in enumerate(r.items(top["months"], "months", MAX_MONTHS)):
        at = f"months[{i}]"
        m = r.mapping(item, at, ("month", "collection_rate", "due", "paid", "waived", "received", "complaints_opened",
                                 "complaints_resolved", "resolution_days"))
        label = r.month(m["month"], at + ".month")
        if previous is not None and label <= previous:
            raise r.fail(at + ".month", "月份应从早到晚排列，不重复")
        previous = label
        resolved, days = r.count(m["complaints_resolved"], at + ".complaints_resolved"), m["resolution_days"]
        if days != WITHHELD and (type(days) is not int or days < 0 or days > 10**9):
            raise r.fail(at + ".resolution_days", f"应是天数（0 或以上的整数），或“{WITHHELD}”")
        months.append(Month(label, r.rate(m["collection_rate"], at + ".collection_rate"), r.money(m["due"], at + ".due"),
                            r.money(m["paid"], at + ".paid"), r.money(m["waived"], at + ".waived"), r.money(m["received"], at + ".received"),
                            r.count(m["complaints_opened"], at + ".complaints_opened"), resolved, None if days == WITHHELD else days))
    if previous is not None and previous > f"{as_of.year}-{as_of.month:02d}":
        raise r.fail("months", "有晚于 as_of 的月份")
    resolved_12m, days_12m = r.count(complaints["resolved_12m"], "complaints.resolved_12m"), complaints["days_12m"]
    if days_12m != WITHHELD and (type(days_12m) is not int or days_12m < 0 or days_12m > 10**9):
        raise r.fail("complaints.days_12m", f"应是天数（0 或以上的整数），或“{WITHHELD}”")
    return Summary(
        community=community, name=name, as_of=as_of,
        units=r.count(top["units"], "units"), units_in_arrears=r.count(top["units_in_arrears"], "units_in_arrears"),
        totals=totals, rate=r.rate(rate["rate"], "collection_rate.rate"), year=year, year_paid=year_paid, year_waived=year_waived,
        aging=r.groups(top["aging"], "aging", BUCKET_NAMES),
        over_one_year=r.figure(top["over_one_year"], "over_one_year"),
        warn_days=warn_days,
        expired=r.figure(limitation["expired"], "limitation.expired"),
        warning=r.figure(limitation["warning"], "limitation.warning"),
        late_fee_barred=r.figure(limitation["late_fee_barred"], "limitation.late_fee_barred"),
        stages=r.groups(top["stages"], "stages", None),
        plans_on_track=r.count(plans["on_track"], "plans.on_track"), plans_behind=r.count(plans["behind"], "plans.behind"),
        complaints_open=r.count(complaints["open"], "complaints.open"),
        complaints_overdue=r.count(complaints["overdue"], "complaints.overdue"),
        complaints_held=r.figure(complaints["held"], "complaints.held"),
        opened_12m=r.count(complaints["opened_12m"], "complaints.opened_12m"),
        resolved_12m=resolved_12m, days_12m=None if days_12m == WITHHELD else days_12m,
        months=tuple(months),
    )


# -- the portfolio: many summaries added up ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sum:
    """A figure added up over the communities that show it; ``withheld``: how many communities withheld it."""

    value: Decimal | int
    withheld: int


@dataclass(frozen=True, slots=True)
class CellTotal:
    """A named cell (aging bucket, stage) over the portfolio: the communities' unmerged cells of that name."""

    name: str
    units: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PortfolioMonth:
    month: str
    rate: Decimal | None
    received: Decimal
    opened: int
    resolved: int
    average_days: Decimal | None
    communities: int  # communities whose rate counts in the month's rate


@dataclass(frozen=True, slots=True)
class Portfolio:
    as_of: date  # the latest of the summaries
    communities: tuple[Summary, ...]  # by community
    ranking: tuple[Summary, ...]  # highest collection rate first, withheld rates last
    behind: tuple[Summary, ...]  # summaries of an earlier day than as_of
    units: Sum
    units_in_arrears: Sum
    totals: dict[str, Sum]
    rate: Decimal | None  # this year's collection rate over the communities of as_of's year that show it
    rate_communities: int
    aging: tuple[CellTotal, ...]
    aging_merged: Decimal  # amounts in merged aging cells: not in any one bucket
    aging_withheld: int  # communities with a withheld aging cell
    over_one_year: Sum
    expired: Sum
    warning: Sum
    late_fee_barred: Sum
    stages: tuple[CellTotal, ...]
    stages_merged: Decimal
    stages_withheld: int
    plans_on_track: Sum
    plans_behind: Sum
    complaints_open: Sum
    complaints_overdue: Sum
    opened_12m: Sum
    resolved_12m: Sum
    average_days_12m: Decimal | None
    months: tuple[PortfolioMonth, ...]


def _sum(values, zero=ZERO) -> Sum:
    values = list(values)
    return Sum(sum((v for v in values if v is not None), zero), sum(1 for v in values if v is None))


def _cells(summaries, key) -> tuple[tuple[CellTotal, ...], Decimal, int]:
    order: list[str] = []
    units: dict[str, int] = defaultdict(int)
    amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
    merged, withheld = ZERO, 0
    for s in summaries:
        for g in key(s):
            for name in g.names:
                if name not in order:
                    order.append(name)
            if g.units is None:
                withheld += 1
            elif g.merged:
                merged += g.amount
            else:
                units[g.names[0]] += g.units
                amounts[g.names[0]] += g.amount
    return tuple(CellTotal(n, units[n], amounts[n]) for n in order), merged, withheld


def portfolio(summaries: list[Summary]) -> Portfolio:
    """The summaries added up; SummaryProblem when two have the same community."""
    if not summaries:
        raise SummaryProblem("没有小区的汇总")
    seen: dict[str, Summary] = {}
    for s in summaries:
        if s.community in seen:
            raise SummaryProblem(f"小区“{s.community}”有两份汇总")
        seen[s.community] = s
    ordered = tuple(sorted(summaries, key=lambda s: s.community))
    as_of = max(s.as_of for s in ordered)
    ranking = tuple(sorted(ordered, key=lambda s: (s.rate is None, -(s.rate or 0), s.community)))
    this_year = [s for s in ordered if s.as_of.year == as_of.year and s.year.amount is not None]
    due = sum((s.year.amount for s in this_year), ZERO)
    waived = sum((s.year_waived for s in this_year), ZERO)
    paid = sum((s.year_paid for s in this_year), ZERO)
    last = month_index(as_of)
    labels = [f"{month_start(i).year}-{month_start(i).month:02d}" for i in range(last - MONTHS + 1, last + 1)]
    by_month: dict[str, list[Month]] = {label: [] for label in labels}
    for s in ordered:
        for m in s.months:
            if m.month in by_month:
                by_month[m.month].append(m)
    months = []
    for label in labels:
        rows = by_month[label]
        rated = [m for m in rows if m.due is not None]
        resolved = [m for m in rows if m.resolved is not None and m.days is not None]
        months.append(PortfolioMonth(
            label,
            collection_rate([(m.due, m.paid, m.waived) for m in rated]) if rated else None,
            sum((m.received for m in rows if m.received is not None), ZERO),
            sum(m.opened for m in rows if m.opened is not None),
            sum(m.resolved for m in resolved),
            average(sum(m.days for m in resolved), sum(m.resolved for m in resolved)),
            len(rated),
        ))
    aging, aging_merged, aging_withheld = _cells(ordered, lambda s: s.aging)
    stages, stages_merged, stages_withheld = _cells(ordered, lambda s: s.stages)
    resolved_known = [s for s in ordered if s.resolved_12m is not None and s.days_12m is not None]
    return Portfolio(
        as_of=as_of,
        communities=ordered,
        ranking=ranking,
        behind=tuple(s for s in ordered if s.as_of < as_of),
        units=_sum((s.units for s in ordered), 0),
        units_in_arrears=_sum((s.units_in_arrears for s in ordered), 0),
        totals={key: _sum(s.totals[key] for s in ordered) for key in TOTAL_KEYS},
        rate=collection_rate([(due, paid, waived)]) if this_year else None,
        rate_communities=len(this_year),
        aging=aging, aging_merged=aging_merged, aging_withheld=aging_withheld,
        over_one_year=_sum(s.over_one_year.amount for s in ordered),
        expired=_sum(s.expired.amount for s in ordered),
        warning=_sum(s.warning.amount for s in ordered),
        late_fee_barred=_sum(s.late_fee_barred.amount for s in ordered),
        stages=stages, stages_merged=stages_merged, stages_withheld=stages_withheld,
        plans_on_track=_sum((s.plans_on_track for s in ordered), 0),
        plans_behind=_sum((s.plans_behind for s in ordered), 0),
        complaints_open=_sum((s.complaints_open for s in ordered), 0),
        complaints_overdue=_sum((s.complaints_overdue for s in ordered), 0),
        opened_12m=_sum((s.opened_12m for s in ordered), 0),
        resolved_12m=_sum((s.resolved_12m for s in ordered), 0),
        average_days_12m=average(sum(s.days_12m for s in resolved_known), sum(s.resolved_12m for s in resolved_known)),
        months=tuple(months),
    )
