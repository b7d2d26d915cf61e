"""Turn composed YAML nodes into records, converting every scalar by the schema.

A ``Reader`` reads one file and collects its diagnostics. Each ``read_*``
function returns a record, or None when the data was too broken to use (the
reason is in the diagnostics). A record read with errors holds what could be
read, and None where a value could not be: never computed with (the
pipeline computes only data without errors), it lets ``validate`` still run
the checks across files on what was readable, so one mistake does not hide
another. Every check that needs nothing but the file itself lives here, at
the key or value it is about; checks across files live in ``validate``.
"""
from __future__ import annotations

import difflib
import re
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from generator.core.diagnostics import Diagnostic, Pos, RecordPos, error, warning
from generator.core.model import (
    APPLIES_TO,
    BASES,
    CHANNELS,
    CONSENT_KINDS,
    COVERS,
    CYCLES,
    FOR_LATE_FEE,
    FOR_OPENING,
    METHODS,
    OCCUPANCIES,
    OUTCOMES,
    PARTIES,
    PLAN_LATE_FEES,
    PURPOSES,
    REASONS,
    Authorisation,
    Consent,
    Contact,
    Creditor,
    Entries,
    Fee,
    HolidayYear,
    Installment,
    Issuer,
    LateFee,
    LimitationRule,
    OneOffCharge,
    Opening,
    Payment,
    Person,
    Plan,
    Policy,
    Promise,
    ServiceAddress,
    Stage,
    Unit,
    Waiver,
)
from generator.reading.yamlsource import MappingNode, ScalarNode, SequenceNode

BAD = object()  # a value that failed conversion; its diagnostic is already recorded

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_MONEY = re.compile(r"\d+(?:\.\d{1,2})?")
_DECIMAL = re.compile(r"\d+(?:\.\d{1,8})?")
_INTEGER = re.compile(r"\d+")
_UNIT_ID = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # letters (汉字 too) and digits, groups joined by "-"
_STAGE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
MAX_MONEY_DIGITS = 12  # 999,999,999,999.99 yuan
MAX_DECIMAL_DIGITS = 9  # rates, factors and areas
# Dates a ledger can plausibly hold; with limitation.years <= 20 and day counts <= MAX_DAYS,
# no date the rules derive from them (expiries, deadlines, next actions) leaves datetime's range.
FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2100, 12, 31)
MAX_DAYS = 3650  # after_days, wait_days, deadline_days, grace_days, warn_days: ten years
MAX_YEARS = 20  # limitation.years
MAX_REQUIRED_COUNT = 99  # requires: {stage: count}
_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")  # YAML 1.2, as editors read it

ENUM_WORDS = {
    "occupancy": "self（自住）、rented（出租）、vacant（空置）",
    "channel": "sms、wechat、phone、visit、letter、registered_mail、lawyer_letter、court、other",
    "outcome": "no_answer、reached、promised、refused、disputed、delivered、returned、unreachable、paid",
    "reason": "forgot、service_complaint、housing_defect、vacant、hardship、rented_out、legacy_dispute、refuses、unreachable、other",
    "method": "wechat、alipay、bank、cash、pos、other",
    "applies_to": "principal（本金）、late_fee（违约金）",
    "basis": "area（按面积）、unit（按户）",
    "purpose": "demand（催缴，默认）、service（维修、巡查、回访等服务）、other（其他）",
    "party": "issuer（落款单位的人员，默认）、creditor（债权人自己的人员）",
    "covers": "in_time（只承认未过诉讼时效的欠费，默认）、all（承认全部欠费，包括已过诉讼时效的）",
    "late_fee": "accrue（违约金照常计算，默认）、freeze（按期履行期间违约金停止计算）",
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

    def record_pos(self, node) -> RecordPos:
        """Where a mapping starts and where each of its values starts (for checks made after reading)."""
        mark = node.start_mark
        values, seen = [], set()
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and key_node.value not in seen:
                seen.add(key_node.value)
                value_mark = value_node.start_mark
                values.append((key_node.value, value_mark.line + 1, value_mark.column + 1))
        return RecordPos(self.path, mark.line + 1, mark.column + 1, tuple(values))

    def value_of(self, mapping, key: str):
        """The (first) value node of ``key`` in a mapping already read by ``fields``."""
        return next(value for k, value in mapping.value if type(k) is ScalarNode and k.value == key)

    def error(self, node, message: str, hint: str = "") -> Any:
        self.problems.append(error(self.pos(node), message, hint))
        return BAD

    def warn(self, node, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.pos(node), message, hint))

    def has_errors_since(self, count: int) -> bool:
        return any(p.severity == "error" for p in self.problems[count:])

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
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.error(key_node, f"{what}的键必须是简单文字", "键写成英文单词加冒号，例如 amount: \"100.00\"；不要把列表或映射当作键")
                continue
            key = key_node.value
            if key in seen:
                self.error(key_node, f"重复的键“{key}”", "同一层里每个键只能写一次，请删除或合并重复的那一行")
                continue
            seen.add(key)
            entry = spec.get(key)
            if entry is None:
                out[key] = BAD
                self.error(key_node, f"{what}里有未知的键“{key}”", _suggest(key, spec))
                continue
            if not entry[1] and self.is_null(value_node):  # an optional key left empty (or ~, null) is not given
                continue
            out[key] = entry[0](self, value_node, key)
        for key, (_, required) in spec.items():
            if required and key not in out:
                self.error(node, f"{what}缺少必填项“{key}”", f"请补上 {key}: …")
        if not partial and self.has_errors_since(before):
            return None
        return out

    def sequence(self, node, what: str) -> list | None:
        if type(node) is not SequenceNode:
            self.error(node, f"{what}应是列表", "列表的每一项以“- ”开头，或写成 [a, b]")
            return None
        return node.value

    def scalar(self, node, key: str) -> str | Any:
        if type(node) is not ScalarNode:
            return self.error(node, f"“{key}”应是一个值，而不是列表或映射", f"把值直接写在“{key}:”后面的同一行，不要写成“- …”列表或缩进的“键: 值”")
        return node.value

    def is_null(self, node) -> bool:
        """YAML's null: a plain ``~``, ``null`` or nothing (a quoted "~" is text)."""
        return node.tag == _NULL_TAG


