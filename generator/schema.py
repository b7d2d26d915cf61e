"""Turn composed YAML nodes into records, converting every scalar by the schema.

A ``Reader`` reads one file and collects its diagnostics; each ``read_*``
function returns a record, or None when the data was too broken to use (the
reason is in the diagnostics). Only checks that need nothing but the file
itself live here; checks across files live in ``validate``.
"""
from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from .diagnostics import Diagnostic, Pos, error, warning
from .model import (
    APPLIES_TO, BASES, CHANNELS, CYCLES, METHODS, OCCUPANCIES, OUTCOMES, REASONS,
    Contact, Entries, Fee, Installment, Issuer, LateFee, LimitationRule, OneOffCharge,
    Opening, Payment, Person, Plan, Policy, Promise, Stage, Unit, Waiver,
)
from .yamlsource import MappingNode, ScalarNode, SequenceNode

BAD = object()  # a value that failed conversion; its diagnostic is already recorded

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY = re.compile(r"\d+(?:\.\d{1,2})?")
_DECIMAL = re.compile(r"\d+(?:\.\d{1,8})?")
_INTEGER = re.compile(r"\d{1,9}")
_UNIT_ID = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_STAGE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
MAX_MONEY_DIGITS = 12  # 999,999,999,999.99 yuan
MAX_DECIMAL_DIGITS = 9  # rates, factors and areas

ENUM_WORDS = {
    "occupancy": "self（自住）、rented（出租）、vacant（空置）",
    "channel": "sms、wechat、phone、visit、letter、registered_mail、lawyer_letter、court、other",
    "outcome": "no_answer、reached、promised、refused、disputed、delivered、returned、unreachable、paid",
    "reason": "forgot、service_complaint、housing_defect、vacant、hardship、rented_out、legacy_dispute、refuses、unreachable、other",
    "method": "wechat、alipay、bank、cash、pos、other",
    "applies_to": "principal（本金）、late_fee（违约金）",
    "basis": "area（按面积）、unit（按户）",
}


class Reader:
    """Converts the nodes of one file; collects what is wrong with them."""

    __slots__ = ("path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []

    # -- positions and messages -------------------------------------------
    def pos(self, node) -> Pos:
        mark = node.start_mark
        return Pos(self.path, mark.line + 1, mark.column + 1)

    def error(self, node, message: str, hint: str = "") -> Any:
        self.problems.append(error(self.pos(node), message, hint))
        return BAD

    def warn(self, node, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.pos(node), message, hint))

    # -- structure ------------------------------------------------------------
    def fields(self, node, what: str, spec: dict[str, tuple[Callable, bool]], partial: bool = False) -> dict | None:
        """Read a mapping whose keys are all known; None if anything in it is wrong.

        With ``partial``, return what could be read even then (bad values are ``BAD``,
        missing keys absent), so that the caller can go on checking nested parts and
        report every problem of the file at once; None only when it is not a mapping.
        """
        if type(node) is not MappingNode:
            self.error(node, f"{what}应是“键: 值”的映射", "检查缩进，或按格式说明补全各项")
            return None
        before = len(self.problems)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.error(key_node, f"{what}的键必须是简单文字")
                continue
            key = key_node.value
            if key in out:
                self.error(key_node, f"重复的键“{key}”", "同一层里每个键只能写一次，请删除或合并重复的那一行")
                continue
            entry = spec.get(key)
            if entry is None:
                out[key] = BAD
                self.error(key_node, f"{what}里有未知的键“{key}”", _suggest(key, spec))
                continue
            out[key] = entry[0](self, value_node, key)
        for key, (_, required) in spec.items():
            if required and key not in out:
                self.error(node, f"{what}缺少必填项“{key}”", f"请补上 {key}: …")
        if not partial and any(p.severity == "error" for p in self.problems[before:]):
            return None
        return out

    def sequence(self, node, what: str) -> list | None:
        if type(node) is not SequenceNode:
            self.error(node, f"{what}应是列表", "列表的每一项以“- ”开头，或写成 [a, b]")
            return None
        return node.value

    def scalar(self, node, key: str) -> str | Any:
        if type(node) is not ScalarNode:
            return self.error(node, f"“{key}”应是一个值，而不是列表或映射")
        return node.value

    def is_null(self, node) -> bool:
        """YAML's null: a plain ``~``, ``null`` or nothing (a quoted "~" is text)."""
        return node.tag == _NULL_TAG


