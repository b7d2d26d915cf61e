"""Receipts (收据): what each payment settled under rule 4, read back from the PDFs; the month's batch and its manifest."""
from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.content.legal import load_legal
from generator.printing.print_run import receipt_folder, render_receipts
from generator.printing.receipts import parse_month, plan_receipts
from tests.community import Community, fee

MARCH = (2026, 3)
AS_OF = date(2026, 3, 31)
HOSTILE = "<img src=file:///etc/passwd>"
CREDITOR = "示例物业服务有限公司"


def text_of(pdf: bytes) -> str:
    """The PDF's text as a reader would copy it, whitespace removed (CJK lines break anywhere)."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def _community(root: Path) -> Community:
    """230.00 a month (2.30 x 100 m²), due on the 15th, billed from 2026-01-01; a separate creditor with an authorisation.

    - 1-1-101 (two owners, one named like an HTML tag): 500.00 on 03-20 settles January and February
      (230.00 each) and 40.00 of March; 100.00 and 50.00 on 03-25 (no receipt number) settle March further;
      an April payment is in no March receipt;
    - 1-1-102: 1000.00 on 03-10 settles January, February and the March bill (issued 03-01, not yet due), 310.00 prepaid;
    - 1-1-103: 230.00 on 03-20 for 2026-02 settles February, though January and 300.00 of barred opening
      arrears are older;
    - 1-1-104: 300.00 of opening arrears due 2020-06-15 (barred since 2023-06-15); 1000.00 on 03-20 settles
      the three bills in time first (690.00), then the barred 300.00; 10.00 prepaid.
    """
    c = Community(root, fees=[fee(rate="2.30")], creditor={"name": CREDITOR},
                  authorisations=[{"from": "2025-01-01", "document": "授权委托书 2025-001"}])
    for unit in ("1-1-101", "1-1-102"):
        c.unit(unit, billing_start="2026-01-01")
    for unit in ("1-1-103", "1-1-104"):
        c.unit(unit, billing_start="2026-01-01", opening={"amount": "300.00", "due": "2020-06-15"})
    c.units["1-1-101"]["owners"] = [{"name": "王丽"}, {"name": HOSTILE}]
    c.payment("1-1-101", "2026-03-20", "500.00", receipt="R2026-0001")
    c.payment("1-1-101", "2026-03-25", "100.00")
    c.payment("1-1-101", "2026-03-25", "50.00", method="cash")
    c.payment("1-1-101", "2026-04-02", "40.00")
    c.payment("1-1-102", "2026-03-10", "1000.00", method="bank", receipt="R2026-0002")
    c.payment("1-1-103", "2026-03-20", "230.00", receipt="R2026-0003", **{"for": ["2026-02"]})
    c.payment("1-1-104", "2026-03-20", "1000.00", receipt="R2026-0004")
    return c


@pytest.fixture(scope="module")
def receipts_cache(tmp_path_factory) -> Path:
    """One cache for the module: the font subset is cut once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def march(tmp_path_factory, receipts_cache):
    """The March receipts of the community above, as of 2026-03-31: (ledger, plan, run, folder, root, cache)."""
    base = tmp_path_factory.mktemp("receipts")
    c = _community(base / "c")
    checked = c.checked(AS_OF)
    assert not checked.errors, [p.render() for p in checked.errors]
    cache = receipts_cache
    run = render_receipts(checked.ledger, MARCH, AS_OF, c.root, cache, workers=1)
    letters = plan_receipts(checked.ledger, MARCH, AS_OF, load_legal(c.root))
    return checked.ledger, letters, run, receipt_folder(checked.ledger, MARCH, AS_OF, run), c.root, cache


def _receipt(march, number: str):
    _ledger, letters, run, _folder, _root, _cache = march
    [letter] = [l for l in letters if l.context["receipt_no"] == number]
    [rendered] = [f for f in run.files if f.letter.doc_no == letter.doc_no]
    return letter, text_of(rendered.pdf)


def _settled(letter) -> list[tuple[str, str, str, str]]:
    return [(l.period, str(l.amount), str(l.settled), str(l.unpaid)) for l in letter.context["lines"]]


