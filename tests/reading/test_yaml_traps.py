"""YAML's traps: every scalar stays the text that was written, and the YAML features we refuse say where."""
from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal

import pytest
import yaml

from generator import pipeline
from generator.reading.load import read_file
from generator.views.report import desk_json
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


def read_errors(path: str, text: str | bytes):
    result = read_file(path, text if isinstance(text, bytes) else text.encode("utf-8"))
    return result.record, [p.render() for p in result.problems if p.severity == "error"]


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
    _, problems = read_errors("ledger/policy.yaml", "community: x\nissuer: {name: y}\nfees: []\nnotice_board: {list_units: yes}\n")
    assert [p.split("（")[0] for p in problems] == [f"ledger/policy.yaml:4:{col('notice_board: {list_units: yes}', 'yes')}: 错误: “list_units”只能写 true 或 false：“yes”"]


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
    _, problems = read_errors("ledger/policy.yaml", "community: ~\nissuer: {name: y}\nfees: []\n")
    assert [p.split("（")[0] for p in problems] == ["ledger/policy.yaml:1:12: 错误: “community”不能为空"]


def test_duplicate_keys_are_errors_at_the_second_key():
    text = "payments:\n  - unit: 1-1-101\n    date: 2026-03-01\n    amount: 10\n    method: cash\n    amount: 20\n"
    entries, problems = read("ledger/p.yaml", text)
    assert problems == ["ledger/p.yaml:6:5: 错误: 重复的键“amount”（同一层里每个键只能写一次，请删除或合并重复的那一行）"]
    assert entries.payments[0].amount == Decimal("10.00")  # what was read is kept for the checks across files


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
    assert problems == [f"ledger/p.yaml:2:{col(line, '备注')}: 错误: 缴费记录里有未知的键“备注”（可用的键：unit、date、amount、method、receipt、note、for）"]


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


@pytest.mark.parametrize(("value", "tag"), [
    ("!!str 89.46", "!!str"), ("!!float 89.46", "!!float"), ("!!int 90", "!!int"), ("!!bool true", "!!bool"),
    ("!!null ''", "!!null"), ("!!timestamp 2026-01-01", "!!timestamp"), ("! 89.46", "!"), ("!<tag:yaml.org,2002:str> 89.46", "!<tag:yaml.org,2002:str>"),
])
def test_standard_tags_are_refused_where_they_are_written(value, tag):
    line = f"area: {value}"
    _, problems = read("owners/1-1-101.yaml", f"unit: 1-1-101\ntype: 高层\n{line}\nbilling_start: 2026-01-01\nowners: [{{name: 王丽}}]\n")
    assert problems[0].startswith(f"owners/1-1-101.yaml:3:7: 错误: 不支持 YAML 标签“{tag}”（删除“{tag}”")


def test_a_standard_tag_does_not_hide_the_files_other_problems():
    text = "unit: 1-1-101\ntype: 高层\narea: !!str 89.46\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\nocupancy: self\n"
    unit, problems = read("owners/1-1-101.yaml", text)
    assert [p.split("（")[0] for p in problems] == [
        "owners/1-1-101.yaml:3:7: 错误: 不支持 YAML 标签“!!str”",
        "owners/1-1-101.yaml:6:1: 错误: 房屋信息里有未知的键“ocupancy”",
    ]
    assert unit.area == Decimal("89.46")  # read as its text, for the checks across files


def test_an_anchor_without_alias_is_refused_at_the_anchor():
    _, problems = read("owners/1-1-101.yaml", 'unit: 1-1-101\ntype: 高层\narea: &a "126.32"\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\n')
    assert [p.split("（")[0] for p in problems] == ["owners/1-1-101.yaml:3:7: 错误: 不支持 YAML 锚点“&a”"]


def test_anchors_and_aliases_are_refused_each_where_written():
    text = "payments:\n  - &p {unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash}\n  - *p\n"
    entries, problems = read("ledger/p.yaml", text)
    assert entries.payments == ()  # an alias repeats content: the file is not read further
    assert [p.split("（")[0] for p in problems] == ["ledger/p.yaml:2:5: 错误: 不支持 YAML 锚点“&p”", "ledger/p.yaml:3:5: 错误: 不支持 YAML 别名“*p”"]


