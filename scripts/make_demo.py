#!/usr/bin/env python3
"""Regenerate the demo community 桐荫花园: owners/ and ledger/, deterministically.

    python scripts/make_demo.py [--out DIR]      (default DIR: the repository root)

The community is invented: 122 units (高层, 洋房, 别墅, 商铺), billed from
2023, every name, address and phone number made up (phones look like
138 0000 xxxx). The demo is meant to be read as of 2026-11-22 (``AS_OF``);
nothing it records happens after that day, except bills and plan
installments that fall due later and promises to pay later.

Most units pay on time; a few dozen stories show every case the desk
handles: prorated first bills, prepayment credit, vacant and rented units,
shops with one-off charges, opening arrears, both kinds of waivers, plans
on track / behind / completed, promises kept, pending and broken, every
dunning stage, limitation warnings and expiries, every arrears reason.

The creditor is the property-service company; the committee demands for it
under written authorisations with a gap (2025-01-01..2025-02-28). Stories
for the v2 rules: a committee demand made in the gap that lets a charge
expire, the company's own demand in the gap that counts, a repair visit
that interrupts nothing, letters returned from a confirmed service address,
payments designated to a month, to the opening arrears and to the late fee,
an inherited list of opening items with the notice of assignment, a plan
that freezes the late fee, a 20-year cap, an acknowledgment of barred debt
(covers: all), and consents to publish arrears.

The script uses a fixed seed and never looks at today's date: running it
twice writes identical bytes. It deletes and rewrites ``owners/`` and
``ledger/`` under DIR. The YAML is written by a small emitter of its own
(flow style for short entries, quoted money and phones) so the files read
as if a committee member typed them.
"""
from __future__ import annotations

import argparse
import calendar
import random
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

AS_OF = date(2026, 11, 22)
SEED = 20261122
HORIZON = date(2027, 12, 31)  # bills are computed this far ahead, for prepayments and plans

COMMUNITY = "桐荫花园"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# -- the policy (written out in POLICY_YAML below; these mirror it) ------------------

@dataclass(frozen=True)
class FeeRule:
    id: str
    name: str
    basis: str
    rates: dict
    cycle: int
    due_day: int
    vacant_factor: Decimal


FEES = (
    FeeRule("property", "物业服务费", "area",
            {"高层": Decimal("2.20"), "洋房": Decimal("2.80"), "别墅": Decimal("3.50"), "商铺": Decimal("4.00")},
            3, 15, Decimal("0.7")),
    FeeRule("garbage", "生活垃圾清运费", "unit",
            {"高层": Decimal("8.00"), "洋房": Decimal("10.00"), "别墅": Decimal("15.00"), "商铺": Decimal("30.00")},
            12, 15, Decimal("0.5")),
)
LATE_RATE = Decimal("0.0003")
GRACE_DAYS = 15

POLICY_YAML = """\
# yaml-language-server: $schema=../schemas/policy.schema.json
# 桐荫花园收费政策
# 2022年12月业主大会选聘桐荫物业服务有限公司，物业服务合同自2023年1月1日起履行，收费标准按业主大会通过的
# 《物业服务费收取办法》。物业费由物业公司收取，欠费的债权人是物业公司；业委会受物业公司书面委托催缴欠费、
# 以业委会名义发函（authorisations）。
community: 桐荫花园
issuer:
  name: 桐荫花园业主委员会
  address: 示例市桐荫路66号桐荫花园物业服务中心
  phone: "0571-00008866"
creditor:
  name: 桐荫物业服务有限公司
  address: 示例市桐荫路66号
  phone: "0571-00008800"
authorisations:                     # 物业公司出具的催缴授权委托书，原件存业委会档案柜
  - {from: 2023-01-01, until: 2024-12-31, document: 授权委托书 TY-2023-01}
  - {from: 2025-03-01, document: 授权委托书 TY-2025-02}   # 2025年1月至2月续签期间没有授权
payment_channels:
  - 微信或支付宝：扫描物业服务中心前台桐荫物业服务有限公司的收款码（付款备注请写房号）
  - 银行转账：示例银行桐荫支行，户名 桐荫物业服务有限公司，账号 6222 0000 0000 8866
  - 现金或刷卡：物业服务中心前台，工作日 8:30-17:30，当场开具物业公司收据
fees:
  - id: property
    name: 物业服务费
    basis: area                     # 按建筑面积，每平方米每月
    rate: {高层: "2.20", 洋房: "2.80", 别墅: "3.50", 商铺: "4.00"}
    cycle: 3                        # 按季度收取
    due_day: 15
    vacant_factor: "0.7"            # 空置房按七折收取（业主大会决议）
  - id: garbage
    name: 生活垃圾清运费
    basis: unit                     # 按户，每户每月
    rate: {高层: "8.00", 洋房: "10.00", 别墅: "15.00", 商铺: "30.00"}
    cycle: 12                       # 每年1月随第一季度物业费一并收取
    due_day: 15
    vacant_factor: "0.5"
late_fee:
  daily_rate: "0.0003"              # 每日万分之三
  grace_days: 15                    # 到期后15天内缴清不计违约金
  cap: "1"                          # 违约金不超过欠费本金
  basis: 《桐荫花园物业服务合同》第十二条
dunning:
  - {id: reminder, name: 温馨提醒, after_days: 1, channels: [sms, wechat]}
  - {id: call, name: 电话沟通, after_days: 15, channels: [phone, visit]}
  - {id: notice, name: 催缴通知书, after_days: 30, channels: [letter, registered_mail], letter: notice, wait_days: 7}
  - {id: lawyer, name: 律师函, after_days: 90, channels: [lawyer_letter], letter: lawyer, deadline_days: 14, requires: {notice: 2}}
  - {id: legal, name: 诉讼或支付令, after_days: 180, channels: [court], requires: {lawyer: 1}}
limitation:
  years: 3                          # 诉讼时效，民法典第一百八十八条
  warn_days: 180
"""

# collectors for the committee (the issuer): its two staff, two committee members, the lawyer it instructs;
# SUN is the company's (the creditor's) own customer-service manager, PREVIOUS the manager before 2023
ZHANG, WANG, LI, LIU, ZHOU = "张敏", "王芳", "李建国", "刘晓东", "周律师"
SUN = "孙丽华"
PREVIOUS = "嘉禾物业"
# the months no authorisation covers: the committee's demands then are not the creditor's (rule 10)
GAP = (date(2025, 1, 1), date(2025, 2, 28))


# -- calendar and money ---------------------------------------------------------------

def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def cents(value) -> Decimal:
    """Half-up to the cent, exactly (Fractions included)."""
    if isinstance(value, Fraction):
        whole, rest = divmod(value.numerator * 100, value.denominator)
        if 2 * rest >= value.denominator:
            whole += 1
        return (Decimal(whole) / 100).quantize(CENT)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


QUARTER_WORDS = {1: "一", 2: "二", 3: "三", 4: "四"}


def quarter_name(day: date) -> str:
    return f"{day.year}年第{QUARTER_WORDS[(day.month - 1) // 3 + 1]}季度"


# -- records ---------------------------------------------------------------------------

@dataclass
class Bill:
    unit: str
    item: str
    period: str
    amount: Decimal
    issued: date
    due: date
    order: tuple
    months: Fraction | None = None


@dataclass
class Charge:
    unit: str
    item: str
    period: str
    amount: Decimal
    due: date
    issued: date | None = None  # written only when it differs from due
    comment: str = ""
    seq: tuple = ()


@dataclass
class Payment:
    unit: str
    date: date
    amount: Decimal
    method: str
    comment: str = ""
    receipt: str | None = ""  # "" : assigned later; None: no receipt
    counter: int = 0
    designation: tuple = ()  # ``for``: YYYY-MM, opening or late_fee


@dataclass
class Waiver:
    unit: str
    date: date
    amount: Decimal
    applies_to: str
    approved_by: str
    reason: str
    consent: str = ""  # the creditor's written consent (the creditor is not the issuer)
    comment: str = ""
    counter: int = 0


@dataclass
class Plan:
    unit: str
    signed: date
    installments: list  # [(due, amount)]
    comment: str = ""
    covers: str | None = None  # in_time (default, not written) | all
    late_fee: str | None = None  # accrue (default, not written) | freeze


@dataclass
class Contact:
    date: date
    channel: str
    by: str
    outcome: str
    promise: tuple | None = None  # (date, amount or None)
    reason: str | None = None
    evidence: str = ""
    note: str = ""
    comment: str = ""
    purpose: str | None = None  # demand (default, not written) | service | other
    party: str | None = None  # issuer (default, not written) | creditor
    covers: str | None = None  # with a promise: in_time (default, not written) | all


@dataclass
class OpeningItem:
    """One item of an opening list (v2): a debt taken over from the previous manager."""

    amount: Decimal
    due: date
    period: str
    assignment_notified: date | None = None
    note: str = ""


@dataclass
class Unit:
    id: str
    type: str
    area: Decimal
    billing_start: date
    occupancy: str = "self"
    owners: list = field(default_factory=list)  # dicts: name, phone, address, comment
    tenant: dict | None = None
    tags: list = field(default_factory=list)
    opening: tuple | None = None  # (amount, due, comment): one mapping, as v1 wrote it
    opening_items: list = field(default_factory=list)  # OpeningItem: the v2 list
    opening_comment: str = ""
    service_address: dict | None = None  # address, confirmed, evidence
    consents: list = field(default_factory=list)  # dicts: kind, date, evidence
    contacts: list = field(default_factory=list)
    header: list = field(default_factory=list)
    area_comment: str = ""
    start_comment: str = ""


# -- rules 1-4 and 6, as far as the script needs them to write consistent data -------

def fee_bills(unit: Unit, fee: FeeRule, fee_order: int, until: date) -> list[Bill]:
    start = unit.billing_start
    base = Fraction(fee.rates[unit.type])
    if fee.basis == "area":
        base *= Fraction(unit.area)
    if unit.occupancy == "vacant":
        base *= Fraction(fee.vacant_factor)
    first_month = month_index(start)
    cycle_month = first_month - first_month % fee.cycle
    bills = []
    while True:
        cycle_start = month_start(cycle_month)
        issued = max(cycle_start, start)
        if issued > until:
            break
        due = max(date(cycle_start.year, cycle_start.month, fee.due_day), start)
        if issued == cycle_start:
            months = Fraction(fee.cycle)
        else:
            whole = cycle_month + fee.cycle - 1 - first_month
            dim = days_in_month(start.year, start.month)
            months = Fraction(whole + 1) if start.day == 1 else whole + Fraction(dim - start.day + 1, dim)
        amount = cents(base * months)
        last = month_start(cycle_month + fee.cycle - 1)
        period = f"{cycle_start:%Y-%m}" if fee.cycle == 1 else f"{cycle_start:%Y-%m}~{last:%Y-%m}"
        if amount > 0:
            bills.append(Bill(unit.id, fee.name, period, amount, issued, due, (due, issued, 1, (fee_order, "")), months))
        cycle_month += fee.cycle
    return bills


