"""银行流水核对: a proposed payment for each incoming statement line, with its confidence and reasons.

For each line (``statements.Line``) the unit is looked for in three ways:

- **the unit id** in the remark or the payer text, normalised: ``3-2-1802``, ``3栋2单元1802室``,
  ``3#2-1802``, ``3号楼2单元1802``, ``３－２－１８０２`` are all ``3-2-1802``; a shorter
  ``2-1802`` that ends exactly one unit's id is a weaker hint;
- **an owner's or tenant's name** (from the owner files) in the payer or the remark;
- **the payer's past payments**: another line of the statements given, from the same payer
  (the same bank account name, Alipay account or WeChat openid), that is already recorded.

The amount is then compared with the unit's bills and its outstanding (the desk from
``pipeline``). The confidence: **high** when the unit id (or the payer's history, or the
name with the history) agrees with the amount, or the unit id with the name; **medium**
for one good hint; **low** for a weak one; ``none`` when no unit is found or the hints
point at several. Lines already recorded are recognised and never proposed again: a
payment whose ``receipt`` is the line's reference, or, for a line without one, a payment on
the same day, of the same amount, by the same method.

Writing (``record``) makes one payment per line, ``receipt`` = the reference, ``method``
= the source, through ``edit.apply`` under the edit lock, after checking again under the
lock that no line was recorded meanwhile: nothing is written twice.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from generator import pipeline
from generator.core import labels
from generator.core.errors import CuijiaoError, os_reason
from generator.core.model import Ledger, Payment
from generator.core.money import fmt_grouped
from generator.rules.engine import Desk, UnitState
from generator.workflow import undo
from generator.workflow.edit import (
    Edit,
    append_item,
    apply,
    entries_file,
    money_text,
    parse_money,
    payment_edit,
)
from generator.workflow.importer import Row, read_rows
from generator.workflow.statements import (
    ALIPAY,
    BANK,
    SOURCE_NAMES,
    WECHAT,
    Line,
    header_key,
    parse_day,
)

HIGH, MEDIUM, LOW, NONE = "high", "medium", "low", "none"
CONFIDENCE_NAMES = {HIGH: "高", MEDIUM: "中", LOW: "低", NONE: "未匹配"}
WRITTEN_NOTE = "由 cuijiao match 从{}写入"

# what each hint weighs; the amount agreeing adds AMOUNT
UNIT_ID, PARTIAL, NAME, PAYER, AMOUNT = "unit_id", "partial", "name", "payer", "amount"
WEIGHT = {UNIT_ID: 2, PARTIAL: 1, NAME: 1, PAYER: 2, AMOUNT: 1}


@dataclass(frozen=True, slots=True)
class Proposal:
    line: Line
    unit: str | None  # None: no unit found, or the hints disagree
    confidence: str  # HIGH | MEDIUM | LOW | NONE
    reasons: tuple[str, ...]  # Chinese, for the treasurer


@dataclass(frozen=True, slots=True)
class Recorded:
    line: Line
    payment: Payment
    why: str


@dataclass(frozen=True, slots=True)
class Matching:
    proposals: tuple[Proposal, ...]
    recorded: tuple[Recorded, ...]
    repeated: tuple[Line, ...]  # the same reference met again in the files given (overlapping exports)
    later: tuple[Line, ...] = ()  # dated after the desk's day: not proposed (a payment may not be dated after it)

    def of(self, confidence: str) -> list[Proposal]:
        return [p for p in self.proposals if p.confidence == confidence]


# -- unit ids in free text ------------------------------------------------------------------------

_SEPARATOR = r"\s*(?:号楼|栋|幢|座|单元|#|-|—|–|_|\.|/)+\s*"
_UNIT_TEXT = re.compile(rf"[A-Za-z0-9]+(?:{_SEPARATOR}[A-Za-z0-9]+)*")
_GROUP = re.compile(r"[A-Za-z]+|\d+")


def unit_key(text: str) -> tuple[str, ...]:
    """The letters and numbers of a unit id, as compared: ``3栋2单元1802`` and ``3-2-1802`` -> ("3", "2", "1802")."""
    groups = _GROUP.findall(unicodedata.normalize("NFKC", text))
    return tuple(str(int(g)) if g.isdigit() else g.lower() for g in groups)


def unit_mentions(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each run of text that could be a unit id, with its key: ``物业费3栋2单元1802室`` -> [("3栋2单元1802", ("3", "2", "1802"))]."""
    normal = unicodedata.normalize("NFKC", text)
    return [(m[0], unit_key(m[0])) for m in _UNIT_TEXT.finditer(normal)]


