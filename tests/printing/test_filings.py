"""Court filings (issue 15): 支付令申请书 and 民事起诉状 in the creditor's name, claiming only what is in time."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import msgspec
import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.content.legal import load_legal
from generator.core.model import Court, Creditor, ServiceAddress
from generator.printing.dossier import plan_all
from generator.printing.filings import (
    FILING_LAWS,
    FILING_TITLES,
    filing_laws,
    filing_letters,
)
from generator.printing.letters import claims_late_fee
from generator.printing.print_run import render_planned
from generator.rules.courtfees import case_fee, payment_order_fee, simple_procedure_fee
from tests.community import Community, fee
from tests.letters import AS_OF, DUNNING, html_text, money_text, state_of
from tests.support import DEMO_AS_OF, PROJECT

CREDITOR = {"name": "示例物业服务有限公司", "address": "示例路1号"}
BASIS = "《测试花园物业服务合同》第八条"


@pytest.fixture(scope="module")
def demo_desk():
    if not (PROJECT / "owners").is_dir():
        pytest.skip("no demo community")
    checked = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    return pipeline.desk_for(checked, DEMO_AS_OF)


def court_stage_community(root, late_fee=None, **policy) -> Community:
    """1-1-101 at the last stage (a notice and a lawyer letter delivered); 1-1-102 at the notice stage."""
    policy = {"creditor": CREDITOR, "authorisations": [{"from": "2026-01-01", "document": "授权委托书 2026-001"}]} | policy
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], late_fee=late_fee or {"daily_rate": "0.0003", "basis": BASIS},
                  dunning=DUNNING, **policy)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    c.contact("1-1-101", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 2")
    c.unit("1-1-102", billing_start="2026-01-01")
    return c


def filings(desk, root=PROJECT, kind=None):
    """The 支付令申请书 and 民事起诉状 of the day (or those of ``kind``), without the evidence lists' cover notes."""
    return [f for f in filing_letters(desk, load_legal(root)) if f.kind == kind or (kind is None and f.kind in ("payorder", "suit"))]


def with_policy(desk, **changes):
    return msgspec.structs.replace(desk, policy=msgspec.structs.replace(desk.policy, **changes))


def test_the_demo_household_at_the_court_stage_gets_both_filings_claiming_only_what_is_in_time(demo_desk):
    desk = demo_desk
    last = desk.policy.dunning[-1].id
    at_court = {s.unit.id for s in desk.units if s.in_arrears and s.stage and s.stage.id == last}
    found = filings(desk)
    assert at_court and {(f.kind, f.unit) for f in found} == {(k, u) for k in ("payorder", "suit") for u in at_court}
    for f in found:
        state = state_of(desk, f.unit)
        late_fee = state.late_fee if claims_late_fee(desk.policy) else Decimal(0)
        assert f.total == state.outstanding - state.limitation.expired_amount + late_fee
        text = html_text(f)
        assert f"{'申请人' if f.kind == 'payorder' else '原告'}：{desk.policy.creditor_name}" in text
        assert f"合计人民币{money_text(f.total)}元" in text
        assert desk.policy.issuer.name + "盖章" not in text and "ledger/" not in text and "owners/" not in text
        for o in state.unit.owners:
            assert o.name in text
        assert "公民身份号码：" in text  # blank: the data holds no ID numbers


def test_the_payment_order_fee_is_a_third_of_the_case_fee_and_the_suit_prints_both_fees(demo_desk):
    for f in filings(demo_desk):
        text = html_text(f)
        if f.kind == "payorder":
            assert f"计{money_text(payment_order_fee(f.total))}元" in text
        else:
            assert f"案件受理费为{money_text(case_fee(f.total))}元" in text
            assert f"为{money_text(simple_procedure_fee(f.total))}元" in text
        assert "实际交纳数额以人民法院的缴费通知为准" in text


def test_the_filings_render_to_pdf_headed_by_the_creditor(demo_desk, tmp_path):
    found = filings(demo_desk)
    run = render_planned(found, PROJECT, tmp_path / "cache", workers=1)
    assert len(run.files) == len(found)
    for f in run.files:
        reader = PdfReader(io.BytesIO(f.pdf))
        first = reader.pages[0].extract_text()
        # the page header: the creditor's paper, not the committee's
        assert demo_desk.policy.creditor_name + " 整理编号：" + f.letter.doc_no in first
        assert demo_desk.policy.issuer.name + " " not in first
        assert FILING_TITLES[f.letter.kind] in re.sub(r"\s+", "", first)


