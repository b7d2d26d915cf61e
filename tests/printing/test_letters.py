"""PDF letters: read back, compared with the engine's numbers; fonts, reproducibility, hostile data."""
from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.core.holidays import next_workday
from generator.core.model import Authorisation, Creditor, HolidayYear
from generator.core.money import ZERO, to_capitals
from generator.printing.letters import TITLES, letter_deadline
from generator.printing.pdf import FetchRefused, url_fetcher_for
from generator.printing.print_run import (
    _html,
    environment,
    letter_folder,
    render_letters,
)
from tests.community import Community, fee, stage
from tests.legaltext import REFERENCE
from tests.letters import AS_OF, DUNNING, by_kind, html_text, letters_for, money_text, state_of, text_of
from tests.support import PROJECT


def demanded_late_fee(state, policy, kind: str = "notice") -> Decimal:
    """The engine's late fee: the part on barred charges is already left out of it (rule 6, late_fee_barred).

    A lawyer letter names it only when the policy gives the agreement it rests on (``late_fee.basis``).
    """
    if policy.late_fee is None or (kind == "lawyer" and not policy.late_fee.basis):
        return ZERO
    return state.late_fee


def demanded(state, policy, kind: str = "notice") -> Decimal:
    """What a dunning letter asks for: principal still in time and the claimable late fee; never barred principal."""
    return state.outstanding - state.limitation.expired_amount + demanded_late_fee(state, policy, kind)


# ``cache_dir`` and ``demo`` (the demo's letters, rendered once a session) are in conftest.py.


# -- content matches the engine -------------------------------------------------

@pytest.mark.parametrize("kind", ["notice", "lawyer", "statement"])
def test_dunning_letters_print_the_engines_amounts_capitals_deadline_and_owners(demo, kind):
    desk, files, _run = demo
    letters = by_kind(files, kind)
    assert letters, f"the demo has no {kind} letter"
    for f in letters:
        state = state_of(desk, f.letter.unit)
        text = text_of(f.pdf)
        total = demanded(state, desk.policy, kind)
        assert f.letter.total == total
        if total == 0:  # a statement of charges that are all barred asks for nothing
            assert kind == "statement" and "尚在诉讼时效期间内的欠费：无" in text and "请自收到本函" not in text
            continue
        assert money_text(state.outstanding - state.limitation.expired_amount) in text
        assert money_text(total) in text
        assert to_capitals(total) in text
        days = f.letter.context["deadline_days"]
        deadline, _exact = next_workday(AS_OF + timedelta(days=desk.policy.delivery_days + days), desk.policy.holidays)
        assert f.letter.context["deadline"] == deadline
        if kind == "statement" and state.plan is not None and state.plan.status == "on_track":  # asks for the next installment
            assert "请按协议在" in text and f"自收到本函之日起{days}日内缴清" not in text
        else:
            assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text and f"自收到本函之日起{days}日内缴清" in text
        for owner in state.unit.owners:
            assert owner.name in text
        assert f.letter.doc_no in text
        for line in f.letter.context["lines"]:
            assert money_text(line.unpaid) in text


def test_notice_and_lawyer_letters_go_to_the_units_whose_next_action_sends_them(demo):
    desk, files, _run = demo
    expected = {
        (s.unit.id, s.next_action.letter) for s in desk.units
        if s.in_arrears and s.next_action.letter and s.next_action.kind in ("do_stage", "repeat")
        and demanded(s, desk.policy, s.next_action.letter) > 0  # all barred: nothing to demand
    }
    made = {(f.letter.unit, f.letter.kind) for f in files if f.letter.kind in ("notice", "lawyer")}
    assert made == expected
    assert {"notice", "lawyer"} <= {kind for _unit, kind in made}


def test_a_statement_to_a_household_keeping_its_plan_asks_for_the_next_installment_not_the_whole_debt(demo):
    """2-2-302 signed a plan and keeps it: 779.00 due 2026-11-30 (issue 14), not 4,436.84 within days."""
    _, files, _ = demo
    on_plan = next(f for f in files if f.letter.kind == "statement" and f.letter.unit == "2-2-302")
    text = text_of(on_plan.pdf)
    assert "请按协议在2026年11月30日前缴纳下一期779.00元" in text
    assert "不必一次缴清" in text and "日内缴清" not in text and "需要分期缴纳" not in text
    behind = next(f for f in files if f.letter.kind == "statement" and f.letter.unit == "3-1-602")  # behind its plan
    assert "日内缴清" in text_of(behind.pdf)


def test_a_statement_for_every_unit_in_arrears_and_a_plan_letter_for_every_plan(demo):
    desk, files, _run = demo
    assert {f.letter.unit for f in by_kind(files, "statement")} == {s.unit.id for s in desk.units if s.in_arrears}
    assert {f.letter.unit for f in by_kind(files, "plan")} == {s.unit.id for s in desk.units if s.plan is not None}


def test_plan_letter_lists_every_installment_and_the_total_in_capitals(demo):
    desk, files, _run = demo
    for f in by_kind(files, "plan"):
        plan = state_of(desk, f.letter.unit).plan.plan
        text = text_of(f.pdf)
        for step in plan.installments:
            assert step.due.isoformat() in text and money_text(step.amount) in text
        assert to_capitals(plan.total) in text
        assert "乙方签字" in text


def test_letters_cite_the_law_in_force_and_never_a_repealed_law(demo):
    _desk, files, _run = demo
    for f in files:
        text = text_of(f.pdf)
        for article in f.letter.context["laws"]:
            assert re.sub(r"\s+", "", article.citation) in text
        assert not re.search(r"《(中华人民共和国)?(合同法|物权法|民法通则)》", text)
    notice = by_kind(files, "notice")[0]
    assert "《中华人民共和国民法典》第九百四十四条" in text_of(notice.pdf)


def test_no_letter_mentions_cutting_utilities(demo):
    _desk, files, _run = demo
    for f in files:
        assert not re.search(r"停水|停电|断水|断电|停气|停暖|断绝", text_of(f.pdf)), f.letter.file


def test_board_summary_has_rates_and_totals_but_no_names_or_phones(demo):
    desk, files, _run = demo
    [board] = by_kind(files, "board")
    text = text_of(board.pdf)
    assert money_text(desk.totals.outstanding) in text
    assert f"{desk.totals.collection_rate * 100:.2f}%" in text
    for state in desk.units:
        for person in state.unit.owners:
            assert person.name not in text
            if person.phone:
                assert person.phone not in text
    if not desk.policy.publish_unit_amounts:
        assert not any(s.unit.id in text for s in desk.units if s.in_arrears and len(s.unit.id) > 4)


