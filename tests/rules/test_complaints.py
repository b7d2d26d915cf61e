"""Issue 16: open complaints hold escalation past the notice stage; a confirmed resolution is a reason to call again.

The community (tests/complaints.py): one unit billed 200.00 a month from 2026-01 (due on the 15th), two notices
delivered in March, so on 2026-06-01 (137 days after the oldest charge fell due) its ladder step is the lawyer
letter. Complaints are built as records and put on the loaded ledger (``with_complaints``).
"""
from __future__ import annotations

from datetime import date

from generator.core.model import ComplaintRule
from generator.rules.complaints import disputed_periods, is_disputed
from tests.community import Community, fixture_value
from tests.complaints import AS_OF, UNIT, complaint, lawyer_community, with_complaints


def test_without_complaints_the_ladder_calls_for_the_lawyer_letter(tmp_path):
    action = with_complaints(lawyer_community(tmp_path), AS_OF, {}).unit(UNIT).next_action
    assert (action.kind, action.stage, action.letter) == ("do_stage", "lawyer", "lawyer")


def test_an_open_young_complaint_turns_the_lawyer_letter_into_handling_the_complaint(tmp_path):
    state = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (complaint("2026-05-20", promised="2026-06-10"),)}).unit(UNIT)
    action = state.next_action
    assert (action.kind, action.date, action.letter, action.stage) == ("complaint", AS_OF, None, "lawyer")
    assert action.text == "先处理投诉：维修“楼上漏水”（王经理负责，已 12 天）；原定下一步：律师函：律师函"
    assert action.why == ("投诉 2026-05-20 提出尚未解决，承诺 2026-06-10 前解决；投诉未解决且不满 60 天，"
                          "暂缓律师函等进一步催缴（至 2026-07-19）")
    assert [c.said for c in state.open_complaints] == ["楼上漏水"]


def test_an_open_complaint_older_than_hold_lawyer_days_lets_the_lawyer_letter_go_with_the_complaint_first(tmp_path):
    # opened 2026-03-01: 92 days on AS_OF, past the default 60
    action = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (complaint("2026-03-01"),)}).unit(UNIT).next_action
    assert (action.kind, action.letter) == ("do_stage", "lawyer")
    assert action.text == "先处理投诉：维修“楼上漏水”（王经理负责，已 92 天）；同时律师函：律师函"
    assert action.why.endswith("；投诉 2026-03-01 提出，已超过 60 天仍未解决，不再暂缓")


def test_the_policy_sets_how_long_a_complaint_holds_the_lawyer_letter(tmp_path):
    rule = ComplaintRule(hold_lawyer_days=120, call_after_days=3)
    action = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (complaint("2026-03-01"),)}, rule).unit(UNIT).next_action
    assert action.kind == "complaint"
    assert action.why.endswith("投诉未解决且不满 120 天，暂缓律师函等进一步催缴（至 2026-06-29）")


def test_the_policy_sets_how_soon_to_call_after_a_confirmation(tmp_path):
    done = complaint("2026-05-01", resolved="2026-05-28", resolution="更换水管", confirmed="2026-05-25")
    rule = ComplaintRule(hold_lawyer_days=60, call_after_days=10)
    action = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (done,)}, rule).unit(UNIT).next_action
    assert (action.kind, action.date, action.text) == ("complaint_resolved", date(2026, 6, 4), "投诉已解决，10 天内回访并再次沟通缴费")


def test_a_complaint_does_not_hold_the_notice_stage(tmp_path):
    # on 2026-03-10 the unit (54 days overdue, one notice) is to repeat the notice: the complaint changes nothing
    c = lawyer_community(tmp_path)
    action = with_complaints(c, date(2026, 3, 25), {UNIT: (complaint("2026-03-21"),)}).unit(UNIT).next_action
    plain = with_complaints(c, date(2026, 3, 25), {}).unit(UNIT).next_action
    assert action == plain
    assert action.kind in ("wait", "do_stage", "repeat") and action.stage == "notice"


def test_a_complaint_resolved_before_as_of_no_longer_holds_anything(tmp_path):
    resolved = complaint("2026-05-01", resolved="2026-05-20", resolution="更换了楼上的水管")
    action = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (resolved,)}).unit(UNIT).next_action
    assert (action.kind, action.letter) == ("do_stage", "lawyer")


def test_a_complaint_resolved_after_as_of_is_still_open_on_as_of(tmp_path):
    later = complaint("2026-05-20", resolved="2026-06-05", resolution="更换水管", confirmed="2026-06-06")
    state = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (later,)}).unit(UNIT)
    assert state.next_action.kind == "complaint"
    assert state.latest_confirmed is None


def test_a_complaint_opened_after_as_of_is_not_seen(tmp_path):
    state = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (complaint("2026-06-02"),)}).unit(UNIT)
    assert state.complaints == () and state.next_action.kind == "do_stage"


def test_a_confirmed_resolution_calls_for_a_call_within_call_after_days(tmp_path):
    done = complaint("2026-05-01", resolved="2026-05-28", resolution="更换了楼上的水管", confirmed="2026-05-30")
    state = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (done,)}).unit(UNIT)
    action = state.next_action
    assert (action.kind, action.date, action.letter) == ("complaint_resolved", date(2026, 6, 2), None)
    assert action.text == "投诉已解决，3 天内回访并再次沟通缴费"
    assert action.why == "业主 2026-05-30 确认投诉维修“楼上漏水”已解决：更换了楼上的水管；趁热回访"
    assert state.latest_confirmed == done and state.open_complaints == ()


