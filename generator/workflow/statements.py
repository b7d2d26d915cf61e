"""Payment statements (银行流水) read into incoming lines: WeChat Pay, Alipay and bank exports.

Three kinds of export are recognised by their header row, as the services
write them (the user guide ``docs/guide/match.md`` shows each):

- **WeChat Pay merchant bill** (微信支付商户平台 → 交易账单): ``交易时间,公众账号ID,商户号,…,
  微信订单号,商户订单号,用户标识,交易类型,交易状态,…,应结订单金额,…,商品名称,商户数据包,…,
  订单金额,…``; every value is written after a backtick (`` `2026-11-03 09:15:22``) so Excel
  keeps long numbers; two summary rows (``总交易单数,…``) end the details. ``交易状态`` is
  ``SUCCESS`` for a payment, ``REFUND``/``REVOKED`` for the rest.
- **Alipay account statement** (支付宝 账务明细 / 账户收支明细): GBK, comment lines starting with
  ``#`` above and below the table; ``账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,
  收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注`` (or the longer
  ``入账时间,支付宝交易号,…,收入（+元）,支出（-元）,…,对方账户,对方名称,…,备注``).
- **Bank account statement** (网银 账户明细): account lines above the table, then
  ``交易日期,…,摘要,借方发生额,贷方发生额,余额,对方户名,对方账号,…,用途/附言`` (or
  ``收入金额``/``支出金额``, or one ``交易金额`` with a ``借贷标志``), sometimes a 合计 row.

Files are read as the import reads a sheet (``importer.read_rows``: a regular file, size
limits, CSV in UTF-8 (with or without BOM) or GBK/GB18030, .xlsx read-only after its zip and
XML were measured). Only incoming money becomes a ``Line``; refunds, outgoing and failed
lines are counted by reason. Everything here is a pure function of the rows but ``read``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from generator.core.errors import CuijiaoError, UsageProblem, os_reason
from generator.workflow.importer import Row, read_rows

WECHAT, ALIPAY, BANK = "wechat", "alipay", "bank"  # the source kinds; also the payment's method
SOURCE_NAMES = {WECHAT: "微信支付商户账单", ALIPAY: "支付宝账务明细", BANK: "银行账户明细"}
HEADER_SEARCH_ROWS = 30
INCOMING = "in"


@dataclass(frozen=True, slots=True)
class Line:
    """One incoming line of a statement."""

    date: date
    amount: Decimal
    direction: str  # always INCOMING: outgoing lines are counted, not kept
    counterparty: str  # the payer's name or account as the statement gives it ("" for WeChat: only an openid)
    remark: str  # what the payer wrote, the product name, the bank's 摘要/附言, joined by " / "
    reference: str  # the statement's own id of the line (微信订单号, 支付宝交易号, 银行流水号), "" when none
    source: str  # WECHAT | ALIPAY | BANK
    row: int  # the row in the file (1-based)
    file: str  # the file's name


@dataclass(frozen=True, slots=True)
class Statement:
    file: str
    source: str
    lines: tuple[Line, ...]
    skipped: tuple[tuple[str, int], ...]  # (reason, count): refunds, outgoing, not successful

    @property
    def skipped_count(self) -> int:
        return sum(count for _, count in self.skipped)


@dataclass(frozen=True)
class Layout:
    source: str
    columns: dict[str, tuple[str, ...]]  # field -> headers (normalised by ``header_key``), first found wins
    needs: tuple[tuple[str, ...], ...]  # each: at least one of these fields must be found


# header names after header_key (NFKC, no spaces or backticks, "(元)"/"(+元)"/"(-元)" removed, lower case)
LAYOUTS = (
    Layout(WECHAT, {
        "date": ("交易时间",),
        "reference": ("微信订单号", "微信支付订单号"),
        "amount": ("订单金额", "应结订单金额"),
        "status": ("交易状态",),
        "counterparty": ("用户标识",),
        "remark": ("商品名称", "商户数据包", "商品详情"),
    }, needs=(("date",), ("reference",), ("amount",), ("status",))),
    Layout(ALIPAY, {
        "date": ("入账时间", "发生时间", "交易时间", "交易创建时间", "付款时间"),
        "reference": ("支付宝交易号", "业务流水号", "账务流水号", "支付宝流水号", "交易号", "交易订单号"),
        "credit": ("收入金额", "收入"),
        "debit": ("支出金额", "支出"),
        "counterparty": ("对方名称", "对方账户", "对方账号", "交易对方"),
        "remark": ("备注", "商品名称", "商品说明"),
        "type": ("业务类型", "账务类型"),
    }, needs=(("date",), ("reference",), ("credit",))),
    Layout(BANK, {
        "date": ("交易日期", "记账日期", "入账日期", "交易时间", "日期"),
        "credit": ("贷方发生额", "贷方金额", "收入金额", "收入", "存入金额", "存入", "贷方"),
        "debit": ("借方发生额", "借方金额", "支出金额", "支出", "取出金额", "支取", "借方"),
        "amount": ("交易金额", "发生额", "金额"),
        "flag": ("借贷标志", "借贷方向", "收支标志", "借贷", "收/支", "收支"),
        "counterparty": ("对方户名", "对方账户名称", "对方账户名", "对方名称", "对手户名", "对方单位", "付款人名称", "付款人"),
        "remark": ("摘要", "用途", "附言", "用途/附言", "交易附言", "备注", "交易用途"),
        "reference": ("交易流水号", "流水号", "银行流水号", "凭证号", "交易序号", "柜员流水号"),
    }, needs=(("date",), ("credit", "amount"))),
)

_UNIT_SUFFIX = re.compile(r"\([+\-]?元\)|\(人民币\)")
_SPACES = re.compile(r"[\s`'\"]+")


def header_key(cell) -> str:
    """A header cell as compared: ``收入金额（+元）`` -> ``收入金额``, `` `交易时间`` -> ``交易时间``."""
    text = unicodedata.normalize("NFKC", _text(cell))
    return _UNIT_SUFFIX.sub("", _SPACES.sub("", text)).lower()


def _text(value) -> str:
    """A cell as text; WeChat's backtick before each value is dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lstrip("`").strip()