# -- matching ---------------------------------------------------------------------------------------

def _payer(line: Line) -> tuple[str, str] | None:
    """Who paid, as a key for the payer's history: the source and the counterparty text (an openid, an account, a name)."""
    name = re.sub(r"\s+", "", line.counterparty)
    return (line.source, name) if name and name.strip("*") else None


def propose(lines: Sequence[Line], ledger: Ledger, desk: Desk) -> Matching:
    """A proposal for each line not yet recorded; the recorded, repeated and later lines apart."""
    later = tuple(line for line in lines if line.date > desk.as_of)
    recorded, fresh, repeated = _recorded([line for line in lines if line.date <= desk.as_of], ledger.payments)
    history: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # payer -> unit -> the reference that shows it
    for done in recorded:
        if (payer := _payer(done.line)) is not None:
            history[payer].setdefault(done.payment.unit, done.line.reference or str(done.line.date))
    units = _UnitIndex(ledger)
    proposals = tuple(_proposal(line, units, history, desk) for line in fresh)
    return Matching(proposals, tuple(recorded), tuple(repeated), later)


def _recorded(lines: Sequence[Line], payments: Sequence[Payment]) -> tuple[list[Recorded], list[Line], list[Line]]:
    by_receipt = {p.receipt: p for p in payments if p.receipt}
    by_day: dict[tuple, list[Payment]] = defaultdict(list)
    for payment in payments:
        by_day[(payment.date, payment.amount, payment.method)].append(payment)
    recorded, fresh, repeated, seen = [], [], [], set()
    for line in lines:
        if line.reference:
            if (line.source, line.reference) in seen:
                repeated.append(line)
                continue
            seen.add((line.source, line.reference))
            if (payment := by_receipt.get(line.reference)) is not None:
                recorded.append(Recorded(line, payment, f"收据号 {payment.receipt} 就是这笔流水的流水号"))
                continue
        else:
            same = by_day.get((line.date, line.amount, line.source))
            if same:  # one payment stands for one line: two equal lines need two payments
                payment = same.pop(0)
                recorded.append(Recorded(line, payment, "同一天、同金额、同方式的缴费已经记账（这笔流水没有流水号）"))
                continue
        fresh.append(line)
    return recorded, fresh, repeated


class _UnitIndex:
    """The community's unit ids and owners' names, to find in a line's text."""

    def __init__(self, ledger: Ledger) -> None:
        self.ids = {unit_key(unit.id): unit.id for unit in ledger.units}
        self.names: dict[str, set[str]] = defaultdict(set)
        for unit in ledger.units:
            people = [*unit.owners, *([unit.tenant] if unit.tenant else [])]
            for person in people:
                name = re.sub(r"\s+", "", person.name)
                if len(name) >= 2:
                    self.names[name].add(unit.id)

    def hints(self, line: Line) -> dict[str, dict[str, str]]:
        """unit -> hint kind -> the reason (Chinese)."""
        found: dict[str, dict[str, str]] = defaultdict(dict)
        text = f"{line.remark} {line.counterparty}"
        for span, key in unit_mentions(text):
            if key in self.ids:
                unit = self.ids[key]
                found[unit].setdefault(UNIT_ID, f"流水里写着“{span}”，即房号 {unit}")
            elif len(key) >= 2:
                ends = [unit for k, unit in self.ids.items() if len(k) > len(key) and k[-len(key):] == key]
                if len(ends) == 1:
                    found[ends[0]].setdefault(PARTIAL, f"流水里的“{span}”与房号 {ends[0]} 的后几位相同")
        plain = re.sub(r"\s+", "", text)
        for name, units in self.names.items():
            if name in plain:
                for unit in units:
                    found[unit].setdefault(NAME, f"流水里有业主（或住户）姓名“{name}”（{unit}）")
        return found


