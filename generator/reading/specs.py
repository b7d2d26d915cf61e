"""The specs of the data files and the checks that need nothing but the file itself.

``read_policy``, ``read_unit`` and ``read_entries`` turn a file's YAML nodes
into records (``core/model.py``) with the generic reader of ``fields``: each
key's value through its field object, then the checks across a file's own
parts, made here at the key or value they are about (fee versions, stage ids
and ``requires``, a promise without ``promised``...). Checks across files
live in ``validate``.

Each ``read_*`` function returns a record, or None when the data was too
broken to use (the reason is in the reader's diagnostics). A record read with
errors holds what could be read, and None where a value could not be: never
computed with (the pipeline computes only data without errors), it lets
``validate`` still run the checks across files on what was readable, so one
mistake does not hide another.

``POLICY_SPEC``, ``UNIT_SPEC`` and ``ENTRIES_SPEC`` describe every key of the
three kinds of file; the editors' JSON Schemas are made from them
(``editor_schemas``). A key whose value the code below reads itself is a
``Deferred`` field that names the spec it is read with.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from generator.core import labels
from generator.core.diagnostics import Pos, error
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
    Complaint,
    ComplaintRule,
    ComplaintUpdate,
    Consent,
    Contact,
    Court,
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
from generator.reading.fields import (
    BAD,
    DOCUMENT_NO,
    FIRST_DATE,
    LAST_DATE,
    NON_EMPTY_TEXT,
    STAGE_ID,
    YEAR_TEXT,
    Deferred,
    Enum,
    Field,
    Integer,
    IntegerChoice,
    ListOf,
    Nested,
    Reader,
    RecordSchema,
    Spec,
    a_date,
    a_decimal,
    an_area,
    bare_record,
    boolean,
    credit_code,
    document_no,
    money,
    optional_text,
    period,
    stage_id,
    text,
    unit_id,
)
from generator.reading.yamlsource import MappingNode, ScalarNode, SequenceNode

_MONTH = re.compile(r"(\d{4})-(\d{2})")
MAX_DAYS = 3650  # after_days, wait_days, deadline_days, grace_days, warn_days: ten years
MAX_YEARS = 20  # limitation.years
MAX_REQUIRED_COUNT = 99  # requires: {stage: count}


def _top(r: Reader, node, empty: tuple[str, str], what: str, spec: Spec) -> dict | None:
    """What could be read of a file's top mapping; None when there is none (an empty file: ``empty`` says so)."""
    if node is None:
        r.problems.append(error(Pos(r.path, 1, 1), *empty))
        return None
    return r.fields(node, what, spec, partial=True)


def _get(values: dict, key: str, default=None):
    """A value read by ``fields(partial=True)``: ``default`` when missing, None when it could not be read."""
    value = values.get(key, default)
    return None if value is BAD else value


# -- policy -----------------------------------------------------------------
# The policy is one small file, always read the exact way (libyaml nodes), so
# its checks across its own parts (fee versions, stage references) are made
# here, at the nodes they are about.

class Rate(Field):
    """A fee's rate: one decimal, or a table of them by unit type ({高层: "2.20", 洋房: "2.80"})."""

    __slots__ = ()

    def __call__(self, r: Reader, node, key: str):
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

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        number = a_decimal.json_schema(record)
        return {"anyOf": [number, {"type": "object", "minProperties": 1, "propertyNames": {"pattern": NON_EMPTY_TEXT}, "additionalProperties": number}]}


_FEE_SPEC = {
    "id": (stage_id, True),
    "name": (text, False),  # default: the id
    "basis": (Enum(BASES), True),
    "rate": (Rate(), True),
    "cycle": (IntegerChoice(CYCLES, " 个月"), True),
    "due_day": (Integer(1, 28), True),
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


class Requires(Field):
    """A stage's ``requires``: {stage id: how many times}, e.g. {notice: 2}."""

    __slots__ = ()
    count = Integer(1, MAX_REQUIRED_COUNT)

    def __call__(self, r: Reader, node, key: str):
        if type(node) is not MappingNode:
            return r.error(node, "requires 应写成 {阶段id: 次数}", "例如 requires: {notice: 2}")
        pairs = []
        broken = False
        for key_node, value_node in node.value:
            name = stage_id(r, key_node, key)
            count = self.count(r, value_node, f"requires.{getattr(key_node, 'value', '')}")
            if name is BAD or count is BAD:
                broken = True
                continue
            pairs.append((name, count))
        return BAD if broken else tuple(pairs)

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"type": "object", "propertyNames": {"pattern": stage_id.json_schema(record)["pattern"]}, "additionalProperties": self.count.json_schema(record)}


