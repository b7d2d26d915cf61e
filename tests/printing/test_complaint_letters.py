"""Issue 16: letters and the queue for a household with an open complaint.

No lawyer letter while a complaint is open and younger than ``hold_lawyer_days`` (the queue says why); a
notice to such a household acknowledges the complaint and its handler and threatens no court; the charges
of the periods an open complaint disputes are marked and listed apart on the statement.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from msgspec.structs import replace

from generator import pipeline
from generator.content.legal import load_legal
from generator.printing.letters import stage_letters, statements
from generator.views.dashboard import queue
from tests.community import Community, fixture_value
from tests.complaints import (
    AS_OF,
    UNIT,
    complaint,
    lawyer_community,
    with_complaints,
)
from tests.letters import html_text
from tests.support import DEMO_AS_OF, PROJECT

NOTICE_DAY = date(2026, 3, 1)  # the unit billed from 2026-01 is 45 days overdue: the notice stage, no notice sent yet


def notice_community(root) -> Community:
    c = Community(root, dunning=fixture_value("dunning"))
    c.unit(UNIT)
    return c


def kinds(letters) -> list[tuple[str, str]]:
    return [(letter.kind, letter.unit) for letter in letters]


def test_no_lawyer_letter_while_a_young_complaint_is_open(tmp_path):
    c = lawyer_community(tmp_path)
    assert kinds(stage_letters(with_complaints(c, AS_OF, {}), None)) == [("lawyer", UNIT)]
    assert stage_letters(with_complaints(c, AS_OF, {UNIT: (complaint("2026-05-20"),)}), None) == []


def test_a_complaint_open_longer_than_hold_lawyer_days_no_longer_holds_the_lawyer_letter(tmp_path):
    desk = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (complaint("2026-03-01"),)})
    assert kinds(stage_letters(desk, None)) == [("lawyer", UNIT)]


def test_stage_letters_refuse_a_lawyer_letter_to_a_unit_a_young_complaint_holds(tmp_path):
    # whatever the next action says: the letters check the hold themselves
    desk = with_complaints(lawyer_community(tmp_path), AS_OF, {})
    state = desk.unit(UNIT)
    held = replace(desk, units=(replace(state, open_complaints=(complaint("2026-05-20"),)),))
    assert held.unit(UNIT).next_action.letter == "lawyer"
    assert stage_letters(held, None) == []


def test_the_queue_lists_a_held_household_under_complaints_and_says_why(tmp_path):
    desk = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (complaint("2026-05-20", promised="2026-06-10"),)})
    work = queue(desk)
    [item] = work["complaints"]
    assert (item.state.unit.id, item.date) == (UNIT, AS_OF)
    assert item.text.startswith("先处理投诉：维修“楼上漏水”（王经理负责，已 12 天）")
    assert item.why == ("投诉 2026-05-20 提出尚未解决，承诺 2026-06-10 前解决；投诉未解决且不满 60 天，"
                        "暂缓律师函等进一步催缴（至 2026-07-19）")
    assert work["letters"] == [] and work["contacts"] == []


def test_the_queue_lists_the_call_after_a_confirmed_resolution_under_complaints(tmp_path):
    done = complaint("2026-05-01", resolved="2026-05-28", resolution="更换了楼上的水管", confirmed="2026-05-30")
    [item] = queue(with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (done,)}))["complaints"]
    assert (item.date, item.text) == (date(2026, 6, 2), "投诉已解决，3 天内回访并再次沟通缴费")


def test_a_notice_to_a_household_with_an_open_complaint_acknowledges_it_and_threatens_no_court(tmp_path):
    c = notice_community(tmp_path)
    laws = load_legal(c.root)
    [plain] = stage_letters(with_complaints(c, NOTICE_DAY, {}), laws)
    plain_text = html_text(plain, c.root)
    assert plain.kind == "notice" and "可以依法向人民法院申请支付令或提起诉讼" in plain_text

    open_one = complaint("2026-02-20", promised="2026-03-10")
    [soft] = stage_letters(with_complaints(c, NOTICE_DAY, {UNIT: (open_one,)}), laws)
    text = html_text(soft, c.root)
    assert soft.kind == "notice" and soft.total == plain.total == Decimal("400.00")
    assert "您2026年2月20日反映的维修问题（“楼上漏水”）我们已经登记，由王经理负责处理，承诺在2026年3月10日前解决。" in text
    assert "缴费和投诉处理可以同时进行" in text
    assert "起诉" not in text and "支付令" not in text and "进一步催告" not in text


def test_a_resolved_complaint_leaves_the_notice_as_it_was(tmp_path):
    c = notice_community(tmp_path)
    closed = complaint("2026-02-01", resolved="2026-02-10", resolution="已修好")
    [plain] = stage_letters(with_complaints(c, NOTICE_DAY, {}), None)
    [letter] = stage_letters(with_complaints(c, NOTICE_DAY, {UNIT: (closed,)}), None)
    assert html_text(letter, c.root) == html_text(plain, c.root)


def test_the_statement_marks_and_lists_apart_the_charges_of_disputed_periods(tmp_path):
    c = notice_community(tmp_path)
    disputing = complaint("2026-02-20", category="fees", said="一月份没人打扫还收全额", disputed=("2026-01",))
    [letter] = statements(with_complaints(c, NOTICE_DAY, {UNIT: (disputing,)}), None)
    assert [(line.period, line.disputed) for line in letter.context["lines"]] == [("2026-01", True), ("2026-02", False)]
    assert letter.context["disputed_unpaid"] == Decimal("200.00") and letter.total == Decimal("400.00")
    text = html_text(letter, c.root)
    assert "2026-01（有异议）" in text and "2026-02（有异议）" not in text
    assert ("您在投诉中对2026-01的费用提出了异议，上表中标“有异议”的物业服务费2026-01200.00元"
            "（有异议的欠缴本金合计：人民币200.00元，已含在上面的合计中）正在随投诉一并核实") in text


def test_only_the_statement_marks_disputed_charges(tmp_path):
    c = notice_community(tmp_path)
    disputing = complaint("2026-02-20", category="fees", said="一月份没人打扫还收全额", disputed=("2026-01",))
    [notice] = stage_letters(with_complaints(c, NOTICE_DAY, {UNIT: (disputing,)}), None)
    assert notice.context["disputed_lines"] and "（有异议）" not in html_text(notice, c.root)


def test_a_statement_without_disputes_has_no_disputed_section(tmp_path):
    c = notice_community(tmp_path)
    [letter] = statements(with_complaints(c, NOTICE_DAY, {UNIT: (complaint("2026-02-20"),)}), None)
    text = html_text(letter, c.root)
    assert "有异议" not in text.replace("如对明细有异议", "")


# -- the demo ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_desk():
    checked = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert not checked.errors
    return pipeline.desk_for(checked, DEMO_AS_OF)


def test_the_demos_notice_to_v03_acknowledges_its_open_legacy_dispute_and_threatens_no_court(demo_desk):
    [notice] = [letter for letter in stage_letters(demo_desk, None) if letter.unit == "V03"]
    text = html_text(notice)
    assert notice.kind == "notice"
    assert "您2023年2月14日反映的历史遗留问题（“前物业2022年服务很差，旧账不认，只交新物业费”）我们已经登记，由刘晓东负责处理" in text
    assert "起诉" not in text and "支付令" not in text


def test_the_demos_statement_to_s03_marks_the_charges_of_its_disputed_month(demo_desk):
    [statement] = [letter for letter in statements(demo_desk, None) if letter.unit == "S-03"]
    disputed = [(line.item, line.period, line.unpaid) for line in statement.context["disputed_lines"]]
    assert disputed == [("装修垃圾清运费", "2026-10", Decimal("600.00")), ("公摊水电", "2026-10", Decimal("176.70"))]
    assert "有异议的欠缴本金合计：人民币776.70元" in html_text(statement)


def test_the_demos_confirmed_resolution_puts_1_2_802_in_the_queue_to_call_again(demo_desk):
    items = [(i.state.unit.id, i.date, i.text) for i in queue(demo_desk)["complaints"]]
    assert items == [("1-2-802", date(2026, 11, 23), "投诉已解决，3 天内回访并再次沟通缴费")]


COURT_DAY = date(2026, 8, 1)  # 198 days after the oldest charge fell due, a lawyer letter delivered: the court stage


def court_community(root) -> Community:
    c = lawyer_community(root)
    c.contact(UNIT, "2026-06-05", "lawyer_letter", "delivered", evidence="EMS-3")
    return c


def test_no_court_filing_or_mediation_application_while_a_young_complaint_is_open(tmp_path):
    from generator.printing.dossier import plan_all

    c = court_community(tmp_path)
    plain = with_complaints(c, COURT_DAY, {})
    assert plain.unit(UNIT).stage.id == "legal"
    court_kinds = {"payorder", "suit", "mediation", "evidence", "evidence_note"}
    assert {kind for kind, _ in kinds(plan_all(plain, load_legal(c.root)))} >= court_kinds
    held = with_complaints(c, COURT_DAY, {UNIT: (complaint("2026-07-20"),)})  # 12 days old, under 60
    made = plan_all(held, load_legal(c.root))
    assert {kind for kind, _ in kinds(made)} & court_kinds == {"evidence", "evidence_note"}
    note = html_text(next(letter for letter in made if letter.kind == "evidence_note"), c.root)
    assert "暂不提交：投诉2026-07-20提出尚未解决" in note and "至2026-09-18" in note
    assert "支付令申请书（" not in note  # the note names no filing it did not make
    old = with_complaints(c, COURT_DAY, {UNIT: (complaint("2026-05-01"),)})  # 92 days: the hold is over
    assert {kind for kind, _ in kinds(plan_all(old, load_legal(c.root)))} >= court_kinds