def _suggest(key: str, spec) -> str:
    close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
    if close:
        return f"是不是“{close[0]}”？"
    return "可用的键：" + "、".join(spec)


# -- scalar converters (reader, node, key) -> value or BAD ---------------------

_NULL_TAG = "tag:yaml.org,2002:null"


def text(r: Reader, node, key: str):
    value = optional_text(r, node, key)
    if value is BAD:
        return BAD
    if not value:
        return r.error(node, f"“{key}”不能为空")
    return value


def optional_text(r: Reader, node, key: str):
    """Free text; YAML's null (``~``, ``null``, nothing) is no text, a quoted "~" is text."""
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    if r.is_null(node):
        return ""
    return value.strip()


def a_date(r: Reader, node, key: str):
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    if not _DATE.fullmatch(value):
        return r.error(node, f"“{key}”的日期“{value}”格式不对", "日期写成 YYYY-MM-DD，例如 2026-03-15")
    try:
        return date.fromisoformat(value)
    except ValueError:
        return r.error(node, f"“{key}”的日期“{value}”不存在", "检查月份和日子，例如 2 月没有 30 日")


def money(r: Reader, node, key: str):
    """A positive amount with at most two decimals: 1200, 1200.5, "1200.50"."""
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    value = value.strip()
    if not _MONEY.fullmatch(value):
        if re.fullmatch(r"\d+\.\d{3,}", value):
            return r.error(node, f"金额“{value}”超过两位小数", "金额最多保留到分，例如 1200.50")
        if value.startswith("-"):
            return r.error(node, f"金额“{value}”不能为负数", "退款或冲减请用 waivers（减免）记录")
        return r.error(node, f"“{key}”不是有效金额：“{value}”", "金额写成数字，最多两位小数，例如 1200.50，不要带逗号或“元”")
    if _too_many_digits(value, MAX_MONEY_DIGITS):
        return r.error(node, f"金额“{value}”过大", f"检查是否多写了数字；整数部分最多 {MAX_MONEY_DIGITS} 位")
    amount = Decimal(value).quantize(Decimal("0.01"))
    if amount <= 0:
        return r.error(node, f"金额必须大于 0：“{value}”")
    return amount


def a_decimal(r: Reader, node, key: str):
    """A non-negative rate or factor: "2.20", "0.0003", "0.7"."""
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    value = value.strip()
    if not _DECIMAL.fullmatch(value):
        return r.error(node, f"“{key}”不是有效数字：“{value}”", "写成不带单位的数字，例如 2.20 或 0.0003")
    if _too_many_digits(value, MAX_DECIMAL_DIGITS):
        return r.error(node, f"“{key}”的值“{value}”过大", f"检查是否多写了数字；整数部分最多 {MAX_DECIMAL_DIGITS} 位")
    return Decimal(value)


def _too_many_digits(value: str, limit: int) -> bool:
    """Keeps every sum and product well inside Decimal's 28 digits (a longer number made it raise)."""
    return len(value.split(".")[0].lstrip("0")) > limit


def integer(low: int, high: int | None = None):
    def convert(r: Reader, node, key: str):
        value = r.scalar(node, key)
        if value is BAD:
            return BAD
        value = value.strip()
        if not _INTEGER.fullmatch(value):
            return r.error(node, f"“{key}”应是整数：“{value}”")
        number = int(value)
        if number < low or (high is not None and number > high):
            span = f"{low} 到 {high}" if high is not None else f"不小于 {low}"
            return r.error(node, f"“{key}”的值 {number} 超出范围", f"应为 {span}")
        return number

    return convert


def enum(choices: tuple[str, ...], word_key: str | None = None):
    def convert(r: Reader, node, key: str):
        value = r.scalar(node, key)
        if value is BAD:
            return BAD
        value = value.strip()
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            hint = f"是不是“{close[0]}”？" if close else ""
            hint += "可选：" + ENUM_WORDS.get(word_key or key, "、".join(choices))
            return r.error(node, f"“{key}”的值“{value}”不在可选范围内", hint)
        return value

    return convert