_STAGE_SPEC = {
    "id": (stage_id, True),
    "name": (text, False),  # default: the id
    "after_days": (Integer(0, MAX_DAYS), True),
    "channels": (ListOf(Enum(CHANNELS, "channel")), True),
    "letter": (stage_id, False),
    "wait_days": (Integer(0, MAX_DAYS), False),
    "deadline_days": (Integer(0, MAX_DAYS), False),
    "requires": (Requires(), False),
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
                if type(key_node) is ScalarNode and STAGE_ID.fullmatch(needed.strip()) and needed.strip() not in known:
                    close = difflib.get_close_matches(needed.strip(), known, n=1)
                    hint = f"是不是“{close[0]}”？" if close else "requires 里只能写本文件 dunning 里已定义的阶段 id：" + "、".join(known)
                    r.error(key_node, f"阶段“{name}”的 requires 引用了不存在的阶段“{needed.strip()}”", hint)


_ORGANISATION_SPEC = {
    "name": (text, True), "address": (optional_text, False), "phone": (optional_text, False),
    "representative": (optional_text, False), "credit_code": (credit_code, False),
}
_ISSUER_SPEC = _ORGANISATION_SPEC
_LATE_FEE_SPEC = {
    "daily_rate": (a_decimal, True), "grace_days": (Integer(0, MAX_DAYS), False), "cap": (a_decimal, False),
    "on_opening": (boolean, False), "basis": (optional_text, False),
}
_LIMITATION_SPEC = {"years": (Integer(1, MAX_YEARS), False), "warn_days": (Integer(0, MAX_DAYS), False)}
_CREDITOR_SPEC = _ORGANISATION_SPEC
_AUTHORISATION_SPEC = {"from": (a_date, True), "until": (a_date, False), "document": (text, True), "note": (optional_text, False)}
_HOLIDAY_SPEC = {"off": (ListOf(a_date), False), "work": (ListOf(a_date), False)}
MAX_DELIVERY_DAYS = 60
DEFAULT_DELIVERY_DAYS = 7  # a registered letter inside a city arrives in a few days; returned mail takes longer
_LETTERS_SPEC = {"delivery_days": (Integer(0, MAX_DELIVERY_DAYS), False)}
_COMPLAINT_RULE_SPEC = {"hold_lawyer_days": (Integer(0, MAX_DAYS), False), "call_after_days": (Integer(0, MAX_DAYS), False)}


def _organisation(kind: type, v: dict):
    """An issuer or a creditor from what could be read of its mapping."""
    return kind(_get(v, "name"), _get(v, "address", ""), _get(v, "phone", ""), _get(v, "representative", ""), _get(v, "credit_code", ""))


class CreditorField(Field):
    """Who holds the claim: ``{name: …}`` as the spec writes it, or the plain name (read before v2)."""

    __slots__ = ()
    mapping = Nested(_CREDITOR_SPEC, "creditor（债权人）", lambda r, node, v: _organisation(Creditor, v), "creditor")

    def __call__(self, r: Reader, node, key: str):
        if type(node) is MappingNode:
            return self.mapping(r, node, key)
        name = text(r, node, key)
        return BAD if name is BAD else Creditor(name)

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        return {"anyOf": [text.json_schema(record), self.mapping.json_schema(record)]}


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


_YEAR = Integer(FIRST_DATE.year, LAST_DATE.year)


def _holidays(r: Reader, node) -> tuple[HolidayYear, ...]:
    """``{2027: {off: [...], work: [...]}}``: each date inside its year."""
    if type(node) is not MappingNode:
        r.error(node, "holidays 应写成 {年份: {off: [...], work: [...]}}", "例如 holidays: {2027: {off: [2027-01-01], work: [2027-02-14]}}")
        return ()
    out = []
    seen: set[int] = set()
    for key_node, value_node in node.value:
        year = _YEAR(r, key_node, "holidays 的年份")
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


_NOTICE_BOARD_SPEC = {"list_units": (boolean, False)}
_COURT_SPEC = {"name": (optional_text, False), "average_wage": (money, False), "wage_year": (_YEAR, False)}
# A province's yearly average wage of employed persons is some 60,000 to 200,000 yuan: far below, it is
# likely a monthly figure; far above, a slip of the keyboard.
WAGE_PLAUSIBLE = (Decimal(20000), Decimal(1000000))


def _court(r: Reader, node) -> Court | None:
    """Where claims are filed and the province's average wage that sets the small-claims limit."""
    v = r.fields(node, "court（法院）", _COURT_SPEC, partial=True)
    if v is None:
        return None
    name, wage, year = _get(v, "name", ""), _get(v, "average_wage"), _get(v, "wage_year")
    if name and "法院" not in name:
        r.warn(r.value_of(node, "name"), f"“{name}”不像法院的名称", "写房屋所在地基层人民法院的全称，例如 示例市示例区人民法院")
    if "average_wage" in v and "wage_year" not in v:
        r.error(r.value_of(node, "average_wage"), "写了 average_wage（就业人员年平均工资）却没有写是哪一年的",
                "补上 wage_year: 统计局公布的这个数字所属的年份，例如 wage_year: 2025；小额诉讼的标的额上限按上年度的数字算")
    elif "wage_year" in v and "average_wage" not in v:
        r.error(r.value_of(node, "wage_year"), "写了 wage_year 却没有写那一年的就业人员年平均工资（average_wage）",
                "补上 average_wage: \"123456\"（省统计局公布的全省就业人员年平均工资，元）；不知道就把 wage_year 也删掉")
    if wage is not None and not WAGE_PLAUSIBLE[0] <= wage <= WAGE_PLAUSIBLE[1]:
        low = wage < WAGE_PLAUSIBLE[0]
        r.warn(r.value_of(node, "average_wage"), f"就业人员年平均工资 {wage} 元{'偏低，像是月平均工资' if low else '过高'}",
               "写全省就业人员的年平均工资（元/年），例如 average_wage: \"98765\"；小额诉讼的标的额上限是它的百分之五十")
    return Court(name, wage if year is not None else None, year if wage is not None else None)



POLICY_SPEC = {
    "community": (text, True),
    "issuer": (Deferred(_ISSUER_SPEC, "issuer"), True),
    "creditor": (CreditorField(), False),
    "authorisations": (Deferred(_AUTHORISATION_SPEC, "authorisation", "list"), False),
    "holidays": (Deferred(_HOLIDAY_SPEC, "holiday", "by_year"), False),  # {2027: {off: [...], work: [...]}}
    "letters": (Deferred(_LETTERS_SPEC, "letters"), False),
    "payment_channels": (ListOf(text), False),
    "fees": (Deferred(_FEE_SPEC, "fee", "list"), True),
    "late_fee": (Deferred(_LATE_FEE_SPEC, "late_fee"), False),
    "dunning": (Deferred(_STAGE_SPEC, "stage", "list"), False),
    "limitation": (Deferred(_LIMITATION_SPEC, "limitation"), False),
    "notice_board": (Deferred(_NOTICE_BOARD_SPEC, "notice_board"), False),
    "court": (Deferred(_COURT_SPEC, "court"), False),
    "complaints": (Deferred(_COMPLAINT_RULE_SPEC, "complaint_rule"), False),
    "$schema": (optional_text, False),
}


def read_policy(r: Reader, node) -> Policy | None:
    """The policy; with errors, what could be read of it (the fees' bases and rate tables for the checks of units)."""
    values = _top(r, node, ("policy.yaml 是空的", "参照使用指南填写小区名称、收费项目和催缴阶段"), "收费政策", POLICY_SPEC)
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
    issuer_record = _organisation(Issuer, issuer) if issuer is not None else None
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
        court=_court(r, values["court"]) if "court" in values else None,
        complaints=_complaint_rule(r, values["complaints"]) if "complaints" in values else ComplaintRule(),
    )