def test_merge_keys_are_refused_in_plain_words():
    text = "defaults: &d {method: cash}\npayments:\n  - {<<: *d, unit: 1-1-101, date: 2026-03-01, amount: 10}\n"
    _, problems = read("ledger/p.yaml", text)
    assert [p.split("（")[0] for p in problems] == ["ledger/p.yaml:1:11: 错误: 不支持 YAML 锚点“&d”", "ledger/p.yaml:3:6: 错误: 不支持 YAML 合并键“<<”"]
    assert "merge" not in " ".join(problems) and "把要合并的各项直接写进这个映射" in problems[1]
    _, problems = read("ledger/p.yaml", "payments:\n  - {<<: {method: cash}, unit: 1-1-101}\n")  # no alias at all
    assert [p.split("（")[0] for p in problems] == ["ledger/p.yaml:2:6: 错误: 不支持 YAML 合并键“<<”"]


def test_an_undefined_alias_is_explained_in_chinese():
    _, problems = read("ledger/p.yaml", "payments:\n  - *nothing\n")
    assert problems == ["ledger/p.yaml:2:5: 错误: 不支持 YAML 别名“*nothing”，而且前面没有对应的锚点“&nothing”（found undefined alias）（把要引用的内容直接写在这里，删除“*nothing”）"]


def test_a_quoted_ampersand_star_or_bang_is_text():
    text = 'payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash, note: "&a *b !c <<"}\n'
    entries, problems = read("ledger/p.yaml", text)
    assert problems == []


def test_non_utf8_file_is_an_error_at_the_first_bad_byte():
    raw = "# 三月缴费\npayments: []\n".encode("gbk")
    entries, problems = read("ledger/p.yaml", raw)
    assert problems == ["ledger/p.yaml:1:3: 错误: 文件不是 UTF-8 编码（请用 UTF-8 编码另存该文件，例如在 VS Code 右下角选择“通过编码保存 → UTF-8”）"]


def test_utf8_bom_and_crlf_line_ends_are_read_and_positions_stay_right():
    raw = "\ufeffpayments:\r\n  - {unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash}\r\n  - {unit: 1-1-101, date: 2026-13-01, amount: 10, method: cash}\r\n".encode("utf-8")
    entries, problems = read("ledger/p.yaml", raw)
    assert [p.pos.line for p in entries.payments] == [2, 3]
    assert entries.payments[1].date is None  # kept with what could be read, for the checks across files
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
    text = "# 三月\npayments:\n  - unit: 1-1-101\n    date: 2026-03-01\n    amount: 12.345\n    method: 现钞\n"
    _, problems = read("ledger/p.yaml", text)
    assert [p.split("：")[0].split("（")[0] for p in problems] == [
        "ledger/p.yaml:5:13: 错误: 金额“12.345”超过两位小数",
        "ledger/p.yaml:6:13: 错误: “method”的值“现钞”不在可选范围内",
    ]