def test_barred_charges_are_never_claimed_and_a_household_owing_only_barred_charges_gets_no_filing(tmp_path):
    c = court_stage_community(tmp_path / "c")
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2020-06-15"})
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    c.contact("1-1-101", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 2")
    c.unit("1-1-103", billing_start="2027-01-01", opening={"amount": "500.00", "due": "2020-06-15"})
    c.contact("1-1-103", "2026-03-01", "letter", "delivered", evidence="签收单 3")
    c.contact("1-1-103", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 4")
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    assert state.limitation.expired_amount == Decimal("900.00")
    found = filings(desk, c.root)
    assert {f.unit for f in found} == {"1-1-101"}  # 1-1-103 owes only barred arrears
    for f in found:
        assert f.total == state.outstanding - Decimal("900.00") + state.late_fee
        text = html_text(f, c.root)
        assert "期初欠费" not in text and "900.00" not in text


def test_the_court_and_the_small_claims_request_come_from_the_policy(tmp_path):
    desk = court_stage_community(tmp_path / "c").desk(AS_OF)
    [suit] = filings(desk, tmp_path / "c", "suit")
    text = html_text(suit, tmp_path / "c")
    assert "人民法院" in text and "小额诉讼的程序审理。" not in text  # no court set: a blank, no verdict
    wage = Court(name="示例市示例区人民法院", average_wage=Decimal("100000.00"), wage_year=2025)
    [suit] = filings(with_policy(desk, court=wage), tmp_path / "c", "suit")
    text = html_text(suit, tmp_path / "c")
    assert "此致示例市示例区人民法院" in text
    assert "未超过2025年度就业人员年平均工资的百分之五十（50,000.00元），请求依照《中华人民共和国民事诉讼法》第一百六十五条" in text
    low = msgspec.structs.replace(wage, average_wage=suit.total * 2 - Decimal("0.02"))  # limit one cent under the claim
    [suit] = filings(with_policy(desk, court=low), tmp_path / "c", "suit")
    assert "小额诉讼的程序审理。" not in html_text(suit, tmp_path / "c")


def test_the_claimant_prints_its_representative_and_credit_code_and_a_committee_names_its_head(tmp_path):
    desk = court_stage_community(tmp_path / "c").desk(AS_OF)
    company = Creditor("示例物业服务有限公司", "示例路1号", "0571-1", representative="张三", credit_code="91330100MA0000000X")
    [order] = filings(with_policy(desk, creditor=company), tmp_path / "c", "payorder")
    text = html_text(order, tmp_path / "c")
    assert "住所：示例路1号；统一社会信用代码：91330100MA0000000X" in text and "法定代表人：张三" in text
    own = filings(with_policy(desk, creditor=None, authorisations=()), tmp_path / "c", "payorder")
    text = html_text(own[0], tmp_path / "c")
    assert "申请人：测试花园业主委员会" in text and "负责人：" in text and "法定代表人" not in text


def test_the_respondent_is_served_at_the_confirmed_service_address_else_at_the_unit(tmp_path):
    desk = court_stage_community(tmp_path / "c").desk(AS_OF)
    [order] = filings(desk, tmp_path / "c", "payorder")
    assert "住址（送达地址）：测试花园1-1-101" in html_text(order, tmp_path / "c")
    state = state_of(desk, "1-1-101")
    confirmed = ServiceAddress("示例市示例路9号", date(2026, 4, 1), "送达地址确认书")
    later = ServiceAddress("示例市示例路9号", date(2026, 12, 1), "送达地址确认书")
    for address, printed in ((confirmed, "示例市示例路9号（被申请人确认的送达地址）"), (later, "测试花园1-1-101")):
        unit = msgspec.structs.replace(state.unit, service_address=address)
        units = tuple(msgspec.structs.replace(s, unit=unit) if s is state else s for s in desk.units)
        [order] = filings(msgspec.structs.replace(desk, units=units), tmp_path / "c", "payorder")
        assert "住址（送达地址）：" + printed in html_text(order, tmp_path / "c")


def tracked_community(root) -> Community:
    """court_stage_community with the lawyer letter's EMS number, delivery day and 文号 recorded."""
    c = court_stage_community(root)
    c.units["1-1-101"]["contacts"] = []
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    c.contact("1-1-101", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 2", tracking="1190000260501",
              delivered_on="2026-05-03", document="LS-20260501-1-1-101")
    return c


def test_each_demand_is_listed_with_its_tracking_number_delivery_day_and_document(tmp_path):
    c = tracked_community(tmp_path / "c")
    for f in filings(c.desk(AS_OF), c.root):
        text = html_text(f, c.root)
        assert "催告缴纳欠费（文号LS-20260501-1-1-101）已送达，2026年5月3日送达，邮件号1190000260501EMS2" in text
        assert "2026-03-01书面通知催告缴纳欠费已送达签收单1" in text
        if f.kind == "suit":  # the limitation chain names what the envelope held, its number and the day it arrived
            assert "2026年5月3日催告（文号LS-20260501-1-1-101，邮件号1190000260501，EMS2）" in text  # the day it arrived


def test_the_suit_gives_each_group_of_charges_its_limitation_chain(tmp_path):
    c = court_stage_community(tmp_path / "c")
    [suit] = filings(c.desk(AS_OF), c.root, "suit")
    text = html_text(suit, c.root)
    # the charges due 2026-01-15 were interrupted by both demands; the expiry is three years after the last
    assert "2026年3月1日催告（签收单1）、2026年5月1日催告（EMS2），诉讼时效中断并重新计算，至2029年5月1日届满" in text
    assert "请求判如所请" in text and "详见证据目录（ZJ-20261122-1-1-101）" in text


# -- the evidence list is the claimant's document; its caveats and checklist are on the cover note --------------

def evidence_pair(desk, root):
    letters = [l for l in plan_all(desk, load_legal(root)) if l.kind in ("evidence", "evidence_note")]
    [evidence] = [l for l in letters if l.kind == "evidence"]
    [note] = [l for l in letters if l.kind == "evidence_note"]
    return evidence, html_text(evidence, root), html_text(note, root)


def test_the_evidence_list_names_what_a_court_expects_for_a_property_fee_claim(tmp_path):
    c = court_stage_community(tmp_path / "c")
    evidence, text, _note = evidence_pair(c.desk(AS_OF), c.root)
    assert "提交人：申请人（原告）：示例物业服务有限公司" in text and "案由：物业服务合同纠纷" in text
    assert [i.name.split("（")[0] for i in evidence.context["items"]][:6] == [
        "物业服务合同", "业主大会选聘物业服务人的决定及合同备案材料", "交房", "不动产登记信息", "收费标准及公示材料", "物业服务记录"]
    assert f"违约金的约定（{BASIS}）" in text
    assert "测试花园1-1-101房屋已交付，自2026年1月1日起计收物业费" in text
    assert "欠费明细对账单（文号DZ-20261122-1-1-101）示例物业服务有限公司欠费的项目、所属期间、金额、到期日及违约金的计算" in text
    assert f"请求金额：人民币{money_text(evidence.total)}元" in text
    assert "算作催告" not in text and "时效状态" not in text  # the limitation table is on the note


def test_a_committee_claiming_in_its_own_right_lists_its_filing_and_the_assemblys_authority(tmp_path):
    c = court_stage_community(tmp_path / "c", creditor=None, authorisations=None)
    _evidence, text, note = evidence_pair(c.desk(AS_OF), c.root)
    assert "业主委员会备案证明；业主大会授权业主委员会提起诉讼的决定" in text
    assert "物业服务合同（" not in text and "授权委托书" not in text
    assert "□测试花园业主委员会的负责人姓名" in note


def test_a_demands_delivery_record_is_cited_and_a_missing_one_goes_on_the_checklist(tmp_path):
    c = court_stage_community(tmp_path / "c")
    _evidence, text, note = evidence_pair(c.desk(AS_OF), c.root)
    assert "□证据第8项：2026-03-01的书面通知：台账未记录送达日期和邮件号" in note  # 7 is the authorisation
    assert "□证据第9项：2026-05-01的律师函：台账未记录送达日期和邮件号" in note
    c = tracked_community(tmp_path / "t")
    _evidence, text, note = evidence_pair(c.desk(AS_OF), c.root)
    assert "2026年5月1日律师函（文号LS-20260501-1-1-101）及送达凭证：EMS2" in text
    assert "2026年5月1日向业主1-1-101催告缴纳欠费，邮件号1190000260501，2026年5月3日送达；诉讼时效自此中断" in text
    assert "证据第9项" not in note and "证据第8项" in note


def test_the_cover_note_says_what_is_not_claimed_and_what_settings_are_missing(tmp_path):
    c = court_stage_community(tmp_path / "c", late_fee={"daily_rate": "0.0003"})  # a rate without the agreement it rests on
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2020-06-15"})
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    c.contact("1-1-101", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 2")
    _evidence, text, note = evidence_pair(c.desk(AS_OF), c.root)
    assert "其中900.00元已超过诉讼时效，对方可以提出时效抗辩，文书中不主张" in note
    assert "没有写明它依据的合同条款" in note and "违约金" not in text
    assert "□管辖法院" in note and "□本省上一年度就业人员年平均工资" in note
    assert "900.00" not in text


def test_every_filing_cites_articles_in_force_from_the_legal_book(demo_desk):
    book = load_legal(PROJECT)
    repealed = {r.id for r in book.repealed}
    for kind, ids in FILING_LAWS.items():
        assert all(book.has(i) for i in ids), kind  # the fallback when the book names no context for a kind
        cited = filing_laws(book, kind)
        assert cited and not {a.id for a in cited} & repealed, kind
    for f in filings(demo_desk) + filings(demo_desk, kind="evidence_note"):
        text = html_text(f)
        for article in f.context["laws"]:
            assert re.sub(r"\s+", "", article.citation) in text
    suit = filings(demo_desk, kind="suit")[0]
    assert {a.id for a in suit.context["laws"]} >= {"civil-procedure-122", "civil-procedure-124", "civil-code-944"}