def list_of(item: Callable):
    def convert(r: Reader, node, key: str):
        nodes = r.sequence(node, f"“{key}”")
        if nodes is None:
            return BAD
        values = [item(r, child, key) for child in nodes]
        if any(v is BAD for v in values):
            return BAD
        return tuple(values)

    return convert


def unit_id(r: Reader, node, key: str):
    value = text(r, node, key)
    if value is BAD:
        return BAD
    if not _UNIT_ID.fullmatch(value):
        return r.error(node, f"房号“{value}”只能包含字母、数字和“-”", "例如 3-2-1802")
    return value


def stage_id(r: Reader, node, key: str):
    value = text(r, node, key)
    if value is BAD:
        return BAD
    if not _STAGE_ID.fullmatch(value):
        return r.error(node, f"“{value}”不是有效的英文标识", "用英文字母开头，只含字母、数字、_ 和 -，例如 notice")
    return value


def _nested(spec: dict, what: str, build: Callable):
    def convert(r: Reader, node, key: str):
        values = r.fields(node, what, spec)
        if values is None:
            return BAD
        return build(r, node, values)

    return convert


# -- policy -----------------------------------------------------------------

def _rate(r: Reader, node, key: str):
    if type(node) is MappingNode:
        table = []
        seen = set()
        for key_node, value_node in node.value:
            name = r.scalar(key_node, key)
            if name is BAD:
                return BAD
            if name in seen:
                return r.error(key_node, f"费率表里重复的房屋类型“{name}”")
            seen.add(name)
            value = a_decimal(r, value_node, f"{key}.{name}")
            if value is BAD:
                return BAD
            table.append((name, value))
        if not table:
            return r.error(node, "费率表不能为空")
        return tuple(table)
    return a_decimal(r, node, key)


_FEE_SPEC = {
    "id": (stage_id, True),
    "name": (text, True),
    "basis": (enum(BASES), True),
    "rate": (_rate, True),
    "cycle": (integer(1, 12), True),
    "due_day": (integer(1, 28), True),
    "vacant_factor": (a_decimal, False),
    "from": (a_date, False),
    "until": (a_date, False),
}


def _read_fee(r: Reader, node, index: int, first_index: dict[str, int]) -> Fee | None:
    values = r.fields(node, "收费项目", _FEE_SPEC)
    if values is None:
        return None
    cycle = values["cycle"]
    if cycle not in CYCLES:
        r.error(node, f"计费周期 cycle 为 {cycle}，只能是 1、3、6 或 12 个月")
        return None
    valid_from = values.get("from")
    if valid_from is not None and (valid_from.day != 1 or (valid_from.month - 1) % cycle):
        r.error(node, f"from 日期 {valid_from} 不是计费周期的第一天", f"周期为 {cycle} 个月时，from 应为某个周期首月的 1 日")
        return None
    until = values.get("until")
    if valid_from and until and until < valid_from:
        r.error(node, "until 早于 from", "检查起止日期")
        return None
    rate = values["rate"]
    fee_id = values["id"]
    first_index.setdefault(fee_id, index)
    return Fee(
        id=fee_id,
        name=values["name"],
        basis=values["basis"],
        rate=rate if isinstance(rate, Decimal) else None,
        rates=rate if isinstance(rate, tuple) else (),
        cycle=cycle,
        due_day=values["due_day"],
        vacant_factor=values.get("vacant_factor", Decimal(1)),
        valid_from=valid_from,
        valid_until=until,
        order=first_index[fee_id],
        pos=r.pos(node),
    )


def _requires(r: Reader, node, key: str):
    if type(node) is not MappingNode:
        return r.error(node, "requires 应写成 {阶段id: 次数}", "例如 requires: {notice: 2}")
    pairs = []
    for key_node, value_node in node.value:
        name = stage_id(r, key_node, key)
        count = integer(1)(r, value_node, f"requires.{key_node.value}")
        if name is BAD or count is BAD:
            return BAD
        pairs.append((name, count))
    return tuple(pairs)


