"""Complaints as data (issue 16): the owner file's ``complaints:`` and the policy's ``complaints:`` rule."""
from __future__ import annotations

from datetime import date

import pytest

from generator.core.model import Complaint, ComplaintRule, ComplaintUpdate
from generator.reading.load import read_exact, read_file
from tests.community import Community
from tests.reading.text import col, read_text
from tests.schemas import instance, validator

HEAD = "unit: 1-1-101\ntype: 高层\narea: \"100.00\"\nbilling_start: 2026-01-01\nowners: [{name: 王丽}]\ncomplaints:\n"
OPENED = "  - {opened: 2026-03-02, category: repair, said: 楼上漏水到厨房, owner: 客服 李娜, "
POLICY = "community: 测试花园\nissuer: {name: 测试花园业主委员会}\nfees: [{id: property, basis: unit, rate: \"10\", cycle: 1, due_day: 1}]\n"


def read_unit(complaint_line: str):
    return read_text("owners/1-1-101.yaml", HEAD + complaint_line + "\n")


BLOCK = (HEAD + "  - opened: 2026-03-02\n    category: 维修\n    said: 楼上漏水到厨房\n    owner: 客服 李娜\n"
         "    promised: 2026-03-10\n    updates:\n      - {date: 2026-03-03, text: 上门查看，约好周五修, by: 李娜}\n"
         "    resolved: 2026-03-12\n    resolution: 更换水管\n    confirmed: 2026-03-13\n    evidence: 维修单 0312.jpg\n"
         "    disputed: [2026-03, \"2026-04~2026-06\"]\n").encode("utf-8")


def test_a_complaint_is_read_with_every_key_and_a_chinese_category():
    result = read_exact("owners/1-1-101.yaml", BLOCK)
    assert result.problems == ()
    [complaint] = result.record.complaints
    assert complaint == Complaint(
        opened=date(2026, 3, 2), category="repair", said="楼上漏水到厨房", owner="客服 李娜", pos=complaint.pos,
        promised=date(2026, 3, 10), updates=(ComplaintUpdate(date(2026, 3, 3), "上门查看，约好周五修", "李娜"),),
        resolved=date(2026, 3, 12), resolution="更换水管", confirmed=date(2026, 3, 13), evidence="维修单 0312.jpg",
        disputed=("2026-03", "2026-04~2026-06"))
    assert (complaint.pos.line, complaint.pos.col) == (7, 5)
    assert complaint.open_on(date(2026, 3, 11)) and not complaint.open_on(date(2026, 3, 12))


def test_the_fast_and_the_exact_path_read_the_same_complaints():
    fast, exact = read_file("owners/1-1-101.yaml", BLOCK), read_exact("owners/1-1-101.yaml", BLOCK)
    assert fast.problems == exact.problems == ()
    assert fast.record == exact.record and fast.record.complaints[0].category == "repair"


def test_a_unit_without_complaints_has_none():
    result = read_file("owners/1-1-101.yaml", HEAD.removesuffix("complaints:\n").encode("utf-8"))
    assert result.problems == () and result.record.complaints == ()


@pytest.mark.parametrize(("word", "code"), [("维修", "repair"), ("保洁", "cleaning"), ("安保", "security"), ("停车", "parking"),
                                            ("噪音", "noise"), ("收费", "fees"), ("历史遗留", "legacy"), ("其他", "other"), ("legacy", "legacy")])
def test_each_category_may_be_written_in_chinese(word, code):
    unit, problems = read_unit(OPENED.replace("repair", word) + "}")
    assert problems == [] and unit.complaints[0].category == code


def test_an_unknown_category_is_an_error_that_lists_the_categories():
    line = OPENED.replace("repair", "电梯") + "}"
    _, problems = read_unit(line)
    [(severity, line_no, column, message, hint)] = problems
    assert (severity, line_no, column, message) == ("error", 7, col(line, "电梯"), "“category”的值“电梯”不在可选范围内")
    assert "repair（维修）" in hint and "legacy（历史遗留）" in hint


def test_resolved_before_opened_is_an_error_at_the_resolved_day():
    line = OPENED + "resolved: 2026-03-01, resolution: 已修}"
    _, problems = read_unit(line)
    assert problems == [("error", 7, col(line, "2026-03-01"), "解决日期 2026-03-01 早于投诉日期 2026-03-02",
                         "检查两个日期：opened 写业主投诉的日子，resolved 写问题解决的日子")]


def test_a_confirmation_without_a_resolution_day_is_an_error():
    line = OPENED + "confirmed: 2026-03-05}"
    _, problems = read_unit(line)
    assert problems == [("error", 7, col(line, "2026-03-05"), "写了业主确认日期（confirmed），却没有写解决日期（resolved）",
                         "业主确认的是解决结果：先写 resolved（解决日期）和 resolution（怎么解决的），还没解决就删除 confirmed")]


def test_a_confirmation_before_the_resolution_is_an_error():
    line = OPENED + "resolved: 2026-03-06, resolution: 已修, confirmed: 2026-03-05}"
    _, problems = read_unit(line)
    assert problems == [("error", 7, col(line, "2026-03-05"), "业主确认日期 2026-03-05 早于解决日期 2026-03-06",
                         "检查两个日期：业主在问题解决之后才能确认")]


