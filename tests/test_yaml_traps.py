"""YAML's traps: every scalar stays the text that was written, and the YAML features we refuse say where."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest

from generator import pipeline
from generator.load import read_file
from generator.report import desk_json
from tests.community import Community, write_files

OWNER = """\
unit: 1-1-101
type: 高层
area: 89.50
billing_start: 2026-01-01
owners:
  - {name: 王丽, phone: 01066660000, address: 0571}
tags: [yes, no, on, off, true, 1e3, 010]
contacts:
  - {date: 2026-02-01, channel: phone, outcome: reached, evidence: 0001, note: no}
"""


def col(line: str, needle: str) -> int:
    """The 1-based column where ``needle`` starts in ``line``."""
    return line.index(needle) + 1


def read(path: str, text: str | bytes):
    result = read_file(path, text if isinstance(text, bytes) else text.encode("utf-8"))
    return result.record, [p.render() for p in result.problems]


def test_numbers_with_leading_zeros_booleans_and_floats_stay_text():
    unit, problems = read("owners/1-1-101.yaml", OWNER)
    assert problems == []
    assert unit.owners[0].phone == "01066660000"  # not the octal/decimal number 1066660000
    assert unit.owners[0].address == "0571"
    assert unit.tags == ("yes", "no", "on", "off", "true", "1e3", "010")  # not True/False/1000.0/8
    assert unit.contacts[0].evidence == "0001"
    assert unit.contacts[0].note == "no"
    assert unit.area == Decimal("89.50") and str(unit.area) == "89.50"  # not the float 89.5


def test_receipt_numbers_keep_their_leading_zeros():
    entries, problems = read("ledger/p.yaml", "payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: 1200.5, method: bank, receipt: 0012}\n")
    assert problems == []
    assert entries.payments[0].receipt == "0012"
    assert entries.payments[0].amount == Decimal("1200.50")


def test_yes_and_no_are_not_booleans_where_a_boolean_is_expected():
    _, problems = read("ledger/policy.yaml", "community: x\nissuer: {name: y}\nfees: []\nnotice_board: {list_units: yes}\n")
    assert problems == [f"ledger/policy.yaml:4:{col('notice_board: {list_units: yes}', 'yes')}: 错误: “list_units”只能写 true 或 false：“yes”"]


def test_yes_is_not_an_outcome_or_a_channel():
    line = "  - {date: 2026-02-01, channel: on, outcome: yes}"
    text = f"unit: 1-1-101\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{{name: 王丽}}]\ncontacts:\n{line}\n"
    _, problems = read("owners/1-1-101.yaml", text)
    assert [p.split("（")[0] for p in problems] == [
        f"owners/1-1-101.yaml:6:{col(line, 'on,')}: 错误: “channel”的值“on”不在可选范围内",  # column 33
        f"owners/1-1-101.yaml:6:{col(line, 'yes')}: 错误: “outcome”的值“yes”不在可选范围内",
    ]


@pytest.mark.parametrize("literal", ["~", "null", "Null", ""])
def test_a_yaml_null_evidence_is_no_evidence(literal):
    text = f"unit: 1-1-101\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{{name: 王丽}}]\ncontacts:\n  - {{date: 2026-02-01, channel: phone, outcome: reached, evidence: {literal}}}\n"
    unit, problems = read("owners/1-1-101.yaml", text)
    assert problems == []
    assert unit.contacts[0].evidence == ""  # so it does not interrupt the limitation period (rule 10)


def test_quoted_tilde_is_text():
    text = 'unit: 1-1-101\ntype: 高层\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncontacts:\n  - {date: 2026-02-01, channel: phone, outcome: reached, evidence: "~"}\n'
    unit, _ = read("owners/1-1-101.yaml", text)
    assert unit.contacts[0].evidence == "~"


def test_a_yaml_null_receipt_is_no_receipt():
    text = "payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: 1, method: cash, receipt: ~}\n  - {unit: 1-1-101, date: 2026-03-01, amount: 1, method: cash, receipt: null}\n"
    entries, problems = read("ledger/p.yaml", text)
    assert problems == []
    assert [p.receipt for p in entries.payments] == ["", ""]  # so they are not "duplicate receipts"


def test_a_yaml_null_where_text_is_required_is_an_empty_value():
    _, problems = read("ledger/policy.yaml", "community: ~\nissuer: {name: y}\nfees: []\n")
    assert problems == ["ledger/policy.yaml:1:12: 错误: “community”不能为空"]


def test_duplicate_keys_are_errors_at_the_second_key():
    text = "payments:\n  - unit: 1-1-101\n    date: 2026-03-01\n    amount: 10\n    method: cash\n    amount: 20\n"
    entries, problems = read("ledger/p.yaml", text)
    assert entries.payments == ()
    assert problems == ["ledger/p.yaml:6:5: 错误: 重复的键“amount”（同一层里每个键只能写一次，请删除或合并重复的那一行）"]


def test_duplicate_top_level_keys_are_errors():
    _, problems = read("ledger/p.yaml", "payments: []\nwaivers: []\npayments: []\n")
    assert problems == ["ledger/p.yaml:3:1: 错误: 重复的键“payments”（同一层里每个键只能写一次，请删除或合并重复的那一行）"]


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("ledger/p.yaml", "payments:\n  - {unit: 1-1-101, date: 2026-03-01, amout: 10, method: cash}\n",
     "ledger/p.yaml:2:39: 错误: 缴费记录里有未知的键“amout”（是不是“amount”？）"),
    ("owners/1-1-101.yaml", "unit: 1-1-101\ntype: 高层\nbiling_start: 2026-01-01\nowners: [{name: 王丽}]\n",
     "owners/1-1-101.yaml:3:1: 错误: 房屋信息里有未知的键“biling_start”（是不是“billing_start”？）"),
    ("ledger/p.yaml", "payment:\n  - {unit: 1-1-101}\n",
     "ledger/p.yaml:1:1: 错误: 账目文件里有未知的键“payment”（是不是“payments”？）"),
])
def test_unknown_keys_suggest_the_closest_key(path, text, expected):
    _, problems = read(path, text)
    assert expected in problems


def test_unknown_key_without_a_close_match_lists_the_keys():
    line = "  - {unit: 1-1-101, date: 2026-03-01, amount: 1, method: cash, 备注: x}"
    _, problems = read("ledger/p.yaml", f"payments:\n{line}\n")
    assert problems == [f"ledger/p.yaml:2:{col(line, '备注')}: 错误: 缴费记录里有未知的键“备注”（可用的键：unit、date、amount、method、receipt、note）"]


@pytest.mark.parametrize(("value", "col"), [
    ("!!python/object/apply:os.system [\"echo pwned\"]", 5),
    ("!!python/object:datetime.date {}", 5),
    ("!!binary aGVsbG8=", 5),
    ("!custom {unit: 1-1-101}", 5),
])
def test_tags_are_refused(value, col):
    entries, problems = read("ledger/p.yaml", f"payments:\n  - {value}\n")
    assert entries.payments == ()
    assert len(problems) == 1
    assert problems[0].startswith(f"ledger/p.yaml:2:{col}: 错误: 不支持 YAML 标签")


def test_standard_tags_on_scalars_are_harmless_text():
    entries, problems = read("ledger/p.yaml", "payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: !!str 10.5, method: cash}\n")
    assert problems == []
    assert entries.payments[0].amount == Decimal("10.50")


def test_anchors_and_aliases_are_refused_at_the_anchored_node():
    # The composed alias is the anchored node itself, so the position is the anchor's.
    text = "payments:\n  - &p {unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash}\n  - *p\n"
    entries, problems = read("ledger/p.yaml", text)
    assert entries.payments == ()
    assert [p.split("（")[0] for p in problems] == ["ledger/p.yaml:2:5: 错误: 不支持 YAML 锚点和别名"]


def test_merge_keys_with_aliases_are_refused():
    text = "defaults: &d {method: cash}\npayments:\n  - {<<: *d, unit: 1-1-101, date: 2026-03-01, amount: 10}\n"
    _, problems = read("ledger/p.yaml", text)
    assert any("不支持 YAML 锚点和别名" in p for p in problems)


def test_non_utf8_file_is_an_error_at_the_first_bad_byte():
    raw = "# 三月缴费\npayments: []\n".encode("gbk")
    entries, problems = read("ledger/p.yaml", raw)
    assert problems == ["ledger/p.yaml:1:3: 错误: 文件不是 UTF-8 编码（请用 UTF-8 编码另存该文件，例如在 VS Code 右下角选择“通过编码保存 → UTF-8”）"]


def test_utf8_bom_and_crlf_line_ends_are_read_and_positions_stay_right():
    raw = "\ufeffpayments:\r\n  - {unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash}\r\n  - {unit: 1-1-101, date: 2026-13-01, amount: 10, method: cash}\r\n".encode("utf-8")
    entries, problems = read("ledger/p.yaml", raw)
    assert len(entries.payments) == 1 and entries.payments[0].pos.line == 2
    assert problems == ["ledger/p.yaml:3:27: 错误: “date”的日期“2026-13-01”不存在（检查月份和日子，例如 2 月没有 30 日）"]


def test_a_community_saved_with_bom_and_crlf_gives_the_same_report(tmp_path):
    c = Community(tmp_path / "plain")
    c.unit("1-1-101", billing_start="2026-01-01")
    c.payment("1-1-101", "2026-02-01", "200.00")
    expected = c.report("2026-02-01")
    windows = tmp_path / "windows"
    shutil.copytree(tmp_path / "plain", windows)
    for path in windows.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    checked = pipeline.check(windows, date(2026, 2, 1), date(2026, 2, 1), use_cache=False)
    assert [p.render() for p in checked.problems] == []
    assert desk_json(pipeline.desk_for(checked, date(2026, 2, 1))) == expected


@pytest.mark.parametrize(("text", "where", "phrase"), [
    ("payments:\n  - unit: 1-1-101\n\tdate: 2026-03-01\n", "ledger/p.yaml:3:1", "Tab"),
    ("payments:\n\t- {unit: 1-1-101}\n", "ledger/p.yaml:2:1", "Tab"),
    ("payments:\n  -\tunit: 1-1-101\n", "ledger/p.yaml:2:4", "Tab"),
])
def test_tab_indentation_says_tab(text, where, phrase):
    _, problems = read("ledger/p.yaml", text)
    assert len(problems) == 1
    assert problems[0].startswith(where + ": 错误: YAML 格式错误")
    assert phrase in problems[0]


def test_syntax_errors_point_at_the_line():
    _, problems = read("ledger/p.yaml", "payments:\n  - {unit: 1-1-101, date: 2026-03-01\n  - {unit: 1-1-102}\n")
    assert len(problems) == 1 and problems[0].startswith("ledger/p.yaml:3:")
    _, problems = read("ledger/p.yaml", "payments:\n  - note: 业主说: 下周付\n")
    assert problems == ["ledger/p.yaml:2:14: 错误: YAML 格式错误：这里不能出现“键: 值”（mapping values are not allowed in this context）（冒号后面要有空格；值里含冒号时请用引号括起来）"]


def test_positions_of_values_in_block_mappings():
    text = "# 三月\npayments:\n  - unit: 1-1-101\n    date: 2026-03-01\n    amount: 12.345\n    method: 现金\n"
    _, problems = read("ledger/p.yaml", text)
    assert [p.split("：")[0].split("（")[0] for p in problems] == [
        "ledger/p.yaml:5:13: 错误: 金额“12.345”超过两位小数",
        "ledger/p.yaml:6:13: 错误: “method”的值“现金”不在可选范围内",
    ]


def test_positions_in_the_community_are_relative_to_the_root(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.write()
    line = "  - {unit: 1-1-101, date: 2026-03-01, amount: 10, method: card}"
    write_files(tmp_path, {"ledger/2026/03.yaml": f"payments:\n  - {{unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash}}\n{line}\n"})
    checked = c.checked("2026-03-01")
    assert [p.render().split("（")[0] for p in checked.errors] == [f"ledger/2026/03.yaml:3:{col(line, 'card')}: 错误: “method”的值“card”不在可选范围内"]