def _complaint_rule(r: Reader, node) -> ComplaintRule:
    """How complaints change the desk; a key not written (or not readable) keeps its default."""
    v = r.fields(node, "complaints（投诉处理）", _COMPLAINT_RULE_SPEC, partial=True) or {}
    default = ComplaintRule()
    hold, call = _get(v, "hold_lawyer_days"), _get(v, "call_after_days")
    return ComplaintRule(default.hold_lawyer_days if hold is None else hold, default.call_after_days if call is None else call)


# -- owners/<unit>.yaml --------------------------------------------------------

def _person(what: str, required_name: bool = True):
    spec = {"name": (text, required_name), "phone": (optional_text, False), "address": (optional_text, False)}

    def build(r, node, v):
        return Person(v.get("name", ""), v.get("phone", ""), v.get("address", ""))

    return Nested(spec, what, build, "person")


_PROMISE_SPEC = {"date": (a_date, True), "amount": (money, False)}
_OPENING_SPEC = {
    "amount": (money, True), "due": (a_date, True), "period": (optional_text, False),
    "assignment_notified": (a_date, False), "note": (optional_text, False),
}
_SERVICE_ADDRESS_SPEC = {"address": (text, True), "confirmed": (a_date, True), "evidence": (optional_text, False)}
_CONSENT_SPEC = {"kind": (text, True), "date": (a_date, True), "evidence": (optional_text, False), "withdrawn": (a_date, False), "note": (optional_text, False)}
_CONTACT_SPEC = {
    "date": (a_date, True),
    "channel": (Enum(CHANNELS), True),
    "by": (optional_text, False),
    "outcome": (Enum(OUTCOMES), True),
    "promise": (Deferred(_PROMISE_SPEC, "promise"), False),
    "reason": (Enum(REASONS), False),
    "evidence": (optional_text, False),
    "note": (optional_text, False),
    "purpose": (Enum(PURPOSES), False),
    "party": (Enum(PARTIES), False),
    "covers": (Enum(COVERS), False),
    "tracking": (optional_text, False),
    "delivered_on": (a_date, False),
    "document": (document_no, False),
}
_COMPLAINT_UPDATE_SPEC = {"date": (a_date, True), "text": (text, True), "by": (optional_text, False)}
_COMPLAINT_SPEC = {
    "opened": (a_date, True),
    "category": (Enum(tuple(labels.COMPLAINT_CATEGORY)), True),
    "said": (text, True),
    "owner": (optional_text, False),
    "promised": (a_date, False),
    "updates": (Deferred(_COMPLAINT_UPDATE_SPEC, "complaint_update", "list"), False),
    "resolved": (a_date, False),
    "resolution": (optional_text, False),
    "confirmed": (a_date, False),
    "evidence": (optional_text, False),
    "disputed": (ListOf(period), False),
}
_NO_OWNERS = ("owners 至少要有一位业主", "在 owners 下写上业主，例如 - {name: 王丽, phone: \"13800000000\"}")
UNIT_SPEC = {
    "unit": (unit_id, True),
    "type": (text, True),
    "area": (an_area, False),
    "billing_start": (a_date, True),
    "occupancy": (Enum(OCCUPANCIES), False),
    "owners": (ListOf(_person("业主"), min_items=1, empty=_NO_OWNERS), True),
    "tenant": (_person("租户", required_name=False), False),
    "tags": (ListOf(text), False),
    "opening": (Deferred(_OPENING_SPEC, "opening", "either"), False),  # one item (v1) or a list of items (v2)
    "service_address": (Deferred(_SERVICE_ADDRESS_SPEC, "service_address"), False),
    "consents": (Deferred(_CONSENT_SPEC, "consent", "list"), False),
    "contacts": (Deferred(_CONTACT_SPEC, "contact", "list"), False),
    "complaints": (Deferred(_COMPLAINT_SPEC, "complaint", "list"), False),
    "$schema": (optional_text, False),
}