def test_a_payment_of_500_settles_two_months_and_40_of_the_third(march):
    letter, text = _receipt(march, "R2026-0001")
    assert _settled(letter) == [("2026-01", "230.00", "230.00", "0.00"), ("2026-02", "230.00", "230.00", "0.00"),
                                ("2026-03", "230.00", "40.00", "190.00")]
    assert letter.context["prepaid"] == Decimal("0.00") and letter.context["outstanding"] == Decimal("190.00")
    assert "收据号：R2026-0001" in text and "收款日期2026年3月20日" in text and "测试花园1-1-101" in text
    assert "金额（小写）人民币500.00元" in text and "金额（大写）人民币伍佰元整" in text and "缴费方式微信" in text
    assert "物业服务费2026-012026-01-15230.00230.000.00" in text
    assert "物业服务费2026-022026-02-15230.00230.000.00" in text
    assert "物业服务费2026-032026-03-15230.0040.00190.00" in text
    assert "冲抵合计500.00" in text
    assert "缴费后尚未缴清的费用（截至2026年3月20日）" in text and "逾期未缴190.00元" in text
    assert "交款人未指明所缴的是哪一期" in text and "第五百六十条" in text
    assert letter.total == Decimal("500.00")


def test_the_payer_and_the_creditor_and_the_issuer_who_collects_for_it(march):
    _letter, text = _receipt(march, "R2026-0001")
    assert f"交款人王丽、{HOSTILE.replace(' ', '')}（业主）" in text  # a name that looks like HTML is printed as typed
    assert f"收款单位{CREDITOR}（测试花园业主委员会代收，依据授权委托书2025-001，2025年1月1日起有效）" in text
    assert "开具单位：测试花园业主委员会" in text and "收款人（签字）：" in text and "（盖章处）" in text


def test_payments_without_a_receipt_number_get_stable_numbers_by_their_place_that_day(march):
    _ledger, letters, _run, _folder, _root, _cache = march
    unit_101 = [(l.doc_no, l.context["receipt_no"], str(l.total)) for l in letters if l.unit == "1-1-101"]
    assert unit_101 == [
        ("SJ-20260320-1-1-101-1", "R2026-0001", "500.00"),
        ("SJ-20260325-1-1-101-1", "SJ-20260325-1-1-101-1", "100.00"),
        ("SJ-20260325-1-1-101-2", "SJ-20260325-1-1-101-2", "50.00"),  # the second that day, in load order
    ]  # the April payment is in no March receipt
    hundred, text = _receipt(march, "SJ-20260325-1-1-101-1")
    assert _settled(hundred) == [("2026-03", "230.00", "100.00", "90.00")]
    assert "收据号：SJ-20260325-1-1-101-1" in text and "人民币壹佰元整" in text
    fifty, text = _receipt(march, "SJ-20260325-1-1-101-2")
    assert _settled(fifty) == [("2026-03", "230.00", "50.00", "40.00")]  # after the 100.00 of the same day
    assert "缴费方式现金" in text and "人民币伍拾元整" in text and "逾期未缴40.00元" in text


def test_what_a_payment_did_not_settle_is_prepaid_and_settles_bills_not_yet_due_last(march):
    letter, text = _receipt(march, "R2026-0002")
    # the March bill exists from 03-01 and is due 03-15: a payment on 03-10 settles it after the overdue ones
    assert _settled(letter) == [("2026-01", "230.00", "230.00", "0.00"), ("2026-02", "230.00", "230.00", "0.00"),
                                ("2026-03", "230.00", "230.00", "0.00")]
    assert letter.context["prepaid"] == Decimal("310.00") and letter.context["credit"] == Decimal("310.00")
    assert "收款事由物业服务费；预交款" in text and "预交款（自动冲抵以后的账单）310.00" in text
    assert "已出账的费用全部缴清；预交余额310.00元" in text and "人民币壹仟元整" in text and "缴费方式银行转账" in text


def test_a_designated_payment_settles_the_month_the_payer_named_before_older_ones(march):
    letter, text = _receipt(march, "R2026-0003")
    assert _settled(letter) == [("2026-02", "230.00", "230.00", "0.00")]
    owed = [(o.period, str(o.unpaid), o.overdue, o.barred) for o in letter.context["owed"]]
    assert owed == [("2020-06前", "300.00", True, True), ("2026-01", "230.00", True, False), ("2026-03", "230.00", True, False)]
    assert "（交款人指明：2026-02）" in text and "先冲抵交款人指明的2026-02，其余" in text
    assert "期初欠费2020-06前2020-06-15300.00逾期未缴（已过诉讼时效）" in text
    assert "物业服务费2026-012026-01-15230.00逾期未缴物业服务费" in text
    assert "逾期未缴760.00元" in text