_STAGE_SPEC = {
    "id": (stage_id, True),
    "name": (text, True),
    "after_days": (integer(0), True),
    "channels": (list_of(enum(CHANNELS, "channel")), True),
    "letter": (stage_id, False),
    "wait_days": (integer(0), False),
    "deadline_days": (integer(0), False),
    "requires": (_requires, False),
}

_ISSUER_SPEC = {"name": (text, True), "address": (optional_text, False), "phone": (optional_text, False)}
_LATE_FEE_SPEC = {"daily_rate": (a_decimal, True), "grace_days": (integer(0), False), "cap": (a_decimal, False)}
_LIMITATION_SPEC = {"years": (integer(1, 20), False), "warn_days": (integer(0), False)}
_NOTICE_BOARD_SPEC = {"list_units": (lambda r, n, k: _boolean(r, n, k), False)}


def _boolean(r: Reader, node, key: str):
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    if value in ("true", "false"):
        return value == "true"
    return r.error(node, f"“{key}”只能写 true 或 false：“{value}”")


def _any(r: Reader, node, key: str):
    return node


_POLICY_SPEC = {
    "community": (text, True),
    "issuer": (_any, True),
    "payment_channels": (list_of(text), False),
    "fees": (_any, True),
    "late_fee": (_any, False),
    "dunning": (_any, False),
    "limitation": (_any, False),
    "notice_board": (_any, False),
    "$schema": (optional_text, False),
}


def read_policy(r: Reader, node) -> Policy | None:
    if node is None:
        r.problems.append(error(Pos(r.path, 1, 1), "policy.yaml 是空的", "参照使用指南填写小区名称、收费项目和催缴阶段"))
        return None
    values = r.fields(node, "收费政策", _POLICY_SPEC, partial=True)
    if values is None:
        return None
    issuer = r.fields(values["issuer"], "issuer（落款单位）", _ISSUER_SPEC) if "issuer" in values else None
    fees: list[Fee] = []
    fee_nodes = (r.sequence(values["fees"], "fees（收费项目）") or []) if "fees" in values else []
    first_index: dict[str, int] = {}
    for index, fee_node in enumerate(fee_nodes):
        fee = _read_fee(r, fee_node, index, first_index)
        if fee is not None:
            fees.append(fee)
    late_fee = None
    if "late_fee" in values:
        lf = r.fields(values["late_fee"], "late_fee（违约金）", _LATE_FEE_SPEC)
        if lf is not None:
            late_fee = LateFee(lf["daily_rate"], lf.get("grace_days", 0), lf.get("cap", Decimal(1)))
    stages: list[Stage] = []
    if "dunning" in values:
        for stage_node in r.sequence(values["dunning"], "dunning（催缴阶段）") or []:
            s = r.fields(stage_node, "催缴阶段", _STAGE_SPEC)
            if s is None:
                continue
            stages.append(
                Stage(
                    id=s["id"], name=s["name"], after_days=s["after_days"], channels=s["channels"],
                    letter=s.get("letter"), wait_days=s.get("wait_days"), deadline_days=s.get("deadline_days"),
                    requires=s.get("requires", ()), pos=r.pos(stage_node),
                )
            )
    limitation = LimitationRule()
    if "limitation" in values:
        lim = r.fields(values["limitation"], "limitation（诉讼时效）", _LIMITATION_SPEC)
        if lim is not None:
            limitation = LimitationRule(lim.get("years", 3), lim.get("warn_days", 180))
    list_units = False
    if "notice_board" in values:
        board = r.fields(values["notice_board"], "notice_board（公示设置）", _NOTICE_BOARD_SPEC)
        if board is not None:
            list_units = board.get("list_units", False)
    if issuer is None or any(p.severity == "error" for p in r.problems):
        return None
    return Policy(
        community=values["community"],
        issuer=Issuer(issuer["name"], issuer.get("address", ""), issuer.get("phone", "")),
        payment_channels=values.get("payment_channels", ()),
        fees=tuple(fees),
        late_fee=late_fee,
        dunning=tuple(stages),
        limitation=limitation,
        publish_unit_amounts=list_units,
        pos=r.pos(node),
    )