def _suggest(key: str, spec) -> str:
    names = [name for name in spec if not name.startswith("$")]  # $schema is for editors, not for people
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"是不是“{close[0]}”？"
    return "可用的键：" + "、".join(names)


def _get(values: dict, key: str, default=None):
    """A value read by ``fields(partial=True)``: ``default`` when missing, None when it could not be read."""
    value = values.get(key, default)
    return None if value is BAD else value


# -- scalar converters (reader, node, key) -> value or BAD ---------------------

_NULL_TAG = "tag:yaml.org,2002:null"


def text(r: Reader, node, key: str):
    value = optional_text(r, node, key)
    if value is BAD:
        return BAD
    if not value:
        return r.error(node, f"“{key}”不能为空", f"在“{key}:”后面写上内容")
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
    """A date from FIRST_DATE to LAST_DATE: a year like 0226 or 2206 is a typo, and would make millions in arrears."""
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    if not _DATE.fullmatch(value):
        return r.error(node, f"“{key}”的日期“{value}”格式不对", "日期写成 YYYY-MM-DD，例如 2026-03-15")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return r.error(node, f"“{key}”的日期“{value}”不存在", "检查月份和日子，例如 2 月没有 30 日")
    if not FIRST_DATE <= day <= LAST_DATE:
        return r.error(node, f"“{key}”的日期“{value}”不在 {FIRST_DATE} 到 {LAST_DATE} 之间", "检查年份是否写错，例如把 2026 写成了 0226 或 2206")
    return day


def money(r: Reader, node, key: str):
    """A positive amount with at most two decimals: 1200, 1200.5, "1200.50"."""
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    value = value.strip()
    if not _MONEY.fullmatch(value):
        if re.fullmatch(r"\d+\.\d{3,}", value):
            return r.error(node, f"金额“{value}”超过两位小数", "金额最多保留到分，例如 1200.50")
        if value.startswith("-") and _MONEY.fullmatch(value[1:]):
            return r.error(node, f"金额“{value}”不能为负数", "退款或冲减请用 waivers（减免）记录")
        return r.error(node, f"“{key}”不是有效金额：“{value}”", "金额写成数字，最多两位小数，例如 1200.50，不要带逗号或“元”")
    if _too_many_digits(value, MAX_MONEY_DIGITS):
        return r.error(node, f"金额“{value}”过大", f"检查是否多写了数字；整数部分最多 {MAX_MONEY_DIGITS} 位")
    amount = Decimal(value).quantize(Decimal("0.01"))
    if amount <= 0:
        return r.error(node, f"金额必须大于 0：“{value}”", "金额为 0 的条目不必记录，请删除这一条或改正金额")
    return amount


def a_decimal(r: Reader, node, key: str):
    """A non-negative rate or factor: "2.20", "0.0003", "0.7"."""
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    value = value.strip()
    if not _DECIMAL.fullmatch(value):
        if value.startswith("-") and _DECIMAL.fullmatch(value[1:]):
            return r.error(node, f"“{key}”不能是负数：“{value}”", "写成 0 或正数，去掉负号")
        if re.fullmatch(r"\d+\.\d{9,}", value):
            return r.error(node, f"“{key}”的值“{value}”超过八位小数", "最多写到小数点后八位，例如 0.0003")
        return r.error(node, f"“{key}”不是有效数字：“{value}”", "写成不带单位的数字，例如 2.20 或 0.0003，不要写 % 或“元”")
    if _too_many_digits(value, MAX_DECIMAL_DIGITS):
        return r.error(node, f"“{key}”的值“{value}”过大", f"检查是否多写了数字；整数部分最多 {MAX_DECIMAL_DIGITS} 位")
    return Decimal(value)


def an_area(r: Reader, node, key: str):
    """A building area in square metres: a decimal greater than 0."""
    value = a_decimal(r, node, key)
    if value is BAD:
        return BAD
    if value <= 0:
        return r.error(node, f"面积 {key} 必须大于 0：“{value}”", "写房屋的建筑面积（平方米），例如 area: \"89.50\"")
    return value


def _too_many_digits(value: str, limit: int) -> bool:
    """Keeps every sum and product well inside Decimal's 28 digits (a longer number made it raise)."""
    return len(value.split(".")[0].lstrip("0")) > limit


def _span(low: int, high: int | None) -> str:
    return f"{low} 到 {high}" if high is not None else f"不小于 {low}"


def integer(low: int, high: int | None = None):
    """A whole number from ``low`` to ``high`` (no bound when None)."""

    def convert(r: Reader, node, key: str):
        value = r.scalar(node, key)
        if value is BAD:
            return BAD
        value = value.strip()
        if not _INTEGER.fullmatch(value):
            if value.startswith("-") and _INTEGER.fullmatch(value[1:]):
                return r.error(node, f"“{key}”不能是负数：“{value}”", f"应为 {_span(low, high)} 的整数")
            return r.error(node, f"“{key}”应是整数：“{value}”", f"写成不带小数点、单位和引号的整数，应为 {_span(low, high)}")
        number = int(value) if len(value) <= 12 else 10**12
        if number < low or (high is not None and number > high):
            return r.error(node, f"“{key}”的值 {value.lstrip('0') or '0'} 超出范围", f"应为 {_span(low, high)} 的整数")
        return number

    return convert


def integer_choice(choices: tuple[int, ...], unit: str = ""):
    """A whole number that is one of ``choices``, e.g. a fee's cycle of 1, 3, 6 or 12 months."""
    words = "、".join(map(str, choices[:-1])) + f" 或 {choices[-1]}" if len(choices) > 1 else str(choices[0])

    def convert(r: Reader, node, key: str):
        value = r.scalar(node, key)
        if value is BAD:
            return BAD
        value = value.strip()
        if not _INTEGER.fullmatch(value):
            return r.error(node, f"“{key}”应是整数：“{value}”", f"只能是 {words}{unit}")
        number = int(value) if len(value) <= 12 else 10**12
        if number not in choices:
            return r.error(node, f"“{key}”的值 {value.lstrip('0') or '0'} 不在可选范围内，只能是 {words}{unit}", f"把 {key} 改为 {words} 中的一个")
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


