"""Checks that need more than one file: units against the policy's fees, references, uniqueness, dates against today.

The policy's checks of its own parts (fee versions, stage ids and references)
are made while reading it (``specs``), at the nodes they are about. Records
read from a file with errors hold None where a value could not be read (see
``specs``); every check here skips those values, whose problem is already
reported, so that one mistake gives one message.
"""
from __future__ import annotations

import difflib
import operator
from datetime import date
from pathlib import PurePosixPath

from generator.core.diagnostics import Diagnostic, RecordPos, error, warning
from generator.core.model import FOR_OPENING, Ledger


def validate(ledger: Ledger, today: date) -> list[Diagnostic]:
    """Everything wrong across files. ``today`` only guards against typo'd future dates."""
    problems: list[Diagnostic] = []
    problems += _check_units(ledger)
    problems += _check_entries(ledger, today)
    problems += _check_owner_dates(ledger, today)
    problems += _check_sensitive_tags(ledger)
    problems += _check_court(ledger, today)
    return problems


# The statistics bureaus publish a year's average wage in the next year's spring or summer; courts
# take the latest one published ("上年度"), so in year Y the figure is Y-1's, or Y-2's before it is out.
WAGE_YEARS_CURRENT = 2


def _check_court(ledger: Ledger, today: date) -> list[Diagnostic]:
    """The average wage that sets the small-claims limit is a past year's, and not an old one."""
    court = ledger.policy.court
    if court is None or court.wage_year is None:
        return []
    where = _at(ledger.policy.pos, "court")
    year = court.wage_year
    if year >= today.year:
        return [error(where, f"court 的 wage_year 是 {year} 年：这一年的就业人员年平均工资还没有公布",
                      f"写统计局已公布的最近一年，一般是 {today.year - 1} 年或 {today.year - 2} 年，连同那一年的 average_wage")]
    if year < today.year - WAGE_YEARS_CURRENT:
        return [warning(where, f"court 的就业人员年平均工资是 {year} 年的，可能已经过时",
                        f"小额诉讼的标的额上限按上年度的数字算：查省统计局公布的 {today.year - 1} 年（未公布时 {today.year - 2} 年）的数字，更新 average_wage 和 wage_year")]
    return []


def _check_units(ledger: Ledger) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    fees = ledger.policy.fees
    needs_area = any(fee.basis == "area" for fee in fees)
    tables = [fee for fee in fees if fee.rate is None and fee.rates]  # a rate that could not be read has neither
    for unit in ledger.units:
        pos = unit.pos
        written = pos.has if isinstance(pos, RecordPos) else (lambda key: True)
        if needs_area and unit.area is None and not written("area"):  # a written but unreadable area has its own error
            problems.append(error(pos, f"{unit.id} 缺少建筑面积 area", "有按面积计费的项目时，每户都要写 area，例如 area: \"89.50\""))
        if unit.type is None:
            continue
        where = pos.of("type") if isinstance(pos, RecordPos) else pos
        for fee in tables:
            if fee.rate_for(unit.type) is None:
                known = "、".join(name for name, _ in fee.rates)
                name = fee.name or fee.id or f"第 {fee.pos.line} 行"  # a fee read with errors may lack its name
                problems.append(error(where, f"{unit.id} 的房屋类型“{unit.type}”不在收费项目“{name}”的费率表里", f"费率表里有：{known}；改正 type 或在 policy.yaml 补上费率"))
    return problems


_UNIT, _DATE, _RECEIPT = operator.attrgetter("unit"), operator.attrgetter("date"), operator.attrgetter("receipt")