# -- owners/<unit>.yaml --------------------------------------------------------

def _person(what: str, required_name: bool = True):
    spec = {"name": (text, required_name), "phone": (optional_text, False), "address": (optional_text, False)}

    def build(r, node, v):
        return Person(v.get("name", ""), v.get("phone", ""), v.get("address", ""))

    return _nested(spec, what, build)


_PROMISE_SPEC = {"date": (a_date, True), "amount": (money, False)}
_OPENING_SPEC = {"amount": (money, True), "due": (a_date, True)}
_CONTACT_SPEC = {
    "date": (a_date, True),
    "channel": (enum(CHANNELS), True),
    "by": (optional_text, False),
    "outcome": (enum(OUTCOMES), True),
    "promise": (_any, False),
    "reason": (enum(REASONS), False),
    "evidence": (optional_text, False),
    "note": (optional_text, False),
}
_UNIT_SPEC = {
    "unit": (unit_id, True),
    "type": (text, True),
    "area": (a_decimal, False),
    "billing_start": (a_date, True),
    "occupancy": (enum(OCCUPANCIES), False),
    "owners": (list_of(_person("业主")), True),
    "tenant": (_person("租户", required_name=False), False),
    "tags": (list_of(text), False),
    "opening": (_any, False),
    "contacts": (_any, False),
    "$schema": (optional_text, False),
}


def _read_contact(r: Reader, node) -> Contact | None:
    v = r.fields(node, "催收记录", _CONTACT_SPEC)
    if v is None:
        return None
    promise = None
    if "promise" in v:
        p = r.fields(v["promise"], "promise（还款承诺）", _PROMISE_SPEC)
        if p is None:
            return None
        if v["outcome"] != "promised":
            r.error(v["promise"], "只有 outcome 为 promised（承诺付款）时才能写 promise", "把 outcome 改为 promised，或删除 promise")
            return None
        if p["date"] < v["date"]:
            r.warn(v["promise"], "承诺付款日期早于这次联系的日期", "检查承诺日期是否写错")
        promise = Promise(p["date"], p.get("amount"))
    elif v["outcome"] == "promised":
        r.warn(node, "outcome 为 promised 却没有写 promise（承诺日期和金额）", "补上 promise: {date: …, amount: …}，跟催表才能提醒兑现")
    return Contact(
        date=v["date"], channel=v["channel"], by=v.get("by", ""), outcome=v["outcome"], promise=promise,
        reason=v.get("reason"), evidence=v.get("evidence", ""), note=v.get("note", ""), pos=r.pos(node),
    )


def _value_node(mapping, key: str):
    """The value node of ``key`` in a mapping already read by ``Reader.fields``."""
    return next(value for k, value in mapping.value if k.value == key)


def read_unit(r: Reader, node, expected_id: str) -> Unit | None:
    if node is None:
        r.problems.append(error(Pos(r.path, 1, 1), "房屋文件是空的", "至少写上 unit、type、billing_start 和 owners"))
        return None
    v = r.fields(node, "房屋信息", _UNIT_SPEC, partial=True)
    if v is None:
        return None

    def good(key: str) -> bool:
        return key in v and v[key] is not BAD

    if good("unit") and v["unit"] != expected_id:
        r.error(_value_node(node, "unit"), f"房号“{v['unit']}”与文件名“{expected_id}.yaml”不一致", f"把文件改名为 {v['unit']}.yaml，或把 unit 改为 {expected_id}")
    if good("owners") and not v["owners"]:
        r.error(_value_node(node, "owners"), "owners 至少要有一位业主")
    opening = None
    if "opening" in v:
        o = r.fields(v["opening"], "opening（期初欠费）", _OPENING_SPEC)
        if o is not None and good("billing_start") and o["due"] >= v["billing_start"]:
            r.error(v["opening"], f"期初欠费的到期日 {o['due']} 应早于计费开始日 {v['billing_start']}", "期初欠费是计费开始前的旧欠款")
        elif o is not None:
            opening = Opening(o["amount"], o["due"], r.pos(v["opening"]))
    contacts: list[Contact] = []
    if "contacts" in v:
        for contact_node in r.sequence(v["contacts"], "contacts（催收记录）") or []:
            contact = _read_contact(r, contact_node)
            if contact is not None:
                contacts.append(contact)
    area = v.get("area")
    if good("area") and area <= 0:
        r.error(_value_node(node, "area"), "面积 area 必须大于 0")
    if any(p.severity == "error" for p in r.problems):
        return None
    return Unit(
        id=v["unit"], type=v["type"], area=area, billing_start=v["billing_start"],
        occupancy=v.get("occupancy", "self"), owners=v["owners"], tenant=v.get("tenant"),
        tags=v.get("tags", ()), opening=opening, contacts=tuple(contacts), pos=r.pos(node),
    )


