"""Import reads the sheets committees really keep: column names by their synonyms, money with ￥ and 元,
full-width digits, 无 and - for nothing, several owners and phones in one cell, phones as digits."""
from __future__ import annotations

from decimal import Decimal

import pytest

from generator.workflow import importer
from tests.handwritten import checked, cli, cli_as_of, make_community, snapshot


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("header", "field"), [
    ("户号", "unit"), ("门牌", "unit"), ("业主姓名", "owner"), ("联系方式", "phone"), ("手机", "phone"),
    ("联系电话", "phone"), ("面积（平方米）", "area"), ("面积(㎡)", "area"), ("建筑面积 ( m2 )", "area"),
    ("户型", "type"), ("物业类型", "type"), ("起始计费日期", "billing_start"), ("交房日期", "billing_start"),
    ("累计欠费", "arrears"), ("欠费金额（元）", "arrears"), ("缴费截止", "paid_through"), ("已缴至", "paid_through"),
    ("备注", "note"),
])
def test_column_synonyms_name_their_field(header, field):
    rows = [importer.Row(1, ["房号", header])] if field != "unit" else [importer.Row(1, [header])]
    index, cols = importer.find_header(rows)
    assert index == 0 and field in cols


def test_the_sheet_of_the_issue_imports_with_its_own_column_names(community, tmp_path):
    source = write_csv(tmp_path / "台账.csv", (
        "户号,业主姓名,联系方式,面积（平方米）,户型,起始计费日期,累计欠费,备注,楼栋长\n"
        "1-1-202,\"刘伟、刘芳\",\"138 0013 8000、139-0013-9000\",96.5㎡,高层,2026年3月1日,无,老人独居,张三\n"
        "１-１-２０３,王五,+86 137 0013 7000,１０２．００,高层,2026-03-01,-,/,张三\n"
    ))
    result = cli_as_of(community, "2026-02-28", "import", str(source))
    assert result.exit_code == 0, result.output
    assert ("台账.csv:1:9: 警告: 这些列的列名不认识，没有导入：第 I 列“楼栋长”"
            "（要导入就把列名改成下面的一个（同一项有两列时只读第一列）：房号（也可写 户号、门牌") in result.output
    assert (community / "owners/1-1-202.yaml").read_text(encoding="utf-8") == (
        "# 由 cuijiao import 从 台账.csv 第 2 行导入\n"
        "# 备注（表格里的）：老人独居\n"
        "unit: 1-1-202\n"
        "type: 高层\n"
        'area: "96.50"\n'
        "billing_start: 2026-03-01\n"
        "owners:\n"
        '  - {name: 刘伟, phone: "13800138000"}\n'
        '  - {name: 刘芳, phone: "13900139000"}\n'
    )
    units = {u.id: u for u in checked(community).ledger.units}
    assert units["1-1-203"].area == Decimal("102.00")
    assert units["1-1-203"].owners[0].phone == "13700137000"
    assert units["1-1-203"].opening == ()


@pytest.mark.parametrize(("written", "amount"), [
    ("￥860.25", "860.25"), ("¥ 860.25", "860.25"), ("860.25元", "860.25"), ("１，５００．００", "1500.00"),
    ("1,500.00 元", "1500.00"), ("RMB 12", "12.00"), (1500.5, "1500.50"),
])
def test_money_with_signs_units_and_full_width_digits(written, amount):
    assert importer.cell_decimal(written, "欠费") == Decimal(amount)


@pytest.mark.parametrize("written", ["无", "-", "/", "—", " ", "", None, "－", "／"])
def test_empty_markers_are_no_value(written):
    assert importer.cell_decimal(written, "欠费") is None
    assert importer.cell_date(written, "计费开始日") is None
    assert importer.cell_phones(written) == []
    assert importer.cell_names(written) == []


@pytest.mark.parametrize(("written", "area"), [("96.5㎡", "96.50"), ("96.5 平方米", "96.50"), ("９６．５m2", "96.50")])
def test_area_with_its_unit(written, area):
    assert importer.cell_area(written) == Decimal(area)


def test_an_area_in_yuan_is_not_an_area():
    with pytest.raises(importer.CellError, match="面积“96元”不是有效数字"):
        importer.cell_area("96元")


@pytest.mark.parametrize(("written", "phones"), [
    ("138 0013 8000", ["13800138000"]),
    ("138-0013-8000", ["13800138000"]),
    ("+86 138 0013 8000", ["13800138000"]),
    ("13800138000、13900139000", ["13800138000", "13900139000"]),
    ("13800138000，13900139000", ["13800138000", "13900139000"]),
    ("13800138000 13900139000", ["13800138000", "13900139000"]),
    ("13800138000/0571-8888 6666", ["13800138000", "057188886666"]),
    ("13800138000\n13900139000", ["13800138000", "13900139000"]),
    ("１３８００１３８０００", ["13800138000"]),
    (13800138000.0, ["13800138000"]),
])
def test_phones_are_digits_and_a_cell_may_hold_several(written, phones):
    assert importer.cell_phones(written) == phones


def test_a_phone_with_words_in_it_is_refused():
    with pytest.raises(importer.CellError, match="电话“找物业”里有数字以外的字"):
        importer.cell_phones("找物业")


@pytest.mark.parametrize(("written", "names"), [
    ("刘伟、刘芳", ["刘伟", "刘芳"]), ("刘伟,刘芳", ["刘伟", "刘芳"]), ("刘伟；刘芳", ["刘伟", "刘芳"]),
    ("刘伟/刘芳", ["刘伟", "刘芳"]), ("欧阳 娜娜", ["欧阳 娜娜"]),
])
def test_several_owners_in_one_cell(written, names):
    assert importer.cell_names(written) == names


def test_extra_phones_go_with_the_last_owner_and_a_warning_says_so(community, tmp_path):
    source = write_csv(tmp_path / "a.csv", "房号,业主,电话,面积,类型,计费开始\n"
                                           "2-1-101,赵六,\"13700000000、13700000001\",90,高层,2026-07-01\n")
    result = cli(community, "import", str(source))
    assert result.exit_code == 0, result.output
    assert "a.csv:2:3: 警告: 第 C 列“电话”：2-1-101 的电话比业主多，多出的号码记在最后一位业主名下" in result.output
    unit = {u.id: u for u in checked(community).ledger.units}["2-1-101"]
    assert unit.owners[0].phone == "13700000000、13700000001"


def test_errors_name_the_column_the_value_came_from(community, tmp_path):
    source = write_csv(tmp_path / "b.csv", "户号,业主姓名,面积（平方米）,户型,起始计费日期\n"
                                           "2-1-101,赵六,九十,高层,2026-07-01\n"
                                           "2-1-102,钱七,90,高层,七月一日\n"
                                           "2-1-103,孙八,90,,2026-07-01\n")
    before = snapshot(community)
    result = cli(community, "import", str(source))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == [
        "b.csv:2:3: 错误: 第 C 列“面积（平方米）”：面积“九十”不是有效数字（只写数字，例如 96.50）",
        "b.csv:3:5: 错误: 第 E 列“起始计费日期”：计费开始日“七月一日”不是有效日期（写成 2023-07-20）",
        "b.csv:4:4: 错误: 第 D 列“户型”：2-1-103 缺少类型",
    ]
    assert snapshot(community) == before


def test_a_note_cannot_break_out_of_its_comment_line():
    assert importer.one_line("老人\n独居\u202e\rtype: 别墅") == "老人 独居 type: 别墅"