# -- reading --------------------------------------------------------------------------------------

def read(path: Path) -> Statement:
    """The incoming lines of the statement at ``path`` (.csv or .xlsx); CuijiaoError in Chinese otherwise."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageProblem(f"只能读取 .csv 或 .xlsx 格式的流水：“{path.name}”。"
                           "请在微信支付商户平台、支付宝或网银里导出 CSV 或 Excel（.xls 请先另存为 .xlsx）")
    try:
        rows = read_rows(path)
    except OSError as exc:  # a folder opens, then fdopen refuses it (importer's own check comes after)
        raise CuijiaoError(f"无法读取 {path.name}：{os_reason(exc)}。{path.name} 不是普通文件，请指定导出的流水文件本身") from None
    return parse(path.name, rows)


def parse(name: str, rows: list[Row]) -> Statement:
    """The statement in ``rows`` (from ``importer.read_rows``): its kind found from the header row."""
    found = find_layout(rows)
    if found is None:
        raise CuijiaoError(
            f"{name} 不像微信支付、支付宝或银行导出的流水：前 {HEADER_SEARCH_ROWS} 行里找不到表头。"
            "微信支付商户账单要有“交易时间、微信订单号、交易状态、订单金额”，支付宝账务明细要有"
            "“入账时间（或发生时间）、支付宝交易号（或业务流水号）、收入金额”，银行明细要有“交易日期”和"
            "“贷方发生额（或收入金额）”。请导出原始文件，不要改动表头")
    index, layout, columns = found
    lines: list[Line] = []
    skipped: Counter[str] = Counter()
    for row in rows[index + 1:]:
        cells = [_text(cell) for cell in row.cells]
        first = next((cell for cell in cells if cell), "")
        if first.startswith("#") or header_key(first) in ("总交易单数", "总笔数"):
            if layout.source == WECHAT and header_key(first) == "总交易单数":
                break  # the summary header and its row end the details
            continue
        value = _reader(name, row.number, cells, columns, row.cells)
        when = value.date("date")
        if when is None:
            if any(word in "".join(cells) for word in ("合计", "总计", "小计", "笔数")):
                continue  # a bank's total row
            raise CuijiaoError(f"{name} 第 {row.number} 行：日期“{value.text('date')}”读不出来。"
                               "请确认这是导出的原始文件；日期应写成 2026-11-03 或 2026/11/03")
        reason, amount = _incoming(layout.source, value)
        if reason:
            skipped[reason] += 1
            continue
        lines.append(Line(when, amount, INCOMING, value.text("counterparty"), value.joined("remark"),
                          value.text("reference"), layout.source, row.number, name))
    return Statement(name, layout.source, tuple(lines), tuple(sorted(skipped.items())))


def find_layout(rows: list[Row]) -> tuple[int, Layout, dict[str, list[int]]] | None:
    """(index of the header row, its layout, field -> 0-based columns in the layout's order)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(cell) for cell in row.cells]
        for layout in LAYOUTS:
            columns = {field: [keys.index(h) for h in names if h in keys] for field, names in layout.columns.items()}
            columns = {field: cols for field, cols in columns.items() if cols}
            if all(any(field in columns for field in need) for need in layout.needs):
                return index, layout, columns
    return None


def _incoming(source: str, value: _Values) -> tuple[str, Decimal]:
    """("", amount) for incoming money, or (why it is skipped, 0)."""
    zero = Decimal("0.00")
    if source == WECHAT:
        status = value.text("status").upper()
        if status in ("REFUND", "REVOKED") or "退款" in status:
            return "退款", zero
        if status not in ("SUCCESS", "支付成功", "成功"):
            return "未成功的交易", zero
        amount = value.money("amount")
    elif "credit" in value.columns:
        amount = value.money("credit")
        if not amount and value.money("debit"):
            return "支出", zero
    else:  # one amount column with a debit/credit flag, or a sign
        amount = value.money("amount")
        flag = value.text("flag")
        if amount < 0 or any(word in flag for word in ("借", "支", "出", "D", "d")):
            return "支出", zero
    if source == ALIPAY and "退款" in value.text("type"):
        return "退款", zero
    if amount <= 0:
        return "金额为零", zero
    return "", amount


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\d{6})?")
_MONEY = re.compile(r"[+\-]?\d+(?:\.\d+)?")


