"""The sheet's arrears become charges with their periods, and the import reconciles them with the rules.

Every figure is worked out by hand from the fixture policy: 高层 2.00 元/m² a month, billed by the
calendar quarter, due on the 15th of its first month. A 100 m² flat owes 200.00 a month, 600.00 a quarter.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator import pipeline
from generator.workflow import importer
from tests.handwritten import checked, cli_as_of, make_community, snapshot

HEADER = "房号,业主,面积,类型,已缴至,欠费\n"


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def sheet(tmp_path, text: str, header: str = HEADER):
    path = tmp_path / "台账.csv"
    path.write_text(header + text, encoding="utf-8")
    return path


def state(root, unit: str, as_of: date):
    desk = pipeline.desk_for(pipeline.check(root, as_of, as_of, use_cache=False), as_of)
    return next(s for s in desk.units if s.unit.id == unit)


def test_paid_through_bills_the_quarters_after_it_and_the_sheet_agrees(community, tmp_path):
    """Paid through 2026-06-30; as of 2026-11-22 the Jul-Sep quarter (due 07-15) and Oct-Dec (due 10-15)
    are overdue: 2 x 600.00 = 1,200.00, as the sheet says."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-06-30,\"1,200.00\"\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "欠费合计（1 户，按 2026-11-22 计算）：计算 1,200.00 元，表格 1,200.00 元，逐户一致" in result.output
    text = (community / "owners/2-1-101.yaml").read_text(encoding="utf-8")
    assert "billing_start: 2026-07-01\n" in text and "opening" not in text
    unit = state(community, "2-1-101", date(2026, 11, 22))
    assert unit.outstanding == Decimal("1200.00")
    assert unit.oldest_due == date(2026, 7, 15)
    assert unit.aging["91-180"] == Decimal("600.00")  # due 07-15: 130 days
    assert unit.aging["31-90"] == Decimal("600.00")  # due 10-15: 38 days


def test_paid_through_mid_month_bills_the_rest_of_that_month_by_days(community, tmp_path):
    """Paid through 2026-08-10: Jul-Sep is billed from 08-11, 21/31 of August and all of September:
    200 x (1 + 21/31) = 335.48, due 08-11; with Oct-Dec 600.00 that is 935.48."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-08-10,935.48\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  第    2 行  2-1-101  表格       935.48  计算       935.48" in result.output


def test_a_sheet_that_does_not_reconcile_is_refused_naming_its_rows(community, tmp_path):
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-06-30,1000\n"
                             "2-1-102,钱七,100,高层,2026-09-30,600\n")
    before = snapshot(community)
    result = cli_as_of(community, "2026-11-22", "import", str(source))
    assert result.exit_code == 1
    assert ("台账.csv:2:6: 错误: 2-1-101：表格里的欠费 1000.00 元，按规则算到 2026-11-22 欠费 1200.00 元，相差 200.00 元"
            "（先确认表格的欠费是算到哪一天的，用 --as-of 指定那一天") in result.output
    assert "  第    2 行  2-1-101  表格     1,000.00  计算     1,200.00  ✗ 相差 200.00" in result.output
    assert "  第    3 行  2-1-102  表格       600.00  计算       600.00\n" in result.output
    assert "欠费合计（2 户，按 2026-11-22 计算）：计算 1,800.00 元，表格 1,600.00 元；1 户不一致：第 2 行" in result.output
    assert "未写入任何文件" in result.output
    assert snapshot(community) == before


def test_accept_differences_writes_and_keeps_the_rules_figure(community, tmp_path):
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-06-30,1000\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source), "--accept-differences")
    assert result.exit_code == 0, result.output
    assert "台账.csv:2:6: 警告: 2-1-101：表格里的欠费 1000.00 元" in result.output
    assert "已按 --accept-differences 以计算结果为准" in result.output
    assert state(community, "2-1-101", date(2026, 11, 22)).outstanding == Decimal("1200.00")


def test_the_issue_handover_date_as_billing_start_is_caught(community, tmp_path):
    """Handover 2024-01-01 as billing start and today's arrears of 300: the rules bill 12 quarters
    (2024 Q1 to 2026 Q4, all due by 10-15) = 7,200.00 on top of the 300.00: 7,500.00, not 300.00."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2024-01-01,300\n", header="房号,业主,面积,类型,交房日期,欠费\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source))
    assert result.exit_code == 1
    assert "2-1-101：表格里的欠费 300.00 元，按规则算到 2026-11-22 欠费 7500.00 元，相差 7200.00 元" in result.output