def test_evidence_list_for_units_at_the_last_stage(demo):
    desk, files, _run = demo
    last = desk.policy.dunning[-1].id
    assert {f.letter.unit for f in by_kind(files, "evidence")} == {
        s.unit.id for s in desk.units if s.in_arrears and s.stage and s.stage.id == last
    }
    notes = {f.letter.unit: text_of(f.pdf) for f in by_kind(files, "evidence_note")}
    for f in by_kind(files, "evidence"):
        text = text_of(f.pdf)
        assert "证据目录" in text and "欠费明细对账单" in text and "序号证据名称来源证明目的页码原件/复印件" in text
        assert "ledger/" not in text and "owners/" not in text and "各地法院做法不一" not in text  # the caveats are on the cover note
        note = notes[f.letter.unit]
        assert "证据目录使用说明（内部，不提交法院）" in note and "各地法院做法不一" in note
        for contact, standing in zip(f.letter.context["contacts_with_evidence"], f.letter.context["contacts_standing"]):
            evidence = re.sub(r"\s+", "", contact.evidence)
            if standing is None and contact.date > state_of(desk, f.letter.unit).oldest_due:
                assert evidence in text  # a demand that counts: a row of the list, with its proof
            elif standing is not None:
                assert evidence not in text and evidence in note  # one that does not: on the note, with why


def test_pages_are_numbered_per_letter(demo):
    _desk, files, _run = demo
    for f in files:
        reader = PdfReader(io.BytesIO(f.pdf))
        assert len(reader.pages) == f.pages
        for number, page in enumerate(reader.pages, start=1):
            assert f"第{number}页共{f.pages}页" in re.sub(r"\s+", "", page.extract_text())


def test_every_font_is_embedded_and_subset(demo):
    _desk, files, _run = demo
    for f in files:
        reader = PdfReader(io.BytesIO(f.pdf))
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
                assert re.match(r"/[A-Z]{6}\+", font["/BaseFont"]), "not a subset"


def test_a_one_page_letter_weighs_under_100_kb(demo):
    _desk, files, _run = demo
    sizes = [len(f.pdf) / f.pages for f in files]
    assert max(sizes) < 100_000, max(sizes)


# -- the print run --------------------------------------------------------------

def test_manifest_lists_every_letter_with_its_hash_and_combined_files(demo):
    desk, files, run = demo
    folder = letter_folder(desk, run)
    manifest = json.loads(folder["manifest.json"])
    assert manifest["as_of"] == "2026-11-22"
    authority = None if desk.policy.issuer_is_creditor else desk.policy.authorisation_on(AS_OF).document
    assert (manifest["creditor"], manifest["authorisation"]) == (desk.policy.creditor_name, authority)
    assert len(manifest["letters"]) == len(files)
    for entry in manifest["letters"]:
        assert hashlib.sha256(folder[entry["file"]]).hexdigest() == entry["sha256"]
        assert set(entry) >= {"doc_no", "unit", "type", "total", "file", "sha256"}
    for entry in manifest["combined"]:
        combined = PdfReader(io.BytesIO(folder[entry["file"]]))
        group = [f for f in files if f.letter.kind == entry["type"]]
        assert len(combined.pages) == sum(f.pages for f in group)
        if len(group) > 2:  # one embedded font per batch, not one per letter
            assert len(folder[entry["file"]]) < sum(len(f.pdf) for f in group) / 2


def test_same_data_and_date_give_byte_identical_letters(demo, tmp_path):
    desk, files, run = demo
    again = render_letters(desk, PROJECT, tmp_path / "fresh-cache", workers=1)
    assert next((tmp_path / "fresh-cache" / "fonts").glob("*.otf")).is_file()
    assert [(f.letter.file, f.sha256) for f in again.files] == [(f.letter.file, f.sha256) for f in files]
    assert letter_folder(desk, again) == letter_folder(desk, run)


def test_cli_builds_letters_and_keeps_unchanged_files(tmp_path, cuijiao):
    root = _arrears_community(tmp_path / "c").write()
    out = tmp_path / "out"
    first = cuijiao("letters", "--out", str(out), root=root, as_of="2026-11-22")
    assert first.returncode == 0, first.stderr
    manifest = json.loads((out / "letters" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["type"] for e in manifest["letters"]} >= {"notice", "statement", "board"}
    second = cuijiao("letters", "--out", str(out), root=root, as_of="2026-11-22")
    assert second.returncode == 0 and "更新 0 个文件" in second.stdout


# -- hostile data and safety ----------------------------------------------------

def _arrears_community(root: Path, owner: str = "王丽", note: str = "业主出差") -> Community:
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003"}, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.units["1-1-101"]["owners"] = [{"name": owner, "phone": "13800000000"}]
    c.contact("1-1-101", "2026-03-01", "sms", "reached", evidence="短信截图", note=note)
    return c


def test_hostile_text_renders_as_text_and_fetches_nothing(tmp_path, cache_dir):
    hostile = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    c = _arrears_community(tmp_path / "c", owner=hostile, note="见 http://example.invalid/x.png")
    desk = c.desk(AS_OF)
    files = render_letters(desk, c.root, cache_dir, workers=1).files
    notice = next(f for f in files if f.letter.kind == "notice")
    text = text_of(notice.pdf)
    assert '<imgsrc="file:///etc/passwd">' in text
    assert "root:x:0:0" not in text
    assert b"/Subtype /Image" not in notice.pdf and b"/Subtype/Image" not in notice.pdf


def test_the_url_fetcher_serves_only_the_allowed_folders(tmp_path):
    allowed = tmp_path / "letters"
    allowed.mkdir()
    (allowed / "ok.css").write_text("p {}", encoding="utf-8")
    fetch = url_fetcher_for((str(allowed),))
    assert fetch.fetch((allowed / "ok.css").as_uri()) is not None
    for url in ("file:///etc/passwd", (allowed / ".." / "secret").as_uri(), "http://example.invalid/", "data:text/plain,hi"):
        with pytest.raises(FetchRefused):
            fetch.fetch(url)


def test_amounts_past_limitation_are_not_threatened_with_a_suit(tmp_path, cache_dir):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2020-06-15"})
    c.contact("1-1-101", "2026-03-01", "sms", "no_answer")
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    assert state.limitation.expired_amount == Decimal("900.00")
    files = render_letters(desk, c.root, cache_dir, workers=1).files
    for f in files:
        if f.letter.kind in ("notice", "lawyer"):
            text = text_of(f.pdf)
            assert "上表900.00元已过诉讼时效" in text and "不会为此起诉" in text
            suable = state.outstanding - Decimal("900.00")
            assert f"尚在诉讼时效期间内的欠缴本金合计：人民币{money_text(suable)}元" in text


def test_no_suit_is_threatened_when_everything_is_time_barred(tmp_path, cache_dir):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3, until="2019-12-31")], dunning=DUNNING)
    c.unit("1-1-101", billing_start="2019-01-01")
    desk = c.desk(AS_OF)
    action = desk.unit("1-1-101").next_action
    assert (action.kind, action.letter) == ("barred", None)  # the desk asks for no dunning step either
    files = render_letters(desk, c.root, cache_dir, workers=1).files
    assert not [f for f in files if f.letter.kind in ("notice", "lawyer")]  # nothing to demand: no demand letter
    [statement] = [f for f in files if f.letter.kind == "statement"]
    text = text_of(statement.pdf)
    assert statement.letter.total == 0 and "尚在诉讼时效期间内的欠费：无" in text and "请自收到本函" not in text
    assert "起诉" not in text.replace("也不会为此起诉", "")