def allocate(bills: list[Bill], credits: list) -> tuple[list[list], list[Decimal], Decimal]:
    """Rule 4. credits: (date, is_payment, amount) in credit order. Pieces: (amount, settled)."""
    count = len(bills)
    pieces: list[list] = [[] for _ in range(count)]
    unpaid = [b.amount for b in bills]
    by_issue = sorted(range(count), key=lambda i: (bills[i].issued, i))
    open_ids: list[int] = []
    waiting: list[list] = []
    cursor = 0

    def issue_until(day):
        nonlocal cursor
        while cursor < count:
            index = by_issue[cursor]
            if day is not None and bills[index].issued > day:
                return
            cursor += 1
            while waiting and unpaid[index] > 0:
                take = min(waiting[0][1], unpaid[index])
                pieces[index].append((take, bills[index].issued))
                unpaid[index] -= take
                waiting[0][1] -= take
                if waiting[0][1] == 0:
                    waiting.pop(0)
            if unpaid[index] > 0:
                open_ids.append(index)
                open_ids.sort()

    for when, _is_payment, amount in credits:
        issue_until(when)
        left = amount
        while left > 0 and open_ids:
            index = open_ids[0]
            take = min(left, unpaid[index])
            pieces[index].append((take, when))
            unpaid[index] -= take
            left -= take
            if unpaid[index] == 0:
                open_ids.pop(0)
        if left > 0:
            waiting.append([when, left])
    issue_until(None)
    return pieces, unpaid, sum((w[1] for w in waiting), ZERO)


def late_fee(bills: list[Bill], pieces, unpaid, as_of: date) -> Decimal:
    total = ZERO
    for bill, settled, left in zip(bills, pieces, unpaid):
        principal_days = Decimal(0)
        for amount, day in settled:
            principal_days += amount * max(0, (day - bill.due).days - GRACE_DAYS)
        if left > 0:
            principal_days += left * max(0, (as_of - bill.due).days - GRACE_DAYS)
        total += min(bill.amount, cents(LATE_RATE * principal_days))
    return total


# -- YAML text ---------------------------------------------------------------------------

_SPECIAL_WORDS = re.compile(
    r"(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)"
)
_NUMBER_LIKE = re.compile(r"[-+]?(?:[0-9][0-9_,:]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[Tt ].*)?")


def text(value: str, flow: bool = False) -> str:
    """A string as YAML: plain when nothing could misread it, else double-quoted."""
    plain = (
        value != ""
        and value == value.strip()
        and not _SPECIAL_WORDS.fullmatch(value)
        and not _NUMBER_LIKE.fullmatch(value)
        and not _DATE_LIKE.fullmatch(value)
        and value[0] not in "-?:,[]{}#&*!|>'\"%@`"
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and "\n" not in value
        and "\t" not in value
        and not (flow and any(c in value for c in ",[]{}"))
    )
    if plain:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def money(amount: Decimal) -> str:
    return quoted(f"{amount:.2f}")