def test_the_issue_later_billing_start_is_caught(community, tmp_path):
    """Billing from 2027-01-01: the arrears item is due 2026-12-31, after the day counted: it does not exist yet."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2027-01-01,300\n", header="房号,业主,面积,类型,计费开始,欠费\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source))
    assert result.exit_code == 1
    assert "2-1-101：表格里的欠费 300.00 元，按规则算到 2026-11-22 欠费 0.00 元，相差 -300.00 元" in result.output


def test_a_total_only_is_one_undated_item_and_the_dry_run_says_so(community, tmp_path):
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-07-01,500\n", header="房号,业主,面积,类型,计费开始,欠费\n")
    result = cli_as_of(community, "2026-06-30", "import", str(source), "--dry-run")
    assert result.exit_code == 0, result.output
    assert ("台账.csv:2:6: 警告: 1 户的欠费只有合计、没有所属期间（第 2 行）：每户记为一笔“导入时的累计欠费（未分期）”"
            "的期初欠费，到期日按计费开始日的前一天记") in result.output
    assert "      period: 导入时的累计欠费（未分期）\n" in result.output
    assert "  第    2 行  2-1-101  表格       500.00  计算       500.00  （含未到期 500.00）" in result.output  # due that day
    assert "欠费合计（1 户，按 2026-06-30 计算）：计算 500.00 元，表格 500.00 元，逐户一致" in result.output


SPLIT_HEADER = "房号,业主,面积,类型,已缴至,计费开始,欠费\n"


def test_a_total_with_paid_through_and_a_later_billing_start_is_split_by_quarters(community, tmp_path):
    """Paid through 2025-12-31, billed by the rules from 2026-07-01: the 1,200.00 before that are
    2026 Q1 (600.00 due 01-15) and Q2 (600.00 due 04-15); as of 2026-06-30 both are overdue."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2025-12-31,2026-07-01,1200\n", header=SPLIT_HEADER)
    result = cli_as_of(community, "2026-06-30", "import", str(source))
    assert result.exit_code == 0, result.output
    text = (community / "owners/2-1-101.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "billing_start: 2026-07-01\n"
        "owners:\n"
        "  - {name: 赵六}\n"
        "opening:\n"
        '  - {amount: "600.00", due: 2026-01-15, period: 2026-01~2026-03}\n'
        '  - {amount: "600.00", due: 2026-04-15, period: 2026-04~2026-06}\n'
    )
    unit = state(community, "2-1-101", date(2026, 6, 30))
    assert unit.outstanding == Decimal("1200.00") and unit.oldest_due == date(2026, 1, 15)


@pytest.mark.parametrize(("arrears", "items", "note"), [
    ("900", [("300.00", date(2026, 1, 15)), ("600.00", date(2026, 4, 15))],
     "的欠费 900.00 元比已缴至之后到计费开始前按收费标准应收的 1200.00 元少 300.00 元：按从近到远拆分，较早的几期视为已缴"),
    ("1500", [("900.00", date(2026, 1, 15)), ("600.00", date(2026, 4, 15))],
     "的欠费 1500.00 元比已缴至之后到计费开始前按收费标准应收的 1200.00 元多 300.00 元，多出的部分记在最早的一期"),
    ("500", [("500.00", date(2026, 4, 15))],
     "的欠费 500.00 元比已缴至之后到计费开始前按收费标准应收的 1200.00 元少 700.00 元：按从近到远拆分，较早的几期视为已缴"),
])
def test_a_total_that_is_not_the_fees_is_split_from_the_latest_quarter_back(community, tmp_path, arrears, items, note):
    source = sheet(tmp_path, f"2-1-101,赵六,100,高层,2025-12-31,2026-07-01,{arrears}\n", header=SPLIT_HEADER)
    result = cli_as_of(community, "2026-06-30", "import", str(source))
    assert result.exit_code == 0, result.output
    assert f"台账.csv:2:7: 警告: 第 G 列“欠费”：2-1-101 {note}" in result.output
    unit = {u.id: u for u in checked(community).ledger.units}["2-1-101"]
    assert [(str(o.amount), o.due) for o in unit.opening] == list(items)


def test_a_split_starting_mid_month_prorates_the_first_period_by_days(community, tmp_path):
    """Paid through 2026-02-10: Feb 11-28 is 18/28 of February, with March 1 + 18/28 months:
    200 x 46/28 = 328.57, due 02-11 (the cycle's 01-15 is before it); then Q2 600.00."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-02-10,2026-07-01,928.57\n", header=SPLIT_HEADER)
    result = cli_as_of(community, "2026-06-30", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "警告" not in result.output
    unit = {u.id: u for u in checked(community).ledger.units}["2-1-101"]
    assert [(str(o.amount), o.due, o.period) for o in unit.opening] == [
        ("328.57", date(2026, 2, 11), "2026-02~2026-03"), ("600.00", date(2026, 4, 15), "2026-04~2026-06")]


def test_a_billing_start_before_paid_through_is_the_day_after_paid_through(community, tmp_path):
    """A handover date older than the paid-through date changes nothing: billing starts after what was paid."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-06-30,2020-05-01,1200\n", header=SPLIT_HEADER)
    result = cli_as_of(community, "2026-11-22", "import", str(source))
    assert result.exit_code == 0, result.output
    unit = {u.id: u for u in checked(community).ledger.units}["2-1-101"]
    assert unit.billing_start == date(2026, 7, 1) and unit.opening == ()


