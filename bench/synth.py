"""A seeded synthetic community for the benchmark: N units, Y years of monthly history.

Deterministic for a given (units, years, seed, as_of): the same bytes every time,
so timings of different runs and machines read the same data.

Layout, as the editing commands write it:

    ledger/policy.yaml
    ledger/payments/YYYY-MM.yaml   one file per month; flow style ``- {unit: ...}``
                                   (what ``cuijiao pay`` appends), the oldest years in
                                   block style as a committee that typed them by hand
    ledger/charges/YYYY.yaml       one-off charges (parking, repairs, shared utilities)
    ledger/waivers/YYYY.yaml       waivers, with who approved them and why
    ledger/plans/YYYY.yaml         instalment plans of some defaulters
    owners/<unit>.yaml             owners, tenants, tags, opening arrears, contact logs
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣悦佳琳思雨晨阳子涵梓轩浩然一诺"
TYPES = [("高层", 0.78, (60, 140)), ("洋房", 0.14, (110, 180)), ("别墅", 0.04, (200, 360)), ("商铺", 0.04, (40, 120))]
RATES = {"高层": Decimal("2.20"), "洋房": Decimal("2.80"), "别墅": Decimal("3.50"), "商铺": Decimal("4.00")}
METHODS = ["wechat"] * 6 + ["alipay"] * 3 + ["bank", "cash", "pos"]
TAGS = ["有小孩", "老人", "长期在外", "出租", "车位", "宠物", "独居老人", "外籍"]
NOTES = [
    "业主出差，回来后转账", "说物业服务差，拒绝缴费", "电话无人接听", "已加微信，答应月底前处理",
    "楼上漏水未修，要求先维修", "房子出租，租户说找房东", "家里有困难，希望分期", "短信已送达",
    "上门未遇，留了通知单", "业主称已在银行转账，待核实", "要求减免空置期费用", "答应下周一来物业中心缴费",
    "联系不上，电话是空号", "催缴通知书已签收", "律师函已寄出，EMS 单号见证据", "老人独居，子女代缴",
]
REASONS = ["forgot", "service_complaint", "housing_defect", "vacant", "hardship", "rented_out", "legacy_dispute", "refuses", "unreachable", "other"]
COLLECTORS = ["张敏", "李强", "王芳", "物业前台", "业委会陈主任"]
CHARGE_ITEMS = [("公摊水电", "35.20"), ("车位管理费", "600.00"), ("装修垃圾清运费", "300.00"), ("门禁卡工本费", "20.00")]

FIXTURE_POLICY = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "policy.yaml"


def _fixture_ladder() -> str:
    """The ``dunning:`` block of the tests' fixture policy (the committee's five stages), as written there.

    The rest of the benchmark's policy is its own: block style as a committee types it, two fees,
    a late fee with grace days and a cap.
    """
    lines = FIXTURE_POLICY.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("dunning:\n")
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith((" ", "\t"))), len(lines))
    return "".join(lines[start:end])


POLICY = """\
# 小区收费政策（基准测试用的合成数据）
community: 基准花园
issuer:
  name: 基准花园业主委员会
  address: 示例市示例路1号物业服务中心
  phone: "0571-00000000"
payment_channels:
  - 微信或支付宝：扫描物业服务中心收款码
  - 银行转账：示例银行示例支行 账号 6222 0000 0000 0000
fees:
  - id: property
    name: 物业服务费
    basis: area
    rate: {高层: "2.20", 洋房: "2.80", 别墅: "3.50", 商铺: "4.00"}
    cycle: 1
    due_day: 15
    vacant_factor: "0.7"
  - {id: garbage, name: 生活垃圾处理费, basis: unit, rate: "10.00", cycle: 12, due_day: 15}
late_fee:
  daily_rate: "0.0003"
  grace_days: 0
  cap: "1"
""" + _fixture_ladder() + """\
limitation:
  years: 3
  warn_days: 180