def _check_entries(ledger: Ledger, today: date) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    known = {unit.id for unit in ledger.units}
    sorted_ids = sorted(known)
    # An owners/<unit>.yaml that could not be read has its own error; do not repeat it on every entry.
    unreadable = {PurePosixPath(path).stem for path in ledger.files if path.startswith("owners/")} - known

    def check_unit(record) -> None:
        if record.unit is not None and record.unit not in known and record.unit not in unreadable:
            close = difflib.get_close_matches(record.unit, sorted_ids, n=1)
            hint = f"是不是“{close[0]}”？" if close else "先在 owners/ 下建立这户的文件，或改正房号"
            problems.append(error(record.pos, f"房号“{record.unit}”不存在", hint))

    def check_future(record, when: date | None, what: str) -> None:
        if when is not None and when > today:
            problems.append(error(record.pos, f"{what}日期 {when} 晚于今天", "检查年份或月份是否写错；未来的事请到时再记"))

    receipts: dict[str, object] = {}
    payments = ledger.payments
    numbered = [r for r in map(_RECEIPT, payments) if r]
    try:
        clean = set(map(_UNIT, payments)) <= known and max(map(_DATE, payments), default=today) <= today and len(set(numbered)) == len(numbered)
    except TypeError:  # a payment whose date could not be read (None): its file has an error, check one by one
        clean = False
    if clean:
        payments = ()  # checked in bulk (C speed): the loop below would find nothing
    for payment in payments:
        check_unit(payment)
        check_future(payment, payment.date, "缴费")
        if payment.receipt:
            first = receipts.get(payment.receipt)
            if first is not None:
                problems.append(error(payment.pos, f"收据号“{payment.receipt}”重复，已用于 {first}", "每张收据只能记一次；如是重复录入请删除这一条，如是另一张收据请改正收据号"))
            else:
                receipts[payment.receipt] = payment.pos
    for charge in ledger.charges:
        check_unit(charge)
    late_fee = ledger.policy.late_fee is not None
    policy = ledger.policy
    needs_consent = policy.issuer is not None and bool(policy.issuer.name) and not policy.issuer_is_creditor
    for waiver in ledger.waivers:
        check_unit(waiver)
        check_future(waiver, waiver.date, "减免")
        if waiver.applies_to == "late_fee" and not late_fee:
            problems.append(warning(waiver.pos, "政策未设违约金（late_fee），这条违约金减免不起作用", "确认 applies_to 是否应为 principal；或在 policy.yaml 里设置 late_fee"))
        if needs_consent and not waiver.consent:
            problems.append(error(
                _at(waiver.pos, "amount"), f"债权人“{policy.creditor_name}”不是落款单位，减免须有它的书面同意",
                "减免的是债权人的钱，落款单位无权自行减免：请写上 consent: 债权人同意减免的文件（如 同意函 2026-05），没有同意就不要记这笔减免"))
    with_opening = {unit.id for unit in ledger.units if unit.opening}
    for payment in ledger.payments:
        designation = payment.designation
        if not designation:
            continue
        if FOR_OPENING in designation and payment.unit in known and payment.unit not in with_opening and not payment.for_late_fee:
            problems.append(warning(_at(payment.pos, "for"), f"{payment.unit} 没有期初欠费，for 里的 opening 不起作用", "检查房号或 for 的内容；不指定的部分按法定顺序冲抵"))
        if payment.for_late_fee and not late_fee:
            problems.append(warning(_at(payment.pos, "for"), "政策未设违约金（late_fee），这笔“交违约金”的缴费不冲抵任何欠费", "如果业主交的是物业费，删除 for 里的 late_fee；否则请核实这笔钱"))
    for plan in ledger.plans:
        check_unit(plan)
        check_future(plan, plan.signed, "分期协议签订")
    for unit in ledger.units:
        for contact in unit.contacts:
            check_future(contact, contact.date, "催收记录")
            check_future(contact, contact.delivered_on, "送达")
    return problems


def _at(pos, key: str):
    """The position of ``key``'s value in a record, or the record's own position."""
    return pos.of(key) if isinstance(pos, RecordPos) else pos


def _check_owner_dates(ledger: Ledger, today: date) -> list[Diagnostic]:
    """Dates in owner files that record events (v2, complaints): not after today, like contacts."""
    problems: list[Diagnostic] = []
    for unit in ledger.units:
        events = [(item.pos, item.assignment_notified, "债权转让通知") for item in unit.opening if item.assignment_notified]
        if unit.service_address is not None:
            events.append((_at(unit.pos, "service_address"), unit.service_address.confirmed, "送达地址确认"))
        events += [(_at(unit.pos, "consents"), consent.date, "同意") for consent in unit.consents]
        for complaint in unit.complaints:  # promised may lie ahead: it is a promise
            events += [(complaint.pos, complaint.opened, "投诉"), (complaint.pos, complaint.resolved, "投诉解决"),
                       (complaint.pos, complaint.confirmed, "业主确认")]
            events += [(complaint.pos, update.date, "处理进展") for update in complaint.updates]
        for pos, when, what in events:
            if when is not None and when > today:
                problems.append(error(pos, f"{what}日期 {when} 晚于今天", "检查年份或月份是否写错；未来的事请到时再记"))
    return problems


# Tags that record health or minors: sensitive personal information (个人信息保护法第二十八条).
# Matched as substrings; the playbook uses neutral tags instead (see site_templates/playbook/segments.yaml).
SENSITIVE_TAG_WORDS = {
    "小孩": "minor", "孩子": "minor", "儿童": "minor", "未成年": "minor", "婴儿": "minor", "幼儿": "minor",
    "病": "health", "残疾": "health", "残障": "health", "瘫": "health", "失能": "health", "失智": "health",
    "痴呆": "health", "孕": "health", "住院": "health", "癌": "health", "精神病": "health", "抑郁": "health",
    "残": "health", "盲": "health", "聋": "health", "行动不便": "health",
    "独居": "safety",  # not listed in 第二十八条, but fits its definition: a list of who lives alone endangers them
}
_WHAT = {"minor": "未成年人", "health": "健康状况", "safety": "独居情况"}
_NEUTRAL = {
    "minor": "如需要，写与沟通方式有关的中性标签，例如“白天不在家”“偏好书面沟通”，不要记录家里有未成年人",
    "health": "写与服务方式有关的中性标签，例如“需要上门”“偏好书面沟通”“请家属代办”，不要记录健康状况",
    "safety": "一旦泄露可能危及人身安全；需要时写“请家属代办”“需要上门”这类中性标签",
}


def _check_sensitive_tags(ledger: Ledger) -> list[Diagnostic]:
    """Tags about health or minors are 敏感个人信息 (个人信息保护法第二十八条): warn and suggest neutral ones."""
    problems: list[Diagnostic] = []
    for unit in ledger.units:
        for tag in unit.tags or ():
            kind = next((k for word, k in SENSITIVE_TAG_WORDS.items() if word in tag), None)
            if kind is None:
                continue
            problems.append(warning(
                _at(unit.pos, "tags"), f"{unit.id} 的标签“{tag}”记录了{_WHAT[kind]}，属于敏感个人信息（个人信息保护法第二十八条）",
                f"催费用不到这类信息，处理它需要单独同意和更严格的保护；{_NEUTRAL[kind]}"))
    return problems