def flow_map(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def with_comment(line: str, comment: str, column: int = 0) -> str:
    if not comment:
        return line
    pad = max(column - len(line), 3) if column else 3
    return line + " " * pad + "# " + comment


def schema_line(rel_path: str, kind: str) -> str:
    depth = rel_path.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json"


# -- the demo --------------------------------------------------------------------------------

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟汪戴崔陆范方石邱金")
GIVEN_MALE = ["建国", "伟", "磊", "勇", "军", "杰", "涛", "明", "超", "刚", "志强", "国庆", "海涛", "文斌", "俊", "浩", "鹏", "斌", "德胜", "永康",
              "晨", "子豪", "宇", "立新", "春生", "卫东", "国平", "振华", "宏伟", "家乐"]
GIVEN_FEMALE = ["秀英", "丽", "芳", "静", "娟", "霞", "平", "桂英", "玉兰", "海燕", "雪梅", "丽娟", "晓红", "慧", "婷", "颖", "秀兰", "美玲", "佳", "琳",
                "凤英", "淑珍", "红梅", "欣", "雨桐", "思琪", "晓燕", "亚楠", "春花", "素芬"]
PHONE_PREFIXES = ["138", "139", "137", "136", "135", "158", "159", "186", "188", "187", "150", "151", "177", "199", "133", "181"]
METHODS = ["wechat"] * 45 + ["alipay"] * 18 + ["bank"] * 15 + ["pos"] * 10 + ["cash"] * 10 + ["other"] * 2

STORIES: dict = {}  # unit id -> story function (with an optional .setup run before any bill is computed)


def story(unit_id: str):
    def register(fn):
        STORIES[unit_id] = fn
        return fn

    return register


class Demo:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.units: dict[str, Unit] = {}
        self.charges: list[Charge] = []
        self.payments: list[Payment] = []
        self.waivers: list[Waiver] = []
        self.plans: list[Plan] = []
        self.used_names: set[str] = {ZHANG, WANG, LI, LIU}
        self.used_phones: set[str] = set()
        self.counter = 0
        self._bills: dict[str, list[Bill]] = {}
        self._credits: dict[str, list] = defaultdict(list)  # unit -> (date, kind, counter, is_payment, amount)

    # -- people --------------------------------------------------------------------------
    def name(self, female: bool | None = None, surname: str | None = None) -> str:
        rng = self.rng
        while True:
            is_female = rng.random() < 0.5 if female is None else female
            given = rng.choice(GIVEN_FEMALE if is_female else GIVEN_MALE)
            candidate = (surname or rng.choice(SURNAMES)) + given
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def phone(self) -> str:
        while True:
            candidate = self.rng.choice(PHONE_PREFIXES) + "0000" + f"{self.rng.randrange(10000):04d}"
            if candidate not in self.used_phones:
                self.used_phones.add(candidate)
                return candidate

    # -- units -----------------------------------------------------------------------------
    def build_units(self) -> None:
        layouts = {1: (Decimal("89.46"), Decimal("126.32")), 2: (Decimal("96.18"), Decimal("138.75")), 3: (Decimal("78.90"), Decimal("108.64"))}
        for building in (1, 2, 3):
            start = date(2023, 1, 1) if building < 3 else date(2023, 6, 18)
            for entrance in (1, 2):
                for floor in range(1, 9):
                    for room in (1, 2):
                        uid = f"{building}-{entrance}-{floor}0{room}"
                        unit = Unit(uid, "高层", layouts[building][room - 1], start)
                        unit.header.append(f"{building}幢{entrance}单元{floor}0{room}室")
                        self.units[uid] = unit
        villa_areas = [Decimal(a) for a in ("286.40", "312.75", "298.60", "341.20", "268.95", "352.10", "305.48", "279.36")]
        for number in range(1, 9):
            uid = f"V{number:02d}"
            unit = Unit(uid, "别墅", villa_areas[number - 1], date(2023, 1, 1))
            unit.header.append(f"别墅区{number}号")
            self.units[uid] = unit
        garden_areas = {"101": Decimal("142.36"), "102": Decimal("138.90"), "201": Decimal("156.20"), "202": Decimal("151.48")}
        for building in (1, 2, 3):
            for room, area in garden_areas.items():
                uid = f"Y{building}-{room}"
                unit = Unit(uid, "洋房", area, date(2023, 1, 1))
                unit.header.append(f"洋房区{building}幢{room}室" + ("（带花园）" if room.startswith("1") else "（带露台）"))
                self.units[uid] = unit
        shop_areas = [Decimal(a) for a in ("68.50", "45.60", "96.20", "52.80", "74.30", "128.00")]
        for number in range(1, 7):
            uid = f"S-{number:02d}"
            unit = Unit(uid, "商铺", shop_areas[number - 1], date(2023, 1, 1))
            unit.header.append(f"沿街商铺{number}号")
            self.units[uid] = unit
        for unit in self.units.values():
            self.people(unit)

    def address(self, unit: Unit) -> str:
        uid = unit.id
        if unit.type == "高层":
            b, e, r = uid.split("-")
            return f"{COMMUNITY}{b}幢{e}单元{r}室"
        if unit.type == "洋房":
            b, r = uid[1:].split("-")
            return f"{COMMUNITY}洋房区{b}幢{r}室"
        if unit.type == "别墅":
            return f"{COMMUNITY}别墅区{int(uid[1:])}号"
        return f"{COMMUNITY}沿街商铺{int(uid[2:])}号"

    def people(self, unit: Unit) -> None:
        rng = self.rng
        first = self.name()
        unit.owners = [{"name": first, "phone": self.phone(), "address": self.address(unit)}]
        if unit.type != "商铺" and rng.random() < 0.3:
            unit.owners.append({"name": self.name(female=first[1:] in GIVEN_MALE), "phone": self.phone()})
        roll = rng.random()
        if unit.type == "商铺":
            unit.occupancy = "rented" if roll < 0.8 else "self"
        elif roll < 0.09:
            unit.occupancy = "rented"
        elif roll < 0.13:
            unit.occupancy = "vacant"
        if unit.occupancy == "rented":
            unit.tenant = {"name": self.name(), "phone": self.phone()}
            if unit.type != "商铺":
                unit.tags.append("出租")
        if unit.occupancy == "vacant":
            unit.tags.append(rng.choice(["长期在外", "空置"]))
        if unit.type != "商铺" and unit.occupancy == "self":
            if rng.random() < 0.16:
                unit.tags.append("老人")
            if rng.random() < 0.22:
                unit.tags.append("白天不在家")
            if rng.random() < 0.04:
                unit.tags.append("养宠物")

    # -- bills and credits -------------------------------------------------------------------
    def bills(self, unit: Unit, until: date = HORIZON) -> list[Bill]:
        if unit.id not in self._bills:
            self._bills[unit.id] = self._all_bills(unit)
        return [b for b in self._bills[unit.id] if b.issued <= until]

    def _all_bills(self, unit: Unit, until: date = HORIZON) -> list[Bill]:
        out: list[Bill] = []
        if unit.opening and unit.opening[1] <= until:
            amount, due, _ = unit.opening
            out.append(Bill(unit.id, "期初欠费", f"{due:%Y-%m}前", amount, due, due, (due, due, 0, (0, ""))))
        for index, item in enumerate(unit.opening_items):
            if item.due <= until:
                out.append(Bill(unit.id, "期初欠费", item.period, item.amount, item.due, item.due, (item.due, item.due, 0, (index, ""))))
        for order, fee in enumerate(FEES):
            out += fee_bills(unit, fee, order, until)
        for charge in self.charges:
            issued = charge.issued or charge.due
            if charge.unit == unit.id and issued <= until:
                out.append(Bill(unit.id, charge.item, charge.period, charge.amount, issued, charge.due, (charge.due, issued, 2, charge.seq)))
        out.sort(key=lambda b: b.order)
        return out

    def credits(self, unit_id: str, until: date) -> list:
        rows = sorted((r for r in self._credits[unit_id] if r[0] <= until), key=lambda r: r[:3])
        return [(r[0], r[3], r[4]) for r in rows]

    def credited(self, unit_id: str, until: date) -> Decimal:
        return sum((c[2] for c in self.credits(unit_id, until)), ZERO)

    def state(self, unit: Unit, when: date):
        bills = self.bills(unit, when)
        pieces, unpaid, credit = allocate(bills, self.credits(unit.id, when))
        return bills, pieces, unpaid, credit

    def late_fee_at(self, unit: Unit, when: date) -> Decimal:
        bills, pieces, unpaid, _ = self.state(unit, when)
        return late_fee(bills, pieces, unpaid, when)

    def owed(self, unit: Unit, when: date, through: date, opening: bool = True) -> Decimal:
        """What the unit must pay on ``when`` to settle every bill due by ``through``."""
        total = sum((b.amount for b in self.bills(unit) if b.due <= through and (opening or b.order[2] != 0)), ZERO)
        return total - self.credited(unit.id, when)

    def sum_due(self, unit: Unit, lo: date, hi: date) -> Decimal:
        return sum((b.amount for b in self.bills(unit) if lo <= b.due <= hi and b.order[2] != 0), ZERO)

    # -- writing entries -----------------------------------------------------------------------
    def pay(self, unit: Unit, when: date, amount: Decimal, method: str | None = None, comment: str = "", receipt: str | None = "",
            designation: tuple = ()) -> Payment:
        """A payment. With a ``designation`` the script's own allocation (``allocate``) no longer says where it went:
        stories that designate compute what they owe from the bills themselves (or with the engine)."""
        assert when <= AS_OF and amount > 0, (unit.id, when, amount)
        self.counter += 1
        method = method or self.method(unit)
        if method == "bank" and receipt == "" and self.rng.random() < 0.04:
            receipt = None
        payment = Payment(unit.id, when, cents(amount), method, comment, receipt, self.counter, tuple(designation))
        self.payments.append(payment)
        if "late_fee" not in designation:  # a late-fee payment settles no principal (rule 4)
            self._credits[unit.id].append((when, 0, self.counter, True, payment.amount))
        return payment

    def waive(self, unit: Unit, when: date, amount: Decimal, applies_to: str, approved_by: str, reason: str, consent: str,
              comment: str = "") -> None:
        assert when <= AS_OF and amount > 0 and consent
        self.counter += 1
        self.waivers.append(Waiver(unit.id, when, cents(amount), applies_to, approved_by, reason, consent, comment, self.counter))
        if applies_to == "principal":
            self._credits[unit.id].append((when, 1, self.counter, False, cents(amount)))

    def contact(self, unit: Unit, when: date, channel: str, by: str, outcome: str, **kw) -> None:
        assert when <= AS_OF, (unit.id, when)
        unit.contacts.append(Contact(when, channel, by, outcome, **kw))

    def method(self, unit: Unit) -> str:
        rng = self.rng
        if "老人" in unit.tags and rng.random() < 0.6:
            return rng.choice(["cash", "cash", "pos"])
        if unit.occupancy == "vacant" or "长期在外" in unit.tags:
            return rng.choice(["bank", "bank", "alipay", "wechat"])
        return rng.choice(METHODS)

    def occasions(self, unit: Unit) -> list[tuple[date, date, date]]:
        """(earliest due, latest issue, latest due) of the bills due in each month, oldest first."""
        groups: dict[tuple, list[Bill]] = defaultdict(list)
        for bill in self.bills(unit):
            if bill.order[2] != 0:
                groups[(bill.due.year, bill.due.month)].append(bill)
        return [(min(b.due for b in g), max(b.issued for b in g), max(b.due for b in g)) for _, g in sorted(groups.items())]

    def pay_regularly(self, unit: Unit, profile: str, start: date = date(2000, 1, 1), stop: date = HORIZON,
                      late_days: tuple[int, int] = (16, 80), contacts: bool = True) -> None:
        """Pay each bill due in [start, stop) the way this kind of owner does, up to AS_OF."""
        rng = self.rng
        last_paid = date(2000, 1, 1)
        for due, issued, through in self.occasions(unit):
            if not start <= due < stop:
                continue
            if profile in ("annual", "semiannual"):
                months = 12 if profile == "annual" else 6
                if due.month != 1 and not (profile == "semiannual" and due.month == 7) and due > unit.billing_start + timedelta(days=40):
                    continue
                end_month = month_index(due) - (month_index(due) % months) + months - 1
                through = month_start(end_month + 1) - timedelta(days=1)
                when = due + timedelta(days=rng.randint(-12, 8))
            elif profile == "late":
                if rng.random() < 0.55:
                    when = due + timedelta(days=rng.randint(-8, 12))
                else:
                    when = due + timedelta(days=rng.randint(*late_days))
            else:  # punctual, roundup
                when = due + timedelta(days=rng.randint(-12, 10))
            when = max(when, issued, last_paid)
            if when > AS_OF:
                if profile == "late" and contacts:
                    self.late_contacts(unit, due, when, None)
                break
            amount = self.owed(unit, when, through)
            if amount <= 0:
                continue
            if profile == "roundup":
                amount = Decimal(int((amount + Decimal("99.99")) // 100) * 100)
            method = None
            if profile == "late" and contacts and (when - due).days > 15:
                method = self.late_contacts(unit, due, when, amount)
            self.pay(unit, when, amount, method)
            last_paid = when

    def pay_designated(self, unit: Unit, start: date, stop: date = HORIZON, method: str = "bank", first_comment: str = "") -> None:
        """Pay each month's bills due in [start, stop) on their own, naming the month (``for: [YYYY-MM]``), up to AS_OF.

        An owner who will not let a payment go to an older debt says what it is for (民法典第五百六十条);
        the amount is that month's bills, so the script's allocation copy is not needed.
        """
        comment = first_comment
        for due, issued, through in self.occasions(unit):
            if not start <= due < stop:
                continue
            when = max(due + timedelta(days=self.rng.randint(-10, 6)), issued)
            if when > AS_OF:
                break
            self.pay(unit, when, self.sum_due(unit, due, through), method, comment=comment, designation=(f"{due:%Y-%m}",))
            comment = ""

    def late_contacts(self, unit: Unit, due: date, paid: date, amount: Decimal | None) -> str | None:
        """Reminders before a late payment; returns the method when paid during a call."""
        rng = self.rng
        clerk = rng.choice([ZHANG, WANG])
        what = quarter_name(due) + "物业费" if unit.type != "商铺" else f"{due.year}年{due.month}月账单"
        sms = due + timedelta(days=rng.randint(5, 10))
        if sms < paid and sms <= AS_OF:
            channel = "sms" if rng.random() < 0.7 else "wechat"
            note = rng.choice([f"{what}缴费提醒", f"提醒缴纳{what}", f"{what}已到期，发送缴费提醒"])
            self.contact(unit, sms, channel, clerk, "delivered", note=note)
        call = due + timedelta(days=rng.randint(24, 32))
        if not (call < paid and call <= AS_OF):
            return None
        reason = rng.choice(["forgot"] * 5 + ["other", "hardship"])
        notes = {
            "forgot": ["业主说忘了，这几天就交", "业主以为已经交过了，核对后同意补缴", "业主说没看到短信，马上处理", "业主以为是自动扣款，没注意"],
            "other": ["业主家里有事走不开，说过几天来前台交", "业主在外地照顾家人，回来再交", "业主说要先核对账单面积"],
            "hardship": ["业主说这个月手头紧，缓几天交", "业主说家里最近开销大，晚些交"],
        }[reason]
        promise_notes = {
            "forgot": ["业主说这阵子忙忘了，答应{day}前交", "业主出差在外，答应{day}回来就交", "业主说没看到短信，约定{day}前转账"],
            "other": ["业主家里有事，约定{day}前来前台交", "业主在外地，答应{day}前网上支付"],
            "hardship": ["业主说手头紧，答应{day}发工资后交", "业主说{day}前一定交上"],
        }[reason]
        roll = rng.random()
        record = rng.random() < 0.6
        evidence = f"通话录音 {call:%Y%m%d}-{unit.id}.m4a" if record else ""
        if amount is not None and (paid - call).days <= 3 and roll < 0.5:
            self.contact(unit, paid, "phone", clerk, "paid", reason=reason, evidence=evidence,
                         note=rng.choice(["电话提醒后业主当即微信转账", "业主接到电话后马上在线支付了"]))
            return "wechat"
        if roll < 0.15:
            self.contact(unit, call, "phone", clerk, "no_answer", note=rng.choice(["无人接听", "响铃无人接，已留言", "关机"]))
            return None
        if (paid - call).days <= 25:
            promised = amount if amount is not None else self.owed(unit, AS_OF, due)
            day = paid if amount is not None else call + timedelta(days=rng.randint(8, 20))
            note = rng.choice(promise_notes).format(day=f"{day.month}月{day.day}日")
            self.contact(unit, call, "phone", clerk, "promised", promise=(day, promised), reason=reason, evidence=evidence, note=note)
            return None
        self.contact(unit, call, "phone", clerk, "reached", reason=reason, evidence=evidence, note=rng.choice(notes))
        return None

    # -- generic units -------------------------------------------------------------------
    def generic(self, unit: Unit) -> None:
        rng = self.rng
        roll = rng.random()
        if unit.type == "商铺":
            profile = "punctual"
        elif unit.occupancy == "vacant" or "长期在外" in unit.tags:
            profile = "annual" if roll < 0.7 else "semiannual"
        elif roll < 0.56:
            profile = "punctual"
        elif roll < 0.70:
            profile = "annual"
        elif roll < 0.77:
            profile = "semiannual"
        elif roll < 0.85:
            profile = "roundup"
        else:
            profile = "late"
        self.pay_regularly(unit, profile)

    # -- one-off charges --------------------------------------------------------------------
    def shop_charges(self) -> None:
        rng = self.rng
        for unit in self.units.values():
            if unit.type != "商铺":
                continue
            base = Decimal(rng.randint(60, 220))
            month = month_index(unit.billing_start)
            while True:
                period = month_start(month)
                due = date(period.year, period.month, 15) + timedelta(days=days_in_month(period.year, period.month))
                due = date(due.year, due.month, 15)
                if due > AS_OF:
                    break
                season = Decimal("1.35") if period.month in (7, 8) else Decimal("1.15") if period.month in (1, 12) else Decimal(1)
                amount = cents(base * season * Decimal(rng.randint(85, 115)) / 100)
                self.charges.append(Charge(unit.id, "公摊水电", f"{period:%Y-%m}", amount, due))
                month += 1

    def number_charges(self) -> None:
        by_year: dict[int, list[Charge]] = defaultdict(list)
        for charge in self.charges:
            by_year[charge.due.year].append(charge)
        for year, items in by_year.items():
            items.sort(key=lambda c: (c.due, c.unit, c.item))
            for index, charge in enumerate(items):
                charge.seq = (f"ledger/charges/{year}.yaml", index)

    # -- run -------------------------------------------------------------------------------
    def run(self) -> None:
        self.build_units()
        for unit_id, fn in STORIES.items():
            pre = getattr(fn, "setup", None)
            if pre:
                pre(self, self.units[unit_id])
        self.shop_charges()
        self.one_off_charges()
        self.number_charges()
        for unit in self.units.values():
            if unit.id in STORIES:
                STORIES[unit.id](self, unit)
            else:
                self.generic(unit)
        self.prepayments()
        self.record_consents()
        self.assign_receipts()

    def one_off_charges(self) -> None:
        """A few one-off charges beyond the shops' shared utilities."""
        self.charges.append(Charge("S-03", "装修垃圾清运费", "2026-10", Decimal("600.00"), date(2026, 11, 1), issued=date(2026, 10, 20),
                                   comment="新租户装修，按5车计"))
        self.charges.append(Charge("S-01", "广告位使用费", "2025", Decimal("1200.00"), date(2025, 3, 15), comment="门头灯箱广告位，2025年度"))
        self.charges.append(Charge("S-01", "广告位使用费", "2026", Decimal("1200.00"), date(2026, 3, 15), comment="门头灯箱广告位，2026年度"))
        self.charges.append(Charge("S-04", "广告位使用费", "2026", Decimal("800.00"), date(2026, 3, 15), comment="侧墙广告位，2026年度"))
        self.charges.append(Charge("S-01", "广告位使用费", "2027", Decimal("1200.00"), date(2026, 12, 15), issued=date(2026, 11, 20),
                                   comment="2027年度，已续签，12月15日前缴"))

    def prepayments(self) -> None:
        """Owners who paid next year ahead: their money waits as credit."""
        for unit_id, when, method, comment in (
            ("V05", date(2026, 11, 6), "bank", "预交2027年全年物业费和垃圾清运费"),
            ("1-1-201", date(2026, 11, 15), "alipay", "预交2027年全年"),
            ("Y1-201", date(2026, 11, 19), "wechat", "预交2027年一季度"),
        ):
            unit = self.units[unit_id]
            through = date(2027, 12, 31) if "全年" in comment else date(2027, 3, 31)
            amount = self.owed(unit, when, through)
            self.pay(unit, when, amount, method, comment=comment)

    def record_consents(self) -> None:
        """Owners who signed a separate consent to have their arrears published (个人信息保护法第十四条)."""
        for unit_id, when in (("1-1-201", date(2025, 4, 12)), ("Y1-201", date(2025, 4, 12)), ("S-05", date(2025, 5, 6))):
            self.units[unit_id].consents.append(
                {"kind": "publish_arrears", "date": when, "evidence": f"个人信息单独同意书（业主签字，{when}）扫描件"})

    def assign_receipts(self) -> None:
        counters: dict[int, int] = defaultdict(int)
        for payment in sorted(self.payments, key=lambda p: (p.date, p.unit, p.counter)):
            if payment.receipt is None:
                continue
            counters[payment.date.year] += 1
            payment.receipt = f"R{payment.date.year}-{counters[payment.date.year]:04d}"


# -- the stories ---------------------------------------------------------------------------------
# Each story sets up one unit's people and history; amounts come from the unit's own bills.

def recording(when: date, unit: Unit) -> str:
    return f"通话录音 {when:%Y%m%d}-{unit.id}.m4a"


def photo(when: date, n: int) -> str:
    return f"现场照片 IMG_{when:%Y%m%d}_{n:04d}.jpg"


def ems(number: str) -> str:
    return f"EMS {number}"


def setup(fn):
    def decorate(story_fn):
        story_fn.setup = fn
        return story_fn

    return decorate


def _legal_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主以电梯和车库漏水为由拒缴，2025年物业公司申请支付令被异议，2026年起诉，等待判决")
    unit.header.append("2025年1月至2月业委会的催缴授权续签期间，由物业公司客服主管自己催缴（party: creditor），照样中断诉讼时效")
    unit.tags = ["投诉较多"]
    unit.occupancy, unit.tenant = "self", None


@story("1-1-101")
@setup(_legal_setup)
def legal_case(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2024, 7, 1))
    c = demo.contact
    c(unit, date(2024, 7, 25), "sms", ZHANG, "delivered", note="2024年第三季度物业费缴费提醒")
    c(unit, date(2024, 8, 6), "phone", ZHANG, "refused", reason="service_complaint", evidence=recording(date(2024, 8, 6), unit),
      note="业主称电梯经常停运、地下车库漏水一直没人管，问题不解决就不交")
    c(unit, date(2024, 8, 30), "visit", LI, "refused", reason="service_complaint", evidence=photo(date(2024, 8, 30), 3127),
      note="上门说明电梯已更换主板、车库漏点已维修，业主仍拒绝缴费")
    c(unit, date(2024, 9, 20), "letter", ZHANG, "delivered", evidence="签收单 QS-2024-017", note="送达第一次催缴通知书，业主家人代签")
    c(unit, date(2024, 11, 5), "registered_mail", ZHANG, "delivered", evidence=ems("1190000241105"), note="第二次催缴通知书，EMS妥投")
    c(unit, date(2025, 1, 16), "phone", SUN, "refused", reason="refuses", evidence=recording(date(2025, 1, 16), unit), party="creditor",
      note="业委会的授权正在续签，由物业公司客服主管直接打电话催缴，业主表示“要告就去告”")
    c(unit, date(2025, 3, 10), "lawyer_letter", ZHOU, "delivered", evidence=ems("1190000250310") + "（律师函）",
      note="业委会按新授权委托律师发出律师函，限14日内缴清，逾期将申请支付令")
    c(unit, date(2025, 6, 18), "court", ZHOU, "delivered", evidence="受理通知书（2025）示0102民督118号", party="creditor",
      note="物业公司委托周律师向区人民法院申请支付令，法院已受理并送达")
    c(unit, date(2025, 7, 22), "court", ZHOU, "disputed", reason="refuses", evidence="支付令异议书副本", party="creditor",
      note="业主对支付令提出书面异议，支付令失效，准备起诉")
    c(unit, date(2026, 3, 12), "court", ZHOU, "delivered", evidence="受理案件通知书（2026）示0102民初456号", party="creditor",
      note="物业公司作为原告起诉立案，业委会提供催缴记录作证据")
    c(unit, date(2026, 9, 8), "court", ZHOU, "reached", reason="service_complaint", evidence="开庭传票及庭审笔录", party="creditor",
      note="一审开庭，业主当庭仍以服务质量抗辩，等待判决")


def _lawyer_wait_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("对保洁不满，两次书面催缴后已发律师函，等待函件期限届满")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["希望直接沟通"]


@story("1-2-802")
@setup(_lawyer_wait_setup)
def lawyer_waiting(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 7, 1))
    c = demo.contact
    c(unit, date(2026, 7, 24), "sms", WANG, "delivered", note="第三季度物业费缴费提醒")
    c(unit, date(2026, 8, 3), "phone", WANG, "disputed", reason="service_complaint", evidence=recording(date(2026, 8, 3), unit),
      note="业主认为楼道保洁不到位、堆物无人清理，要求先整改再缴费")
    c(unit, date(2026, 8, 19), "letter", WANG, "delivered", evidence="签收单 QS-2026-044",
      note="送达催缴通知书，附保洁整改情况说明")
    c(unit, date(2026, 9, 28), "registered_mail", WANG, "delivered", evidence=ems("1190000260928"), note="第二次催缴通知书")
    c(unit, date(2026, 10, 12), "visit", LI, "refused", reason="service_complaint", evidence=photo(date(2026, 10, 12), 4410),
      note="业主说楼道已经干净了，但“之前的不算”，仍不交")
    c(unit, date(2026, 11, 10), "lawyer_letter", ZHOU, "delivered", evidence=ems("1190000261110") + "（律师函）",
      note="律师函已妥投，限14日内缴清")


def _lawyer_due_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("空置房，业主在外地，认为空置不该交物业费；两次挂号信催缴无果，下一步发律师函")
    unit.occupancy, unit.tenant = "vacant", None
    unit.tags = ["长期在外", "空置"]
    unit.owners[0]["address"] = "示例省示例市示例区人民路128号"
    unit.owners[0]["comment"] = "邮寄地址为业主在外地的住址"


@story("3-1-202")
@setup(_lawyer_due_setup)
def lawyer_due(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "annual", stop=date(2026, 1, 1))
    c = demo.contact
    c(unit, date(2026, 1, 26), "sms", ZHANG, "delivered", note="2026年度物业费缴费提醒")
    c(unit, date(2026, 2, 10), "phone", ZHANG, "refused", reason="vacant", evidence=recording(date(2026, 2, 10), unit),
      note="业主在外地工作，房子一直没装修没住人，认为空置房不应收物业费")
    c(unit, date(2026, 3, 16), "registered_mail", ZHANG, "delivered", evidence=ems("1190000260316"), note="催缴通知书寄往业主外地住址")
    c(unit, date(2026, 6, 22), "registered_mail", ZHANG, "delivered", evidence=ems("1190000260622"), note="第二次催缴通知书")
    c(unit, date(2026, 8, 5), "phone", LIU, "refused", reason="vacant", evidence=recording(date(2026, 8, 5), unit),
      note="解释空置房已按七折收费，业主仍不接受，说“没住就不交”")


def _plan_on_track_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主家里2025年遭遇变故，经济困难；2026年9月签分期协议，按期还款中，协议约定按期履行期间违约金停止计算")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["家庭困难"]


@story("2-2-302")
@setup(_plan_on_track_setup)
def plan_on_track(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 7, 1))
    c = demo.contact
    c(unit, date(2025, 7, 28), "sms", WANG, "delivered", note="2025年第三季度物业费缴费提醒")
    c(unit, date(2025, 8, 15), "phone", WANG, "reached", reason="hardship", evidence=recording(date(2025, 8, 15), unit),
      note="业主说家里出了变故，开销大，请求缓交")
    c(unit, date(2025, 11, 20), "letter", WANG, "delivered", evidence="签收单 QS-2025-061", note="送达催缴通知书")
    c(unit, date(2026, 3, 18), "registered_mail", WANG, "delivered", evidence=ems("1190000260318"), note="第二次催缴通知书")
    c(unit, date(2026, 6, 9), "phone", WANG, "promised", promise=(date(2026, 7, 31), Decimal("1000.00")), reason="hardship",
      evidence=recording(date(2026, 6, 9), unit), note="业主说7月底先交一千")
    c(unit, date(2026, 8, 25), "visit", LI, "reached", reason="hardship", evidence="谈话记录（业主签字）",
      note="7月底的一千没交上。上门协商分期，业主同意签协议，分六期还清")
    signed = date(2026, 9, 10)
    total = demo.owed(unit, signed, signed)
    steps = split(total, 6, [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)])
    demo.plans.append(Plan(unit.id, signed, steps, "2-2-302 家庭困难，欠费分六期，每月月底前付；按期履行期间违约金自签订之日起停止计算",
                           late_fee="freeze"))
    demo.pay(unit, date(2026, 9, 28), steps[0][1], "wechat", comment="分期第1期")
    demo.pay(unit, date(2026, 10, 29), steps[1][1], "wechat", comment="分期第2期")