"""


@dataclass
class SynthUnit:
    id: str
    type: str
    area: Decimal
    start: date
    occupancy: str
    behaviour: str  # good | late | stops
    stop_month: int = 10**9  # month index from which a "stops" unit pays nothing
    owners: list = field(default_factory=list)


@dataclass
class Stats:
    units: int = 0
    payments: int = 0
    charges: int = 0
    waivers: int = 0
    plans: int = 0
    contacts: int = 0
    files: int = 0
    bytes: int = 0


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def unit_ids(count: int) -> list[str]:
    """``building-entrance-floorroom``: 2 entrances x 25 floors x 2 rooms = 100 units per building."""
    ids = []
    building = 1
    while len(ids) < count:
        for entrance in (1, 2):
            for floor in range(1, 26):
                for room in (1, 2):
                    ids.append(f"{building}-{entrance}-{floor}{room:02d}")
        building += 1
    return ids[:count]


class _Writer:
    def __init__(self, root: Path, stats: Stats) -> None:
        self.root = root
        self.stats = stats

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.stats.files += 1
        self.stats.bytes += len(data)


def generate(root: Path, units: int, years: int, seed: int = 20261122, as_of: date = date(2026, 11, 22),
             recent_stops: float = 0.0) -> Stats:
    """Write the community into ``root`` (which must not hold another one) and return its counts.

    ``recent_stops``: the share of units that stopped paying last month and
    have no contact yet (each is due a notice: the letters benchmark).
    """
    rng = random.Random(f"{seed}-{units}-{years}")
    stats = Stats(units=units)
    out = _Writer(root, stats)
    out.write("ledger/policy.yaml", POLICY)

    first_month = _month_index(as_of) - years * 12 + 1
    last_month = _month_index(as_of)
    block_until = first_month + (years * 12) // 3  # the oldest third typed by hand, in block style

    people: list[SynthUnit] = []
    for uid in unit_ids(units):
        roll = rng.random()
        acc = 0.0
        for type_name, share, (lo, hi) in TYPES:
            acc += share
            if roll <= acc:
                break
        area = Decimal(rng.randrange(lo * 100, hi * 100, 5)) / 100
        if rng.random() < 0.9:
            start = _month_start(first_month)
        else:  # moved in later, mid-month
            start = _month_start(rng.randrange(first_month, last_month - 6)) + timedelta(days=rng.randrange(0, 27))
        occupancy = rng.choices(("self", "rented", "vacant"), (80, 12, 8))[0]
        behaviour = rng.choices(("good", "late", "stops"), (80, 8, 12))[0]
        if recent_stops and rng.random() < recent_stops:
            behaviour = "recent"
        unit = SynthUnit(uid, type_name, area, start, occupancy, behaviour)
        if behaviour == "stops":
            unit.stop_month = rng.randrange(max(_month_index(start) + 2, first_month + 6), last_month + 1)
        elif behaviour == "recent":
            unit.stop_month = last_month - 1
        people.append(unit)

    # one-off charges, waivers and plans, by year (first: the payments pay the charges)
    owed: dict[tuple[str, int], Decimal] = {}
    for year in range(_month_start(first_month).year, as_of.year + 1):
        charges, waivers, plans = ["charges:"], ["waivers:"], ["plans:"]
        for unit in people:
            if rng.random() < 0.10:
                item, amount = rng.choice(CHARGE_ITEMS)
                due = date(year, rng.randrange(1, 12 if year < as_of.year else as_of.month + 1), 15)
                if due < unit.start or due > as_of:
                    continue
                owed[(unit.id, _month_index(due))] = owed.get((unit.id, _month_index(due)), 0) + Decimal(amount)
                charges.append(f"  - {{unit: {unit.id}, item: {item}, period: \"{due.year}-{due.month:02d}\", amount: \"{amount}\", due: {due.isoformat()}}}")
                stats.charges += 1
            if rng.random() < 0.01:
                when = date(year, rng.randrange(1, 12 if year < as_of.year else as_of.month), rng.randrange(1, 28))
                if when < unit.start:
                    continue
                applies = rng.choice(("principal", "late_fee"))
                waivers.append(
                    f"  - {{unit: {unit.id}, date: {when.isoformat()}, amount: \"{rng.choice(('50.00', '120.00', '200.00'))}\", "
                    f"applies_to: {applies}, approved_by: 业委会{year}年第{rng.randrange(1, 9)}次会议, reason: {rng.choice(('漏水维修期间', '空置期减免', '困难家庭', '服务质量争议调解'))}}}"
                )
                stats.waivers += 1
            if unit.behaviour == "stops" and rng.random() < 0.08:
                signed = date(year, rng.randrange(1, 12 if year < as_of.year else as_of.month), rng.randrange(1, 28))
                if signed < unit.start:
                    continue
                plans += [f"  - unit: {unit.id}", f"    signed: {signed.isoformat()}", "    installments:"]
                for k in range(rng.randrange(3, 7)):
                    due = _month_start(_month_index(signed) + k + 1).replace(day=min(signed.day, 28))
                    plans.append(f"      - {{due: {due.isoformat()}, amount: \"{rng.choice(('500.00', '800.00', '1000.00'))}\"}}")
                plans.append(f"    note: {rng.choice(('分期协议原件存物业中心', '业主签字确认', '含违约金减免'))}")
                stats.plans += 1
        for kind, lines in (("charges", charges), ("waivers", waivers), ("plans", plans)):
            out.write(f"ledger/{kind}/{year}.yaml", "\n".join(lines if len(lines) > 1 else [f"{kind}: []"]) + "\n")

    # payments, by month
    receipts = 0
    for month in range(first_month, last_month + 1):
        month_start = _month_start(month)
        last_day = (as_of.day if month == last_month else 28)
        rows = []
        for unit in people:
            if month < _month_index(unit.start) or month >= unit.stop_month:
                continue
            base = RATES[unit.type] * unit.area * (Decimal("0.7") if unit.occupancy == "vacant" else 1)
            if unit.behaviour == "late":
                if rng.random() < 0.3:
                    continue  # skipped a month
                if rng.random() < 0.3:
                    base *= 2  # caught up
            if month == _month_index(unit.start):  # the first yearly garbage bill covers the rest of that year
                amount = base + 10 * (12 - month % 12)
            else:  # January: the yearly garbage fee
                amount = base + (Decimal(120) if month % 12 == 0 else 0)
            amount += owed.get((unit.id, month), 0)
            day = rng.randrange(1, min(last_day, 15 if rng.random() < 0.9 else 28) + 1)  # most pay before the due day
            if rng.random() < 0.15 and day < last_day:  # paid in two parts
                half = (amount / 2).quantize(Decimal("0.01"))
                rows.append((date(month_start.year, month_start.month, day), unit.id, _money(half), rng.choice(METHODS)))
                amount -= half
                day = rng.randrange(day, last_day + 1)
            rows.append((date(month_start.year, month_start.month, day), unit.id, _money(amount), rng.choice(METHODS)))
        rows.sort()
        lines = [f"# {month_start.year}年{month_start.month}月缴费记录。可以用 cuijiao 命令追加，也可以直接编辑；金额加引号、写两位小数。", "payments:"]
        block = month < block_until
        for when, uid, amount, method in rows:
            receipts += 1
            receipt = f"R{month_start.year}{month_start.month:02d}-{receipts:06d}"
            if block:
                lines += [f"  - unit: {uid}", f"    date: {when.isoformat()}", f"    amount: \"{amount}\"", f"    method: {method}", f"    receipt: {receipt}"]
            else:
                lines.append(f"  - {{unit: {uid}, date: {when.isoformat()}, amount: \"{amount}\", method: {method}, receipt: {receipt}}}")
        if not rows:
            lines[-1] = "payments: []"
        stats.payments += len(rows)
        out.write(f"ledger/payments/{month_start.year}-{month_start.month:02d}.yaml", "\n".join(lines) + "\n")

    # owners
    for unit in people:
        building, entrance, room = unit.id.split("-")
        lines = [
            "# yaml-language-server: $schema=../schemas/owner.schema.json",
            f"unit: {unit.id}",
            f"type: {unit.type}",
            f"area: \"{unit.area}\"",
            f"billing_start: {unit.start.isoformat()}",
        ]
        if unit.occupancy != "self":
            lines.append(f"occupancy: {unit.occupancy}")
        lines.append("owners:")
        for _ in range(rng.choice((1, 1, 1, 2))):
            lines.append(f"  - {{name: {_name(rng)}, phone: \"{_phone(rng)}\", address: 基准花园{building}幢{entrance}单元{room}室}}")
        if unit.occupancy == "rented":
            lines.append(f"tenant: {{name: {_name(rng)}, phone: \"{_phone(rng)}\"}}")
        if rng.random() < 0.2:
            lines.append("tags: [" + ", ".join(rng.sample(TAGS, rng.choice((1, 2)))) + "]")
        if rng.random() < 0.05:
            due = unit.start - timedelta(days=rng.randrange(30, 400))
            lines += ["opening:", f"  amount: \"{_money(Decimal(rng.randrange(300, 5000)))}\"", f"  due: {due.isoformat()}"]
        if unit.behaviour in ("late", "stops") or (unit.behaviour == "good" and rng.random() < 0.05):
            contacts = []
            day = max(unit.start, _month_start(min(unit.stop_month, last_month))) if unit.behaviour == "stops" else unit.start
            for _ in range(rng.randrange(1, 9)):
                day = day + timedelta(days=rng.randrange(5, 60))
                if day >= as_of:
                    break
                channel = rng.choice(("sms", "wechat", "phone", "phone", "visit", "letter", "registered_mail"))
                outcome = rng.choice(("no_answer", "reached", "promised", "refused", "delivered"))
                contacts += [f"  - date: {day.isoformat()}", f"    channel: {channel}", f"    by: {rng.choice(COLLECTORS)}", f"    outcome: {outcome}"]
                if outcome == "promised":
                    contacts.append(f"    promise: {{date: {(day + timedelta(days=rng.randrange(3, 30))).isoformat()}, amount: \"{rng.choice(('500.00', '1200.00', '2000.00'))}\"}}")
                if rng.random() < 0.6:
                    contacts.append(f"    reason: {rng.choice(REASONS)}")
                if outcome in ("reached", "promised", "refused", "delivered"):
                    contacts.append(f"    evidence: 通话录音 {day:%Y%m%d}-{room}.m4a")
                contacts.append(f"    note: {rng.choice(NOTES)}")
                stats.contacts += 1
            if contacts:
                lines.append("contacts:")
                lines += contacts
        out.write(f"owners/{unit.id}.yaml", "\n".join(lines) + "\n")
    return stats


def main() -> None:  # python bench/synth.py OUT --units 500 --years 5
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    stats = generate(args.out, args.units, args.years, args.seed)
    print(stats)


if __name__ == "__main__":
    main()