MAIL_CHANNELS = frozenset({"letter", "registered_mail", "lawyer_letter", "court", "other"})  # what may carry a tracking number


def _check_delivery(r: Reader, node, v: dict, day: date | None, unit: str) -> None:
    """A contact's proof of delivery (issue 15): the day it arrived, the 文号 of what the envelope held."""
    delivered, channel = _get(v, "delivered_on"), _get(v, "channel")
    if delivered is not None and day is not None and delivered < day:
        r.error(r.value_of(node, "delivered_on"), f"送达日期 {delivered} 早于这次联系（寄出）的日期 {day}",
                "delivered_on 写函件送到（签收）的日子，date 写寄出或送出的日子；检查两个日期")
    if _get(v, "tracking") and channel is not None and channel not in MAIL_CHANNELS:
        r.warn(r.value_of(node, "tracking"), f"联系方式是{labels.CHANNEL[channel]}，却写了快递单号（tracking）",
               "快递单号只用于寄出的函件：把 channel 改为 registered_mail（挂号信/EMS）或 letter，或把单号移到 note")
    document = _get(v, "document")
    if not document:
        return
    prefix, digits, named_unit = DOCUMENT_NO.fullmatch(document).groups()
    if prefix not in labels.DOCUMENT_PREFIXES:
        known = "、".join(f"{code}（{name}）" for code, name in labels.DOCUMENT_PREFIXES.items())
        r.warn(r.value_of(node, "document"), f"文号“{document}”的代号 {prefix} 不是本程序函件的代号",
               f"照函件右上角的文号抄写；本程序函件的代号：{known}")
    if named_unit is not None and named_unit != unit:
        r.warn(r.value_of(node, "document"), f"文号“{document}”是发给 {named_unit} 的函件，不是本户（{unit}）的",
               "检查文号是否抄错，或这条记录是否记错了户")
    printed = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if day is not None and printed > day:
        r.warn(r.value_of(node, "document"), f"文号“{document}”的日期 {printed} 晚于这次联系的日期 {day}",
               "函件要先打印出来才能送出：检查文号或联系日期")