def _plan_behind_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主做餐饮生意亏损；2026年4月签分期协议，付了两期后停付")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["做生意"]


@story("3-1-602")
@setup(_plan_behind_setup)
def plan_behind(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 4, 1))
    c = demo.contact
    c(unit, date(2025, 4, 28), "sms", ZHANG, "delivered", note="2025年第二季度物业费缴费提醒")
    c(unit, date(2025, 5, 20), "phone", ZHANG, "reached", reason="hardship", evidence=recording(date(2025, 5, 20), unit),
      note="业主开的饭店亏损，资金周转困难，希望缓一缓")
    c(unit, date(2025, 9, 16), "wechat", ZHANG, "no_answer", note="微信发送欠费明细，未回复")
    c(unit, date(2025, 12, 10), "letter", ZHANG, "delivered", evidence="签收单 QS-2025-072", note="送达催缴通知书")
    c(unit, date(2026, 4, 15), "visit", LI, "reached", reason="hardship", evidence="谈话记录（业主签字）",
      note="协商分期付款，业主同意六个月还清")
    signed = date(2026, 4, 20)
    total = demo.owed(unit, signed, signed)
    dues = [date(2026, m, 20) for m in range(5, 11)]
    steps = split(total, 6, dues)
    demo.plans.append(Plan(unit.id, signed, steps, "3-1-602 欠费分六期，每月20日前付"))
    demo.pay(unit, date(2026, 5, 18), steps[0][1], "alipay", comment="分期第1期")
    demo.pay(unit, date(2026, 6, 25), steps[1][1], "alipay", comment="分期第2期，晚了几天")
    c(unit, date(2026, 7, 28), "sms", ZHANG, "delivered", note="提醒分期第3期已逾期")
    c(unit, date(2026, 8, 5), "phone", ZHANG, "promised", promise=(date(2026, 8, 31), steps[2][1] + steps[3][1]), reason="hardship",
      evidence=recording(date(2026, 8, 5), unit), note="业主说8月底把第3、4期一起补上")
    c(unit, date(2026, 9, 18), "wechat", ZHANG, "reached", reason="hardship", note="业主微信回复：店里生意还没起色，下个月一定补")
    c(unit, date(2026, 10, 30), "phone", LI, "no_answer", note="连打两次无人接听")