def _proposal(line: Line, units: _UnitIndex, history, desk: Desk) -> Proposal:
    hints = units.hints(line)
    payer = _payer(line)
    for unit, reference in (history.get(payer, {}) if payer else {}).items():
        hints[unit].setdefault(PAYER, f"同一付款方的另一笔流水（{reference}）已记在 {unit}")
    if not hints:
        return _by_amount_only(line, desk)
    scored = []
    for unit, kinds in hints.items():
        state = desk.unit(unit)
        amount = _amount_reason(line.amount, state) if state is not None else None
        weight = sum(WEIGHT[k] for k in kinds) + (WEIGHT[AMOUNT] if amount else 0)
        scored.append((weight, unit, kinds, amount, state))
    scored.sort(key=lambda item: (-item[0], item[1]))
    weight, unit, kinds, amount, state = scored[0]
    rivals = [other for w, other, *_ in scored[1:] if w == weight]
    if rivals:
        return Proposal(line, None, NONE, (f"线索同样指向 {'、'.join([unit, *rivals])}，无法确定是哪一户",
                                           *(r for _, _, k, _, _ in scored[:len(rivals) + 1] for r in k.values())))
    reasons = list(kinds.values())
    if amount:
        reasons.append(amount)
    elif state is not None:
        reasons.append(f"金额 {fmt_grouped(line.amount)} 元与该户的账单、欠费 {fmt_grouped(state.outstanding)} 元都不相等")
    if weight >= 3 and (amount or {UNIT_ID, NAME} <= set(kinds) or {UNIT_ID, PAYER} <= set(kinds)):
        confidence = HIGH
    elif weight >= 2:
        confidence = MEDIUM
    else:
        confidence = LOW
    if len(scored) > 1:  # a weaker hint points elsewhere: worth a look
        confidence = LOW if confidence != HIGH else MEDIUM
        reasons.append(f"另有较弱的线索指向 {'、'.join(u for _, u, *_ in scored[1:])}")
    return Proposal(line, unit, confidence, tuple(reasons))


def _by_amount_only(line: Line, desk: Desk) -> Proposal:
    same = [state.unit.id for state in desk.units if state.outstanding > 0 and state.outstanding == line.amount]
    if len(same) == 1:
        return Proposal(line, same[0], LOW, (f"流水里没有房号或姓名，只有金额等于 {same[0]} 的欠费合计 {fmt_grouped(line.amount)} 元",))
    if same:
        shown = "、".join(same[:5]) + ("等" if len(same) > 5 else "")
        return Proposal(line, None, NONE, (f"流水里没有房号或姓名；金额与 {len(same)} 户的欠费合计相同（{shown}），无法确定",))
    return Proposal(line, None, NONE, ("流水里没有房号或业主姓名，金额也不等于任何一户的欠费合计",))