def test_a_stage_letter_without_a_template_is_a_clear_error(tmp_path, cuijiao):
    dunning = [stage("final", 1, ["letter"], letter="final_notice", wait_days=7)]
    c = Community(tmp_path / "c", fees=[fee(rate="2.00")], dunning=dunning)
    c.unit("1-1-101", billing_start="2026-01-01")
    root = c.write()
    result = cuijiao("letters", "--out", str(tmp_path / "o"), root=root, as_of="2026-11-22")
    assert result.returncode == 1
    assert "letters/final_notice.html.j2" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o" / "letters").exists()


def test_no_cjk_font_fails_loudly_naming_the_package(tmp_path, monkeypatch):
    from generator.render import fonts

    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path / "none"),))
    with pytest.raises(fonts.NoCJKFont, match="fonts-noto-cjk"):
        fonts.letter_font(tmp_path / "cache")


def test_a_character_no_font_has_stops_the_build(tmp_path, cache_dir):
    from generator.printing.print_run import LetterError

    c = _arrears_community(tmp_path / "c", owner="王\U00030000丽")  # CJK Extension G: in no installed font
    desk = c.desk(AS_OF)
    with pytest.raises(LetterError, match="字体无法显示"):
        render_letters(desk, c.root, cache_dir, workers=1)


# -- past limitation --------------------------------------------------------------------------------

def _barred_community(root: Path, late_fee: bool = True) -> Community:
    """900.00 of opening arrears fell due in 2020; the first demand with evidence came in 2024, after the period ran out (rule 10: it revives nothing)."""
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003"} if late_fee else None, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2020-06-15"})
    c.contact("1-1-101", "2024-03-01", "phone", "reached", evidence="录音 20240301.m4a")
    c.contact("1-1-101", "2026-03-01", "sms", "no_answer")
    return c


def test_a_charge_past_limitation_is_labelled_and_never_threatened(tmp_path):
    c = _barred_community(tmp_path / "c")
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    assert state.limitation.expired_amount == Decimal("900.00")
    dunning = [letter for letter in letters_for(desk, c.root) if letter.kind in ("notice", "lawyer", "statement")]
    assert {letter.kind for letter in dunning} >= {"notice", "statement"}
    for letter in dunning:
        text = html_text(letter, c.root)
        assert letter.context["barred"] == Decimal("900.00")
        assert "上表900.00元已过诉讼时效：依照《中华人民共和国民法典》第一百九十二条，您可以拒绝支付，本函不要求您缴纳" in text
        assert f"尚在诉讼时效期间内的欠缴本金合计：人民币{money_text(state.outstanding - Decimal('900.00'))}元" in text
        assert "《中华人民共和国民法典》第一百九十二条" in text


def test_the_late_fee_on_barred_principal_is_left_out_of_what_is_asked_and_the_letter_says_why(tmp_path):
    c = _barred_community(tmp_path / "c")
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    opening = next(ch for ch in state.charges if ch.charge.item == "期初欠费")
    assert opening.late_fee.amount > 0 and state.late_fee_barred == opening.late_fee.amount
    [notice] = letters_for(desk, c.root, "notice")
    assert notice.context["late_fee_barred"] == opening.late_fee.amount
    assert notice.total == state.outstanding - Decimal("900.00") + state.late_fee
    text = html_text(notice, c.root)
    assert f"其违约金共{money_text(opening.late_fee.amount)}元不予主张" in text
    assert to_capitals(notice.total) in text


def test_the_late_fee_article_is_cited_only_when_the_policy_charges_one(tmp_path):
    with_fee = letters_for(_barred_community(tmp_path / "a").desk(AS_OF), tmp_path / "a", "notice")[0]
    without = letters_for(_barred_community(tmp_path / "b", late_fee=False).desk(AS_OF), tmp_path / "b", "notice")[0]
    assert "civil-code-585" in [a.id for a in with_fee.context["laws"]]
    assert "civil-code-585" not in [a.id for a in without.context["laws"]]
    assert "第五百八十五条" not in html_text(without, tmp_path / "b") and "违约金" not in html_text(without, tmp_path / "b")


def test_late_fee_on_opening_arrears_is_said_to_need_a_contractual_basis(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003"}, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2025-12-31"})
    c.contact("1-1-101", "2026-03-01", "sms", "no_answer")
    [notice] = letters_for(c.desk(AS_OF), c.root, "notice")
    assert notice.context["late_fee_opening"] > 0
    assert "对它计收违约金须以原物业服务合同或移交协议的约定为依据" in html_text(notice, c.root)


# -- who is owed, who writes ---------------------------------------------------------------------