def _plan_done_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主2023年底失业，2024年欠费；2025年2月签分期协议，8月已全部还清，违约金经业委会决议免除")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]


@story("1-1-402")
@setup(_plan_done_setup)
def plan_completed(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2024, 1, 1))
    c = demo.contact
    c(unit, date(2024, 1, 26), "sms", ZHANG, "delivered", note="2024年度垃圾清运费及第一季度物业费缴费提醒")
    c(unit, date(2024, 2, 20), "phone", ZHANG, "reached", reason="hardship", evidence=recording(date(2024, 2, 20), unit),
      note="业主去年底失业，正在找工作，家里还有老人要照顾")
    c(unit, date(2024, 5, 10), "visit", LI, "reached", reason="hardship", evidence=photo(date(2024, 5, 10), 2286),
      note="上门了解情况，业主态度诚恳，表示找到工作后一定补交")
    c(unit, date(2024, 8, 22), "letter", ZHANG, "delivered", evidence="签收单 QS-2024-012", note="送达催缴通知书")
    c(unit, date(2024, 12, 5), "phone", ZHANG, "promised", promise=(date(2025, 1, 31), None), reason="hardship",
      evidence=recording(date(2024, 12, 5), unit), note="业主说春节前先交一部分")
    c(unit, date(2025, 2, 18), "visit", LI, "reached", reason="hardship", evidence="谈话记录（业主签字）",
      note="业主已找到新工作，愿意分期还清，约定2月20日签协议")
    signed = date(2025, 2, 20)
    total = demo.owed(unit, signed, signed)
    dues = [date(2025, m, 20) for m in range(3, 9)]
    steps = split(total, 6, dues)
    demo.plans.append(Plan(unit.id, signed, steps, "1-1-402 2024年欠费分六期，已于2025年8月还清"))
    for index, (due, amount) in enumerate(steps):
        demo.pay(unit, due - timedelta(days=demo.rng.randint(0, 4)), amount, "wechat", comment=f"分期第{index + 1}期")
    for due, issued, through in demo.occasions(unit):
        if date(2025, 4, 1) <= due:
            when = max(due + timedelta(days=demo.rng.randint(-10, 8)), issued)
            if when > AS_OF:
                break
            demo.pay(unit, when, demo.sum_due(unit, due, through), "wechat")
    c(unit, date(2025, 8, 18), "phone", ZHANG, "paid", note="分期最后一期已付清，业主申请减免违约金")
    when = date(2025, 9, 16)
    fee = demo.late_fee_at(unit, when)
    demo.waive(unit, when, fee, "late_fee", "业委会2025年第5次会议", "业主失业期间欠费，已按分期协议全部还清，违约金全免",
               "桐荫物业同意减免函 2025-03", comment="1-1-402 违约金全免")


def _broken_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("承诺10月底交清两个季度，到期未付")
    unit.occupancy, unit.tenant = "self", None


@story("2-1-702")
@setup(_broken_setup)
def broken_promise(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 7, 1))
    c = demo.contact
    c(unit, date(2026, 7, 26), "sms", WANG, "delivered", note="第三季度物业费缴费提醒")
    c(unit, date(2026, 8, 18), "phone", WANG, "no_answer", note="无人接听")
    c(unit, date(2026, 9, 2), "wechat", WANG, "reached", reason="forgot", note="微信回复说最近太忙忘了")
    owed = demo.owed(unit, date(2026, 10, 16), date(2026, 10, 15))
    c(unit, date(2026, 10, 16), "phone", WANG, "promised", promise=(date(2026, 10, 31), owed), reason="forgot",
      evidence=recording(date(2026, 10, 16), unit), note="业主说月底发工资后把三、四季度一起交清")


def _active_promise_setup(demo: Demo, unit: Unit) -> None:
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["常出差"]


@story("1-2-401")
@setup(_active_promise_setup)
def active_promise(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 10, 1))
    c = demo.contact
    c(unit, date(2026, 10, 25), "sms", ZHANG, "delivered", note="第四季度物业费缴费提醒")
    owed = demo.owed(unit, date(2026, 11, 16), date(2026, 10, 15))
    c(unit, date(2026, 11, 16), "phone", ZHANG, "promised", promise=(date(2026, 11, 30), owed), reason="forgot",
      evidence=recording(date(2026, 11, 16), unit), note="业主在外地出差，说月底回来就交")


def _estate_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("原业主2025年8月去世，女儿办理继承，约定过户后年底前结清")
    unit.occupancy, unit.tenant = "self", None
    heir = unit.owners[0]["name"]
    surname = heir[0]
    late = demo.name(female=False, surname=surname)
    unit.owners = [{"name": heir, "phone": unit.owners[0]["phone"], "address": unit.owners[0]["address"],
                    "comment": f"原业主{late}之女，继承办理中"}]
    unit.tags = ["继承中"]


@story("1-1-602")
@setup(_estate_setup)
def estate(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 10, 1))
    c = demo.contact
    c(unit, date(2025, 10, 27), "sms", WANG, "no_answer", note="短信提醒，原号码已停机")
    c(unit, date(2025, 11, 12), "visit", WANG, "reached", reason="other", evidence=photo(date(2025, 11, 12), 1733),
      note="邻居告知老业主8月去世，留了其女儿的电话")
    c(unit, date(2025, 11, 20), "phone", WANG, "reached", reason="other", evidence=recording(date(2025, 11, 20), unit),
      note="女儿说正在办理继承公证，办完过户再交")
    c(unit, date(2026, 4, 8), "phone", WANG, "reached", reason="other", evidence=recording(date(2026, 4, 8), unit),
      note="继承公证已办完，正在等不动产过户")
    owed = demo.owed(unit, date(2026, 10, 20), date(2026, 12, 31))
    c(unit, date(2026, 10, 20), "other", LIU, "promised", promise=(date(2026, 12, 31), owed), reason="other",
      evidence="调解记录（双方签字）", note="在社区居委会调解室当面沟通，约定过户后年底前一次结清")


def _rented_promise_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("出租，房东和租客互相推诿；房东已答应先垫付")
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone()}
    unit.tags = ["出租"]


@story("Y2-201")
@setup(_rented_promise_setup)
def rented_promise(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 7, 1))
    c = demo.contact
    c(unit, date(2026, 7, 28), "sms", ZHANG, "delivered", note="第三季度物业费缴费提醒")
    c(unit, date(2026, 8, 10), "visit", ZHANG, "reached", reason="rented_out", note="租客说租金里含物业费，应该找房东")
    c(unit, date(2026, 8, 12), "phone", ZHANG, "disputed", reason="rented_out", evidence=recording(date(2026, 8, 12), unit),
      note="房东说租赁合同约定物业费由租客交，让物业找租客")
    c(unit, date(2026, 10, 22), "sms", ZHANG, "delivered", note="第四季度物业费缴费提醒，同时发给房东和租客")
    owed = demo.owed(unit, date(2026, 11, 19), date(2026, 10, 15))
    c(unit, date(2026, 11, 19), "wechat", ZHANG, "promised", promise=(date(2026, 12, 10), owed), reason="rented_out",
      evidence="微信聊天截图 20261119-Y2-201.png", note="房东同意先垫付三、四季度物业费，再自己找租客结算")


def _defect_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("地下室渗水，业主要求开发商修好再交；已送达一次催缴通知书")
    unit.header.append("2026年10月业主指定缴三季度物业费（for: [2026-07]），没有按先到期先冲抵，二季度仍欠")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["房屋漏水", "老人"]


@story("Y1-102")
@setup(_defect_setup)
def housing_defect(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 4, 1))
    c = demo.contact
    c(unit, date(2026, 4, 27), "sms", ZHANG, "delivered", note="第二季度物业费缴费提醒")
    c(unit, date(2026, 5, 8), "phone", ZHANG, "disputed", reason="housing_defect", evidence=recording(date(2026, 5, 8), unit),
      note="地下室渗水，报修多次未解决，业主表示修好了再交")
    c(unit, date(2026, 5, 15), "visit", LI, "reached", reason="housing_defect", evidence=photo(date(2026, 5, 15), 1021),
      note="查看地下室，墙角确有渗水痕迹，已联系开发商保修")
    c(unit, date(2026, 7, 20), "letter", ZHANG, "delivered", evidence="签收单 QS-2026-038",
      note="送达催缴通知书，说明保修责任在开发商，物业费应照常缴纳")
    c(unit, date(2026, 10, 9), "phone", LI, "disputed", reason="housing_defect", evidence=recording(date(2026, 10, 9), unit),
      note="开发商9月维修过一次，下雨后仍渗水，业主坚持修好再交")
    when = date(2026, 10, 20)
    demo.pay(unit, when, demo.sum_due(unit, date(2026, 7, 1), date(2026, 7, 31)), "bank", designation=("2026-07",),
             comment="业主转账注明“交三季度物业费”：按业主指定冲抵三季度，二季度仍欠")
    c(unit, when, "phone", LI, "paid", note="业主说渗水最严重的二季度要等开发商修好再谈，三季度的先交；已告知可申请减免")


def _waiver_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2025年外墙渗水，业委会减免下半年物业费的一半并免除违约金")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["房屋漏水"]