def test_a_barred_charge_is_settled_after_those_in_time_and_marked(march):
    letter, text = _receipt(march, "R2026-0004")
    assert _settled(letter) == [("2026-01", "230.00", "230.00", "0.00"), ("2026-02", "230.00", "230.00", "0.00"),
                                ("2026-03", "230.00", "230.00", "0.00"), ("2020-06前", "300.00", "300.00", "0.00")]
    assert [l.barred for l in letter.context["lines"]] == [False, False, False, True]
    assert letter.context["barred_paid"] == Decimal("300.00") and letter.context["prepaid"] == Decimal("10.00")
    assert "期初欠费※2020-06前2020-06-15300.00300.000.00" in text
    assert "标※的300.00元在缴费时已过诉讼时效" in text and "第一百九十二条第二款" in text
    assert "第一百九十二条" in text.split("法律依据：")[1]


def test_a_late_fee_payment_pays_the_late_fee_and_settles_no_bill(tmp_path, receipts_cache):
    """0.0003 a day: January's 230.00, due 01-15, paid 02-14, was 30 days late: 230.00 x 0.0003 x 30 = 2.07.
    February's bill was paid before it was due. A late-fee payment of 5.00 on 02-20 pays the 2.07; 2.93 is beyond it."""
    c = Community(tmp_path / "c", fees=[fee(rate="2.30")], late_fee={"daily_rate": "0.0003"})
    c.unit("2-1-101", billing_start="2026-01-01")
    c.payment("2-1-101", "2026-02-14", "460.00", receipt="R1")
    c.payment("2-1-101", "2026-02-20", "5.00", receipt="R2", **{"for": ["late_fee"]})
    checked = c.checked("2026-02-28")
    assert not checked.errors
    run = render_receipts(checked.ledger, (2026, 2), date(2026, 2, 28), c.root, receipts_cache, workers=1)
    first, late = run.files
    assert _settled(first.letter) == [("2026-01", "230.00", "230.00", "0.00"), ("2026-02", "230.00", "230.00", "0.00")]
    assert first.letter.context["late_fee"] == Decimal("2.07")
    assert "已出账的费用全部缴清，尚有违约金2.07元" in text_of(first.pdf)
    assert late.letter.context["lines"] == [] and late.letter.context["to_late_fee"] == Decimal("2.07")
    assert late.letter.context["late_fee"] == Decimal("0.00") and late.letter.context["credit"] == Decimal("0.00")
    text = text_of(late.pdf)
    assert "收款事由违约金（交款人指明：违约金）" in text and "人民币伍元整" in text
    assert "冲抵违约金2.07元，不冲抵物业费等本金。其中2.93元超出当日应付的违约金，不作为预交款" in text


# -- the batch ------------------------------------------------------------------------------------

def test_the_months_batch_is_one_print_file_listed_in_the_manifest(march):
    _ledger, _letters, run, folder, _root, _cache = march
    manifest = json.loads(folder["manifest.json"])
    assert (manifest["month"], manifest["as_of"], manifest["creditor"]) == ("2026-03", "2026-03-31", CREDITOR)
    assert [(e["doc_no"], e["receipt"], e["date"], e["total"]) for e in manifest["letters"]] == [
        ("SJ-20260310-1-1-102-1", "R2026-0002", "2026-03-10", "1000.00"),
        ("SJ-20260320-1-1-101-1", "R2026-0001", "2026-03-20", "500.00"),
        ("SJ-20260320-1-1-103-1", "R2026-0003", "2026-03-20", "230.00"),
        ("SJ-20260320-1-1-104-1", "R2026-0004", "2026-03-20", "1000.00"),
        ("SJ-20260325-1-1-101-1", None, "2026-03-25", "100.00"),
        ("SJ-20260325-1-1-101-2", None, "2026-03-25", "50.00"),
    ]
    for entry in manifest["letters"]:
        assert entry["type"] == "receipt" and entry["file"] == f"receipt/{entry['doc_no']}.pdf"
        assert hashlib.sha256(folder[entry["file"]]).hexdigest() == entry["sha256"]
    [combined] = manifest["combined"]
    assert (combined["file"], combined["letters"], combined["title"]) == ("print/receipt-all.pdf", 6, "收据")
    pages = PdfReader(io.BytesIO(folder["print/receipt-all.pdf"])).pages
    assert len(pages) == sum(f.pages for f in run.files) == 6  # one page each
    assert "收据号：R2026-0002" in re.sub(r"\s+", "", pages[0].extract_text())


