"""Letters as laid out: the seal's place covers no text, the notice's tear-off 送达回执, one-page statements, tagged PDFs.

Layout is measured on WeasyPrint's boxes: the demo's letters are laid out again as the print run
lays them out (one document per kind) and each letter's pages are found by its anchor.
"""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.content.legal import load_legal
from generator.content.playbook import load_playbook
from generator.printing.print_run import (
    _html,
    environment,
)
from generator.printing.receipts import plan_receipts
from tests.letters import by_kind, classes, covered, outermost, pages_of, rect, text_of, walk
from tests.support import DEMO_AS_OF, PROJECT

SEALED = {"notice", "statement", "board", "evidence", "lawyer"}  # the demo's kinds that carry one
# The demo's longest statement has 21 charge lines (2-2-801: 15 in time, 6 past limitation); its shops pay
# monthly and list up to 23 payments. A household with fewer charge lines than this is a usual one.
USUAL_LINES = 22
NOTICE_LINES = 16  # a notice with fewer charge lines holds its 送达回执 on its one page


@pytest.fixture(scope="module")
def laid_out(demo, cache_dir) -> dict[str, list]:
    """Each demo letter's page boxes, by doc_no."""
    _desk, files, _run = demo
    return pages_of([f.letter for f in files], cache_dir)


# -- the seal -----------------------------------------------------------------------------------

def test_the_seals_place_covers_no_text_and_no_signature_line_in_any_letter(demo, laid_out):
    """On the notice, (盖章处) sat over 经办人签字 (issue 14): the seal's place is now in the flow, above the name."""
    _desk, files, _run = demo
    sealed = set()
    for f in files:
        for page in laid_out[f.letter.doc_no]:
            stamps, texts = covered(page)
            assert not texts, (f.letter.file, texts)
            if stamps:
                sealed.add(f.letter.kind)
    assert sealed >= SEALED


def test_the_seals_place_on_a_receipt_covers_no_text(cache_dir):
    checked = pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    receipts = plan_receipts(checked.ledger, (2026, 10), DEMO_AS_OF, load_legal(PROJECT))
    assert len(receipts) >= 3
    for doc_no, pages in pages_of(receipts, cache_dir).items():
        assert [covered(page) for page in pages] == [(1, [])], doc_no


def test_the_seal_block_reads_name_signature_and_date_below_its_place(demo, laid_out):
    _desk, files, _run = demo
    for f in by_kind(files, "notice") + by_kind(files, "statement"):
        pages = laid_out[f.letter.doc_no]
        [seal] = [box for page in pages for box in outermost(page, "seal")]
        [stamp] = [box for page in pages for box in outermost(page, "stamp")]
        text = "".join(box.text for box, _ in walk(seal) if type(box).__name__ == "TextBox")
        assert re.sub(r"\s+", "", text).endswith("（盖章处）桐荫花园业主委员会受桐荫物业服务有限公司委托依据授权委托书TY-2025-02经办人签字：2026年11月22日")
        lines = [box for box, in_stamp in walk(seal) if type(box).__name__ == "LineBox" and not in_stamp]
        assert min(line.position_y for line in lines) >= rect(stamp)[3], f.letter.file


# -- the notice's 送达回执 ----------------------------------------------------------------------

def test_a_notice_carries_a_tear_off_receipt_naming_the_letter_the_unit_and_the_addressee(demo):
    desk, files, _run = demo
    for f in by_kind(files, "notice"):
        text = text_of(f.pdf)
        slip = text[text.index("沿此线剪下"):]
        assert slip.startswith("沿此线剪下送达回执")
        for words in ("送达文书催缴通知书", f"文号{f.letter.doc_no}", "落款日期2026年11月22日",
                      f"房屋{desk.policy.community}{f.letter.unit}", "收件人签名", "签收日期年月日",
                      "与业主关系□本人□同住家属□其他", "送达人"):
            assert words in slip, (f.letter.file, words)
        for owner in f.letter.context["u"].owners:
            assert owner.name in slip
        assert "签名只表示收到了本催缴通知书，不表示确认欠费金额" in slip
        assert f"交回{desk.policy.issuer.name}" in slip