def _read_contact(r: Reader, node, unit: str = "") -> Contact | None:
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
    _check_delivery(r, node, v, day, unit)
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
        tracking=_get(v, "tracking", ""), delivered_on=_get(v, "delivered_on"), document=_get(v, "document", ""),
    )


def _complaint_updates(r: Reader, node, opened: date | None) -> tuple[ComplaintUpdate, ...]:
    out = []
    for item in r.sequence(node, "updates（处理进展）") or []:
        u = r.fields(item, "处理进展", _COMPLAINT_UPDATE_SPEC, partial=True)
        if u is None:
            continue
        day = _get(u, "date")
        if day is not None and opened is not None and day < opened:
            r.error(r.value_of(item, "date"), f"处理进展的日期 {day} 早于投诉日期 {opened}", "检查两个日期：进展记在投诉之后")
        out.append(ComplaintUpdate(day, _get(u, "text"), _get(u, "by", "")))
    return tuple(out)


def _read_complaint(r: Reader, node) -> Complaint | None:
    """A complaint (issue 16): open until ``resolved``; the owner's confirmation only after it."""
    v = r.fields(node, "投诉记录", _COMPLAINT_SPEC, partial=True)
    if v is None:
        return None
    opened, promised, resolved, confirmed = (_get(v, key) for key in ("opened", "promised", "resolved", "confirmed"))
    if opened is not None and resolved is not None and resolved < opened:
        r.error(r.value_of(node, "resolved"), f"解决日期 {resolved} 早于投诉日期 {opened}", "检查两个日期：opened 写业主投诉的日子，resolved 写问题解决的日子")
    if confirmed is not None and "resolved" not in v:
        r.error(r.value_of(node, "confirmed"), "写了业主确认日期（confirmed），却没有写解决日期（resolved）",
                "业主确认的是解决结果：先写 resolved（解决日期）和 resolution（怎么解决的），还没解决就删除 confirmed")
    elif confirmed is not None and resolved is not None and confirmed < resolved:
        r.error(r.value_of(node, "confirmed"), f"业主确认日期 {confirmed} 早于解决日期 {resolved}", "检查两个日期：业主在问题解决之后才能确认")
    if promised is not None and opened is not None and promised < opened:
        r.warn(r.value_of(node, "promised"), f"承诺解决日期 {promised} 早于投诉日期 {opened}", "检查承诺日期是否写错")
    if resolved is not None and not _get(v, "resolution", ""):
        r.warn(r.value_of(node, "resolved"), "投诉写了解决日期，却没有写怎么解决的（resolution）", "补上 resolution，例如 已更换水管并回访；回访业主时要用到")
    if not _get(v, "owner", ""):
        r.warn(node, "投诉没有写负责人（owner）", "写上负责处理这件投诉的人，例如 owner: 物业客服 李娜；没有负责人的投诉没人跟进")
    updates = _complaint_updates(r, v["updates"], opened) if "updates" in v else ()
    return Complaint(
        opened=opened, category=_get(v, "category"), said=_get(v, "said"), owner=_get(v, "owner", ""), pos=r.pos(node),
        promised=promised, updates=updates, resolved=resolved, resolution=_get(v, "resolution", ""), confirmed=confirmed,
        evidence=_get(v, "evidence", ""), disputed=tuple(_get(v, "disputed", ()) or ()),
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
    v = _top(r, node, ("房屋文件是空的", "至少写上 unit、type、billing_start 和 owners"), "房屋信息", UNIT_SPEC)
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
            contact = _read_contact(r, contact_node, expected_id)
            if contact is not None:
                contacts.append(contact)
    complaints = []
    if "complaints" in v:
        for complaint_node in r.sequence(v["complaints"], "complaints（投诉记录）") or []:
            complaint = _read_complaint(r, complaint_node)
            if complaint is not None:
                complaints.append(complaint)
    if unit is None or unit != expected_id:
        return None  # entries cannot be matched to it: the file's own errors say why
    return Unit(
        id=unit, type=_get(v, "type"), area=_get(v, "area"), billing_start=start,
        occupancy=_get(v, "occupancy", "self"), owners=_get(v, "owners"), tenant=_get(v, "tenant"),
        tags=_get(v, "tags", ()), opening=opening, contacts=tuple(contacts), pos=r.record_pos(node),
        service_address=service_address, consents=consents, complaints=tuple(complaints),
    )


# -- ledger entries files ---------------------------------------------------------

class PaymentFor(Field):
    """A payment's ``for``: what the owner said it pays, a list of YYYY-MM, opening or late_fee (one item may stand alone)."""

    __slots__ = ()

    def __call__(self, r: Reader, node, key: str):
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

    def json_schema(self, record: RecordSchema = bare_record) -> dict:
        item = {"type": "string", "pattern": rf"^\s*({YEAR_TEXT}-(0[1-9]|1[0-2])|{FOR_OPENING}|{FOR_LATE_FEE})\s*$"}
        return {"anyOf": [item, {"type": "array", "minItems": 1, "items": item}]}


payment_for = PaymentFor()


_PAYMENT_SPEC = {
    "unit": (unit_id, True), "date": (a_date, True), "amount": (money, True),
    "method": (Enum(METHODS), True), "receipt": (optional_text, False), "note": (optional_text, False),
    "for": (payment_for, False),
}
_CHARGE_SPEC = {
    "unit": (unit_id, True), "item": (text, True), "period": (optional_text, False), "amount": (money, True),
    "due": (a_date, True), "issued": (a_date, False), "note": (optional_text, False),
}
_WAIVER_SPEC = {
    "unit": (unit_id, True), "date": (a_date, True), "amount": (money, True),
    "applies_to": (Enum(APPLIES_TO), True), "approved_by": (text, True), "reason": (text, True),
    "note": (optional_text, False), "consent": (optional_text, False),
}
_INSTALLMENT_SPEC = {"due": (a_date, True), "amount": (money, True)}
_PLAN_SPEC = {
    "unit": (unit_id, True), "signed": (a_date, True), "installments": (Deferred(_INSTALLMENT_SPEC, "installment", "list", min_items=1), True), "note": (optional_text, False),
    "covers": (Enum(COVERS), False), "late_fee": (Enum(PLAN_LATE_FEES), False),
}
ENTRIES_SPEC = {
    "payments": (Deferred(_PAYMENT_SPEC, "payment", "list"), False),
    "charges": (Deferred(_CHARGE_SPEC, "charge", "list"), False),
    "waivers": (Deferred(_WAIVER_SPEC, "waiver", "list"), False),
    "plans": (Deferred(_PLAN_SPEC, "plan", "list"), False),
    "$schema": (optional_text, False),
}


def _section(r: Reader, top: dict, key: str, what: str) -> list:
    if key not in top:
        return []
    return r.sequence(top[key], what) or []


def _entries(r: Reader, top: dict, key: str, what: str, item_what: str, spec: Spec, make, index: int) -> tuple[list, int]:
    """The records of one section, ``make(values, clean, seq, pos)`` of each item read, and the index after its last item.

    ``clean``: nothing was wrong with the item, so every value is there and none is BAD.
    """
    problems = r.problems
    path = r.path
    out = []
    for item in _section(r, top, key, what):
        before = len(problems)
        v = r.fields(item, item_what, spec, partial=True)
        if v is not None:
            out.append(make(v, len(problems) == before, (path, index), r.pos(item)))
        index += 1
    return out, index


def _payment(v: dict, clean: bool, seq, pos) -> Payment:
    if clean:
        return Payment(v["unit"], v["date"], v["amount"], v["method"], v.get("receipt", ""), seq, pos, v.get("for", ()))
    return Payment(_get(v, "unit"), _get(v, "date"), _get(v, "amount"), _get(v, "method"), _get(v, "receipt", ""), seq, pos, _get(v, "for", ()))


def _charge(v: dict, clean: bool, seq, pos) -> OneOffCharge:
    if clean:
        return OneOffCharge(v["unit"], v["item"], v.get("period", ""), v["amount"], v["due"], v.get("issued", v["due"]), seq, pos)
    return OneOffCharge(_get(v, "unit"), _get(v, "item"), _get(v, "period", ""), _get(v, "amount"), _get(v, "due"), _get(v, "issued", v.get("due")), seq, pos)


def _waiver(v: dict, clean: bool, seq, pos) -> Waiver:
    if clean:
        return Waiver(v["unit"], v["date"], v["amount"], v["applies_to"], v["approved_by"], v["reason"], seq, pos, v.get("consent", ""))
    return Waiver(_get(v, "unit"), _get(v, "date"), _get(v, "amount"), _get(v, "applies_to"), _get(v, "approved_by"), _get(v, "reason"), seq, pos, _get(v, "consent", "") or "")


ENTRY_SECTIONS = ("payments", "charges", "waivers", "plans")  # the order entries are numbered in a file


def read_entries(r: Reader, node, first_index: Mapping[str, int] | None = None) -> Entries:
    """Every entry of the file; an entry with errors keeps what could be read (None elsewhere) for the checks across files.

    Entries are numbered through the file, section by section in ``ENTRY_SECTIONS``
    order; ``first_index`` gives a section's first number when ``node`` is a part
    of the file (``parts.py``).
    """
    if node is None:
        return Entries()
    top = r.fields(node, "账目文件", ENTRIES_SPEC, partial=True)
    if top is None:
        return Entries()
    path = r.path
    first = first_index or {}
    payments, index = _entries(r, top, "payments", "payments（缴费）", "缴费记录", _PAYMENT_SPEC, _payment, first.get("payments", 0))
    charges, index = _entries(r, top, "charges", "charges（一次性收费）", "一次性收费", _CHARGE_SPEC, _charge, first.get("charges", index))
    waivers, index = _entries(r, top, "waivers", "waivers（减免）", "减免记录", _WAIVER_SPEC, _waiver, first.get("waivers", index))
    index = first.get("plans", index)
    plans = []
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