def test_the_creditor_claims_and_the_issuer_sends(demo):
    desk, _files, _run = demo
    authority = Authorisation(date(2020, 1, 1), None, "授权委托书 1号", desk.policy.pos)
    owed = msgspec.structs.replace(desk, policy=msgspec.structs.replace(desk.policy, creditor=Creditor("示例物业服务有限公司"), authorisations=(authority,)))
    letters = letters_for(owed)
    issuer = desk.policy.issuer.name
    texts = {kind: html_text(next(l for l in letters if l.kind == kind)) for kind in ("notice", "lawyer", "plan", "evidence")}
    assert "示例物业服务有限公司可以依法向人民法院申请支付令或提起诉讼" in texts["notice"] or "示例物业服务有限公司不会就这部分起诉" in texts["notice"]
    assert issuer + "将继续依照本小区的催缴程序催告" in texts["notice"]
    assert "律师事务所受示例物业服务有限公司（以下称“委托人”）委托" in texts["lawyer"]
    assert "甲方（收费方）：示例物业服务有限公司" in texts["plan"] and "尚欠甲方" in texts["plan"]
    assert "申请人（原告）：示例物业服务有限公司" in texts["evidence"] and "各地法院做法不一" not in texts["evidence"]
    [note] = [l for l in letters if l.kind == "evidence_note"]
    assert "各地法院做法不一" in html_text(note) and "不是本案当事人；文书上的申请人（原告）是示例物业服务有限公司" in html_text(note)
    for kind in ("notice", "lawyer", "evidence"):
        assert "申请人（原告）：" + issuer not in texts[kind] and "我们将" not in texts[kind]


# -- the lawyer letter is a draft for a law firm ----------------------------------------------

def test_the_lawyer_letter_is_a_law_firm_draft_that_prints_the_logged_demands(demo):
    desk, files, _run = demo
    for f in by_kind(files, "lawyer"):
        state = state_of(desk, f.letter.unit)
        text = text_of(f.pdf)
        assert "律师事务所名称" in text and "不得以" + desk.policy.issuer.name + "的名义发出" in text
        assert "委托人依约提供物业服务" not in text and "多次催告" not in text
        assert "请您收到本函后，请" not in text and "请您自收到本函之日起" in text
        first_page = PdfReader(io.BytesIO(f.pdf)).pages[0].extract_text()
        assert desk.policy.issuer.name not in first_page.splitlines()[0]  # the page header is the draft's, not the committee's
        demands = f.letter.context["demands"]
        assert demands
        for c in demands:
            assert c.date > state.oldest_due
            assert c.date.isoformat() in text
            if c.evidence:
                assert re.sub(r"\s+", "", c.evidence) in text


def _template_texts():
    for path in sorted((PROJECT / "letters").glob("*.j2")):
        source = path.read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]+>|《[^》]*》", "|", source, flags=re.S)  # titles may be quoted
        yield path.name, re.sub(r"\s+", "", source)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not on this machine")
def test_letter_wording_is_written_anew_not_pasted_from_statutes_or_guides():
    sources = [*REFERENCE.glob("*.txt"), *REFERENCE.glob("law/*.md")]
    material = re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in sources))
    n = 14
    grams = {material[i:i + n] for i in range(len(material) - n + 1)}
    for name, text in _template_texts():
        for piece in text.split("|"):
            copied = {piece[i:i + n] for i in range(len(piece) - n + 1)} & grams
            assert not copied, (name, sorted(copied)[:3])


# -- layout -----------------------------------------------------------------------------------

def test_demo_notices_fit_one_page_with_their_receipt(demo):
    """Only 2-2-801 (21 charge lines, 6 of them barred) has no room for its 送达回执, which gets a page of its own."""
    _desk, files, _run = demo
    assert [(f.letter.unit, f.pages) for f in by_kind(files, "notice") if f.pages != 1] == [("2-2-801", 2)]


def test_the_seal_never_sits_alone_on_a_last_page(demo):
    _desk, files, _run = demo
    for f in files:
        pages = [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(f.pdf)).pages]
        last = pages[-1]
        if f.letter.kind == "notice" and len(pages) > 1 and "送达回执" in last:  # the receipt alone on its page
            last = pages[-2]
        assert "法律依据" in last, f.letter.file
        if f.letter.kind == "lawyer":
            assert "三、要求" in last


# -- the notice board --------------------------------------------------------------------------

def _cells_name_no_one(letter):
    rows, aging = letter.context["rows"], letter.context["aging"]
    assert all(r.in_arrears == 0 or r.in_arrears >= 3 for r in rows), rows
    assert all(c.units == 0 or c.units >= 3 for c in aging), aging
    t = letter.context["t"]
    assert sum(r.outstanding for r in rows) == t.outstanding == sum(c.amount for c in aging)
    assert sum(r.in_arrears for r in rows) == t.units_in_arrears


def test_the_board_has_no_cell_that_points_at_one_or_two_households(demo):
    desk, files, _run = demo
    [board] = by_kind(files, "board")
    _cells_name_no_one(board.letter)
    assert any(r.merged for r in board.letter.context["rows"])
    ranges = "和账龄段" if board.letter.context["merged_aging"] else ""
    assert f"欠费不足3户的楼栋{ranges}与相邻的合并列出" in text_of(board.pdf)


def test_a_lone_small_building_is_merged_with_the_smallest_other(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING)
    for unit in ("1-1-101", "1-1-102", "1-1-103", "1-1-104", "2-1-101", "2-1-102", "2-1-103", "3-1-101", "3-1-102"):
        c.unit(unit, billing_start="2026-01-01")
    for unit in ("1-1-104", "2-1-102", "2-1-103", "3-1-101", "3-1-102"):
        c.payment(unit, "2026-01-10", "5000.00")
    desk = c.desk(AS_OF)  # building 1: 3 in arrears, 2: 1, 3: none
    [board] = letters_for(desk, c.root, "board")
    _cells_name_no_one(board)
    assert [(r.name, r.in_arrears) for r in board.context["rows"]] == [("3", 0), ("1、2", 4)]


def test_the_unit_list_says_it_needs_each_owners_consent(demo):
    desk, _files, _run = demo
    listing = msgspec.structs.replace(desk, policy=msgspec.structs.replace(desk.policy, publish_unit_amounts=True))
    [board] = letters_for(listing, kind="board")
    text = html_text(board)
    assert "不含姓名、电话等个人信息" not in text
    assert "属于个人信息" in text and "单独同意" in text and "不能代替本人同意" in text


# -- the installment agreement -----------------------------------------------------------------

def test_the_plan_lists_the_charges_it_covers_and_prints_no_status(demo):
    desk, files, _run = demo
    for f in by_kind(files, "plan"):
        text = text_of(f.pdf)
        covers = f.letter.context["covers"]
        assert covers and sum(c.unpaid for c in covers) == f.letter.context["covered"]
        for c in covers:
            assert c.period in text and c.due.isoformat() in text
        assert "履行状态" not in text and "截至2026年11月22日" not in text
        assert desk.policy.issuer.phone in text


