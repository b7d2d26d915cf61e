"""``import --update``: the corrected sheet imported over the owner files, keeping their contact logs."""
from __future__ import annotations

import errno
from datetime import date
from decimal import Decimal

import pytest

from generator.workflow import importer
from tests.handwritten import OWNER_101, OWNER_102, checked, cli_as_of, make_community, snapshot

# 1-1-101: 100 m² 高层 = 600.00 a quarter; paid through 2026-06-30, it owes Jul-Sep and Oct-Dec on 2026-11-22
SHEET = ("房号,业主,电话,面积,类型,已缴至,欠费\n"
         "1-1-101,\"王丽、张伟\",\"13800000009、13700000007\",100,高层,2026-06-30,1200\n")


@pytest.fixture
def community(tmp_path):
    return make_community(tmp_path / "c")


def sheet(tmp_path, text: str = SHEET):
    path = tmp_path / "更正.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_update_replaces_the_sheets_keys_and_keeps_the_contact_log_and_comments(community, tmp_path):
    result = cli_as_of(community, "2026-11-22", "import", str(sheet(tmp_path)), "--update")
    assert result.exit_code == 0, result.output
    assert (community / "owners/1-1-101.yaml").read_text(encoding="utf-8") == (
        "# 1幢1单元101，业主常年在外地\n"
        "unit: 1-1-101\n"
        "type: 高层\n"
        'area: "100.00"   # 房产证面积\n'
        "billing_start: 2026-07-01\n"
        "owners:\n"
        '  - {name: 王丽, phone: "13800000009"}\n'
        '  - {name: 张伟, phone: "13700000007"}\n'
        "contacts:\n"
        "  - date: 2026-03-02\n"
        "    channel: phone\n"
        "    outcome: refused   # 态度差\n"
        "    evidence: 录音1.m4a\n"
    )
    assert "已导入 0 户到 owners/，更新 1 户。" in result.output
    unit = {u.id: u for u in checked(community).ledger.units}["1-1-101"]
    assert len(unit.contacts) == 1 and unit.contacts[0].evidence == "录音1.m4a"


def test_update_shows_the_diff_and_a_dry_run_writes_nothing(community, tmp_path):
    before = snapshot(community)
    result = cli_as_of(community, "2026-11-22", "import", str(sheet(tmp_path)), "--update", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "将更新 owners/1-1-101.yaml：\n"
        "--- owners/1-1-101.yaml（原来）\n"
        "+++ owners/1-1-101.yaml（导入后）\n"
        "@@ -4,5 +4,6 @@\n"
        ' area: "100.00"   # 房产证面积\n'
        "-billing_start: 2026-01-01\n"
        "+billing_start: 2026-07-01\n"
        " owners:\n"
        '-  - {name: 王丽, phone: "13800000000"}\n'
        '+  - {name: 王丽, phone: "13800000009"}\n'
        '+  - {name: 张伟, phone: "13700000007"}\n'
        " contacts:\n"
    ) in result.output
    assert "试运行：将导入 0 户到 owners/，更新 1 户；未写入任何文件。" in result.output
    assert snapshot(community) == before


def test_update_keeps_a_phone_the_sheet_has_no_column_for(community, tmp_path):
    source = sheet(tmp_path, "房号,业主,面积,类型,已缴至,欠费\n1-1-101,王丽,120,高层,2026-09-30,0\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source), "--update", "--accept-differences")
    assert result.exit_code == 0, result.output
    unit = {u.id: u for u in checked(community).ledger.units}["1-1-101"]
    assert unit.owners[0].phone == "13800000000" and unit.area == Decimal("120.00")
    assert unit.billing_start == date(2026, 10, 1)


def test_an_unchanged_file_is_left_alone(community, tmp_path):
    source = sheet(tmp_path, "房号,业主,电话,面积,类型,计费开始\n1-1-102,李四,13900000000,80,洋房,2026-01-01\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source), "--update")
    assert result.exit_code == 0, result.output
    assert "已导入 0 户到 owners/，1 户没有变化。" in result.output
    assert (community / "owners/1-1-102.yaml").read_text(encoding="utf-8") == OWNER_102


def test_without_update_the_skip_warning_names_the_option(community, tmp_path):
    result = cli_as_of(community, "2026-11-22", "import", str(sheet(tmp_path)))
    assert "owners/1-1-101.yaml 已存在，这一行跳过，导入不会覆盖已有的房屋文件（要用表格更新已有的房屋文件（保留催收记录），加 --update" in result.output
    assert (community / "owners/1-1-101.yaml").read_text(encoding="utf-8") == OWNER_101


def test_an_update_that_fails_halfway_puts_the_old_text_back(community, tmp_path, monkeypatch):
    """The updated file is written first; the new file after it fails: the update is taken back."""
    calls = []

    def write_or_fail(root, edits):
        calls.append([e.path for e in edits])
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(root, edits)

    real_write = importer.write
    monkeypatch.setattr(importer, "write", write_or_fail)
    before = snapshot(community)
    source = sheet(tmp_path, SHEET + "2-1-101,赵六,,100,高层,2026-06-30,1200\n")
    result = cli_as_of(community, "2026-11-22", "import", str(source), "--update")
    assert result.exit_code == 1
    assert "无法写入 owners/2-1-101.yaml：磁盘已满。已撤回本次导入先写入的 1 个文件，owners/ 与导入前相同" in result.output
    assert calls == [["owners/1-1-101.yaml"], ["owners/2-1-101.yaml"], ["owners/1-1-101.yaml"]]
    assert snapshot(community) == before


def test_update_from_period_columns_replaces_the_opening_items(community, tmp_path):
    (community / "owners/1-1-101.yaml").write_text(OWNER_101 + 'opening: {amount: "999.00", due: 2025-12-31}\n', encoding="utf-8")
    source = sheet(tmp_path, "房号,业主,面积,类型,计费开始,2025年下半年欠费\n1-1-101,王丽,100,高层,2026-01-01,600\n")
    result = cli_as_of(community, "2025-12-31", "import", str(source), "--update")
    assert result.exit_code == 0, result.output
    text = (community / "owners/1-1-101.yaml").read_text(encoding="utf-8")
    assert text.endswith('    evidence: 录音1.m4a\nopening: {amount: "600.00", due: 2025-10-15, period: 2025-10~2025-12}\n')
    assert "999" not in text