def test_an_update_before_the_complaint_is_an_error_at_its_date():
    _, problems = read_unit(OPENED + "updates: [{date: 2026-03-01, text: 上门}]}")
    [(severity, line_no, _, message, _)] = problems
    assert (severity, line_no, message) == ("error", 7, "处理进展的日期 2026-03-01 早于投诉日期 2026-03-02")


def test_missing_handler_and_missing_resolution_are_warnings():
    line = "  - {opened: 2026-03-02, category: noise, said: 夜里装修太吵, resolved: 2026-03-04}"
    unit, problems = read_unit(line)
    assert [(p[0], p[3]) for p in problems] == [
        ("warning", "投诉写了解决日期，却没有写怎么解决的（resolution）"), ("warning", "投诉没有写负责人（owner）")]
    assert unit.complaints[0].owner == ""


@pytest.mark.parametrize(("period", "message"), [
    ("2026-7", "期间“2026-7”的格式不对"),
    ("2026/07", "期间“2026/07”的格式不对"),
    ("2026-13", "期间“2026-13”里的月份不存在"),
    ("2026-09~2026-07", "期间“2026-09~2026-07”的起始月份不早于结束月份"),
    ("2026-07~2026-07", "期间“2026-07~2026-07”的起始月份不早于结束月份"),
])
def test_a_disputed_period_of_the_wrong_shape_is_an_error_at_it(period, message):
    line = OPENED + f"disputed: [\"{period}\"]}}"
    _, problems = read_unit(line)
    assert [(p[0], p[1], p[2], p[3]) for p in problems] == [("error", 7, col(line, f"\"{period}\""), message)]


def test_a_disputed_span_written_with_a_full_width_tilde_reads_as_the_charges_name_it():
    unit, problems = read_unit(OPENED + "disputed: [2026-07～2026-09]}")
    assert problems == [] and unit.complaints[0].disputed == ("2026-07~2026-09",)


def test_complaint_dates_after_today_are_errors_but_a_promise_may_lie_ahead(tmp_path):
    c = Community(tmp_path)
    c.unit("1-1-101", complaints=[{"opened": "2026-11-20", "category": "parking", "said": "车位被占", "owner": "保安队长",
                                   "promised": "2026-12-01", "resolved": "2026-11-25", "resolution": "已清走"}])
    [problem] = c.checked("2026-11-22", today=date(2026, 11, 22)).problems
    assert (problem.severity, problem.pos.path, problem.message) == ("error", "owners/1-1-101.yaml", "投诉解决日期 2026-11-25 晚于今天")


def test_the_policy_sets_the_complaint_rule_and_defaults_stand_when_it_is_silent():
    written = read_file("ledger/policy.yaml", (POLICY + "complaints: {hold_lawyer_days: 30, call_after_days: 5}\n").encode("utf-8"))
    half = read_file("ledger/policy.yaml", (POLICY + "complaints: {call_after_days: 7}\n").encode("utf-8"))
    silent = read_file("ledger/policy.yaml", POLICY.encode("utf-8"))
    assert written.problems == half.problems == silent.problems == ()
    assert written.record.complaints == ComplaintRule(30, 5)
    assert half.record.complaints == ComplaintRule(60, 7)
    assert silent.record.complaints == ComplaintRule(60, 3)


def test_a_complaint_rule_with_a_negative_or_unknown_key_is_an_error():
    result = read_file("ledger/policy.yaml", (POLICY + "complaints: {hold_lawyer_days: -1, remind: 2}\n").encode("utf-8"))
    assert {p.severity for p in result.problems} == {"error"} and len(result.problems) == 2


def test_the_editor_schema_accepts_a_complaint_and_refuses_an_unknown_category():
    schema = validator("owner")
    data = instance(BLOCK.decode("utf-8"))
    assert list(schema.iter_errors(data)) == []
    data["complaints"][0]["category"] = "电梯"
    data["complaints"][0]["disputed"] = ["2026-13"]
    assert sorted(str(e.path[-1]) for e in schema.iter_errors(data)) == ["0", "category"]


def test_the_demo_has_open_overdue_resolved_and_confirmed_complaints_each_beside_a_complaint_contact():
    from generator import pipeline
    from tests.support import DEMO_AS_OF, PROJECT

    if not (PROJECT / "ledger" / "policy.yaml").is_file():
        pytest.skip("demo community not present")
    ledger = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False).ledger
    found = {unit.id: unit for unit in ledger.units if unit.complaints}
    assert sorted(found) == ["1-1-101", "1-2-802", "2-1-802", "S-03", "V03"]
    assert all(any(c.reason in ("service_complaint", "legacy_dispute") for c in unit.contacts) for unit in found.values())
    still_open = sorted(u.id for u in found.values() for c in u.complaints if c.open_on(DEMO_AS_OF))
    overdue = sorted(u.id for u in found.values() for c in u.complaints
                     if c.open_on(DEMO_AS_OF) and c.promised is not None and c.promised < DEMO_AS_OF)
    confirmed = sorted(u.id for u in found.values() for c in u.complaints if c.confirmed is not None)
    assert (still_open, overdue, confirmed) == (["S-03", "V03"], ["S-03"], ["1-2-802"])
    assert found["1-2-802"].complaints[0].disputed == ("2026-07~2026-09",)