# -- ledger entries files ---------------------------------------------------------

_PAYMENT_SPEC = {
    "unit": (unit_id, True), "date": (a_date, True), "amount": (money, True),
    "method": (enum(METHODS), True), "receipt": (optional_text, False), "note": (optional_text, False),
}
_CHARGE_SPEC = {
    "unit": (unit_id, True), "item": (text, True), "period": (optional_text, False), "amount": (money, True),
    "due": (a_date, True), "issued": (a_date, False), "note": (optional_text, False),
}
_WAIVER_SPEC = {
    "unit": (unit_id, True), "date": (a_date, True), "amount": (money, True),
    "applies_to": (enum(APPLIES_TO), True), "approved_by": (text, True), "reason": (text, True),
}
_INSTALLMENT_SPEC = {"due": (a_date, True), "amount": (money, True)}
_PLAN_SPEC = {
    "unit": (unit_id, True), "signed": (a_date, True), "installments": (_any, True), "note": (optional_text, False),
}
_ENTRIES_SPEC = {"payments": (_any, False), "charges": (_any, False), "waivers": (_any, False), "plans": (_any, False), "$schema": (optional_text, False)}


def _section(r: Reader, top: dict, key: str, what: str) -> list:
    if key not in top:
        return []
    return r.sequence(top[key], what) or []


def read_entries(r: Reader, node) -> Entries:
    if node is None:
        return Entries()
    top = r.fields(node, "账目文件", _ENTRIES_SPEC, partial=True)
    if top is None:
        return Entries()
    path = r.path
    payments, charges, waivers, plans = [], [], [], []
    index = 0
    for item in _section(r, top, "payments", "payments（缴费）"):
        v = r.fields(item, "缴费记录", _PAYMENT_SPEC)
        if v is not None:
            payments.append(Payment(v["unit"], v["date"], v["amount"], v["method"], v.get("receipt", ""), (path, index), r.pos(item)))
        index += 1
    for item in _section(r, top, "charges", "charges（一次性收费）"):
        v = r.fields(item, "一次性收费", _CHARGE_SPEC)
        if v is not None:
            charges.append(OneOffCharge(v["unit"], v["item"], v.get("period", ""), v["amount"], v["due"], v.get("issued", v["due"]), (path, index), r.pos(item)))
        index += 1
    for item in _section(r, top, "waivers", "waivers（减免）"):
        v = r.fields(item, "减免记录", _WAIVER_SPEC)
        if v is not None:
            waivers.append(Waiver(v["unit"], v["date"], v["amount"], v["applies_to"], v["approved_by"], v["reason"], (path, index), r.pos(item)))
        index += 1
    for item in _section(r, top, "plans", "plans（分期协议）"):
        v = r.fields(item, "分期协议", _PLAN_SPEC)
        index += 1
        if v is None:
            continue
        steps = []
        nodes = r.sequence(v["installments"], "installments（分期明细）")
        if nodes is None:
            continue
        for step_node in nodes:
            s = r.fields(step_node, "分期明细", _INSTALLMENT_SPEC)
            if s is not None:
                steps.append(Installment(s["due"], s["amount"]))
        if not nodes:
            r.error(v["installments"], "分期协议至少要有一期", "在 installments 里写上每期的 due 和 amount")
            continue
        if len(steps) != len(nodes):
            continue
        plans.append(Plan(v["unit"], v["signed"], tuple(steps), (path, index - 1), r.pos(item)))
    return Entries(tuple(payments), tuple(charges), tuple(waivers), tuple(plans))
