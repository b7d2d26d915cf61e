"""Checks that need more than one file: references, uniqueness, the policy's tables."""
from __future__ import annotations

import difflib
import operator
from collections import defaultdict
from datetime import date
from pathlib import PurePosixPath

from .diagnostics import Diagnostic, error, warning
from .model import Ledger

LETTER_TEMPLATES = ("notice", "lawyer")


def validate(ledger: Ledger, today: date) -> list[Diagnostic]:
    """Everything wrong across files. ``today`` only guards against typo'd future dates."""
    problems: list[Diagnostic] = []
    problems += _check_policy(ledger)
    problems += _check_units(ledger)
    problems += _check_entries(ledger, today)
    return problems


def _check_policy(ledger: Ledger) -> list[Diagnostic]:
    policy = ledger.policy
    problems: list[Diagnostic] = []
    if not policy.fees:
        problems.append(warning(policy.pos, "收费政策里没有任何收费项目（fees）", "不写 fees 则只按一次性收费和期初欠费计算"))
    versions: dict[str, list] = defaultdict(list)
    for fee in policy.fees:
        versions[fee.id].append(fee)
    for fee_id, group in versions.items():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                lo1, hi1 = first.valid_from or date.min, first.valid_until or date.max
                lo2, hi2 = second.valid_from or date.min, second.valid_until or date.max
                if lo1 <= hi2 and lo2 <= hi1:
                    problems.append(error(second.pos, f"收费项目“{fee_id}”的两个版本适用期重叠", "同一 id 的多个版本要用 from/until 分开，且不能重叠"))
    seen: set[str] = set()
    previous_days = -1
    for stage in policy.dunning:
        if stage.id in seen:
            problems.append(error(stage.pos, f"催缴阶段 id“{stage.id}”重复", "每个阶段的 id 必须唯一"))
        seen.add(stage.id)
        if stage.after_days < previous_days:
            problems.append(warning(stage.pos, f"阶段“{stage.id}”的 after_days 小于前一阶段", "阶段一般按逾期天数从小到大排列"))
        previous_days = stage.after_days
        if stage.letter is not None and stage.letter not in LETTER_TEMPLATES:
            problems.append(warning(stage.pos, f"阶段“{stage.id}”的函件“{stage.letter}”没有对应模板", "可用的函件：notice（催缴通知书）、lawyer（律师函）"))
    ids = {s.id for s in policy.dunning}
    for stage in policy.dunning:
        for needed, _count in stage.requires:
            if needed not in ids:
                close = difflib.get_close_matches(needed, sorted(ids), n=1)
                hint = f"是不是“{close[0]}”？" if close else "requires 里只能写上面已定义的阶段 id"
                problems.append(error(stage.pos, f"阶段“{stage.id}”的 requires 引用了不存在的阶段“{needed}”", hint))
    return problems


def _check_units(ledger: Ledger) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    needs_area = any(fee.basis == "area" for fee in ledger.policy.fees)
    tables = [fee for fee in ledger.policy.fees if fee.rate is None]
    for unit in ledger.units:
        if needs_area and unit.area is None:
            problems.append(error(unit.pos, f"{unit.id} 缺少建筑面积 area", "有按面积计费的项目时，每户都要写 area，例如 area: \"89.50\""))
        for fee in tables:
            if fee.rate_for(unit.type) is None:
                known = "、".join(name for name, _ in fee.rates)
                problems.append(error(unit.pos, f"{unit.id} 的房屋类型“{unit.type}”不在收费项目“{fee.name}”的费率表里", f"费率表里有：{known}；改正 type 或在 policy.yaml 补上费率"))
    return problems


_UNIT, _DATE, _RECEIPT = operator.attrgetter("unit"), operator.attrgetter("date"), operator.attrgetter("receipt")


def _check_entries(ledger: Ledger, today: date) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    known = {unit.id for unit in ledger.units}
    sorted_ids = sorted(known)
    # An owners/<unit>.yaml that could not be read has its own error; do not repeat it on every entry.
    unreadable = {PurePosixPath(path).stem for path in ledger.files if path.startswith("owners/")} - known

    def check_unit(record) -> None:
        if record.unit not in known and record.unit not in unreadable:
            close = difflib.get_close_matches(record.unit, sorted_ids, n=1)
            hint = f"是不是“{close[0]}”？" if close else "先在 owners/ 下建立这户的文件"
            problems.append(error(record.pos, f"房号“{record.unit}”不存在", hint))

    def check_future(record, when: date, what: str) -> None:
        if when > today:
            problems.append(error(record.pos, f"{what}日期 {when} 晚于今天", "检查年份或月份是否写错；未来的事请到时再记"))

    receipts: dict[str, object] = {}
    payments = ledger.payments
    numbered = [r for r in map(_RECEIPT, payments) if r]
    if set(map(_UNIT, payments)) <= known and max(map(_DATE, payments), default=today) <= today and len(set(numbered)) == len(numbered):
        payments = ()  # checked in bulk (C speed): the loop below would find nothing
    for payment in payments:
        check_unit(payment)
        check_future(payment, payment.date, "缴费")
        if payment.receipt:
            first = receipts.get(payment.receipt)
            if first is not None:
                problems.append(error(payment.pos, f"收据号“{payment.receipt}”重复，已用于 {first}", "每张收据只能记一次；如是重复录入请删除这一条"))
            else:
                receipts[payment.receipt] = payment.pos
    for charge in ledger.charges:
        check_unit(charge)
    has_late_fee = ledger.policy.late_fee is not None
    for waiver in ledger.waivers:
        check_unit(waiver)
        check_future(waiver, waiver.date, "减免")
        if waiver.applies_to == "late_fee" and not has_late_fee:
            problems.append(warning(waiver.pos, "政策未设违约金（late_fee），这条违约金减免不起作用", "确认 applies_to 是否应为 principal"))
    for plan in ledger.plans:
        check_unit(plan)
        check_future(plan, plan.signed, "分期协议签订")
        if any(step.due < plan.signed for step in plan.installments):
            problems.append(warning(plan.pos, "分期协议里有早于签订日的期次", "检查各期 due 日期"))
    for unit in ledger.units:
        for contact in unit.contacts:
            check_future(contact, contact.date, "催收记录")
    return problems