def list_of(item: Callable, min_items: int = 0, empty: tuple[str, str] | None = None):
    """A list whose every item ``item`` reads; at least ``min_items`` of them (``empty``: the message and hint then)."""

    def convert(r: Reader, node, key: str):
        nodes = r.sequence(node, f"“{key}”")
        if nodes is None:
            return BAD
        values = [item(r, child, key) for child in nodes]
        if len(values) < min_items:
            message, hint = empty or (f"“{key}”至少要写 {min_items} 项", f"在 {key} 下面补上，每项以“- ”开头")
            return r.error(node, message, hint)
        if any(v is BAD for v in values):
            return BAD
        return tuple(values)

    return convert


def unit_id(r: Reader, node, key: str):
    value = text(r, node, key)
    if value is BAD:
        return BAD
    if not _UNIT_ID.fullmatch(value):
        return r.error(node, f"房号“{value}”只能包含字母（可以是汉字）、数字和“-”", "例如 3-2-1802；不要写空格、“/”“_”等符号，栋、单元、室之间用“-”隔开")
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
# The policy is one small file, always read the exact way (libyaml nodes), so
# its checks across its own parts (fee versions, stage references) are made
# here, at the nodes they are about.

def _rate(r: Reader, node, key: str):
    if type(node) is MappingNode:
        table = []
        seen = set()
        broken = False
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                r.error(key_node, "费率表里的房屋类型必须是简单文字", "写成 {高层: \"2.20\", 洋房: \"2.80\"}")
                broken = True
                continue
            name = key_node.value.strip()
            if name in seen:
                r.error(key_node, f"费率表里重复的房屋类型“{name}”", "每种房屋类型只写一个单价，删除重复的那一项")
                broken = True
                continue
            seen.add(name)
            value = a_decimal(r, value_node, f"{key}.{name}")
            if value is BAD:
                broken = True
                continue
            table.append((name, value))
        if broken:
            return BAD
        if not table:
            return r.error(node, "费率表不能为空", "按房屋类型写单价，例如 rate: {高层: \"2.20\"}；所有类型同价时写一个数，例如 rate: \"2.20\"")
        return tuple(table)
    return a_decimal(r, node, key)


_FEE_SPEC = {
    "id": (stage_id, True),
    "name": (text, False),  # default: the id
    "basis": (enum(BASES), True),
    "rate": (_rate, True),
    "cycle": (integer_choice(CYCLES, " 个月"), True),
    "due_day": (integer(1, 28), True),
    "vacant_factor": (a_decimal, False),
    "from": (a_date, False),
    "until": (a_date, False),
}


def _read_fee(r: Reader, node, index: int) -> Fee | None:
    v = r.fields(node, "收费项目", _FEE_SPEC, partial=True)
    if v is None:
        return None
    cycle, valid_from, until = _get(v, "cycle"), _get(v, "from"), _get(v, "until")
    if valid_from is not None and cycle is not None and (valid_from.day != 1 or (valid_from.month - 1) % cycle):
        r.error(r.value_of(node, "from"), f"from 日期 {valid_from} 不是计费周期的第一天", f"周期为 {cycle} 个月时，from 应为某个周期首月的 1 日，例如 {valid_from.year}-{((valid_from.month - 1) // cycle * cycle + 1):02d}-01")
    if valid_from is not None and until is not None and until < valid_from:
        r.error(r.value_of(node, "until"), f"until（{until}）早于 from（{valid_from}）", "检查起止日期，until 应不早于 from")
    rate = _get(v, "rate")
    fee_id = _get(v, "id")
    return Fee(
        id=fee_id,
        name=_get(v, "name") or fee_id,
        basis=_get(v, "basis"),
        rate=rate if isinstance(rate, Decimal) else None,
        rates=rate if isinstance(rate, tuple) else (),  # neither when the rate could not be read
        cycle=cycle,
        due_day=_get(v, "due_day"),
        vacant_factor=_get(v, "vacant_factor", Decimal(1)),
        valid_from=valid_from,
        valid_until=until,
        order=index,  # rule 3: bills of one day in the order the fee entries are written
        pos=r.pos(node),
    )


def _check_fee_versions(r: Reader, fees: list[tuple[Fee, Any]]) -> None:
    """Versions of one fee (same id) must bill different periods; a version whose dates could not be read is left out."""
    versions: dict[str, list] = {}
    for fee, node in fees:
        written = _keys(node)
        dates_known = ("from" not in written or fee.valid_from is not None) and ("until" not in written or fee.valid_until is not None)
        if fee.id is not None and dates_known:
            versions.setdefault(fee.id, []).append((fee, node))
    for fee_id, group in versions.items():
        for i, (first, _) in enumerate(group):
            for second, node in group[i + 1 :]:
                lo1, hi1 = first.valid_from or date.min, first.valid_until or date.max
                lo2, hi2 = second.valid_from or date.min, second.valid_until or date.max
                if lo1 <= hi2 and lo2 <= hi1:
                    written = _keys(node)
                    where = next((r.value_of(node, k) for k in ("from", "until") if k in written), node)
                    r.error(where, f"收费项目“{fee_id}”的两个版本适用期重叠（与第 {first.pos.line} 行的版本）", "同一 id 的多个版本要用 from/until 分开，且不能重叠，例如前一版 until: 2024-12-31，后一版 from: 2025-01-01")


def _keys(node) -> list[str]:
    return [k.value for k, _ in node.value if type(k) is ScalarNode] if type(node) is MappingNode else []