@story("3-2-501")
@setup(_waiver_setup)
def principal_waiver(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 7, 1))
    c = demo.contact
    c(unit, date(2025, 7, 9), "visit", WANG, "reached", reason="housing_defect", evidence=photo(date(2025, 7, 9), 2240),
      note="外墙渗水，主卧墙面发霉，已报开发商维修")
    c(unit, date(2025, 8, 4), "phone", WANG, "disputed", reason="housing_defect", evidence=recording(date(2025, 8, 4), unit),
      note="业主要求维修完成前暂停缴费，并申请减免")
    c(unit, date(2025, 12, 22), "visit", LIU, "reached", reason="housing_defect", evidence="谈话记录（业主签字）",
      note="外墙维修已完工，告知业委会将于1月开会研究减免")
    half = cents(demo.sum_due(unit, date(2025, 7, 1), date(2025, 10, 31)) / 2)
    demo.waive(unit, date(2026, 1, 20), half, "principal", "业委会2026年第1次会议",
               "外墙渗水致主卧无法使用，减免2025年第三、四季度物业费的50%", "桐荫物业同意减免函 2026-01", comment="3-2-501 外墙渗水")
    when = date(2026, 1, 28)
    demo.pay(unit, when, demo.owed(unit, when, date(2026, 1, 31)), "pos", comment="减免后补缴")
    demo.waive(unit, when, demo.late_fee_at(unit, when), "late_fee", "业委会2026年第1次会议", "外墙渗水期间暂停缴费，违约金全免",
               "桐荫物业同意减免函 2026-01", comment="3-2-501 同一决议")
    c(unit, when, "visit", WANG, "paid", note="业主到物业服务中心刷卡补缴，领取减免决定书")
    demo.pay_regularly(unit, "punctual", start=date(2026, 2, 1))


def _warning_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("出租，房东在外地；2024年起欠费，最后一次有录音的催缴是2024年2月，诉讼时效即将届满")
    unit.header.append("2025年7月上门是维修（purpose: service），没有谈物业费，不算催缴")
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone()}
    unit.tags = ["出租", "长期在外"]
    unit.owners[0]["address"] = "示例省示例市示例区新华街45号"
    unit.owners[0]["comment"] = "房东在外地，邮寄地址2024年被退回过"


@story("2-1-301")
@setup(_warning_setup)
def limitation_warning(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2024, 1, 1))
    c = demo.contact
    c(unit, date(2024, 1, 28), "sms", WANG, "delivered", note="2024年度垃圾清运费及第一季度物业费缴费提醒")
    c(unit, date(2024, 2, 26), "phone", WANG, "reached", reason="rented_out", evidence=recording(date(2024, 2, 26), unit),
      note="房东说租金里包含物业费，让去找租客")
    c(unit, date(2024, 4, 18), "visit", WANG, "reached", reason="rented_out", note="租客说物业费应该房东交（未录音）")
    c(unit, date(2024, 9, 12), "registered_mail", WANG, "returned", evidence=ems("1190000240912"), note="寄往房东外地地址，查无此人退回")
    c(unit, date(2025, 5, 6), "phone", WANG, "unreachable", reason="unreachable", note="房东手机已停机")
    c(unit, date(2025, 7, 22), "visit", WANG, "reached", evidence=photo(date(2025, 7, 22), 3318), purpose="service",
      note="租客报修卫生间漏水，陪维修工上门处理，已修好；未谈物业费", comment="维修回访，不是催缴，不中断诉讼时效")
    c(unit, date(2025, 11, 3), "phone", LI, "reached", reason="rented_out", note="联系上房东新号码，房东说过完年来处理（未录音）",
      comment="没有录音，不中断诉讼时效")
    c(unit, date(2026, 2, 10), "visit", LI, "no_answer", note="租客已搬走，屋内无人")
    c(unit, date(2026, 9, 14), "wechat", WANG, "no_answer", note="加了房东微信，未通过")


def _expired_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主出国多年，房屋空置；前物业移交旧欠费，一直联系不上，早期欠费已过诉讼时效")
    unit.occupancy, unit.tenant = "vacant", None
    unit.tags = ["长期在外", "空置"]
    unit.opening = (Decimal("1960.00"), date(2022, 12, 31), "前物业公司移交：2021-2022年物业费")


@story("2-2-801")
@setup(_expired_setup)
def limitation_expired(demo: Demo, unit: Unit) -> None:
    c = demo.contact
    c(unit, date(2023, 1, 20), "sms", ZHANG, "no_answer", note="短信提醒，无回复")
    c(unit, date(2023, 3, 8), "phone", ZHANG, "unreachable", reason="unreachable", note="业主登记电话是空号")
    c(unit, date(2023, 6, 14), "registered_mail", ZHANG, "returned", evidence=ems("1190000230614"), note="催缴通知书被退回，原因：原址无人")
    c(unit, date(2024, 5, 21), "visit", LI, "no_answer", note="上门敲门无人，在门缝留了一封封好的信，只请业主联系业委会，没有张贴催缴单")
    c(unit, date(2025, 4, 9), "other", LI, "unreachable", reason="unreachable", note="请社区网格员转告业主联系业委会；网格员说业主已出国，亲属联系方式不详")
    c(unit, date(2026, 6, 3), "visit", LI, "no_answer", note="上门敲门无人，之前留的信还在门缝里，屋内无人居住")


def _legacy_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("业主不认前物业移交的旧欠费，每次只按当期账单缴费；按先旧后新冲抵，欠款落在最近两个季度")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]
    unit.opening = (Decimal("4860.00"), date(2022, 12, 31), "前物业公司移交：2022年物业费及车位管理费")


@story("V03")
@setup(_legacy_setup)
def legacy_dispute(demo: Demo, unit: Unit) -> None:
    rng = demo.rng
    for due, issued, through in demo.occasions(unit):
        when = max(due + timedelta(days=rng.randint(-10, 6)), issued)
        if when > AS_OF:
            break
        demo.pay(unit, when, demo.sum_due(unit, due, through), "bank")
    c = demo.contact
    c(unit, date(2023, 2, 14), "phone", ZHANG, "disputed", reason="legacy_dispute", evidence=recording(date(2023, 2, 14), unit),
      note="业主认为前物业2022年服务很差，旧账不认，只交新物业费")
    c(unit, date(2023, 3, 2), "visit", LIU, "disputed", reason="legacy_dispute", note="业委会主任上门解释移交欠费的来源，业主仍不认可")
    c(unit, date(2024, 6, 17), "letter", ZHANG, "delivered", evidence="签收单 QS-2024-009",
      note="送达《关于前期欠费的说明》，告知缴费按先旧后新冲抵")
    c(unit, date(2026, 8, 24), "letter", ZHANG, "delivered", evidence="签收单 QS-2026-051",
      note="送达催缴通知书，列明三、四季度物业费因冲抵旧欠仍未结清")
    c(unit, date(2026, 10, 21), "phone", LIU, "disputed", reason="legacy_dispute", evidence=recording(date(2026, 10, 21), unit),
      note="业主说每季度都按账单交了，不同意冲抵旧账，要求业委会出具前物业账目")


def _shop_hardship_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2024年3月购入，出租给面馆；面馆2026年3月底停业，商铺空置待租")
    unit.billing_start = date(2024, 3, 8)
    unit.start_comment = "购入交付日"
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone()}
    unit.tenant["comment"] = "面馆经营者，已停业"
    unit.tags = ["投资客"]


@story("S-06")
@setup(_shop_hardship_setup)
def shop_hardship(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 4, 1))
    c = demo.contact
    c(unit, date(2026, 4, 27), "wechat", WANG, "delivered", note="第二季度物业费及公摊水电缴费提醒")
    c(unit, date(2026, 5, 12), "phone", WANG, "reached", reason="hardship", evidence=recording(date(2026, 5, 12), unit),
      note="面馆3月底停业，租户欠房东房租跑了，房东说手头紧")
    c(unit, date(2026, 6, 8), "phone", WANG, "promised", promise=(date(2026, 6, 30), Decimal("500.00")), reason="hardship",
      evidence=recording(date(2026, 6, 8), unit), note="房东答应月底前先交五百")
    demo.pay(unit, date(2026, 6, 28), Decimal("500.00"), "wechat", comment="先交一部分")
    c(unit, date(2026, 8, 21), "registered_mail", WANG, "delivered", evidence=ems("1190000260821"), note="催缴通知书")
    c(unit, date(2026, 10, 13), "visit", LI, "no_answer", note="商铺卷帘门关着，已贴招租广告")


def _call_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2026年10月换了新租户，装修中")
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone(), "comment": "花店，2026年10月起租"}


@story("S-03")
@setup(_call_setup)
def shop_call(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 11, 1))  # nothing paid yet in November
    c = demo.contact
    c(unit, date(2026, 11, 4), "sms", ZHANG, "delivered", note="装修垃圾清运费缴费提醒")
    c(unit, date(2026, 11, 13), "phone", ZHANG, "disputed", reason="service_complaint", evidence=recording(date(2026, 11, 13), unit),
      note="新租户认为600元清运费太贵，要求按实际车次收")


def _reminder_shop_setup(demo: Demo, unit: Unit) -> None:
    unit.occupancy = "rented"
    unit.tenant = {"name": demo.name(), "phone": demo.phone(), "comment": "便利店"}


@story("S-05")
@setup(_reminder_shop_setup)
def shop_reminder(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2026, 11, 1))
    demo.contact(unit, date(2026, 11, 17), "wechat", WANG, "delivered", note="发送10月公摊水电账单")


def _new_owner_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("开发商保留房，2026年11月10日交付新业主；此前的物业费由开发商另行结算")
    unit.billing_start = date(2026, 11, 10)
    unit.start_comment = "交付日，首期按天折算"
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["新业主"]


@story("3-1-801")
@setup(_new_owner_setup)
def new_owner(demo: Demo, unit: Unit) -> None:
    demo.contact(unit, date(2026, 11, 12), "wechat", WANG, "delivered", note="新业主加了业委会微信，单独发送首期物业费账单")


def _opening_paid_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("前物业移交旧欠费，2023年2月已一次结清")
    unit.opening = (Decimal("1286.40"), date(2022, 12, 31), "前物业公司移交：2022年下半年物业费")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]


@story("1-1-301")
@setup(_opening_paid_setup)
def opening_paid(demo: Demo, unit: Unit) -> None:
    demo.contact(unit, date(2023, 1, 30), "phone", ZHANG, "promised", promise=(date(2023, 2, 20), Decimal("1286.40")), reason="legacy_dispute",
                 evidence=recording(date(2023, 1, 30), unit), note="业主对旧账有疑问，核对前物业收据后同意2月20日前补交")
    when = date(2023, 2, 18)
    demo.pay(unit, when, unit.opening[0], "cash", designation=("opening",), comment="前物业移交欠费，业主指定")
    demo.pay(unit, when, demo.owed(unit, when, date(2023, 1, 31)), "cash", comment="2023年一季度物业费及垃圾清运费")
    demo.pay_regularly(unit, "punctual", start=date(2023, 3, 1))


def _opening_waived_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("前物业移交欠费无凭据，2023年经业委会决议核销")
    unit.opening = (Decimal("2380.00"), date(2022, 12, 31), "前物业公司移交：2022年物业费（无签收凭据）")
    unit.occupancy, unit.tenant = "self", None