def test_the_plan_agreement_does_not_change_from_day_to_day(demo):
    desk, _files, _run = demo
    checked = pipeline.check(PROJECT, AS_OF, AS_OF, use_cache=False)
    later = pipeline.desk_for(checked, date(2026, 12, 20))
    today = {l.doc_no: _html(environment(PROJECT), l) for l in letters_for(desk, kind="plan")}
    then = {l.doc_no: _html(environment(PROJECT), l) for l in letters_for(later, kind="plan")}
    assert today and today == then


def _barred_plan(root: Path, **plan) -> Community:
    """900.00 of opening arrears barred since 2023; a plan signed 2024-03-01 for it and 2024 Q1 (600.00)."""
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING)
    c.unit("1-1-101", billing_start="2024-01-01", opening={"amount": "900.00", "due": "2020-06-15"})
    c.plan("1-1-101", "2024-03-01", [("2024-04-01", "900.00"), ("2024-05-01", "600.00")], **plan)
    return c


def test_a_plan_that_covers_all_says_the_owner_agrees_to_pay_barred_charges_and_gives_up_the_defence(tmp_path):
    c = _barred_plan(tmp_path / "c", covers="all")
    [plan] = letters_for(c.desk(AS_OF), c.root, "plan")
    assert plan.context["covered_barred"] == Decimal("900.00") and plan.context["covered"] == Decimal("1500.00")
    text = html_text(plan, c.root)
    assert "期初欠费" in text and "签订时已过" in text
    assert "上述欠费中标明“签订时已过”的900.00元，在签订本协议时已超过诉讼时效，乙方本可以拒绝支付" in text
    assert "乙方明确表示：同意支付这部分欠费，放弃以诉讼时效届满为由拒付的抗辩" in text
    assert "诉讼时效制度若干问题的规定》第十九条" in text
    assert plan.context["covered"] == plan.total and "核对提示" not in text


def test_a_plan_that_covers_what_is_in_time_does_not_list_barred_charges_as_acknowledged(tmp_path):
    c = _barred_plan(tmp_path / "c")  # covers: in_time, the default
    [plan] = letters_for(c.desk(AS_OF), c.root, "plan")
    assert [(x.item, x.unpaid) for x in plan.context["covers"]] == [("物业服务费", Decimal("600.00"))]
    assert plan.context["covered"] == Decimal("600.00") and plan.context["not_covered"] == Decimal("900.00")
    text = html_text(plan, c.root)
    agreed = re.sub(r"核对提示：.*?一、分期安排", "", text)  # the note to the committee aside: what the owner signs
    assert "期初欠费" not in agreed and "签订时已过" not in agreed and "放弃" not in agreed
    # the total still includes the barred 900.00: the agreement says so before anyone signs
    assert "相差900.00元，正好是签订时已过诉讼时效、本协议不包括的欠费" in text
    assert "请把分期总额改为600.00元" in text


def test_no_plan_clause_changes_the_limitation_period_by_agreement(tmp_path):
    for covers in ("in_time", "all"):
        c = _barred_plan(tmp_path / covers, covers=covers)
        [plan] = letters_for(c.desk(AS_OF), c.root, "plan")
        text = html_text(plan, c.root)
        assert not re.search(r"重新计算|时效.{0,6}中断|约定.{0,10}时效|时效.{0,10}约定", text), text


def test_the_late_fee_basis_named_in_the_policy_is_printed_and_exempt_opening_arrears_carry_none(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING,
                  late_fee={"daily_rate": "0.0003", "basis": "《桐荫花园物业服务合同》第八条", "on_opening": False})
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2025-12-31"})
    c.contact("1-1-101", "2026-03-01", "sms", "no_answer")
    [notice] = letters_for(c.desk(AS_OF), c.root, "notice")
    text = html_text(notice, c.root)
    assert "违约金依据《桐荫花园物业服务合同》第八条关于违约金的约定计算" in text
    assert notice.context["late_fee_opening"] == 0 and "移交协议" not in text


# -- v2: letters in the creditor's name ---------------------------------------------------------

CREDITOR = {"name": "示例物业服务有限公司", "address": "示例路1号"}
ISSUER = "测试花园业主委员会"


def _owed_community(root: Path, authorisations: list[dict], **policy) -> Community:
    """One unit in arrears since 2026-01-15 (no contacts: the notice stage is due); the creditor is a company."""
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003"}, dunning=DUNNING,
                  creditor=CREDITOR, authorisations=authorisations, **policy)
    c.unit("1-1-101", billing_start="2026-01-01")
    return c


def test_a_demand_for_a_separate_creditor_says_the_issuer_acts_for_it_under_the_authorisation_in_force(tmp_path):
    c = _owed_community(tmp_path / "c", [
        {"from": "2025-01-01", "until": "2025-12-31", "document": "授权委托书 2025-001"},
        {"from": "2026-01-01", "until": "2026-12-31", "document": "授权委托书 2026-001"},
    ])
    letters = letters_for(c.desk(AS_OF), c.root)
    assert {l.kind for l in letters} >= {"notice", "statement"}
    for letter in (l for l in letters if l.kind in ("notice", "statement")):
        text = html_text(letter, c.root)
        assert "受示例物业服务有限公司委托（授权委托书2026-001，有效期2026年1月1日至2026年12月31日），" + ISSUER in text
        assert "2025-001" not in text  # the authorisation of the letter's day, not an expired one
        assert "尚欠示例物业服务有限公司" in text
        # the seal: the committee signs, for the company, naming the document
        assert "（盖章处）" + ISSUER + "受示例物业服务有限公司委托依据授权委托书2026-001经办人签字：2026年11月22日" in text


def test_the_lawyer_draft_states_the_authorisation_among_the_facts(tmp_path):
    c = _owed_community(tmp_path / "c", [{"from": "2026-01-01", "document": "授权委托书 2026-001"}])
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    [lawyer] = letters_for(c.desk(AS_OF), c.root, "lawyer")
    text = html_text(lawyer, c.root)
    assert "律师事务所受示例物业服务有限公司（以下称“委托人”）委托" in text
    assert "委托人已书面委托" + ISSUER + "代为催缴物业费（授权委托书2026-001，2026年1月1日起有效）" in text
    assert "台账记载的为委托人作出的催告如下" in text and "签收单1" in text