def _requires(r: Reader, node, key: str):
    if type(node) is not MappingNode:
        return r.error(node, "requires 应写成 {阶段id: 次数}", "例如 requires: {notice: 2}")
    pairs = []
    broken = False
    for key_node, value_node in node.value:
        name = stage_id(r, key_node, key)
        count = integer(1, MAX_REQUIRED_COUNT)(r, value_node, f"requires.{getattr(key_node, 'value', '')}")
        if name is BAD or count is BAD:
            broken = True
            continue
        pairs.append((name, count))
    return BAD if broken else tuple(pairs)


_STAGE_SPEC = {
    "id": (stage_id, True),
    "name": (text, False),  # default: the id
    "after_days": (integer(0, MAX_DAYS), True),
    "channels": (list_of(enum(CHANNELS, "channel")), True),
    "letter": (stage_id, False),
    "wait_days": (integer(0, MAX_DAYS), False),
    "deadline_days": (integer(0, MAX_DAYS), False),
    "requires": (_requires, False),
}

LETTER_TEMPLATES = ("notice", "lawyer")


def _check_stages(r: Reader, stages: list[tuple[dict, Any]]) -> None:
    """Stage ids unique, in a sensible order, letters with a template, ``requires`` naming stages that exist."""
    ids = [_get(v, "id") for v, _ in stages]
    known = sorted({i for i in ids if i is not None})
    seen: set[str] = set()
    previous_days = None
    for v, node in stages:
        stage = _get(v, "id")
        name = stage if stage is not None else "（id 有误）"
        if stage is not None:
            if stage in seen:
                r.error(r.value_of(node, "id"), f"催缴阶段 id“{stage}”重复", "每个阶段的 id 必须唯一，改掉其中一个")
            seen.add(stage)
        days = _get(v, "after_days")
        if days is not None:
            if previous_days is not None and days < previous_days:
                r.warn(r.value_of(node, "after_days"), f"阶段“{name}”的 after_days {days} 小于前一阶段的 {previous_days}", "阶段一般按逾期天数从小到大排列")
            previous_days = days
        letter = _get(v, "letter")
        if letter is not None and letter not in LETTER_TEMPLATES:
            r.warn(r.value_of(node, "letter"), f"阶段“{name}”的函件“{letter}”没有对应模板", "可用的函件：notice（催缴通知书）、lawyer（律师函）")
        if "requires" in v and type(r.value_of(node, "requires")) is MappingNode:
            for key_node, _ in r.value_of(node, "requires").value:
                needed = getattr(key_node, "value", None)
                if type(key_node) is ScalarNode and _STAGE_ID.fullmatch(needed.strip()) and needed.strip() not in known:
                    close = difflib.get_close_matches(needed.strip(), known, n=1)
                    hint = f"是不是“{close[0]}”？" if close else "requires 里只能写本文件 dunning 里已定义的阶段 id：" + "、".join(known)
                    r.error(key_node, f"阶段“{name}”的 requires 引用了不存在的阶段“{needed.strip()}”", hint)


_ISSUER_SPEC = {"name": (text, True), "address": (optional_text, False), "phone": (optional_text, False)}
_LATE_FEE_SPEC = {
    "daily_rate": (a_decimal, True), "grace_days": (integer(0, MAX_DAYS), False), "cap": (a_decimal, False),
    "on_opening": (lambda r, n, k: _boolean(r, n, k), False), "basis": (optional_text, False),
}
_LIMITATION_SPEC = {"years": (integer(1, MAX_YEARS), False), "warn_days": (integer(0, MAX_DAYS), False)}
_CREDITOR_SPEC = {"name": (text, True), "address": (optional_text, False), "phone": (optional_text, False)}
_AUTHORISATION_SPEC = {"from": (a_date, True), "until": (a_date, False), "document": (text, True), "note": (optional_text, False)}
_HOLIDAY_SPEC = {"off": (list_of(a_date), False), "work": (list_of(a_date), False)}
MAX_DELIVERY_DAYS = 60
DEFAULT_DELIVERY_DAYS = 7  # a registered letter inside a city arrives in a few days; returned mail takes longer
_LETTERS_SPEC = {"delivery_days": (integer(0, MAX_DELIVERY_DAYS), False)}


_creditor_mapping = _nested(_CREDITOR_SPEC, "creditor（债权人）", lambda r, node, v: Creditor(v["name"], v.get("address", ""), v.get("phone", "")))


def _creditor(r: Reader, node, key: str):
    """Who holds the claim: ``{name: …}`` as the spec writes it, or the plain name (read before v2)."""
    if type(node) is MappingNode:
        return _creditor_mapping(r, node, key)
    name = text(r, node, key)
    return BAD if name is BAD else Creditor(name)


def _authorisations(r: Reader, node, creditor: Creditor | None, issuer_name: str | None, written_creditor: bool) -> tuple[Authorisation, ...]:
    out = []
    for item in r.sequence(node, "authorisations（债权人授权）") or []:
        v = r.fields(item, "授权", _AUTHORISATION_SPEC, partial=True)
        if v is None:
            continue
        start, until = _get(v, "from"), _get(v, "until")
        if start is not None and until is not None and until < start:
            r.error(r.value_of(item, "until"), f"授权的截止日 {until} 早于起始日 {start}", "检查授权委托书上的期限，until 应不早于 from")
            continue
        if start is not None and _get(v, "document") is not None:
            out.append(Authorisation(start, until, v["document"], r.pos(item)))
    if creditor is not None and issuer_name is not None and creditor.name == issuer_name:
        r.warn(node, "债权人就是落款单位，不需要 authorisations", "authorisations 只在债权人（creditor）不是落款单位时才用到，可以删除")
    elif creditor is None and not written_creditor:
        r.warn(node, "没有写债权人（creditor），authorisations 不起作用", "债权人是物业服务企业时，写上 creditor: {name: …}；否则删除 authorisations")
    return tuple(out)