def _amount_reason(amount: Decimal, state: UnitState) -> str | None:
    """Why the amount fits the unit's bills, or None."""
    if state.outstanding > 0 and amount == state.outstanding:
        return f"金额等于该户欠费合计 {fmt_grouped(amount)} 元"
    if state.late_fee and amount == state.outstanding + state.late_fee:
        return f"金额等于该户欠费加违约金 {fmt_grouped(amount)} 元"
    unpaid = [c for c in state.charges if c.unpaid > 0]
    total = Decimal("0.00")
    for count, charge in enumerate(unpaid, start=1):
        if amount in (charge.unpaid, charge.charge.amount):
            return f"金额等于一期账单（{charge.charge.item} {charge.charge.period} 期，{fmt_grouped(amount)} 元）"
        total += charge.unpaid
        if count > 1 and amount == total:
            return f"金额等于最早 {count} 期欠费之和 {fmt_grouped(amount)} 元"
    if amount in {c.charge.amount for c in state.charges}:
        return f"金额等于该户一期账单的金额 {fmt_grouped(amount)} 元（预交下一期）"
    return None


# -- writing ------------------------------------------------------------------------------------------

def payment_edits(root: Path, entries: Sequence[tuple[str, Line]]) -> list[Edit]:
    """The edits that record each (unit, line) as a payment: receipt = the reference, method = the source.
    Several payments for one file are appended one after the other to the same text."""
    edits: dict[str, Edit] = {}
    for unit, line in entries:
        note = WRITTEN_NOTE.format(SOURCE_NAMES[line.source])
        path = entries_file(root, "payments", line.date)
        before = edits.get(path)
        if before is None:
            edits[path] = payment_edit(root, unit, line.amount, line.date, line.source, receipt=line.reference, note=note)
            continue
        item = CommentedMap(unit=unit, date=line.date, amount=money_text(line.amount), method=line.source)
        if line.reference:
            item["receipt"] = line.reference
        item["note"] = note
        after = append_item(path, before.text, "payments", item, default_flow=True)
        edits[path] = Edit(path, after.text, before.created)
    return list(edits.values())


@dataclass(frozen=True)
class Recording:
    written: tuple[tuple[str, Line], ...]  # what was (or, on errors, would have been) written
    already: tuple[Recorded, ...]  # found recorded when checked again under the lock
    edits: tuple[Edit, ...]
    checked: pipeline.Checked


def record(root: Path, entries: Sequence[tuple[str, Line]], as_of: date, today: date, use_cache: bool = True) -> Recording:
    """Write ``entries`` as payments under the edit lock, skipping any line recorded meanwhile; nothing
    is written when the community with them has errors (``checked.errors`` says which)."""
    kept: list[tuple[str, Line]] = []
    already: list[Recorded] = []

    def make() -> list[Edit]:
        now = pipeline.check(root, as_of, today, use_cache)
        payments = now.ledger.payments if now.ledger is not None else ()
        done, fresh, _ = _recorded([line for _, line in entries], payments)
        already.extend(done)
        fresh_ids = {id(line) for line in fresh}
        kept.extend((unit, line) for unit, line in entries if id(line) in fresh_ids)
        return payment_edits(root, kept)

    def journal(root: Path, edits: list[Edit], before: dict[str, bytes | None]) -> None:
        undo.remember(root, edits, before, f"match 按流水记下 {len(kept)} 笔缴费")

    edits, checked = apply(root, make, as_of, today, use_cache, written=journal)
    return Recording(tuple(kept), tuple(already), tuple(edits), checked)


# -- the CSV of the lines left for the treasurer --------------------------------------------------------

CSV_COLUMNS = ("房号", "日期", "金额", "来源", "流水号", "付款方", "备注", "建议房号", "把握", "理由", "文件", "行")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SOURCE_WORDS = {WECHAT: WECHAT, ALIPAY: ALIPAY, BANK: BANK, "微信": WECHAT, "支付宝": ALIPAY, "银行": BANK,
                 **{labels.METHOD[s]: s for s in (WECHAT, ALIPAY, BANK)}}


