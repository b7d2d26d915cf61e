"""Forms (printing/forms.py): 送达地址确认书, 调解申请书, 授权委托书, 债权转让通知书 — who gets which, what each says."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.core.money import to_capitals
from generator.printing.forms import FORM_TITLES, RENEW_DAYS, before_court
from generator.printing.print_run import render_letters
from tests.community import Community, fee, fixture_value
from tests.letters import (
    AS_OF,
    by_kind,
    covered,
    html_text,
    letters_for,
    money_text,
    pages_of,
    state_of,
    text_of,
)

CREDITOR = {"name": "测试物业服务有限公司", "address": "测试路2号", "phone": "0571-00000001", "representative": "赵敏"}
BASIS = "《测试花园物业服务合同》第八条"


def _court_community(root: Path, *, late_fee_basis: str = BASIS, until: str | None = "2026-12-10", **policy) -> Community:
    """One household at the last stage (notices twice, a lawyer letter, debt since 2022), never before a court.

    Its opening arrears from the previous manager: 2022年上半年 500.00 (barred: no demand before 2025-06-15),
    2024年上半年 300.00 (its assignment notice arrived 2025-02-01) and 2024年下半年 600.00 (no notice yet).
    The creditor is a company; its authorisation of the committee ends ``until``.
    """
    authorisations = [{"from": "2025-01-01", "until": until, "document": "授权委托书 2025-01"}]
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003", "basis": late_fee_basis},
                  dunning=fixture_value("dunning"), creditor=CREDITOR, authorisations=authorisations, **policy)
    c.unit("1-1-101", billing_start="2025-01-01", opening=[
        {"amount": "500.00", "due": "2022-06-15", "period": "2022年上半年"},
        {"amount": "300.00", "due": "2024-06-15", "period": "2024年上半年", "assignment_notified": "2025-02-01"},
        {"amount": "600.00", "due": "2024-12-15", "period": "2024年下半年"},
    ])
    c.units["1-1-101"]["owners"] = [{"name": "王丽", "phone": "13800000000"}, {"name": "李强"}]
    for day in ("2025-09-01", "2025-10-08"):
        c.contact("1-1-101", day, "registered_mail", "delivered", evidence=f"EMS 回执 {day}")
    c.contact("1-1-101", "2026-01-10", "lawyer_letter", "delivered", evidence="律师函 EMS 回执")
    return c


# -- 送达地址确认书 ------------------------------------------------------------------------------

def test_an_address_form_goes_to_each_unit_in_arrears_at_a_letter_stage_or_later_without_a_confirmed_address(demo):
    desk, files, _run = demo
    order = [s.id for s in desk.policy.dunning]
    first_letter = next(i for i, s in enumerate(desk.policy.dunning) if s.letter)
    expected = {s.unit.id for s in desk.units if s.in_arrears and s.stage and order.index(s.stage.id) >= first_letter
                and not s.unit.address_confirmed_on(desk.as_of)}
    assert {f.letter.unit for f in by_kind(files, "address")} == expected
    assert "3-2-301" not in expected and "1-1-101" in expected  # 3-2-301 signed one; 1-1-101 is at the court stage
    assert "S-05" not in expected  # still at the reminder stage


def test_the_address_form_asks_for_address_phone_and_consent_to_electronic_service_and_says_how_it_is_recorded(demo):
    _desk, files, _run = demo
    form = next(f for f in by_kind(files, "address") if f.letter.unit == "1-1-101")
    text = text_of(form.pdf)
    assert form.letter.doc_no == "SD-20261122-1-1-101" and form.pages == 1
    for words in ("送达地址确认书", "郭鹏、卢晓红", "送达地址（邮寄地址）", "手机号码（接收短信）", "电子邮箱", "微信号",
                  "□同意□不同意", "业主郭鹏签名", "业主卢晓红签名", "退回之日视为送达", "撤回电子送达的同意"):
        assert words in text, words
    assert "service_address" in text and "送达地址确认书SD-20261122-1-1-101" in text
    assert "桐荫物业服务有限公司（本房屋物业费的债权人）及受其委托的桐荫花园业主委员会" in text
    assert "《最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定》第八条" in text
    assert not re.search(r"\d+\.\d{2}元", text)  # it asks for no money


# -- 调解申请书 ---------------------------------------------------------------------------------

def test_no_mediation_application_for_a_household_whose_arrears_a_court_already_has(demo):
    desk, files, _run = demo
    state = state_of(desk, "1-1-101")
    assert state.stage.id == desk.policy.dunning[-1].id and before_court(state)  # 支付令 objected to, suit filed 2026-03-12
    assert by_kind(files, "mediation") == []


def test_the_mediation_application_claims_the_in_time_principal_and_late_fee_in_the_creditors_name(tmp_path):
    c = _court_community(tmp_path / "c", court={"name": "测试市测试区人民法院"})
    c.contact("1-1-101", "2026-02-01", "registered_mail", "delivered", evidence="EMS 回执 2026-02-01",
              tracking="1190000260201", delivered_on="2026-02-03", document="TZ-20260201-1-1-101")
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    assert state.stage.id == "legal" and state.limitation.expired_amount == Decimal("500.00")
    [form] = letters_for(desk, c.root, "mediation")
    assert form.total == state.outstanding - Decimal("500.00") + state.late_fee
    assert form.context["suable"] == state.outstanding - Decimal("500.00")
    text = html_text(form, c.root)
    assert "申请人：测试物业服务有限公司" in text and "法定代表人（负责人）：赵敏" in text
    assert "被申请人：王丽" in text and "被申请人：李强" in text and "身份证号码：" in text
    assert "□测试市测试区人民法院（诉前调解）" in text
    assert f"人民币{money_text(form.context['suable'])}元" in text
    assert f"请求被申请人支付违约金人民币{money_text(state.late_fee)}元（按{BASIS}的约定" in text
    assert f"以上合计人民币{money_text(form.total)}元（大写：{to_capitals(form.total)}）" in text
    assert "另有500.00元欠费已超过诉讼时效，本申请不予主张" in text
    assert "2022年上半年" not in text  # the barred charge is not in the claim's table
    assert "本申请提出之日起，上述请求的诉讼时效中断" in text
    assert "2026-02-01挂号信/EMSTZ-20260201-1-1-10111900002602012026-02-03EMS回执2026-02-01" in text  # the delivery proof
    assert "2025-09-01挂号信/EMS———EMS回执2025-09-01" in text
    ids = [a.id for a in form.context["laws"]]
    assert ids[:2] == ["civil-procedure-125", "spc-limitation-12"] and "civil-code-192" in ids and "civil-code-585" in ids
    assert "《中华人民共和国民事诉讼法》第一百二十五条" in text
    assert "附：1.本申请书副本2份；2.证据目录（ZJ-20261122-1-1-101）" in text


def test_without_the_agreement_it_rests_on_the_mediation_application_claims_no_late_fee(tmp_path):
    c = _court_community(tmp_path / "c", late_fee_basis="")
    desk = c.desk(AS_OF)
    [form] = letters_for(desk, c.root, "mediation")
    assert form.total == state_of(desk, "1-1-101").outstanding - Decimal("500.00")
    text = html_text(form, c.root)
    assert "违约金" not in text and "________________人民法院（诉前调解）" in text


# -- 授权委托书 ---------------------------------------------------------------------------------

def test_an_authority_form_is_made_when_the_authorisation_ends_within_30_days_and_starts_the_day_after(tmp_path):
    c = _court_community(tmp_path / "c")
    [form] = letters_for(c.desk(AS_OF), c.root, "authority")
    assert RENEW_DAYS == 30 and form.unit is None and form.doc_no == "SQ-20261122"
    assert form.context["start"] == date(2026, 12, 11)
    text = html_text(form, c.root)
    assert "委托人测试物业服务有限公司" in text and "受托人测试花园业主委员会" in text
    assert "自2026年12月11日起至" in text and "本委托书接续授权委托书2025-01，有效期2025年1月1日至2026年12月10日" in text
    assert "代委托人与业主协商，签订分期付款协议（勾选的，才有此项权限）" in text
    assert "代委托人收取业主缴纳的款项，当场开具委托人的收据" in text and "未勾选第6项的，受托人不代收款项" in text
    assert "document填“授权委托书SQ-20261122”" in text and "authorisations" in text
    assert [a.id for a in form.context["laws"]] == ["civil-code-162", "civil-code-165"]


def test_an_authority_form_starts_on_the_day_when_none_covers_it(tmp_path):
    c = _court_community(tmp_path / "c", until="2026-06-30")
    [form] = letters_for(c.desk(AS_OF), c.root, "authority")
    assert form.context["start"] == AS_OF and form.context["current"] is None


def test_a_renewal_that_itself_ends_within_30_days_is_renewed_from_the_day_after_it(tmp_path):
    c = _court_community(tmp_path / "c", until="2026-11-30")
    c.policy_extra["authorisations"].append({"from": "2026-12-01", "until": "2026-12-15", "document": "授权委托书 2026-02"})
    [form] = letters_for(c.desk(AS_OF), c.root, "authority")
    assert form.context["start"] == date(2026, 12, 16) and form.context["current"].document == "授权委托书 2026-02"
    assert [a.document for a in form.context["previous"]] == ["授权委托书 2025-01"]


def test_no_authority_form_while_one_runs_past_30_days_or_one_follows_or_when_the_issuer_is_the_creditor(tmp_path):
    assert letters_for(_court_community(tmp_path / "a", until="2026-12-23").desk(AS_OF), tmp_path / "a", "authority") == []
    assert letters_for(_court_community(tmp_path / "b", until=None).desk(AS_OF), tmp_path / "b", "authority") == []
    signed = _court_community(tmp_path / "s")
    signed.policy_extra["authorisations"].append({"from": "2026-12-11", "document": "授权委托书 2026-02"})
    assert letters_for(signed.desk(AS_OF), signed.root, "authority") == []  # the next one is already signed
    own = Community(tmp_path / "own", dunning=fixture_value("dunning"))
    own.unit("1-1-101", billing_start="2025-01-01")
    assert letters_for(own.desk(AS_OF), own.root, "authority") == []


# -- 债权转让通知书 ------------------------------------------------------------------------------

def test_an_assignment_notice_lists_the_opening_items_in_time_that_no_notice_reached(tmp_path):
    c = _court_community(tmp_path / "c")
    [notice] = letters_for(c.desk(AS_OF), c.root, "assignment")
    assert [(i.charge.period, i.unpaid) for i in notice.context["items"]] == [("2024年下半年", Decimal("600.00"))]
    assert notice.total == Decimal("600.00") and notice.context["barred"] == Decimal("500.00")
    text = html_text(notice, c.root)
    assert "转让给测试物业服务有限公司（以下称“受让人”）" in text and "原物业服务企业" in text
    assert "合计：人民币600.00元（大写：人民币陆佰元整）" in text
    assert "2024年上半年" not in text  # its notice arrived 2025-02-01
    assert "另有移交欠费500.00元已超过诉讼时效，本通知不要求您交纳" in text
    assert "送达回执" in text
    assert [a.id for a in notice.context["laws"]] == ["civil-code-546", "spc-limitation-17", "civil-code-192"]


def test_no_assignment_notice_once_every_unpaid_item_in_time_has_one(tmp_path):
    c = _court_community(tmp_path / "c")
    c.units["1-1-101"]["opening"][2]["assignment_notified"] = "2025-03-01"
    assert letters_for(c.desk(AS_OF), c.root, "assignment") == []


# -- printed ------------------------------------------------------------------------------------

def test_every_form_prints_with_numbered_pages_and_the_articles_it_cites(tmp_path, cache_dir):
    c = _court_community(tmp_path / "c", court={"name": "测试市测试区人民法院"})
    files = [f for f in render_letters(c.desk(AS_OF), c.root, cache_dir, workers=1).files if f.letter.kind in FORM_TITLES]
    assert sorted(f.letter.kind for f in files) == ["address", "assignment", "authority", "mediation"]
    for f in files:
        text = text_of(f.pdf)
        assert FORM_TITLES[f.letter.kind].replace("", " ").strip().replace(" ", "") in text
        assert f"第1页共{f.pages}页" in text
        for article in f.letter.context["laws"]:
            assert re.sub(r"\s+", "", article.citation) in text


def test_the_seals_places_on_the_forms_cover_no_text_and_no_signature_line(tmp_path, cache_dir):
    c = _court_community(tmp_path / "c")
    forms = [letter for letter in letters_for(c.desk(AS_OF), c.root) if letter.kind in FORM_TITLES]
    seals = {}
    for doc_no, pages in pages_of(forms, cache_dir).items():
        found = [covered(page) for page in pages]
        assert all(texts == [] for _, texts in found), (doc_no, found)
        seals[doc_no[:2]] = sum(stamps for stamps, _ in found)
    assert seals == {"SD": 0, "TJ": 1, "SQ": 2, "ZR": 2}  # the applicant's; both parties'; assignor's and assignee's


def test_a_household_that_paid_all_in_time_principal_late_is_asked_only_for_the_late_fee(tmp_path):
    c = _court_community(tmp_path / "c")
    c.payment("1-1-101", "2026-11-20", "5700.00")  # every charge in time, paid late; the barred 500.00 stays unpaid
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    [form] = letters_for(desk, c.root, "mediation")
    assert form.context["due_lines"] == [] and form.total == state.late_fee > 0
    text = html_text(form, c.root)
    assert f"请求被申请人支付逾期缴纳物业费产生的违约金人民币{money_text(state.late_fee)}元" in text
    assert "欠缴的物业服务费等费用" not in text and "另有500.00元欠费已超过诉讼时效，本申请不予主张" in text


def test_an_owners_name_prints_as_text_on_the_forms(tmp_path):
    c = _court_community(tmp_path / "c")
    c.units["1-1-101"]["owners"] = [{"name": "<b>王丽</b>", "address": '<img src="x">'}]
    for form in [letter for letter in letters_for(c.desk(AS_OF), c.root) if letter.unit]:
        assert "<b>王丽</b>" in html_text(form, c.root), form.kind  # html_text unescapes: the name was escaped, not markup
        if form.kind == "mediation":
            assert '住址：<imgsrc="x">' in html_text(form, c.root)