def test_no_demand_letter_on_a_day_no_authorisation_covers_and_the_queue_says_why(tmp_path):
    c = _owed_community(tmp_path / "c", [{"from": "2025-01-01", "until": "2026-06-30", "document": "授权委托书 2025-001"}])
    c.unit("1-1-102", billing_start="2026-01-01")
    c.contact("1-1-102", "2026-03-01", "letter", "delivered", evidence="签收单 1")  # lawyer stage due for 1-1-102
    desk = c.desk(AS_OF)
    for state in desk.units:
        action = state.next_action
        assert action.kind == "authorise" and action.letter is None
        assert "先取得债权人“示例物业服务有限公司”的书面授权" in action.text
        assert "授权（授权委托书 2025-001）已于 2026-06-30 到期" in action.why and "不生成催缴函件" in action.why
    # no notice, lawyer letter or statement; the forms ask for no money (the 授权委托书 is what the day lacks)
    assert {l.kind for l in letters_for(desk, c.root)} == {"board", "address", "authority"}
    inside = _owed_community(tmp_path / "d", [{"from": "2025-01-01", "until": "2026-06-30", "document": "授权委托书 2025-001"}])
    kinds = {l.kind for l in letters_for(inside.desk("2026-06-30"), inside.root)}
    assert kinds == {"notice", "statement", "board", "address", "authority"}  # the authorisation ends that day: renew it


def test_a_plan_signed_under_an_authorisation_names_the_issuer_as_agent_and_one_signed_in_a_gap_needs_the_creditor(tmp_path):
    c = _owed_community(tmp_path / "c", [{"from": "2026-03-01", "until": "2026-05-31", "document": "授权委托书 2026-001"}])
    c.unit("1-1-102", billing_start="2026-01-01")
    c.plan("1-1-101", "2026-04-01", [("2026-05-01", "600.00")])
    c.plan("1-1-102", "2026-07-01", [("2026-08-01", "1200.00")])
    plans = {l.unit: html_text(l, c.root) for l in letters_for(c.desk(AS_OF), c.root, "plan")}
    agent, gap = plans["1-1-101"], plans["1-1-102"]
    assert "甲方（收费方）：示例物业服务有限公司，地址：示例路1号" in agent
    assert "甲方受托人：" + ISSUER + "，依据甲方出具的授权委托书2026-001，有效期2026年3月1日至2026年5月31日，以甲方名义代为签订本协议" in agent
    assert "甲方：示例物业服务有限公司受托人（盖章）：" + ISSUER in agent and "尚欠甲方" in agent
    assert "受托人" not in gap and "甲方（盖章）：示例物业服务有限公司" in gap
    assert "签订日2026-07-01没有甲方对" + ISSUER + "的有效授权：本协议须由甲方（示例物业服务有限公司）自己盖章签订" in gap


def test_a_statement_for_a_separate_creditor_shows_the_creditors_consent_to_each_waiver(tmp_path):
    c = _owed_community(tmp_path / "c", [{"from": "2026-01-01", "document": "授权委托书 2026-001"}])
    c.waiver("1-1-101", "2026-06-01", "10.00", "late_fee", consent="物业公司同意函 2026-06")
    [statement] = letters_for(c.desk(AS_OF), c.root, "statement")
    assert "债权人同意" in html_text(statement, c.root) and "物业公司同意函2026-06" in html_text(statement, c.root)


def test_the_issuer_as_creditor_writes_in_its_own_name(tmp_path):
    c = _arrears_community(tmp_path / "c")
    for letter in letters_for(c.desk(AS_OF), c.root):
        text = html_text(letter, c.root)
        assert "委托（" not in text and "受托人" not in text and "依据授权" not in text


# -- v2: deadlines counted from receipt -------------------------------------------------------------

def test_the_latest_date_allows_for_delivery_and_moves_past_a_holiday(tmp_path):
    c = _owed_community(tmp_path / "c", [{"from": "2026-01-01", "document": "授权委托书 2026-001"}])
    desk = c.desk("2026-09-17")  # + 7 days' delivery + 7 days' notice = 2026-10-01, 国庆: the 8th
    [notice] = letters_for(desk, c.root, "notice")
    assert (notice.context["deadline"], notice.context["deadline_moved"], notice.context["deadline_exact"]) == (date(2026, 10, 8), True, True)
    text = html_text(notice, c.root)
    assert "请自收到本函之日起7日内缴清。本函按寄出后7日内送达计，最迟缴费日为2026年10月8日（已计入送达时间，遇休息日或法定节假日顺延" in text
    assert "本函在2026年9月24日之后才送到的，以收到之日起7日为准" in text
    assert "放假安排尚未公布" not in text
    quick = _owed_community(tmp_path / "d", [{"from": "2026-01-01", "document": "授权委托书 2026-001"}], letters={"delivery_days": 3})
    [notice] = letters_for(quick.desk("2026-09-17"), quick.root, "notice")
    assert notice.context["deadline"] == date(2026, 9, 28)  # 2026-09-27 is a Sunday


def test_a_year_the_calendar_does_not_know_uses_the_policys_holidays_or_says_the_date_was_not_checked(tmp_path):
    c = _owed_community(tmp_path / "c", [{"from": "2026-01-01", "document": "授权委托书 2026-001"}])
    desk = c.desk("2026-12-21")  # + 14 days = Monday 2027-01-04
    [notice] = letters_for(desk, c.root, "notice")
    assert (notice.context["deadline"], notice.context["deadline_exact"]) == (date(2027, 1, 4), False)
    assert "该年放假安排尚未公布，期限最后一日遇法定节假日的，顺延至假期结束的次日" in html_text(notice, c.root)
    told = msgspec.structs.replace(desk.policy, holidays=(HolidayYear(2027, (date(2027, 1, 4),), ()),))
    given = letter_deadline(told, date(2026, 12, 21), 7)
    assert (given["deadline"], given["deadline_exact"], given["deadline_moved"]) == (date(2027, 1, 5), True, True)


# -- v2: the lawyer letter names the late fee only with a basis ---------------------------------------