@story("Y3-101")
@setup(_opening_waived_setup)
def opening_waived(demo: Demo, unit: Unit) -> None:
    c = demo.contact
    c(unit, date(2023, 2, 6), "visit", LIU, "disputed", reason="legacy_dispute", evidence="业主书面说明（附2022年缴费收据复印件）",
      note="业主出示前物业开具的2022年收据，称旧欠费早已交清，2023年的费用等核对清楚再交")
    demo.waive(unit, date(2023, 5, 10), unit.opening[0], "principal", "业委会2023年第2次会议",
               "前物业移交的欠费无签收凭据，业主持有2022年缴费收据，核销", "桐荫物业同意减免函 2023-01", comment="Y3-101 旧账核销")
    when = date(2023, 5, 20)
    demo.pay(unit, when, demo.owed(unit, when, date(2023, 6, 30)), "bank", comment="核销后补交2023年上半年")
    c(unit, date(2023, 5, 20), "phone", LIU, "paid", note="告知核销结果，业主当天转账补交")
    demo.pay_regularly(unit, "punctual", start=date(2023, 7, 1))


def _elderly_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("八十多岁的老人，不会手机支付，以前常逾期；2024年底起由女儿绑定银行代缴")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人", "不会用手机", "请家属代办"]
    daughter = demo.name(female=True)
    unit.header.append(f"代缴联系人：女儿{daughter}，电话 {demo.phone()}")


@story("1-2-101")
@setup(_elderly_setup)
def elderly_late(demo: Demo, unit: Unit) -> None:
    for due, issued, through in demo.occasions(unit):
        if due >= date(2024, 11, 1):
            break
        when = due + timedelta(days=demo.rng.randint(20, 45))
        if demo.rng.random() < 0.5:
            demo.contact(unit, due + timedelta(days=12), "visit", WANG, "reached", reason="other",
                         note=demo.rng.choice(["老人说等女儿周末回来帮着交", "老人不会用手机付款，说让女儿来交", "老人说缴费的事都是女儿管，让等女儿回来",
                                               "老人说现金放在女儿那里，让女儿下次来时带过来", "送去缴费通知单，老人说月底女儿回来就交"]))
        demo.pay(unit, when, demo.owed(unit, when, through), "cash")
    when = date(2024, 12, 10)
    demo.waive(unit, when, demo.late_fee_at(unit, when), "late_fee", "业委会2024年第6次会议",
               "八旬老人不会手机支付，逾期非主观故意，违约金全免", "桐荫物业同意减免函 2024-03", comment="1-2-101 高龄业主")
    demo.pay_regularly(unit, "punctual", start=date(2025, 1, 1))


def _shop_waiver_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("前物业移交旧欠费，2023年分两次结清；2025年门前施工围挡，减免一个月物业费")
    unit.opening = (Decimal("2400.00"), date(2022, 12, 31), "前物业公司移交：2022年第三、四季度物业费")
    unit.occupancy = "rented"
    unit.tenant = unit.tenant or {"name": demo.name(), "phone": demo.phone()}
    unit.tenant["comment"] = "药店"
    unit.tags = ["企业业主"]


@story("S-02")
@setup(_shop_waiver_setup)
def shop_waiver(demo: Demo, unit: Unit) -> None:
    demo.pay(unit, date(2023, 1, 6), Decimal("1200.00"), "bank", comment="旧欠费第一笔")
    when = date(2023, 2, 10)
    demo.pay(unit, when, demo.owed(unit, when, date(2023, 2, 28)), "bank", comment="旧欠费余款及一季度费用")
    demo.pay_regularly(unit, "punctual", start=date(2023, 3, 1), stop=date(2025, 8, 1))
    monthly = cents(Fraction(unit.area) * Fraction(Decimal("4.00")))
    demo.waive(unit, date(2025, 8, 12), monthly, "principal", "业委会2025年第4次会议",
               "2025年6-7月门前雨污管网改造施工围挡，影响经营，减免一个月物业费", "桐荫物业同意减免函 2025-02", comment="S-02 施工围挡")
    demo.pay_regularly(unit, "punctual", start=date(2025, 8, 1))


def _gap_demand_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2023年9月至11月本单元电梯更换停用，业主不交2023年第四季度物业费；此后每季度转账都注明只交当季")
    unit.header.append("2025年1月20日业委会上门催缴时，物业公司的授权已于2024年底到期、新授权3月1日才生效：这次催缴不算债权人主张权利，"
                       "不中断诉讼时效。四季度欠费的诉讼时效从2023年11月8日的电话催缴起算，已于2026年11月8日届满")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["白天不在家"]


@story("2-1-802")
@setup(_gap_demand_setup)
def gap_demand(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2023, 10, 1))
    c = demo.contact
    c(unit, date(2023, 10, 24), "sms", ZHANG, "delivered", note="2023年第四季度物业费缴费提醒")
    c(unit, date(2023, 11, 8), "phone", ZHANG, "disputed", reason="service_complaint", evidence=recording(date(2023, 11, 8), unit),
      note="业主说9月起电梯更换停用两个多月，住8楼上下不便，四季度物业费不该全交")
    demo.pay_designated(unit, date(2024, 1, 1), first_comment="业主转账注明“2024年一季度物业费”，按业主指定冲抵当季")
    c(unit, date(2024, 3, 18), "wechat", WANG, "reached", reason="service_complaint",
      note="业主微信回复：电梯停了两个月，四季度的就是不交（没有保存截图）")
    c(unit, date(2025, 1, 20), "visit", LIU, "refused", reason="service_complaint", evidence="谈话记录（业主签字）2025-01-20",
      note="业委会主任上门协商2023年第四季度物业费，业主仍以电梯停用为由拒交", comment="授权空档期内业委会的催缴，不中断诉讼时效")


def _confirmed_address_setup(demo: Demo, unit: Unit) -> None:
    address = "示例市老城区解放路17号2单元502室"
    unit.header.append("业主平时住老城区父母家，房子一直空着；交房时签了送达地址确认书")
    unit.header.append("2025年起欠费，电话不接；寄往确认地址的催缴通知书被拒收退回，仍视为送达，中断诉讼时效（诉讼时效规定第八条）")
    unit.occupancy, unit.tenant = "vacant", None
    unit.tags = ["空置"]
    unit.owners[0]["address"] = address
    unit.owners[0]["comment"] = "邮寄地址以送达地址确认书为准"
    unit.service_address = {"address": address, "confirmed": date(2023, 6, 18), "evidence": "送达地址确认书（交房时签署）扫描件 SD-3-2-301.pdf",
                            "comment": "业主签字确认的送达地址"}


@story("3-2-301")
@setup(_confirmed_address_setup)
def confirmed_address(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "annual", stop=date(2025, 1, 1))
    c = demo.contact
    c(unit, date(2025, 1, 26), "sms", ZHANG, "delivered", note="2025年度物业费缴费提醒")
    c(unit, date(2025, 2, 18), "phone", ZHANG, "no_answer", note="无人接听")
    c(unit, date(2025, 4, 10), "registered_mail", ZHANG, "returned", evidence=ems("1190000250410"),
      note="催缴通知书寄往送达地址确认书上的地址，业主拒收退回")
    c(unit, date(2025, 8, 14), "phone", ZHANG, "no_answer", note="连打三次无人接听")
    c(unit, date(2025, 11, 6), "registered_mail", ZHANG, "returned", evidence=ems("1190000251106"),
      note="第二次催缴通知书寄往确认地址，无人签收退回")
    c(unit, date(2026, 5, 12), "visit", LI, "no_answer", note="上门敲门无人，屋内没有住人的迹象")
    c(unit, date(2026, 9, 15), "registered_mail", ZHANG, "returned", evidence=ems("1190000260915"),
      note="第三次催缴通知书寄往确认地址，业主拒收退回")


def _late_fee_paid_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("2025年下半年家里装修开销大，欠了两个季度；2026年3月补交本金，4月按对账单另交违约金（for: [late_fee]）")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["工作忙"]


@story("1-2-602")
@setup(_late_fee_paid_setup)
def late_fee_paid(demo: Demo, unit: Unit) -> None:
    demo.pay_regularly(unit, "punctual", stop=date(2025, 7, 1))
    c = demo.contact
    c(unit, date(2025, 7, 26), "sms", WANG, "delivered", note="2025年第三季度物业费缴费提醒")
    c(unit, date(2025, 8, 14), "phone", WANG, "reached", reason="hardship", evidence=recording(date(2025, 8, 14), unit),
      note="业主说家里在装修，手头紧，年底前补上")
    c(unit, date(2025, 10, 25), "sms", WANG, "delivered", note="2025年第四季度物业费缴费提醒")
    c(unit, date(2025, 11, 18), "letter", WANG, "delivered", evidence="签收单 QS-2025-066", note="送达催缴通知书")
    when = date(2026, 3, 6)
    demo.pay(unit, when, demo.owed(unit, when, date(2026, 3, 31)), "bank", comment="补交2025年下半年及2026年一季度")
    c(unit, date(2026, 3, 20), "letter", WANG, "delivered", evidence="签收单 QS-2026-012", note="送达对账单，列明逾期缴费产生的违约金")
    when = date(2026, 4, 8)
    demo.pay(unit, when, demo.late_fee_at(unit, when), "wechat", designation=("late_fee",), comment="按对账单补交违约金")
    c(unit, when, "phone", WANG, "paid", note="业主按对账单补交了违约金")
    demo.pay_regularly(unit, "punctual", start=date(2026, 4, 1))


ASSIGNMENT_NOTICE = "债权转让通知书 EMS 1190000230310 妥投"


def _old_arrears_setup(demo: Demo, unit: Unit) -> None:
    unit.header.append("别墅区2005年交付，2022年底前由嘉禾物业管理；前物业移交三笔旧欠，2023年3月10日向业主送达债权转让通知书")
    unit.header.append("2005年下半年的欠费业主历年签字确认，时效一直没断，但自到期起已满二十年（2025年7月15日），"
                       "不再受法律保护（民法典第一百八十八条第二款）")
    unit.header.append("2021年下半年、2022年上半年两笔2026年3月过了诉讼时效；2026年6月业主签署还款承诺书，承认全部旧欠（covers: all），时效重新计算")
    unit.header.append("业主每季度转账都注明当季物业费（for），不让冲抵旧账")
    unit.occupancy, unit.tenant = "self", None
    unit.tags = ["老人"]
    area = Fraction(unit.area)
    half_year_2005 = cents(area * Fraction("1.80") * 6)  # 嘉禾物业2005年的收费标准：每月每平方米1.80元
    half_year_2021 = cents(area * Fraction("2.80") * 6)  # 2021年起：2.80元
    unit.opening_comment = "嘉禾物业移交的旧欠，2023年3月债权转让给桐荫物业服务有限公司"
    unit.opening_items = [
        OpeningItem(half_year_2005, date(2005, 7, 15), "2005年下半年", date(2023, 3, 10), ASSIGNMENT_NOTICE),
        OpeningItem(half_year_2021, date(2021, 7, 15), "2021年下半年", date(2023, 3, 10), ASSIGNMENT_NOTICE),
        OpeningItem(half_year_2021, date(2022, 1, 15), "2022年上半年", date(2023, 3, 10), ASSIGNMENT_NOTICE),
    ]