def _holidays(r: Reader, node) -> tuple[HolidayYear, ...]:
    """``{2027: {off: [...], work: [...]}}``: each date inside its year."""
    if type(node) is not MappingNode:
        r.error(node, "holidays 应写成 {年份: {off: [...], work: [...]}}", "例如 holidays: {2027: {off: [2027-01-01], work: [2027-02-14]}}")
        return ()
    out = []
    seen: set[int] = set()
    for key_node, value_node in node.value:
        year = integer(FIRST_DATE.year, LAST_DATE.year)(r, key_node, "holidays 的年份")
        if year is BAD:
            continue
        if year in seen:
            r.error(key_node, f"holidays 里重复的年份 {year}", "每年只写一次，把两处的日期合并")
            continue
        seen.add(year)
        v = r.fields(value_node, f"{year} 年的放假安排", _HOLIDAY_SPEC, partial=True)
        if v is None:
            continue
        days: dict[str, tuple] = {}
        for part in ("off", "work"):
            found = _get(v, part, ())
            if found and any(d.year != year for d in found):
                wrong = next(d for d in found if d.year != year)
                r.error(r.value_of(value_node, part), f"{year} 年的 {part} 里有别的年份的日期 {wrong}", f"把这一天写到 {wrong.year} 年下面")
                found = tuple(d for d in found if d.year == year)
            days[part] = found
        both = set(days["off"]) & set(days["work"])
        if both:
            r.error(value_node, f"{min(both)} 既写在放假日（off）里又写在调休上班日（work）里", "按国务院办公厅的通知只保留一处")
        out.append(HolidayYear(year, tuple(sorted(days["off"])), tuple(sorted(days["work"]))))
    return tuple(sorted(out, key=lambda h: h.year))
_NOTICE_BOARD_SPEC = {"list_units": (lambda r, n, k: _boolean(r, n, k), False)}


def _boolean(r: Reader, node, key: str):
    value = r.scalar(node, key)
    if value is BAD:
        return BAD
    value = value.strip()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    return r.error(node, f"“{key}”只能写 true 或 false：“{value}”", f"写 {key}: true（是）或 {key}: false（否）")


def _any(r: Reader, node, key: str):
    return node


_POLICY_SPEC = {
    "community": (text, True),
    "issuer": (_any, True),
    "creditor": (_creditor, False),
    "authorisations": (_any, False),
    "holidays": (_any, False),
    "letters": (_any, False),
    "payment_channels": (list_of(text), False),
    "fees": (_any, True),
    "late_fee": (_any, False),
    "dunning": (_any, False),
    "limitation": (_any, False),
    "notice_board": (_any, False),
    "$schema": (optional_text, False),
}


def read_policy(r: Reader, node) -> Policy | None:
    """The policy; with errors, what could be read of it (the fees' bases and rate tables for the checks of units)."""
    if node is None:
        r.problems.append(error(Pos(r.path, 1, 1), "policy.yaml 是空的", "参照使用指南填写小区名称、收费项目和催缴阶段"))
        return None
    values = r.fields(node, "收费政策", _POLICY_SPEC, partial=True)
    if values is None:
        return None
    issuer = r.fields(values["issuer"], "issuer（落款单位）", _ISSUER_SPEC, partial=True) if "issuer" in values else None
    fees: list[tuple[Fee, Any]] = []
    fee_nodes = (r.sequence(values["fees"], "fees（收费项目）") or []) if "fees" in values else []
    if "fees" in values and fee_nodes == [] and type(values["fees"]) is SequenceNode:
        r.warn(values["fees"], "收费政策里没有任何收费项目（fees）", "不写收费项目则只按一次性收费和期初欠费计算；要按月收费请在 fees 里写上收费项目")
    for index, fee_node in enumerate(fee_nodes):
        fee = _read_fee(r, fee_node, index)
        if fee is not None:
            fees.append((fee, fee_node))
    _check_fee_versions(r, fees)
    late_fee = None
    if "late_fee" in values:
        lf = r.fields(values["late_fee"], "late_fee（违约金）", _LATE_FEE_SPEC, partial=True)
        late_fee = (
            LateFee(_get(lf, "daily_rate"), _get(lf, "grace_days", 0), _get(lf, "cap", Decimal(1)),
                    _get(lf, "on_opening", True) is not False, _get(lf, "basis", "") or "")
            if lf is not None else LateFee(None, None, None)
        )
    stages: list[Stage] = []
    read_stages: list[tuple[dict, Any]] = []
    if "dunning" in values:
        for stage_node in r.sequence(values["dunning"], "dunning（催缴阶段）") or []:
            s = r.fields(stage_node, "催缴阶段", _STAGE_SPEC, partial=True)
            if s is None:
                continue
            read_stages.append((s, stage_node))
            stages.append(
                Stage(
                    id=_get(s, "id"), name=_get(s, "name") or _get(s, "id"), after_days=_get(s, "after_days"), channels=_get(s, "channels"),
                    letter=_get(s, "letter"), wait_days=_get(s, "wait_days"), deadline_days=_get(s, "deadline_days"),
                    requires=_get(s, "requires", ()), pos=r.pos(stage_node),
                )
            )
    _check_stages(r, read_stages)
    limitation = LimitationRule()
    if "limitation" in values:
        lim = r.fields(values["limitation"], "limitation（诉讼时效）", _LIMITATION_SPEC, partial=True)
        if lim is not None:
            limitation = LimitationRule(_get(lim, "years", 3), _get(lim, "warn_days", 180))
            if limitation.years not in (3, None):
                r.warn(
                    r.value_of(values["limitation"], "years"),
                    f"诉讼时效写成了 {limitation.years} 年：物业费的诉讼时效是法定的三年（民法典第一百八十八条），"
                    "当事人约定的期间无效（第一百九十七条）",
                    "改回 years: 3；写别的年数会让函件和预警按错误的时效计算",
                )
    list_units = False
    if "notice_board" in values:
        board = r.fields(values["notice_board"], "notice_board（公示设置）", _NOTICE_BOARD_SPEC, partial=True)
        if board is not None:
            list_units = _get(board, "list_units", False)
    issuer_record = Issuer(_get(issuer, "name"), _get(issuer, "address", ""), _get(issuer, "phone", "")) if issuer is not None else None
    creditor = _get(values, "creditor")
    authorisations = _authorisations(r, values["authorisations"], creditor, _get(issuer or {}, "name"), "creditor" in values) if "authorisations" in values else ()
    if creditor is not None and issuer_record is not None and issuer_record.name and creditor.name != issuer_record.name and not authorisations:
        r.warn(
            r.value_of(node, "creditor") if "authorisations" not in values else values["authorisations"],
            f"债权人“{creditor.name}”不是落款单位，又没有写它的授权（authorisations）",
            "落款单位没有授权时，它的催缴不算债权人主张权利，不中断诉讼时效，程序也不生成催缴函件；"
            "请按债权人的授权委托书写上 authorisations: [{from: …, until: …, document: …}]",
        )
    holidays = _holidays(r, values["holidays"]) if "holidays" in values else ()
    delivery_days = DEFAULT_DELIVERY_DAYS
    if "letters" in values:
        letters = r.fields(values["letters"], "letters（函件设置）", _LETTERS_SPEC, partial=True)
        delivery_days = _get(letters or {}, "delivery_days", DEFAULT_DELIVERY_DAYS)
        if delivery_days is None:
            delivery_days = DEFAULT_DELIVERY_DAYS
    return Policy(
        community=_get(values, "community"),
        issuer=issuer_record,
        payment_channels=_get(values, "payment_channels", ()),
        fees=tuple(fee for fee, _ in fees),
        late_fee=late_fee,
        dunning=tuple(stages),
        limitation=limitation,
        publish_unit_amounts=list_units,
        pos=r.record_pos(node),  # where each key's value starts: checks after reading point at it (holidays)
        creditor=creditor,
        authorisations=authorisations,
        holidays=holidays,
        delivery_days=delivery_days,
    )