def test_same_data_and_as_of_give_the_same_bytes_and_a_later_day_leaves_a_receipt_unchanged(march, tmp_path):
    ledger, _letters, run, folder, root, cache = march
    fresh = tmp_path / "fresh"
    shutil.copytree(cache / "fonts", fresh / "fonts")  # the font subset is cut once; every receipt is laid out again
    again = render_receipts(ledger, MARCH, AS_OF, root, fresh, workers=1)
    assert receipt_folder(ledger, MARCH, AS_OF, again) == folder
    later = render_receipts(ledger, MARCH, date(2026, 4, 30), root, fresh, workers=1)  # the April payment is recorded by then
    assert [(f.letter.file, f.sha256) for f in later.files] == [(f.letter.file, f.sha256) for f in run.files]


def test_only_the_months_payments_up_to_the_as_of_day(march):
    ledger = march[0]
    assert [l.context["receipt_no"] for l in plan_receipts(ledger, MARCH, date(2026, 3, 20))] == [
        "R2026-0002", "R2026-0001", "R2026-0003", "R2026-0004"]
    assert [str(l.total) for l in plan_receipts(ledger, (2026, 4), date(2026, 4, 30))] == ["40.00"]
    assert plan_receipts(ledger, (2026, 2), AS_OF) == []


# -- what a PDF holds -----------------------------------------------------------------------------

def test_the_cjk_font_is_embedded_and_no_data_becomes_markup(march):
    _ledger, _letters, run, _folder, _root, _cache = march
    for f in run.files:
        for page in PdfReader(io.BytesIO(f.pdf)).pages:
            fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
            assert fonts
            for font in fonts:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        assert b"/Subtype /Image" not in f.pdf and b"/Subtype/Image" not in f.pdf
        assert "root:x:0:0" not in text_of(f.pdf)


def test_a_month_is_written_as_yyyy_mm():
    assert [parse_month(t) for t in ("2026-11", "2026-1", "2026年11月", " 2026-03 ")] == [(2026, 11), (2026, 1), (2026, 11), (2026, 3)]
    assert [parse_month(t) for t in ("2026-13", "2026", "11-2026", "２０２６-11", "2026-11-01", "")] == [None] * 6


# -- the command ----------------------------------------------------------------------------------

def test_the_receipts_command_writes_the_months_folder(tmp_path, cuijiao):
    c = _community(tmp_path / "c")
    root = c.write()
    out = tmp_path / "out"
    result = cuijiao("receipts", "--month", "2026-03", "--out", str(out), root=root, as_of="2026-03-31")
    assert result.returncode == 0, result.stderr
    assert "2026年3月（截至2026-03-31）共6张" in result.stdout.replace(" ", "")
    folder = out / "receipts-2026-03"
    assert (folder / "print" / "receipt-all.pdf").is_file() and (folder / "receipt" / "SJ-20260320-1-1-101-1.pdf").is_file()
    assert len(json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["letters"]) == 6
    wrong = cuijiao("receipts", "--month", "2026-13", "--out", str(out), root=root, as_of="2026-03-31")
    assert wrong.returncode == 2 and "“2026-13”不是月份，请写成 YYYY-MM" in wrong.stderr