@story("V08")
@setup(_old_arrears_setup)
def old_arrears(demo: Demo, unit: Unit) -> None:
    c = demo.contact
    for day in (date(2007, 4, 18), date(2009, 12, 8), date(2012, 9, 20), date(2015, 6, 11), date(2018, 3, 26), date(2020, 11, 30)):
        c(unit, day, "other", PREVIOUS, "promised", promise=(date(day.year, 12, 31), None), covers="all", party="creditor",
          reason="housing_defect", evidence=f"欠费确认书（业主签字，{day}，前物业移交档案）",
          note="业主签字确认2005年下半年物业费未缴，说屋顶渗漏修好后再交")
    c(unit, date(2023, 4, 12), "letter", ZHANG, "delivered", note="送达《关于前期欠费的说明》，业主未签收回执")
    demo.pay_designated(unit, date(2023, 1, 1), first_comment="业主转账注明当季物业费，不冲抵旧账")
    c(unit, date(2024, 5, 20), "phone", ZHANG, "reached", reason="legacy_dispute", note="业主说旧账找前物业去，只交新物业费（未录音）")
    c(unit, date(2026, 5, 28), "visit", LIU, "reached", reason="legacy_dispute", evidence="谈话记录（业主签字）2026-05-28",
      note="业委会整理前物业移交档案后上门，出示历年欠费确认书复印件，业主说考虑一下",
      comment="两笔2021-2022年的旧欠已于3月10日过时效，这次催缴不能让它们恢复")
    owed = sum((item.amount for item in unit.opening_items[1:]), ZERO)
    c(unit, date(2026, 6, 18), "visit", LIU, "promised", promise=(date(2026, 12, 31), owed), covers="all", reason="legacy_dispute",
      evidence="还款承诺书（业主签字）2026-06-18",
      note="业主签署还款承诺书，承认前物业移交的全部旧欠（含已过诉讼时效的部分），承诺年底前结清2021年下半年和2022年上半年两笔；"
           "2005年的那笔已满二十年，业委会不再主张")


def split(total: Decimal, parts: int, dues: list[date]) -> list[tuple[date, Decimal]]:
    """Installments in whole yuan, the last one taking the remainder."""
    each = Decimal(int(total / parts))
    steps = [(due, each) for due in dues[:-1]]
    steps.append((dues[-1], total - each * (parts - 1)))
    return steps


# -- files --------------------------------------------------------------------------------------

def owner_text(unit: Unit) -> str:
    rel = f"owners/{unit.id}.yaml"
    lines = [schema_line(rel, "owner")]
    lines += [f"# {h}" for h in unit.header]
    lines.append(f"unit: {unit.id}")
    lines.append(f"type: {unit.type}")
    lines.append(with_comment(f"area: {money(unit.area)}", "房产证建筑面积" if unit.type == "商铺" else ""))
    lines.append(with_comment(f"billing_start: {unit.billing_start}", unit.start_comment))
    if unit.occupancy != "self":
        lines.append(with_comment(f"occupancy: {unit.occupancy}", {"vacant": "空置，按七折", "rented": "出租"}[unit.occupancy]))
    lines.append("owners:")
    for owner in unit.owners:
        pairs = [("name", text(owner["name"], True))]
        if owner.get("phone"):
            pairs.append(("phone", quoted(owner["phone"])))
        if owner.get("address"):
            pairs.append(("address", text(owner["address"], True)))
        lines.append(with_comment("  - " + flow_map(pairs), owner.get("comment", "")))
    if unit.tenant:
        pairs = [("name", text(unit.tenant["name"], True)), ("phone", quoted(unit.tenant["phone"]))]
        lines.append(with_comment("tenant: " + flow_map(pairs), unit.tenant.get("comment", "")))
    if unit.tags:
        lines.append("tags: [" + ", ".join(text(t, True) for t in unit.tags) + "]")
    if unit.opening:
        amount, due, comment = unit.opening
        lines.append(with_comment("opening:", comment))
        lines.append(f"  amount: {money(amount)}")
        lines.append(f"  due: {due}")
    if unit.opening_items:
        lines.append(with_comment("opening:", unit.opening_comment))
        for item in unit.opening_items:
            lines.append(f"  - amount: {money(item.amount)}")
            lines.append(f"    due: {item.due}")
            lines.append(f"    period: {text(item.period)}")
            if item.assignment_notified:
                lines.append(f"    assignment_notified: {item.assignment_notified}")
            if item.note:
                lines.append(f"    note: {text(item.note)}")
    if unit.service_address:
        a = unit.service_address
        lines.append(with_comment("service_address:", a.get("comment", "")))
        lines.append(f"  address: {text(a['address'])}")
        lines.append(f"  confirmed: {a['confirmed']}")
        lines.append(f"  evidence: {text(a['evidence'])}")
    if unit.consents:
        lines.append("consents:")
        for consent in unit.consents:
            pairs = [("kind", consent["kind"]), ("date", str(consent["date"])), ("evidence", text(consent["evidence"], True))]
            lines.append("  - " + flow_map(pairs))
    if unit.contacts:
        lines.append("contacts:")
        for contact in sorted(unit.contacts, key=lambda c: c.date):
            lines += contact_lines(contact)
    return "\n".join(lines) + "\n"


def contact_lines(c: Contact) -> list[str]:
    pairs = [("date", str(c.date)), ("channel", c.channel)]
    if c.by:
        pairs.append(("by", text(c.by, True)))
    if c.party:
        pairs.append(("party", c.party))
    if c.purpose:
        pairs.append(("purpose", c.purpose))
    pairs.append(("outcome", c.outcome))
    if c.promise is None and c.reason is None and not c.evidence:
        if c.note:
            pairs.append(("note", text(c.note, True)))
        return [with_comment("  - " + flow_map(pairs), c.comment)]
    out = []
    for index, (key, value) in enumerate(pairs):
        out.append(("  - " if index == 0 else "    ") + f"{key}: {value}")
    if c.promise is not None:
        promise = [("date", str(c.promise[0]))]
        if c.promise[1] is not None:
            promise.append(("amount", money(c.promise[1])))
        out.append("    promise: " + flow_map(promise))
    if c.covers:
        out.append(f"    covers: {c.covers}")
    if c.reason:
        out.append(f"    reason: {c.reason}")
    if c.evidence:
        out.append(f"    evidence: {text(c.evidence)}")
    if c.note:
        out.append(f"    note: {text(c.note)}")
    if c.comment:
        out[-1] = with_comment(out[-1], c.comment)
    return out


def payments_text(rel: str, year: int, month: int, payments: list[Payment]) -> str:
    lines = [schema_line(rel, "entries"), f"# {year}年{month}月缴费记录，物业服务中心录入，月底与银行流水核对", "payments:"]
    for p in payments:
        pairs = [("unit", p.unit), ("date", str(p.date)), ("amount", money(p.amount)), ("method", p.method)]
        if p.receipt:
            pairs.append(("receipt", p.receipt))
        if p.designation:
            pairs.append(("for", "[" + ", ".join(p.designation) + "]"))
        comment = p.comment or ("银行转账，收据待补开" if p.receipt is None else "")
        lines.append(with_comment("  - " + flow_map(pairs), comment))
    return "\n".join(lines) + "\n"


def charges_text(rel: str, year: int, charges: list[Charge]) -> str:
    lines = [schema_line(rel, "entries"), f"# {year}年一次性收费：商铺公摊水电（按分表读数分摊，次月15日前缴）及其他", "charges:"]
    for ch in charges:
        pairs = [("unit", ch.unit), ("item", text(ch.item, True)), ("period", text(ch.period, True)), ("amount", money(ch.amount)), ("due", str(ch.due))]
        if ch.issued and ch.issued != ch.due:
            pairs.append(("issued", str(ch.issued)))
        lines.append(with_comment("  - " + flow_map(pairs), ch.comment))
    return "\n".join(lines) + "\n"


def waivers_text(rel: str, year: int, waivers: list[Waiver]) -> str:
    lines = [schema_line(rel, "entries"), f"# {year}年减免记录，每笔均经业委会会议决议并取得物业公司（债权人）书面同意", "waivers:"]
    for w in waivers:
        if w.comment:
            lines.append(f"  # {w.comment}")
        pairs = [("unit", w.unit), ("date", str(w.date)), ("amount", money(w.amount)), ("applies_to", w.applies_to),
                 ("approved_by", text(w.approved_by, True)), ("reason", text(w.reason, True)), ("consent", text(w.consent, True))]
        lines.append("  - " + flow_map(pairs))
    return "\n".join(lines) + "\n"


def plans_text(rel: str, plans: list[Plan]) -> str:
    lines = [schema_line(rel, "entries"), "# 分期付款协议（原件存物业服务中心档案柜）", "plans:"]
    for plan in plans:
        lines.append(f"  # {plan.comment}")
        lines.append(f"  - unit: {plan.unit}")
        lines.append(f"    signed: {plan.signed}")
        if plan.covers:
            lines.append(f"    covers: {plan.covers}")
        if plan.late_fee:
            lines.append(f"    late_fee: {plan.late_fee}")
        lines.append("    installments:")
        for due, amount in plan.installments:
            lines.append(f"      - {{due: {due}, amount: {money(amount)}}}")
    return "\n".join(lines) + "\n"


def render(demo: Demo) -> dict[str, str]:
    files: dict[str, str] = {"ledger/policy.yaml": POLICY_YAML}
    for unit in demo.units.values():
        rel = f"owners/{unit.id}.yaml"
        files[rel] = owner_text(unit)
    by_month: dict[tuple, list[Payment]] = defaultdict(list)
    for p in demo.payments:
        by_month[(p.date.year, p.date.month)].append(p)
    for (year, month), items in sorted(by_month.items()):
        items.sort(key=lambda p: (p.date, p.unit, p.counter))
        rel = f"ledger/payments/{year}-{month:02d}.yaml"
        files[rel] = payments_text(rel, year, month, items)
    by_year: dict[int, list[Charge]] = defaultdict(list)
    for ch in demo.charges:
        by_year[ch.due.year].append(ch)
    for year, items in sorted(by_year.items()):
        items.sort(key=lambda c: c.seq)
        rel = f"ledger/charges/{year}.yaml"
        files[rel] = charges_text(rel, year, items)
    waivers: dict[int, list[Waiver]] = defaultdict(list)
    for w in demo.waivers:
        waivers[w.date.year].append(w)
    for year, items in sorted(waivers.items()):
        items.sort(key=lambda w: (w.date, w.unit, w.counter))
        rel = f"ledger/waivers/{year}.yaml"
        files[rel] = waivers_text(rel, year, items)
    plans = sorted(demo.plans, key=lambda p: (p.signed, p.unit))
    files["ledger/plans.yaml"] = plans_text("ledger/plans.yaml", plans)
    return files


def write(out: Path, files: dict[str, str]) -> None:
    for folder in ("owners", "ledger"):
        shutil.rmtree(out / folder, ignore_errors=True)
    for rel in sorted(files):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel].encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the demo community (owners/ and ledger/).")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="folder to write owners/ and ledger/ into (default: the repository root)")
    args = parser.parse_args(argv)
    demo = Demo()
    demo.run()
    files = render(demo)
    write(args.out, files)
    print(f"wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