def test_positions_in_the_community_are_relative_to_the_root(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.write()
    line = "  - {unit: 1-1-101, date: 2026-03-01, amount: 10, method: card}"
    write_files(tmp_path, {"ledger/2026/03.yaml": f"payments:\n  - {{unit: 1-1-101, date: 2026-03-01, amount: 10, method: cash}}\n{line}\n"})
    checked = c.checked("2026-03-01")
    assert [p.render().split("（")[0] for p in checked.errors] == [f"ledger/2026/03.yaml:3:{col(line, 'card')}: 错误: “method”的值“card”不在可选范围内"]


# -- Tabs, quotes and other syntax errors: Chinese words at the place to fix --------------------

@pytest.mark.parametrize("text", [
    "payments: []\t\n",  # a trailing Tab after a value
    "payments: [] # 注释\t\n",
    "payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: 1, method: cash}   \n   \n",  # trailing spaces, a line of spaces
    "a:\n  - 1\n    \t\n  - 2\n",  # spaces then a Tab on an empty line inside a list
    "payments: []\n\t",  # a lone Tab at the end of the file
    "payments: []\n\t\n",
    "payments: []\n  \t\n",
    "a: 1\n\t\npayments: []\n",
    "payments:\n  - {unit: 1-1-101, date: 2026-03-01, amount: 1, method: cash}\n    \t\n",
])
def test_whitespace_on_empty_lines_is_accepted_when_libyaml_accepts_it_else_the_tab_is_named(text):
    _, problems = read("ledger/p.yaml", text)
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        line = next(n for n, row in enumerate(text.split("\n"), 1) if "\t" in row and not row.strip(" \t"))
        assert len(problems) == 1 and problems[0].startswith(f"ledger/p.yaml:{line}:")
        assert f"第 {line} 行是空行，但里面有 Tab 字符" in problems[0] and "删除这一行里的 Tab" in problems[0]
    else:
        assert [p for p in problems if "YAML 格式错误" in p] == []


@pytest.mark.parametrize(("text", "where", "words"), [
    # the quote runs to the end of the file: libyaml notices there, the quote is on line 2
    ('payments:\n  - {unit: 1-1-101, note: "abc}\n  - {unit: 1-1-102}\n', "2:27", "第 2 行第 27 列的双引号 \" 没有闭合"),
    ("unit: '1-1-101\ntype: 高层\n", "1:7", "第 1 行第 7 列的单引号 ' 没有闭合"),
    # the quote runs to the next quote, three lines further
    ('unit: 1-1-101\ntype: "高层\narea: 89.5\nbilling_start: 2026-01-01\nowners: [{name: "王丽"}]\n', "2:7", "第 2 行第 7 列的双引号 \" 可能没有闭合，它一直延续到第 5 行"),
])
def test_an_unclosed_quote_is_reported_where_it_opens(text, where, words):
    _, problems = read("owners/1-1-101.yaml", text)
    assert len(problems) == 1
    assert problems[0].startswith(f"owners/1-1-101.yaml:{where}: 错误: YAML 格式错误：")
    assert words in problems[0] and "补上" in problems[0]


@pytest.mark.parametrize("text", [
    "payments:\n  - {unit: 1-1-101\n  - x\n",
    "payments:\n  - [a, b\n",
    "payments:\n  - unit: a\n - date: b\n",
    "a: 1\n  b: 2\n",
    "payments: &\n",
    "payments: !<x\n",
    "payments: !x!y 1\n",
    'payments: "\\q"\n',
    "payments: |\n\tfoo\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "a: &x 1\nb: &x 2\n",
    "payments: `x\n",
    "payments: @x\n",
])
def test_every_syntax_error_is_in_chinese_with_libyamls_words_in_brackets(text):
    _, problems = read("ledger/p.yaml", text)
    assert len(problems) == 1, problems
    message = problems[0].split(": 错误: ", 1)[1]
    assert message.startswith(("YAML 格式错误：", "不支持 YAML")), message
    outside = re.sub(r"（[^（）]*(?:（[^（）]*）[^（）]*)*）", "", message)  # what is left outside the brackets
    assert not re.search(r"[A-Za-z]{4,}", outside.replace("YAML", "").replace("Tab", "")), message
    assert message.endswith("）")  # the hint


def test_a_control_character_is_reported_in_chinese_at_its_place():
    _, problems = read("ledger/p.yaml", "payments:\n  - {unit: 1-1-101, note: a\x01b}\n")
    assert len(problems) == 1
    assert problems[0].startswith("ledger/p.yaml:2:28: 错误: 文件里有不可见的控制字符 U+0001")


def test_an_optional_key_left_empty_is_not_given_and_still_counts_for_duplicates(tmp_path):
    from tests.community import Community, fee

    c = Community(tmp_path / "c", fees=[fee()])
    c.unit("1-1-101", billing_start="2026-01-01")
    c.write()
    owner = c.root / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + "tags:\ntenant: ~\n", encoding="utf-8")
    (c.root / "ledger" / "more.yaml").write_text(
        "charges:\n  - unit: 1-1-101\n    item: 水费\n    amount: \"10.00\"\n    due: 2026-02-15\n    issued:\n    period: null\n",
        encoding="utf-8")
    checked = pipeline.check(c.root, date(2026, 3, 1), date(2026, 3, 1), use_cache=False)
    assert not checked.problems, [p.render() for p in checked.problems]
    [charge] = checked.ledger.charges
    assert charge.issued == charge.due == date(2026, 2, 15)  # issued left empty: from its due date
    owner.write_text(owner.read_text(encoding="utf-8") + "tags: [老人]\n", encoding="utf-8")
    problems = [p.render() for p in pipeline.check(c.root, date(2026, 3, 1), date(2026, 3, 1), use_cache=False).problems]
    assert any("重复的键“tags”" in p for p in problems), problems