def _lawyer_community(root: Path, late_fee: dict | None) -> Community:
    c = Community(root, fees=[fee(rate="2.00", cycle=3)], late_fee=late_fee, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    return c


@pytest.mark.parametrize("late_fee", [None, {"daily_rate": "0.0003"}], ids=["no late fee", "late fee without basis"])
def test_a_lawyer_letter_without_a_late_fee_basis_claims_principal_only_and_never_says_late_fee(tmp_path, late_fee):
    c = _lawyer_community(tmp_path / "c", late_fee)
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    [lawyer] = letters_for(desk, c.root, "lawyer")
    text = html_text(lawyer, c.root)
    assert "违约金" not in text and "第五百八十五条" not in text
    assert lawyer.total == state.outstanding == Decimal("2400.00")  # 2026 Q1-Q4 at 600.00, all overdue
    assert f"委托人将就上述尚在诉讼时效期间内的欠费{money_text(state.outstanding)}元，依法向人民法院申请支付令或提起诉讼" in text


def test_a_lawyer_letter_with_a_late_fee_and_its_basis_claims_both(tmp_path):
    c = _lawyer_community(tmp_path / "c", {"daily_rate": "0.0003", "basis": "《测试花园物业服务合同》第八条"})
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    [lawyer] = letters_for(desk, c.root, "lawyer")
    text = html_text(lawyer, c.root)
    assert state.late_fee > 0 and lawyer.total == state.outstanding + state.late_fee
    assert "违约金依据《测试花园物业服务合同》第八条关于违约金的约定计算" in text
    assert f"欠费{money_text(state.outstanding)}元及按约定计算的违约金，依法向人民法院申请支付令或提起诉讼" in text
    assert "第五百八十五条" in text


def test_no_letter_mentions_a_late_fee_when_the_policy_has_none(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01")  # notice due
    c.unit("1-1-102", billing_start="2026-01-01")  # lawyer letter due
    c.contact("1-1-102", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    c.unit("1-1-103", billing_start="2026-01-01")  # at the last stage: evidence list
    c.contact("1-1-103", "2026-03-01", "letter", "delivered", evidence="签收单 2")
    c.contact("1-1-103", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 3")
    c.unit("1-1-104", billing_start="2026-01-01")
    c.plan("1-1-104", "2026-05-01", [("2026-06-01", "700.00")])  # 100.00 more than the arrears: the check note
    c.waiver("1-1-102", "2026-06-01", "10.00")
    letters = letters_for(c.desk(AS_OF), c.root)
    assert {l.kind for l in letters} >= set(TITLES) | {"payorder", "suit"}  # and the forms of the day
    for letter in letters:
        assert "违约金" not in html_text(letter, c.root), letter.kind


# -- v2: barred charges apart ---------------------------------------------------------------------------

def test_barred_charges_are_listed_apart_with_their_expiry_and_never_in_the_total(tmp_path):
    c = _barred_community(tmp_path / "c")  # 900.00 opening due 2020-06-15, expired 2023-06-15
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    for letter in (l for l in letters_for(desk, c.root) if l.kind in ("notice", "statement")):
        assert [line.item for line in letter.context["barred_lines"]] == ["期初欠费"]
        assert "期初欠费" not in [line.item for line in letter.context["due_lines"]]
        assert letter.total == state.outstanding - Decimal("900.00") + state.late_fee
        text = html_text(letter, c.root)
        due_part, barred_part = text.split("已过诉讼时效的欠费（不计入应缴合计）")
        barred_part = barred_part[:barred_part.index("（同条第二款）")]
        assert "期初欠费" not in due_part and "900.00" not in due_part
        assert "期初欠费2020-06前900.002020-06-152023-06-15" in barred_part  # item, period, unpaid, due, expiry
        assert f"应缴合计：人民币{money_text(letter.total)}元" in due_part
        assert "起诉" not in barred_part.replace("也不会为此起诉", "")


def test_the_barred_late_fee_of_paid_charges_is_named_and_not_claimed(tmp_path):
    # one bill, 2022 Q1, 600.00 due 2022-01-15, paid late on 2022-12-31 with nothing after: its late fee is barred
    # since 2025-12-31; a one-off charge of 2026 keeps the unit in arrears
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3, until="2022-03-31")], late_fee={"daily_rate": "0.0003"}, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2022-01-01")
    c.payment("1-1-101", "2022-12-31", "600.00")
    c.charge("1-1-101", "公摊水电", "50.00", "2026-06-15")
    desk = c.desk(AS_OF)
    state = state_of(desk, "1-1-101")
    assert state.late_fee_barred == Decimal("63.00")  # 600.00 x 0.0003 x 350 days (2022-01-15 to 2022-12-31)
    assert state.late_fee == Decimal("2.40")  # 50.00 x 0.0003 x 160 days (2026-06-15 to 2026-11-22)
    [statement] = letters_for(desk, c.root, "statement")
    assert statement.total == state.outstanding + state.late_fee
    assert "已缴账单上另有违约金63.00元已过诉讼时效，不予主张" in html_text(statement, c.root)


# -- v2: the plan and the late fee ---------------------------------------------------------------------

def test_a_frozen_plan_says_the_late_fee_stops_at_signing_and_all_of_it_runs_again_while_behind(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003"}, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.plan("1-1-101", "2026-05-01", [("2026-06-01", "600.00"), ("2026-07-01", "600.00")], late_fee="freeze")
    [plan] = letters_for(c.desk(AS_OF), c.root, "plan")
    text = html_text(plan, c.root)
    assert "违约金：上述欠费的违约金计至本协议签订之日（2026年5月1日）；乙方按期履行（到期的各期都已足额缴纳）的，此后停止计算" in text
    assert "在补足之前不停止计算：违约金按未签本协议的情形，自各笔到期日起计至缴清之日，停止计算期间的天数也计入；补足后恢复停止计算" in text
    accrue = Community(tmp_path / "d", fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003", "basis": "合同第八条"}, dunning=DUNNING)
    accrue.unit("1-1-101", billing_start="2026-01-01")
    accrue.plan("1-1-101", "2026-05-01", [("2026-06-01", "1200.00")])
    [plan] = letters_for(accrue.desk(AS_OF), accrue.root, "plan")
    assert "违约金：签订本协议不停止计算违约金，上述欠费的违约金按合同第八条的约定继续计算至各笔缴清之日" in html_text(plan, accrue.root)


def test_the_statement_marks_late_fee_a_kept_frozen_plan_stopped(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], late_fee={"daily_rate": "0.0003"}, dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01")
    c.plan("1-1-101", "2026-05-01", [("2026-06-01", "300.00"), ("2027-06-01", "900.00")], late_fee="freeze")
    c.payment("1-1-101", "2026-05-20", "300.00")
    desk = c.desk(AS_OF)
    assert desk.unit("1-1-101").plan.status == "on_track"
    [statement] = letters_for(desk, c.root, "statement")
    text = html_text(statement, c.root)
    assert "标†的欠费按2026-05-01签订的分期协议停止计算违约金（协议按期履行中），计至该日" in text


# -- v2: the notice board and consent ---------------------------------------------------------------------

def test_the_board_lists_only_units_whose_owner_consented_and_says_how_many_were_left_out(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING, notice_board={"list_units": True})
    c.unit("1-1-101", billing_start="2026-01-01", consents=[{"kind": "publish_arrears", "date": "2026-02-01", "evidence": "同意书"}])
    c.unit("1-1-102", billing_start="2026-01-01")
    c.unit("1-1-103", billing_start="2026-01-01",
           consents=[{"kind": "publish_arrears", "date": "2026-02-01", "evidence": "同意书", "withdrawn": "2026-10-01"}])
    [board] = letters_for(c.desk(AS_OF), c.root, "board")
    assert board.context["listed"] == [("1-1-101", Decimal("2400.00"))] and board.context["unlisted"] == 2
    text = html_text(board, c.root)
    assert "1-1-101" in text and "1-1-102" not in text and "1-1-103" not in text
    assert "本表只列出已书面同意公开的1户；另有2户欠费业主没有作出这种同意，未列出" in text
    assert "第十四条、第二十五条" in text and "不能代替本人同意" in text


def test_the_board_without_listing_names_no_unit_and_never_says_fees_are_all_spent_on_the_estate(tmp_path):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=DUNNING)
    c.unit("1-1-101", billing_start="2026-01-01", consents=[{"kind": "publish_arrears", "date": "2026-02-01", "evidence": "同意书"}])
    [board] = letters_for(c.desk(AS_OF), c.root, "board")
    text = html_text(board, c.root)
    assert board.context["listed"] == [] and "1-1-101" not in text and "欠费房号" not in text
    assert not re.search(r"全部用于|全额用于|都用于", text)


def test_the_evidence_list_names_the_authorisations_and_says_which_contacts_count_as_the_creditors_demands(tmp_path):
    c = _owed_community(tmp_path / "c", [
        {"from": "2026-01-01", "until": "2026-06-30", "document": "授权委托书 2026-001"},
        {"from": "2026-08-01", "document": "授权委托书 2026-002"},
    ])
    c.contact("1-1-101", "2026-03-01", "letter", "delivered", evidence="签收单 1")
    c.contact("1-1-101", "2026-05-01", "lawyer_letter", "delivered", evidence="EMS 2")
    c.contact("1-1-101", "2026-07-10", "visit", "reached", evidence="维修照片", purpose="service")
    c.contact("1-1-101", "2026-07-15", "phone", "refused", evidence="录音 0715")  # the committee, in the gap
    c.contact("1-1-101", "2026-07-20", "phone", "refused", evidence="录音 0720", party="creditor", by="物业客服")
    letters = letters_for(c.desk(AS_OF), c.root)
    [evidence] = [l for l in letters if l.kind == "evidence"]
    [note] = [l for l in letters if l.kind == "evidence_note"]
    text, note_text = html_text(evidence, c.root), html_text(note, c.root)
    assert "申请人（原告）：示例物业服务有限公司，住所：示例路1号" in text
    assert "授权委托书2026-001（有效期2026年1月1日至2026年6月30日）示例物业服务有限公司示例物业服务有限公司委托测试花园业主委员会催缴物业费" in text
    assert "授权委托书2026-002（2026年8月1日起有效）" in text
    # the demands that count are rows of the list, with who made them; the others are on the cover note, with why
    assert "2026年3月1日书面通知及送达凭证：签收单1测试花园业主委员会（受示例物业服务有限公司委托）" in text
    assert "2026年5月1日律师函及送达凭证：EMS2" in text
    assert "2026年7月20日电话：录音0720示例物业服务有限公司2026年7月20日向业主1-1-101催告缴纳欠费" in text  # the creditor's own staff
    assert "维修照片" not in text and "录音0715" not in text
    assert "维修照片不是催缴（服务性质的联系）" in note_text
    assert "录音0715不是为债权人作出（当时没有授权）" in note_text


def test_a_communitys_older_stage_letter_template_still_renders_in_todays_terms(tmp_path):
    dunning = [stage("final", 1, ["letter"], letter="final_notice", wait_days=7)]
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3)], dunning=dunning)
    c.unit("1-1-101", billing_start="2026-01-01", opening={"amount": "900.00", "due": "2020-06-15"})
    (c.write() / "letters").mkdir()
    (c.root / "letters" / "final_notice.html.j2").write_text(
        '{% import "_macros.html.j2" as m with context %}{{ m.open(letter, anchor, issuer) }}'
        '{{ m.charges_table(lines, late_fee_basis, barred > 0) }}<p>请{{ m.pay_by() }}。{{ m.barred_note(creditor) }}</p>'
        '{{ m.seal(issuer, as_of) }}{{ m.close() }}', encoding="utf-8")
    [letter] = letters_for(c.desk(AS_OF), c.root, "final_notice")
    text = html_text(letter, c.root)
    assert "请自收到本函之日起7日内缴清（最迟2026年12月7日，已计入送达时间）" in text  # 11-22 + 14 = Sunday 12-06
    assert "其中900.00元欠费已超过诉讼时效，不计入应缴合计，您可以拒绝支付，测试花园业主委员会不会为此起诉" in text


