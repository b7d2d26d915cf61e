"""Importing the committee's spreadsheet into owners/: all rows or none, errors by row and column."""
from __future__ import annotations

import errno
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.workflow import importer
from tests.handwritten import OWNER_101, checked, cli, cli_as_of, make_community, snapshot

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def make_xlsx(path: Path) -> Path:
    """A sheet like committees keep: a title row, numbers where text belongs, a formula's float noise."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["示例花园欠费明细（2026年6月底）"])
    sheet.append(["房号", "业主", "联系电话", "建筑面积", "房屋类型", "计费开始", "欠费金额", "居住状态", "地址"])
    sheet.append(["3-1-301", "吴一", 13800000001.0, 95.25, "高层", datetime(2026, 7, 1), 1234.56, "空置", "3幢1单元301"])
    sheet.append(["3-1-302", "郑二", 13800000002, 62.650000000000006, "高层", datetime(2026, 7, 1), None, None, None])
    sheet.append([3021, "王三", 571000000, 70, "洋房", "2026年7月1日", 100, "出租", None])
    sheet["C5"].number_format = "000000000000"  # shows 000571000000: the leading zeros come back
    book.save(path)
    return path


def test_xlsx_import_writes_owner_files_the_validator_reads(community, tmp_path):
    sheet = make_xlsx(tmp_path / "台账.xlsx")
    result = cli_as_of(community, "2026-06-30", "import", str(sheet))  # the sheet's arrears are as of then
    assert result.exit_code == 0, result.output
    assert "已导入 3 户到 owners/" in result.output
    assert (community / "owners/3-1-301.yaml").read_text(encoding="utf-8") == (
        "# 由 cuijiao import 从 台账.xlsx 第 3 行导入\n"
        "unit: 3-1-301\n"
        "type: 高层\n"
        'area: "95.25"\n'
        "billing_start: 2026-07-01\n"
        "occupancy: vacant\n"
        "owners:\n"
        '  - {name: 吴一, phone: "13800000001", address: 3幢1单元301}\n'
        "opening:\n"
        '  amount: "1234.56"\n'
        "  due: 2026-06-30\n"
        "  period: 导入时的累计欠费（未分期）\n"
    )
    units = {u.id: u for u in checked(community).ledger.units}
    assert units["3-1-302"].area == Decimal("62.65") and units["3-1-302"].opening == ()
    assert units["3021"].owners[0].phone == "000571000000"
    assert units["3021"].occupancy == "rented" and units["3021"].opening[0].amount == Decimal("100.00")
    assert units["3-1-301"].opening[0].due == date(2026, 6, 30)


def test_dry_run_shows_the_files_and_writes_nothing(community, tmp_path):
    sheet = make_xlsx(tmp_path / "台账.xlsx")
    before = snapshot(community)
    result = cli_as_of(community, "2026-06-30", "import", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将写入 owners/3-1-301.yaml：" in result.output
    assert '      - {name: 吴一, phone: "13800000001", address: 3幢1单元301}' in result.output
    assert "试运行：将导入 3 户到 owners/；未写入任何文件。" in result.output
    assert snapshot(community) == before


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(community):
    before = snapshot(community)
    result = cli(community, "import", str(DATA / "bad-rows.csv"))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bad-rows.csv:2:7: 警告: 1 户的欠费只有合计、没有所属期间（第 2 行）")
    assert lines[1:7] == [
        "bad-rows.csv:3:3: 错误: 第 C 列“电话”：电话“1.38E+10”被表格软件改成了科学计数法，号码已经丢失（把这一列设为“文本”格式后重新输入号码）",
        "bad-rows.csv:4:2: 错误: 第 B 列“业主”：2-1-203 缺少业主",
        "bad-rows.csv:5:6: 错误: 第 F 列“计费开始”：计费开始日“2026-13-01”这一天不存在（检查月份和日子）",
        "bad-rows.csv:6:7: 错误: 第 G 列“欠费”：欠费“12.345”超过 2 位小数（在表格里先四舍五入到分）",
        "bad-rows.csv:7:1: 错误: 第 A 列“房号”：房号 2-1-201 重复，已在第 2 行出现",
        "bad-rows.csv:8:5: 错误: 2-1-206 的房屋类型“别墅”不在收费项目“物业服务费”的费率表里（费率表里有：高层、洋房；改正 type 或在 policy.yaml 补上费率）",
    ]
    assert "未写入任何文件" in lines[-1]
    assert snapshot(community) == before


def test_gbk_csv_with_paid_through_sets_billing_start_to_the_next_day(community, tmp_path):
    source = tmp_path / "members.csv"
    source.write_bytes((DATA / "paid-through.csv").read_text(encoding="utf-8").encode("gbk"))
    result = cli_as_of(community, "2026-06-30", "import", str(source))
    assert result.exit_code == 0, result.output
    units = {u.id: u for u in checked(community).ledger.units}
    assert units["2-2-201"].billing_start == date(2026, 7, 1)
    assert units["2-2-201"].owners[0].phone == "01066660000"  # text stays text: the leading zero survives
    assert units["2-2-202"].billing_start == date(2026, 10, 1) and units["2-2-202"].opening == ()


def test_existing_owner_files_are_never_overwritten(community, tmp_path):
    source = tmp_path / "members.csv"
    source.write_text("房号,业主,类型,面积,计费开始,欠费\n1-1-101,别人,高层,1,2026-01-01,99\n2-3-301,新户,高层,90,2026-01-01,\n",
                      encoding="utf-8")
    result = cli_as_of(community, "2025-12-31", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "members.csv:2:1: 警告: owners/1-1-101.yaml 已存在，这一行跳过" in result.output
    assert (community / "owners/1-1-101.yaml").read_text(encoding="utf-8") == OWNER_101
    assert (community / "owners/2-3-301.yaml").is_file()


def test_a_sheet_without_the_needed_columns_is_refused(community, tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("房号,姓名\n1-2-101,张三\n", encoding="utf-8")
    result = cli(community, "import", str(source))
    assert result.exit_code == 1
    assert "x.csv:1:1: 错误: 表头缺少这些列：类型（也可写 户型、物业类型、房屋类型、type）、计费开始（也可写 起始计费日期、" in result.output


def test_only_xlsx_and_csv(community, tmp_path):
    source = tmp_path / "old.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    assert cli(community, "import", str(source)).exit_code == 2


def test_a_write_that_fails_halfway_removes_the_files_this_import_wrote(community, tmp_path, monkeypatch):
    """All or nothing on disk too: a full disk at the second file takes the first one back."""
    written = []

    def write_or_fail(root, edits):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(root, edits)
        written.extend(edits)

    real_write = importer.write
    monkeypatch.setattr(importer, "write", write_or_fail)
    sheet = make_xlsx(tmp_path / "台账.xlsx")
    before = snapshot(community)
    result = cli_as_of(community, "2026-06-30", "import", str(sheet))
    assert result.exit_code == 1
    assert "无法写入 owners/3-1-302.yaml：磁盘已满。已撤回本次导入先写入的 1 个文件，owners/ 与导入前相同" in result.output
    assert [e.path for e in written] == ["owners/3-1-301.yaml"]
    assert snapshot(community) == before


@pytest.mark.parametrize(("written", "unit"), [("Ｓ－０３", "S-03"), ("３－２－１８０２", "3-2-1802"), ("东区-3-101", "东区-3-101"),
                                               ("s-03", "s-03")])
def test_unit_ids_are_read_in_their_standard_form(written, unit):
    assert importer.cell_unit(written) == unit
    assert importer.unit_key(written) == importer.unit_key(unit.upper())