def parse_day(text: str) -> date | None:
    """``2026-11-03 09:15:22``, ``2026/11/3``, ``2026年11月3日``, ``20261103`` -> the day; None for anything else."""
    text = unicodedata.normalize("NFKC", text)
    match = _DATE.match(text) or _COMPACT_DATE.fullmatch(text.replace(" ", "").replace(":", ""))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


class _Values:
    """The cells of one row by field, with the conversions a statement needs."""

    def __init__(self, name: str, number: int, cells: list[str], columns: dict[str, list[int]], raw: list) -> None:
        self.name, self.number, self.cells, self.columns, self.raw = name, number, cells, columns, raw

    def _all(self, field: str) -> list[str]:
        return [self.cells[col] for col in self.columns.get(field, ()) if col < len(self.cells)]

    def text(self, field: str) -> str:
        return next((cell for cell in self._all(field) if cell), "")

    def joined(self, field: str) -> str:
        seen = []
        for cell in self._all(field):
            if cell and cell not in seen and cell not in ("-", "/", "无"):
                seen.append(cell)
        return " / ".join(seen)

    def date(self, field: str) -> date | None:
        for col in self.columns.get(field, ()):
            raw = self.raw[col] if col < len(self.raw) else None
            if isinstance(raw, datetime):
                return raw.date()
            if isinstance(raw, date):
                return raw
        return parse_day(self.text(field))

    def money(self, field: str) -> Decimal:
        text = self.text(field)
        cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace("¥", "").replace("元", "").strip()
        if cleaned in ("", "-", "/", "--"):
            return Decimal("0.00")
        if not _MONEY.fullmatch(cleaned):
            raise CuijiaoError(f"{self.name} 第 {self.number} 行：金额“{text}”读不出来。请确认这是导出的原始文件")
        try:
            return Decimal(cleaned).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise CuijiaoError(f"{self.name} 第 {self.number} 行：金额“{text}”读不出来") from None


def _reader(name: str, number: int, cells: list[str], columns: dict[str, list[int]], raw: list) -> _Values:
    return _Values(name, number, cells, columns, raw)