# -- owners/<unit>.yaml --------------------------------------------------------

def _person(what: str, required_name: bool = True):
    spec = {"name": (text, required_name), "phone": (optional_text, False), "address": (optional_text, False)}

    def build(r, node, v):
        return Person(v.get("name", ""), v.get("phone", ""), v.get("address", ""))

    return _nested(spec, what, build)


_PROMISE_SPEC = {"date": (a_date, True), "amount": (money, False)}
_OPENING_SPEC = {
    "amount": (money, True), "due": (a_date, True), "period": (optional_text, False),
    "assignment_notified": (a_date, False), "note": (optional_text, False),
}
_SERVICE_ADDRESS_SPEC = {"address": (text, True), "confirmed": (a_date, True), "evidence": (optional_text, False)}
_CONSENT_SPEC = {"kind": (text, True), "date": (a_date, True), "evidence": (optional_text, False), "withdrawn": (a_date, False), "note": (optional_text, False)}
_CONTACT_SPEC = {
    "date": (a_date, True),
    "channel": (enum(CHANNELS), True),
    "by": (optional_text, False),
    "outcome": (enum(OUTCOMES), True),
    "promise": (_any, False),
    "reason": (enum(REASONS), False),
    "evidence": (optional_text, False),
    "note": (optional_text, False),
    "purpose": (enum(PURPOSES), False),
    "party": (enum(PARTIES), False),
    "covers": (enum(COVERS), False),
}
_NO_OWNERS = ("owners 至少要有一位业主", "在 owners 下写上业主，例如 - {name: 王丽, phone: \"13800000000\"}")
_UNIT_SPEC = {
    "unit": (unit_id, True),
    "type": (text, True),
    "area": (an_area, False),
    "billing_start": (a_date, True),
    "occupancy": (enum(OCCUPANCIES), False),
    "owners": (list_of(_person("业主"), min_items=1, empty=_NO_OWNERS), True),
    "tenant": (_person("租户", required_name=False), False),
    "tags": (list_of(text), False),
    "opening": (_any, False),
    "service_address": (_any, False),
    "consents": (_any, False),
    "contacts": (_any, False),
    "$schema": (optional_text, False),
}


def _read_contact(r: Reader, node) -> Contact | None:
    """A contact; with errors, what could be read (its date is still checked against today)."""
    v = r.fields(node, "催收记录", _CONTACT_SPEC, partial=True)
    if v is None:
        return None
    day, outcome = _get(v, "date"), _get(v, "outcome")
    promise = None
    if "promise" in v:
        if outcome is not None and outcome != "promised":
            r.error(v["promise"], "只有 outcome 为 promised（承诺付款）时才能写 promise", "把 outcome 改为 promised，或删除 promise")
        p = r.fields(v["promise"], "promise（还款承诺）", _PROMISE_SPEC, partial=True)
        if p is not None:
            promised = _get(p, "date")
            if promised is not None and day is not None and promised < day:
                r.warn(r.value_of(v["promise"], "date"), "承诺付款日期早于这次联系的日期", "检查承诺日期是否写错")
            promise = Promise(promised, _get(p, "amount"))
    elif outcome == "promised":
        r.warn(r.value_of(node, "outcome"), "outcome 为 promised 却没有写 promise（承诺日期和金额）", "补上 promise: {date: …, amount: …}，跟催表才能提醒兑现")
    purpose, covers = _get(v, "purpose", "demand"), _get(v, "covers", "in_time")
    if "covers" in v and outcome is not None and outcome != "promised":
        r.warn(r.value_of(node, "covers"), "只有 outcome 为 promised（承诺付款）时 covers 才起作用", "covers 说明业主承诺的是哪些欠费；不是承诺付款就删除 covers")
    elif covers == "all" and not _get(v, "evidence", ""):
        r.warn(r.value_of(node, "covers"), "covers: all（业主承认包括已过时效在内的全部欠费）却没有写证据", "写上能证明业主承认全部欠费的录音或书面材料（evidence）；没有证据的承诺不中断诉讼时效")
    if purpose != "demand" and "promise" in v:
        r.warn(r.value_of(node, "purpose"), "这条记录不是催缴（purpose 不是 demand），其中的付款承诺不中断诉讼时效", "如果这次联系谈了欠费并由业主承诺付款，把 purpose 改为 demand 或删除这一行")
    return Contact(
        date=day, channel=_get(v, "channel"), by=_get(v, "by", ""), outcome=outcome, promise=promise,
        reason=_get(v, "reason"), evidence=_get(v, "evidence", ""), note=_get(v, "note", ""), pos=r.pos(node),
        purpose=purpose, party=_get(v, "party", "issuer"), covers=covers,
    )