def test_the_call_after_a_confirmation_ends_with_a_contact_or_after_call_after_days(tmp_path):
    done = complaint("2026-05-01", resolved="2026-05-28", resolution="更换水管", confirmed="2026-05-30")
    c = lawyer_community(tmp_path)
    assert with_complaints(c, date(2026, 6, 2), {UNIT: (done,)}).unit(UNIT).next_action.kind == "complaint_resolved"
    assert with_complaints(c, date(2026, 6, 3), {UNIT: (done,)}).unit(UNIT).next_action.kind == "do_stage"
    c.contact(UNIT, "2026-05-31", "phone", "reached")
    assert with_complaints(c, AS_OF, {UNIT: (done,)}).unit(UNIT).next_action.kind == "do_stage"


def test_a_resolution_without_the_owners_confirmation_is_no_reason_to_call(tmp_path):
    unconfirmed = complaint("2026-05-01", resolved="2026-05-28", resolution="更换水管")
    assert with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (unconfirmed,)}).unit(UNIT).next_action.kind == "do_stage"


def test_another_open_complaint_outweighs_a_confirmed_one(tmp_path):
    done = complaint("2026-04-01", resolved="2026-05-28", resolution="更换水管", confirmed="2026-05-30")
    still = complaint("2026-05-25", category="parking", said="车位被占", owner="李队长")
    action = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (done, still)}).unit(UNIT).next_action
    assert action.kind == "complaint"
    assert action.text.startswith("先处理投诉：停车“车位被占”（李队长负责，已 7 天）")


def test_a_unit_without_arrears_gets_no_complaint_action(tmp_path):
    c = lawyer_community(tmp_path)
    c.payment(UNIT, "2026-05-31", "1000.00")
    state = with_complaints(c, AS_OF, {UNIT: (complaint("2026-05-20"),)}).unit(UNIT)
    assert state.next_action.kind == "none"
    assert len(state.open_complaints) == 1


def test_a_charge_is_disputed_when_its_months_meet_a_disputed_period():
    assert is_disputed("2026-07~2026-09", ("2026-08",))
    assert is_disputed("2026-09", ("2026-07~2026-09",))
    assert is_disputed("2026-06~2026-08", ("2026-08~2026-10",))
    assert not is_disputed("2026-04~2026-06", ("2026-07~2026-09",))
    assert not is_disputed("2025-12", ("2026-12",))
    assert is_disputed("2023前", ("2023前",))  # an opening arrears' own text: only the same text
    assert not is_disputed("2023前", ("2023-01",))


def test_only_open_complaints_dispute_periods_each_once(tmp_path):
    open_one = complaint("2026-05-20", disputed=("2026-05", "2026-04"))
    also = complaint("2026-05-25", category="fees", said="公摊算错", disputed=("2026-05",))
    closed = complaint("2026-04-01", resolved="2026-04-20", resolution="核实无误", disputed=("2026-03",))
    state = with_complaints(lawyer_community(tmp_path), AS_OF, {UNIT: (closed, open_one, also)}).unit(UNIT)
    assert state.disputed == ("2026-05", "2026-04")
    assert disputed_periods(state.complaints, date(2026, 4, 10)) == ("2026-03",)


def test_a_complaint_written_in_the_owner_file_holds_the_lawyer_letter(tmp_path):
    c = lawyer_community(tmp_path)
    c.units[UNIT]["complaints"] = [{"opened": "2026-05-20", "category": "维修", "said": "楼上漏水", "owner": "王经理",
                                    "disputed": ["2026-05"]}]
    state = c.state(UNIT, AS_OF)
    assert state.next_action.kind == "complaint"
    assert state.next_action.text.startswith("先处理投诉：维修“楼上漏水”（王经理负责，已 12 天）")
    assert state.disputed == ("2026-05",)


def test_in_a_ladder_without_a_notice_a_complaint_holds_the_lawyer_letters_stage(tmp_path):
    ladder = [stage for stage in fixture_value("dunning") if stage["id"] != "notice"]
    ladder[2]["requires"] = {}  # the lawyer stage, now third: nothing to repeat before it
    c = Community(tmp_path, dunning=ladder)
    c.unit(UNIT)
    assert with_complaints(c, AS_OF, {}).unit(UNIT).next_action.letter == "lawyer"
    action = with_complaints(c, AS_OF, {UNIT: (complaint("2026-05-20"),)}).unit(UNIT).next_action
    assert (action.kind, action.letter) == ("complaint", None)


def test_without_the_creditors_authority_the_call_after_a_confirmation_waits_for_it_and_a_hold_does_not(tmp_path):
    c = lawyer_community(tmp_path, creditor={"name": "桐荫物业服务有限公司"})  # no authorisation covers AS_OF
    done = complaint("2026-05-01", resolved="2026-05-28", resolution="更换水管", confirmed="2026-05-30")
    action = with_complaints(c, AS_OF, {UNIT: (done,)}).unit(UNIT).next_action
    assert action.kind == "authorise" and action.text.endswith("原定下一步：投诉已解决，3 天内回访并再次沟通缴费")
    # handling a complaint demands nothing of the owner: it needs no authority
    assert with_complaints(c, AS_OF, {UNIT: (complaint("2026-05-20"),)}).unit(UNIT).next_action.kind == "complaint"