def test_the_receipt_is_at_the_notices_foot_or_alone_on_its_last_page(demo, laid_out):
    _desk, files, _run = demo
    notices = by_kind(files, "notice")
    for f in notices:
        pages = laid_out[f.letter.doc_no]
        [slip] = outermost(pages[-1], "slip")
        if len(f.letter.context["lines"]) < NOTICE_LINES:
            assert len(pages) == 1, f.letter.file
        if len(pages) == 1:
            [closing] = outermost(pages[0], "closing")
            assert rect(slip)[1] >= rect(closing)[3]
        else:  # the letter ends on the page before; the receipt's page holds nothing else
            [letter] = outermost(pages[-1], "letter")
            assert [classes(child) for child in letter.children] == [{"slip"}], f.letter.file
            assert "法律依据" in re.sub(r"\s+", "", PdfReader(io.BytesIO(f.pdf)).pages[-2].extract_text())
    assert any(NOTICE_LINES - 3 <= len(f.letter.context["lines"]) < NOTICE_LINES for f in notices)  # tried on a long one


def test_the_playbook_asks_the_owner_to_sign_the_notices_receipt_by_its_printed_name(demo):
    _desk, files, _run = demo
    playbook = load_playbook(PROJECT)
    asking = [s.text for t in playbook.tactics for s in t.scripts if "回执" in s.text]
    assert len(asking) >= 2
    for script in asking:
        assert "送达回执上签个名、写上日期" in script and "不是确认欠款金额" in script
    notice = text_of(by_kind(files, "notice")[0].pdf)
    assert "送达回执" in notice and "签名只表示收到了本催缴通知书，不表示确认欠费金额" in notice


# -- statements -------------------------------------------------------------------------------------

def test_a_statement_of_a_usual_household_fits_one_page_shops_included(demo):
    _desk, files, _run = demo
    statements = by_kind(files, "statement")
    usual = [f for f in statements if len(f.letter.context["lines"]) < USUAL_LINES]
    assert len(usual) == len(statements)  # the demo's households are all usual ones
    shops = [f for f in usual if f.letter.context["u"].type == "商铺"]
    assert len(shops) >= 3 and max(len(f.letter.context["history"]["payments"]) for f in shops) >= 20
    assert [(f.letter.unit, f.pages) for f in usual if f.pages != 1] == []


def test_a_long_payment_history_is_printed_two_payments_a_row(demo):
    _desk, files, _run = demo
    shop = next(f for f in by_kind(files, "statement") if f.letter.unit == "S-05")
    payments = shop.letter.context["history"]["payments"]
    assert len(payments) > 4
    html = _html(environment(PROJECT), shop.letter)
    table = html[html.index("近两年的缴费记录"):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 1 + (len(payments) + 1) // 2  # the heading row, then two payments a row
    text = text_of(shop.pdf)
    for p in payments:
        assert p.date.isoformat() in text


# -- tagged PDFs ------------------------------------------------------------------------------

def _roles(node, depth: int = 0) -> set[str]:
    """The structure types (/P, /H1, /Table…) in a structure tree, a few levels down."""
    node = node.get_object()
    found = set()
    if isinstance(node, dict) and "/S" in node:
        found.add(str(node["/S"]))
    kids = node.get("/K", []) if isinstance(node, dict) else node if isinstance(node, list) else []
    if not isinstance(kids, list):
        kids = [kids]
    if depth < 8:
        for kid in kids:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict | list):
                found |= _roles(kid, depth + 1)
    return found


def _assert_tagged(pdf: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "zh-CN"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert {"/Document", "/H1", "/P", "/Table", "/TD"} <= _roles(catalog["/StructTreeRoot"])
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # PDF/UA-1 is declared
    return reader


def test_every_letter_and_print_file_is_a_tagged_pdf_with_its_title_and_language(demo):
    _desk, files, run = demo
    for f in files:
        reader = _assert_tagged(f.pdf)
        assert reader.metadata.title == f"{f.letter.title} {f.letter.doc_no}"
    for pdf in run.combined.values():
        _assert_tagged(pdf)