def _read_opening(r: Reader, node, start: date | None) -> tuple[Opening, ...]:
    """Opening arrears: one mapping (v1) or a list of items, each its own charge (v2)."""
    items = r.sequence(node, "opening（期初欠费）") if type(node) is SequenceNode or type(node) is list else [node]
    if items is None:
        return ()
    if not items:
        r.error(node, "opening（期初欠费）列表是空的", "没有期初欠费就删除 opening；有则每项写 amount 和 due")
        return ()
    out = []
    for item in items:
        o = r.fields(item, "opening（期初欠费）", _OPENING_SPEC, partial=True)
        if o is None:
            continue
        due, notified = _get(o, "due"), _get(o, "assignment_notified")
        if due is not None and start is not None and due >= start:
            r.error(r.value_of(item, "due"), f"期初欠费的到期日 {due} 应早于计费开始日 {start}", "期初欠费是计费开始前的旧欠款：把 due 改为计费开始日之前的日期，或把这笔钱记为一次性收费（charges）")
        if due is not None and notified is not None and notified <= due:
            r.warn(r.value_of(item, "assignment_notified"), f"债权转让通知日 {notified} 不晚于这笔欠费的到期日 {due}，不中断诉讼时效", "检查日期：通知业主债权转让的日子应在欠费到期之后")
        out.append(Opening(_get(o, "amount"), due, r.pos(item), _get(o, "period", "") or "", notified, _get(o, "note", "") or ""))
    return tuple(out)


def _read_consents(r: Reader, node) -> tuple[Consent, ...]:
    out = []
    for item in r.sequence(node, "consents（个人信息同意）") or []:
        v = r.fields(item, "同意记录", _CONSENT_SPEC, partial=True)
        if v is None:
            continue
        kind, day, withdrawn = _get(v, "kind"), _get(v, "date"), _get(v, "withdrawn")
        if kind is not None and kind not in CONSENT_KINDS:
            r.warn(r.value_of(item, "kind"), f"不认识的同意种类“{kind}”，程序不会用到它", "目前用到的只有 publish_arrears（同意公示本户欠费）")
        if kind is not None and not _get(v, "evidence", ""):
            r.warn(item, "同意记录没有写证据", "写上业主签字的同意书扫描件或存放位置（evidence）；个人信息保护法第十四条要求单独同意，须能证明")
        if day is not None and withdrawn is not None and withdrawn < day:
            r.error(r.value_of(item, "withdrawn"), f"撤回日期 {withdrawn} 早于同意日期 {day}", "检查两个日期")
            continue
        if kind is not None and day is not None:
            out.append(Consent(kind, day, _get(v, "evidence", "") or "", withdrawn))
    return tuple(out)


def read_unit(r: Reader, node, expected_id: str) -> Unit | None:
    """The unit; with errors, what could be read, as long as its number is right (for the checks across files)."""
    if node is None:
        r.problems.append(error(Pos(r.path, 1, 1), "房屋文件是空的", "至少写上 unit、type、billing_start 和 owners"))
        return None
    v = r.fields(node, "房屋信息", _UNIT_SPEC, partial=True)
    if v is None:
        return None
    unit, start = _get(v, "unit"), _get(v, "billing_start")
    if unit is not None and unit != expected_id:
        r.error(r.value_of(node, "unit"), f"房号“{unit}”与文件名“{expected_id}.yaml”不一致", f"把文件改名为 {unit}.yaml，或把 unit 改为 {expected_id}")
    opening = _read_opening(r, v["opening"], start) if "opening" in v else ()
    service_address = None
    if "service_address" in v:
        a = r.fields(v["service_address"], "service_address（送达地址确认）", _SERVICE_ADDRESS_SPEC, partial=True)
        if a is not None and _get(a, "address") is not None and _get(a, "confirmed") is not None:
            if not _get(a, "evidence", ""):
                r.warn(v["service_address"], "送达地址确认没有写证据", "写上业主签字的《送达地址确认书》的扫描件或存放位置（evidence）；寄到确认地址被退回的函件要靠它才算送达")
            service_address = ServiceAddress(a["address"], a["confirmed"], _get(a, "evidence", "") or "")
    consents = _read_consents(r, v["consents"]) if "consents" in v else ()
    contacts: list[Contact] = []
    if "contacts" in v:
        for contact_node in r.sequence(v["contacts"], "contacts（催收记录）") or []:
            contact = _read_contact(r, contact_node)
            if contact is not None:
                contacts.append(contact)
    if unit is None or unit != expected_id:
        return None  # entries cannot be matched to it: the file's own errors say why
    return Unit(
        id=unit, type=_get(v, "type"), area=_get(v, "area"), billing_start=start,
        occupancy=_get(v, "occupancy", "self"), owners=_get(v, "owners"), tenant=_get(v, "tenant"),
        tags=_get(v, "tags", ()), opening=opening, contacts=tuple(contacts), pos=r.record_pos(node),
        service_address=service_address, consents=consents,
    )


# -- ledger entries files ---------------------------------------------------------