def _cell(text: str) -> str:
    """Text from a statement as a CSV cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_fill_csv(proposals: Sequence[Proposal]) -> str:
    """The proposals as a CSV (UTF-8 with BOM, so Excel and WPS show the Chinese): the treasurer fills 房号.
    The reference has a backtick before it, as WeChat writes its bills, so a spreadsheet keeps every digit."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in proposals:
        line = p.line
        writer.writerow(["", line.date.isoformat(), str(line.amount), line.source, "`" + line.reference if line.reference else "",
                         _cell(line.counterparty), _cell(line.remark), p.unit or "", CONFIDENCE_NAMES[p.confidence],
                         _cell("；".join(p.reasons)), _cell(line.file), line.row])
    return "\ufeff" + out.getvalue()


@dataclass(frozen=True)
class Filled:
    entries: tuple[tuple[str, Line], ...]  # (unit, line) for each row with 房号
    left: int  # rows without 房号


def read_filled(path: Path, ledger: Ledger) -> Filled:
    """The rows the treasurer gave a unit in the CSV (or its .xlsx) that ``to_fill_csv`` wrote; CuijiaoError
    naming the row for a unit that does not exist or a value that cannot be read."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise CuijiaoError(f"只能读取 .csv 或 .xlsx：“{path.name}”（用 cuijiao match --csv 导出的文件，填好房号后保存）")
    try:
        rows = read_rows(path)
    except OSError as exc:
        raise CuijiaoError(f"无法读取 {path.name}：{os_reason(exc)}") from None
    return parse_filled(path.name, rows, {unit.id for unit in ledger.units})


def parse_filled(name: str, rows: list[Row], unit_ids: set[str]) -> Filled:
    header = next((i for i, row in enumerate(rows[:10]) if "房号" in [header_key(c) for c in row.cells]), None)
    if header is None:
        raise CuijiaoError(f"{name} 里找不到“房号”这一列：请用 cuijiao match --csv 导出的文件，只填“房号”一列，不要改表头")
    keys = [header_key(c) for c in rows[header].cells]
    missing = [c for c in ("房号", "日期", "金额", "来源", "流水号") if c not in keys]
    if missing:
        raise CuijiaoError(f"{name} 缺少列：{'、'.join(missing)}。请用 cuijiao match --csv 导出的文件，不要删列或改表头")
    col = {c: keys.index(c) for c in CSV_COLUMNS if c in keys}
    folded = {u.casefold(): u for u in unit_ids}
    entries, left = [], 0
    for row in rows[header + 1:]:
        def cell(column: str, row=row) -> str:
            index = col.get(column)
            value = row.cells[index] if index is not None and index < len(row.cells) else None
            if isinstance(value, datetime):
                return value.date().isoformat()
            text = "" if value is None else str(int(value) if isinstance(value, float) and value.is_integer() else value)
            return unicodedata.normalize("NFKC", text).strip().removeprefix("'").removeprefix("`").strip()
        given = cell("房号")
        if not given:
            left += 1
            continue
        where = f"{name} 第 {row.number} 行"
        unit = folded.get(given.casefold())
        if unit is None:
            raise CuijiaoError(f"{where}：房号“{given}”不存在（owners/ 里没有这个文件）。请写成 3-2-1802 这样，与 owners/ 里的文件名一致")
        source = _SOURCE_WORDS.get(cell("来源"))
        if source is None:
            raise CuijiaoError(f"{where}：来源“{cell('来源')}”应是 wechat、alipay 或 bank（导出时写好的，请不要改）")
        when = parse_day(cell("日期"))
        if when is None:
            raise CuijiaoError(f"{where}：日期“{cell('日期')}”读不出来（日期是导出时写好的，请不要改）")
        try:
            amount = parse_money(cell("金额"))
        except ValueError as exc:
            raise CuijiaoError(f"{where}：{exc}（金额是导出时写好的，请不要改）") from None
        line = Line(when, amount, "in", cell("付款方"), cell("备注"), cell("流水号"), source, _row_number(cell("行")),
                    cell("文件") or name)
        entries.append((unit, line))
    return Filled(tuple(entries), left)


def _row_number(text: str) -> int:
    return int(text) if text.isdigit() else 0