def test_a_kind_of_several_batches_prints_its_letters_joined_and_paints_no_page_twice(march, tmp_path, monkeypatch):
    """Six receipts in batches of four: the print file is the six receipts' own PDFs in order; only a kind of
    one batch is also written as one combined PDF (every page painted a second time)."""
    from generator.printing import pdf, print_run

    ledger, _letters, one_batch, _folder, root, _cache = march
    asked = []
    real = pdf.render_sections

    def recording(head, sections, base_url, allowed, combine=True):
        asked.append((len(sections), combine))
        return real(head, sections, base_url, allowed, combine)

    monkeypatch.setattr(print_run, "CHUNK", 4)
    monkeypatch.setattr(print_run, "render_sections", recording)
    shutil.copytree(_cache / "fonts", tmp_path / "cache" / "fonts")  # the font subset, not the letters
    run = render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    assert asked == [(4, False), (2, False)]
    assert [text_of(f.pdf) for f in run.files] == [text_of(f.pdf) for f in one_batch.files]  # the same receipts
    pages = PdfReader(io.BytesIO(run.combined["receipt"])).pages
    assert len(pages) == 6
    texts = [re.sub(r"\s+", "", p.extract_text()) for p in pages]
    assert texts == [re.sub(r"\s+", "", PdfReader(io.BytesIO(f.pdf)).pages[0].extract_text()) for f in run.files]


def test_the_print_file_of_a_kind_of_several_batches_is_joined_once_and_then_taken_from_the_cache(march, tmp_path, monkeypatch):
    """Joining every letter again (pypdf reads each one) was nearly all of a run whose letters were all cached."""
    from generator.printing import print_run

    ledger, _letters, _one_batch, _folder, root, _cache = march
    monkeypatch.setattr(print_run, "CHUNK", 4)
    shutil.copytree(_cache / "fonts", tmp_path / "cache" / "fonts")
    joins = []
    real = print_run._join
    monkeypatch.setattr(print_run, "_join", lambda pdfs: (joins.append(len(pdfs)), real(pdfs))[1])
    first = render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    again = render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    assert joins == [6]  # the second run takes the print file the first one joined
    assert again.combined["receipt"] == first.combined["receipt"]
    assert [f.pdf for f in again.files] == [f.pdf for f in first.files]


def test_only_the_latest_print_file_of_a_kind_is_kept_in_the_cache(march, tmp_path, monkeypatch):
    """Each is megabytes and each day's letters make a new one: the kind's older ones go, nothing else does."""
    from generator.printing import print_run

    ledger, _letters, _one_batch, _folder, root, _cache = march
    monkeypatch.setattr(print_run, "CHUNK", 4)
    shutil.copytree(_cache / "fonts", tmp_path / "cache" / "fonts")
    render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    letters = tmp_path / "cache" / "letter-cache"
    first = sorted(p.name for p in letters.glob("joined-*"))
    assert len(first) == 1
    stale = letters / (first[0][:-64] + "0" * 64)  # another print file of the same kind
    stale.write_bytes(b"old")
    other = letters / "joined-notes.txt"
    other.write_bytes(b"not ours")
    (letters / first[0]).unlink()  # joined again, as after a new day's letters
    render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    assert sorted(p.name for p in letters.glob("joined-*")) == sorted([first[0], "joined-notes.txt"])
    assert other.read_bytes() == b"not ours"


def test_a_letter_planted_in_the_cache_never_reaches_the_print_run(march, tmp_path):
    """The work folder may be a CI cache someone else wrote: a file under a letter's name that this user's key did
    not sign, or a link to a file of the machine, is laid out again instead of used."""
    ledger, _letters, _one_batch, _folder, root, _cache = march
    shutil.copytree(_cache / "fonts", tmp_path / "cache" / "fonts")
    first = render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    kept = tmp_path / "cache" / "letter-cache"
    letters = sorted(p for p in kept.iterdir() if re.fullmatch(r"[0-9a-f]{64}", p.name))
    assert len(letters) == 6
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"PRIVATE KEY")
    letters[0].write_bytes(b"\0" * 36 + first.files[1].pdf)  # another receipt, unsigned
    letters[1].unlink()
    letters[1].symlink_to(secret)
    again = render_receipts(ledger, MARCH, AS_OF, root, tmp_path / "cache", workers=1)
    assert [text_of(f.pdf) for f in again.files] == [text_of(f.pdf) for f in first.files]
    assert all(b"PRIVATE KEY" not in f.pdf for f in again.files) and secret.read_bytes() == b"PRIVATE KEY"
    assert not letters[1].is_symlink()  # the link was replaced by the letter, its target untouched