def payment_for(r: Reader, node, key: str):
    """A payment's ``for``: what the owner said it pays, a list of YYYY-MM, opening or late_fee (one item may stand alone)."""
    nodes = [node] if type(node) is ScalarNode or type(node) is str else r.sequence(node, f"“{key}”")
    if nodes is None:
        return BAD
    out = []
    for item in nodes:
        value = r.scalar(item, key)
        if value is BAD:
            return BAD
        value = value.strip()
        month = _MONTH.fullmatch(value)
        if value in (FOR_OPENING, FOR_LATE_FEE) or (month and 1 <= int(month.group(2)) <= 12 and FIRST_DATE.year <= int(month.group(1)) <= LAST_DATE.year):
            if value not in out:
                out.append(value)
            continue
        if month or re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", value):
            return r.error(item, f"for 里的“{value}”不是有效的月份", "写成 YYYY-MM，例如 2026-03（指到期日在 2026 年 3 月的欠费）")
        return r.error(item, f"for 里的“{value}”不在可选范围内", "可写：YYYY-MM（到期日在该月的欠费，如 2026-03）、opening（期初欠费）、late_fee（违约金）")
    if not out:
        return r.error(node, "for 是空的", "不指定用途就删除 for；否则写上月份（YYYY-MM）、opening 或 late_fee")
    if FOR_LATE_FEE in out and len(out) > 1:
        r.warn(node, "for 里有 late_fee：整笔缴费都算违约金，其他几项不起作用", "一笔钱既交本金又交违约金时，分成两条缴费记录")
    return tuple(out)


_PAYMENT_SPEC = {
    "unit": (unit_id, True), "date": (a_date, True), "amount": (money, True),
    "method": (enum(METHODS), True), "receipt": (optional_text, False), "note": (optional_text, False),
    "for": (payment_for, False),
}
_CHARGE_SPEC = {
    "unit": (unit_id, True), "item": (text, True), "period": (optional_text, False), "amount": (money, True),
    "due": (a_date, True), "issued": (a_date, False), "note": (optional_text, False),
}
_WAIVER_SPEC = {
    "unit": (unit_id, True), "date": (a_date, True), "amount": (money, True),
    "applies_to": (enum(APPLIES_TO), True), "approved_by": (text, True), "reason": (text, True),
    "note": (optional_text, False), "consent": (optional_text, False),
}
_INSTALLMENT_SPEC = {"due": (a_date, True), "amount": (money, True)}
_PLAN_SPEC = {
    "unit": (unit_id, True), "signed": (a_date, True), "installments": (_any, True), "note": (optional_text, False),
    "covers": (enum(COVERS), False), "late_fee": (enum(PLAN_LATE_FEES), False),
}
_ENTRIES_SPEC = {"payments": (_any, False), "charges": (_any, False), "waivers": (_any, False), "plans": (_any, False), "$schema": (optional_text, False)}


def _section(r: Reader, top: dict, key: str, what: str) -> list:
    if key not in top:
        return []
    return r.sequence(top[key], what) or []


def read_entries(r: Reader, node) -> Entries:
    """Every entry of the file; an entry with errors keeps what could be read (None elsewhere) for the checks across files."""
    if node is None:
        return Entries()
    top = r.fields(node, "账目文件", _ENTRIES_SPEC, partial=True)
    if top is None:
        return Entries()
    path = r.path
    problems = r.problems
    payments, charges, waivers, plans = [], [], [], []
    index = 0
    for item in _section(r, top, "payments", "payments（缴费）"):
        before = len(problems)
        v = r.fields(item, "缴费记录", _PAYMENT_SPEC, partial=True)
        if v is not None:
            if len(problems) == before:
                payments.append(Payment(v["unit"], v["date"], v["amount"], v["method"], v.get("receipt", ""), (path, index), r.pos(item), v.get("for", ())))
            else:
                payments.append(Payment(_get(v, "unit"), _get(v, "date"), _get(v, "amount"), _get(v, "method"), _get(v, "receipt", ""), (path, index), r.pos(item), _get(v, "for", ())))
        index += 1
    for item in _section(r, top, "charges", "charges（一次性收费）"):
        before = len(problems)
        v = r.fields(item, "一次性收费", _CHARGE_SPEC, partial=True)
        if v is not None:
            if len(problems) == before:
                charges.append(OneOffCharge(v["unit"], v["item"], v.get("period", ""), v["amount"], v["due"], v.get("issued", v["due"]), (path, index), r.pos(item)))
            else:
                charges.append(OneOffCharge(_get(v, "unit"), _get(v, "item"), _get(v, "period", ""), _get(v, "amount"), _get(v, "due"), _get(v, "issued", v.get("due")), (path, index), r.pos(item)))
        index += 1
    for item in _section(r, top, "waivers", "waivers（减免）"):
        before = len(problems)
        v = r.fields(item, "减免记录", _WAIVER_SPEC, partial=True)
        if v is not None:
            if len(problems) == before:
                waivers.append(Waiver(v["unit"], v["date"], v["amount"], v["applies_to"], v["approved_by"], v["reason"], (path, index), r.pos(item), v.get("consent", "")))
            else:
                waivers.append(Waiver(_get(v, "unit"), _get(v, "date"), _get(v, "amount"), _get(v, "applies_to"), _get(v, "approved_by"), _get(v, "reason"), (path, index), r.pos(item), _get(v, "consent", "") or ""))
        index += 1
    for item in _section(r, top, "plans", "plans（分期协议）"):
        v = r.fields(item, "分期协议", _PLAN_SPEC, partial=True)
        index += 1
        if v is None:
            continue
        signed = _get(v, "signed")
        steps = []
        nodes = r.sequence(v["installments"], "installments（分期明细）") if "installments" in v else None
        for step_node in nodes or []:
            s = r.fields(step_node, "分期明细", _INSTALLMENT_SPEC, partial=True)
            if s is None:
                continue
            due = _get(s, "due")
            if due is not None and signed is not None and due < signed:
                r.warn(r.value_of(step_node, "due"), f"这一期的到期日 {due} 早于分期协议的签订日 {signed}", "检查这一期的 due 或协议的 signed 日期")
            steps.append(Installment(due, _get(s, "amount")))
        if nodes is not None and not nodes:
            r.error(v["installments"], "分期协议至少要有一期", "在 installments 里写上每期的 due 和 amount")
        plans.append(Plan(_get(v, "unit"), signed, tuple(steps), (path, index - 1), r.pos(item), _get(v, "covers", "in_time"), _get(v, "late_fee", "accrue")))
    return Entries(tuple(payments), tuple(charges), tuple(waivers), tuple(plans))
