"""The messy sheet of issue 13 and of the guide page “从 Excel 台账开始” (docs/guide/excel.md), end to end:
a title row, 元 and full-width digits, 2025年3月1日 dates, a blank row, a duplicated unit, a missing area,
an unknown column, two owners and two phones in a cell, and one total the treasurer got wrong.

Fixture policy: 高层 2.00 元/m², 洋房 2.50 元/m² a month, billed by the quarter, due on the 15th.
The sheet is counted on 2026-11-22. By hand:

| unit    | m²    | paid through | monthly | owes on 2026-11-22                   |
|---------|-------|--------------|---------|--------------------------------------|
| 1-1-201 | 96.5  | 2026-06-30   | 193.00  | Jul-Sep + Oct-Dec = 2 x 579 = 1,158.00 |
| 1-1-202 | 102   | 2026-09-30   | 204.00  | Oct-Dec = 612.00                       |
| 1-1-203 | 88    | 2026-12-31   | 220.00  | nothing                                |
| 1-1-204 | 100   | 2026-03-31   | 200.00  | Apr-Jun + Jul-Sep + Oct-Dec = 1,800.00 |
| 1-1-205 | 90    | 2026-06-30   | 225.00  | 2 x 675 = 1,350.00 (the sheet: 1,300.00) |

Together 4,920.00 元.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator import pipeline
from tests.handwritten import cli_as_of, make_community, snapshot

TITLE = ["示例花园物业费欠费台账（截至2026年11月22日）"]
HEADER = ["户号", "业主姓名", "联系方式", "面积（平方米）", "户型", "交房日期", "缴费截止", "累计欠费", "备注", "楼栋长"]
ROWS = [
    ["1-1-201", "刘伟、刘芳", "138 0013 8000、138 0013 8001", "96.5㎡", "高层", "2023年6月1日", "2026年6月30日", "1,158.00元", "老人独居", "张三"],
    ["1-1-202", "陈静", "13900139000", "１０２．００", "高层", "2023年6月1日", "2026年9月30日", "６１２．００", None, "张三"],
    [None] * 10,
    ["1-1-203", "王强", "无", 88, "洋房", datetime(2023, 6, 1), datetime(2026, 12, 31), "无", "已预交到年底", "张三"],
    ["1-1-204", "赵敏", "137-0013-7000", None, "高层", "2023-06-01", "2026-03-31", "￥1,800.00", None, "李四"],
    ["1-1-205", "孙丽", "+86 136 0013 6000", "90", "洋房", "2023-06-01", "2026-06-30", "1,300.00", None, "李四"],
    ["1-1-202", "陈静", "13900139000", "１０２．００", "高层", "2023年6月1日", "2026年9月30日", "６１２．００", None, "张三"],
]


def messy(path: Path, stage: int = 0) -> Path:
    """The sheet as the treasurer has it (stage 0); with the duplicate gone and the area filled in (1);
    with 1-1-205's total corrected (2)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(TITLE)
    sheet.append(HEADER)
    for row in ROWS:
        if stage >= 1 and row is ROWS[-1]:
            continue
        if stage >= 1 and row[0] == "1-1-204":
            row = [*row[:3], "100", *row[4:]]
        if stage >= 2 and row[0] == "1-1-205":
            row = [*row[:7], "1,350.00", *row[8:]]
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def test_the_messy_sheet_is_refused_for_the_duplicate_and_the_missing_area(community, tmp_path):
    before = snapshot(community)
    result = cli_as_of(community, "2026-11-22", "import", str(messy(tmp_path / "欠费台账.xlsx")), "--dry-run")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("欠费台账.xlsx:2:10: 警告: 这些列的列名不认识，没有导入：第 J 列“楼栋长”")
    assert "欠费台账.xlsx:7:4: 错误: 1-1-204 缺少建筑面积 area" in result.output
    assert "欠费台账.xlsx:9:1: 错误: 第 A 列“户号”：房号 1-1-202 重复，已在第 4 行出现" in result.output
    assert "未写入任何文件：欠费台账.xlsx 有 2 处错误（见上），改正后重新导入。" in result.output
    assert snapshot(community) == before


def test_the_treasurers_wrong_total_is_named_by_its_row(community, tmp_path):
    result = cli_as_of(community, "2026-11-22", "import", str(messy(tmp_path / "欠费台账.xlsx", 1)))
    assert result.exit_code == 1
    assert ("欠费台账.xlsx:8:8: 错误: 1-1-205：表格里的欠费 1300.00 元，按规则算到 2026-11-22 欠费 1350.00 元，"
            "相差 50.00 元") in result.output
    assert "欠费合计（5 户，按 2026-11-22 计算）：计算 4,920.00 元，表格 4,870.00 元；1 户不一致：第 8 行" in result.output


def test_the_corrected_sheet_imports_with_the_sheets_total_equal_to_the_desks(community, tmp_path):
    result = cli_as_of(community, "2026-11-22", "import", str(messy(tmp_path / "欠费台账.xlsx", 2)))
    assert result.exit_code == 0, result.output
    assert "欠费合计（5 户，按 2026-11-22 计算）：计算 4,920.00 元，表格 4,920.00 元，逐户一致" in result.output
    as_of = date(2026, 11, 22)
    desk = pipeline.desk_for(pipeline.check(community, as_of, as_of, use_cache=False), as_of)
    owed = {s.unit.id: s.outstanding for s in desk.units if s.unit.id.startswith("1-1-2")}
    assert owed == {"1-1-201": Decimal("1158.00"), "1-1-202": Decimal("612.00"), "1-1-203": Decimal("0.00"),
                    "1-1-204": Decimal("1800.00"), "1-1-205": Decimal("1350.00")}
    unit = next(s.unit for s in desk.units if s.unit.id == "1-1-201")
    assert [(o.name, o.phone) for o in unit.owners] == [("刘伟", "13800138000"), ("刘芳", "13800138001")]
    aging = next(s.aging for s in desk.units if s.unit.id == "1-1-204")
    assert aging["181-365"] == Decimal("600.00")  # Apr-Jun, due 2026-04-15: 221 days