def test_every_work_folder_in_the_users_cache_shares_one_font_subset(tmp_path, monkeypatch):
    from generator.render import fonts

    monkeypatch.setattr(fonts, "user_cache", lambda: tmp_path / "cuijiao")
    east, west = tmp_path / "cuijiao" / "work" / "east-1", tmp_path / "cuijiao" / "work" / "west-2"
    assert fonts.font_folder(east) == fonts.font_folder(west) == tmp_path / "cuijiao" / "fonts"
    assert fonts.font_folder(tmp_path / "bench-cache") == tmp_path / "bench-cache" / "fonts"  # CUIJIAO_CACHE_DIR, tests


def test_a_font_subset_planted_in_the_cache_is_cut_again_and_never_written_through(tmp_path, cache_dir, demo):
    """A CI cache someone else wrote may hold a link where the subset goes: it is not read as the font, the
    file it points to is not written, and the subset cut again is the same as the one cut before."""
    from generator.render import fonts

    before = fonts.letter_font(cache_dir)
    shutil.copytree(cache_dir / "fonts", tmp_path / "cache" / "fonts")
    planted = tmp_path / "cache" / "fonts" / before.subset.name
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"PRIVATE KEY")
    planted.unlink()
    planted.symlink_to(secret)
    after = fonts.letter_font(tmp_path / "cache")
    assert secret.read_bytes() == b"PRIVATE KEY" and not planted.is_symlink()
    assert after.digest == before.digest and planted.read_bytes() == before.subset.read_bytes()
    assert after.covered == before.covered
