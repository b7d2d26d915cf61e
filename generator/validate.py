"""Checks that need more than one file: units against the policy's fees, references, uniqueness, dates against today.

The policy's checks of its own parts (fee versions, stage ids and references)
are made while reading it (``schema``), at the nodes they are about. Records
read from a file with errors hold None where a value could not be read (see
``schema``); every check here skips those values, whose problem is already
reported, so that one mistake gives one message.
"""
from __future__ import annotations

import difflib
import operator
from datetime import date
from pathlib import PurePosixPath

from .diagnostics import Diagnostic, RecordPos, error, warning
from .model import Ledger


def validate(ledger: Ledger, today: date) -> list[Diagnostic]:
    """Everything wrong across files. ``today`` only guards against typo'd future dates."""
    problems: list[Diagnostic] = []
    problems += _check_units(ledger)
    problems += _check_entries(ledger, today)
    return problems


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
    for waiver in ledger.waivers:
        check_unit(waiver)
        check_future(waiver, waiver.date, "减免")
        if waiver.applies_to == "late_fee" and not late_fee:
            problems.append(warning(waiver.pos, "政策未设违约金（late_fee），这条违约金减免不起作用", "确认 applies_to 是否应为 principal；或在 policy.yaml 里设置 late_fee"))
    for plan in ledger.plans:
        check_unit(plan)
        check_future(plan, plan.signed, "分期协议签订")
    for unit in ledger.units:
        for contact in unit.contacts:
            check_future(contact, contact.date, "催收记录")
    return problems