def test_a_totals_row_is_not_a_unit_and_is_compared_with_the_rows(community, tmp_path):
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-06-30,1200\n"
                             "2-1-102,钱七,100,高层,2026-09-30,600\n"
                             "合计,,,,,1850\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source))
    assert result.exit_code == 0, result.output
    assert ("台账.csv:4:6: 警告: 第 F 列“欠费”：“合计”一行的欠费 1850.00 元，与各户相加的 1800.00 元相差 50.00 元（合计行不导入）"
            in result.output)
    assert "已导入 2 户到 owners/。" in result.output


def test_the_date_in_the_title_is_the_day_to_reconcile_on(community, tmp_path):
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-06-30,1200\n", header="欠费明细（截至２０２６年１１月２２日）\n" + HEADER)
    result = cli_as_of(community, "2026-12-20", "import", str(source), "--dry-run")
    assert ("台账.csv:1:1: 警告: 表格标题说欠费是截至 2026-11-22 的，核对却按 2026-12-20 计算"
            "（用 cuijiao --as-of 2026-11-22 import … 按表格的日子核对）") in result.output
    right = cli_as_of(community, "2026-11-22", "import", str(source), "--dry-run")
    assert right.exit_code == 0 and "截至" not in right.output


PERIOD_HEADER = "房号,业主,面积,类型,计费开始,2025年欠费,2026年上半年欠费\n"


@pytest.mark.parametrize(("header", "first", "last", "label"), [
    ("2025年欠费", date(2025, 1, 1), date(2025, 12, 31), "2025年"),
    ("2024年度欠费", date(2024, 1, 1), date(2024, 12, 31), "2024年"),
    ("2026年上半年欠费", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
    ("欠费（2025年第3季度）", date(2025, 7, 1), date(2025, 9, 30), "2025年第3季度"),
    ("2025年Q4欠费", date(2025, 10, 1), date(2025, 12, 31), "2025年第4季度"),
    ("2025年7-9月欠费", date(2025, 7, 1), date(2025, 9, 30), "2025年7-9月"),
    ("2025年2月欠费(元)", date(2025, 2, 1), date(2025, 2, 28), "2025年2月"),
])
def test_per_period_arrears_columns_are_read_by_their_header(header, first, last, label):
    assert importer.header_period(header) == (first, last, label)


@pytest.mark.parametrize("header", ["2025年", "欠费", "2025年13月欠费", "楼栋长"])
def test_other_headers_are_not_period_columns(header):
    assert importer.header_period(header) is None


def test_per_period_columns_become_opening_items_by_the_quarters_in_them(community, tmp_path):
    """2025: 1,200.00 fills Q4 (due 2025-10-15) then Q3 (due 07-15); 2026 H1: 600.00 is Q2 (due 04-15).
    As of 2026-06-30 all three are overdue: 1,800.00, the sum of the columns."""
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-07-01,\"1,200.00\",600\n", header=PERIOD_HEADER)
    result = cli_as_of(community, "2026-06-30", "import", str(source))
    assert result.exit_code == 0, result.output
    assert ("台账.csv:2:6: 警告: 第 F 列“2025年欠费”：2-1-101 的欠费 1200.00 元比“2025年”按收费标准应收的 2400.00 元少 "
            "1200.00 元：按从近到远拆分，较早的几期视为已缴") in result.output
    assert "欠费合计（1 户，按 2026-06-30 计算）：计算 1,800.00 元，表格 1,800.00 元，逐户一致" in result.output
    assert (community / "owners/2-1-101.yaml").read_text(encoding="utf-8").endswith(
        "opening:\n"
        '  - {amount: "600.00", due: 2025-07-15, period: 2025-07~2025-09}\n'
        '  - {amount: "600.00", due: 2025-10-15, period: 2025-10~2025-12}\n'
        '  - {amount: "600.00", due: 2026-04-15, period: 2026-04~2026-06}\n'
    )
    unit = state(community, "2-1-101", date(2026, 6, 30))
    assert unit.aging["181-365"] == Decimal("1200.00") and unit.aging["31-90"] == Decimal("600.00")


def test_a_period_column_reaching_past_billing_start_is_refused(community, tmp_path):
    source = sheet(tmp_path, "2-1-101,赵六,100,高层,2026-07-01,600\n", header="房号,业主,面积,类型,计费开始,2026年欠费\n")
    result = cli_as_of(community, "2026-06-30", "import", str(source))
    assert result.exit_code == 1
    assert ("台账.csv:2:6: 错误: 第 F 列“2026年欠费”：2-1-101 “2026年”的欠费在计费开始日 2026-07-01 之后还有期间，"
            "会和按收费标准出的账单重复") in result.output
