"""PDF letters: read back, compared with the engine's numbers; fonts, reproducibility, hostile data."""
from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.dates import next_workday
from generator.money import fmt_grouped, to_capitals
from generator.pdf import FetchRefused, url_fetcher_for
from generator.print_run import letter_folder, render_letters
from tests.community import Community, fee, stage

PROJECT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 22)
DUNNING = [
    stage("reminder", 1, ["sms"]),
    stage("notice", 30, ["letter"], letter="notice", wait_days=7),
    stage("lawyer", 90, ["lawyer_letter"], letter="lawyer", deadline_days=14, requires={"notice": 1}),
    stage("legal", 180, ["court"], requires={"lawyer": 1}),
]


def text_of(pdf: bytes) -> str:
    """The PDF's text as a reader would copy it, whitespace removed (CJK line breaks fall anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def money_text(amount: Decimal) -> str:
    return fmt_grouped(amount)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One cache for the session: the font subset is cut once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def demo(cache_dir):
    if not (PROJECT / "owners").is_dir():
        pytest.skip("no demo community")
    checked = pipeline.check(PROJECT, AS_OF, AS_OF, use_cache=False)
    assert not checked.errors
    desk = pipeline.desk_for(checked, AS_OF)
    run = render_letters(desk, PROJECT, cache_dir)
    return desk, run.files, run


def by_kind(files, kind):
    return [f for f in files if f.letter.kind == kind]


def state_of(desk, unit):
    return next(s for s in desk.units if s.unit.id == unit)


# -- content matches the engine -------------------------------------------------

@pytest.mark.parametrize("kind", ["notice", "lawyer", "statement"])
def test_dunning_letters_print_the_engines_amounts_capitals_deadline_and_owners(demo, kind):
    desk, files, _run = demo
    letters = by_kind(files, kind)
    assert letters, f"the demo has no {kind} letter"
    for f in letters:
        state = state_of(desk, f.letter.unit)
        text = text_of(f.pdf)
        total = state.outstanding + state.late_fee
        assert f.letter.total == total
        assert money_text(state.outstanding) in text
        assert money_text(total) in text
        assert to_capitals(total) in text
        deadline = f.letter.context["deadline"]
        assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text
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
    }
    made = {(f.letter.unit, f.letter.kind) for f in files if f.letter.kind in ("notice", "lawyer")}
    assert made == expected
    assert {"notice", "lawyer"} <= {kind for _unit, kind in made}


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
    for f in by_kind(files, "evidence"):
        text = text_of(f.pdf)
        assert "证据目录" in text and "欠费明细对账单" in text
        for contact in f.letter.context["contacts_with_evidence"]:
            assert re.sub(r"\s+", "", contact.evidence) in text


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


def test_cli_builds_letters_and_keeps_unchanged_files(tmp_path):
    root = _arrears_community(tmp_path / "c").write()
    out = tmp_path / "out"
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "generator", "--root", str(root), "--as-of", "2026-11-22", "letters", "--out", str(out)],
        capture_output=True, text=True,
    )
    first = run()
    assert first.returncode == 0, first.stderr
    manifest = json.loads((out / "letters" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["type"] for e in manifest["letters"]} >= {"notice", "statement", "board"}
    second = run()
    assert second.returncode == 0 and "更新 0 个文件" in second.stdout


# -- deadlines ------------------------------------------------------------------

def test_deadline_on_a_weekend_or_holiday_moves_to_the_next_working_day():
    assert next_workday(date(2026, 11, 29)) == (date(2026, 11, 30), True)  # Sunday
    assert next_workday(date(2026, 10, 1)) == (date(2026, 10, 8), True)  # 国庆 1-7 October 2026
    assert next_workday(date(2026, 11, 23)) == (date(2026, 11, 23), True)  # a Monday stays
    day, official = next_workday(date(2031, 10, 1))  # beyond the holiday calendar: fixed holidays and weekends
    assert day == date(2031, 10, 6) and official is False  # Wed 1 - Fri 3 holidays, then the weekend


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
            assert "900.00元欠费已超过诉讼时效" in text
            suable = state.outstanding - Decimal("900.00")
            assert f"尚在诉讼时效期间内的欠费（{money_text(suable)}元）" in text or f"欠费{money_text(suable)}元" in text


def test_no_suit_is_threatened_when_everything_is_time_barred(tmp_path, cache_dir):
    c = Community(tmp_path / "c", fees=[fee(rate="2.00", cycle=3, until="2019-12-31")], dunning=DUNNING)
    c.unit("1-1-101", billing_start="2019-01-01")
    desk = c.desk(AS_OF)
    files = render_letters(desk, c.root, cache_dir, workers=1).files
    dunning = [f for f in files if f.letter.kind in ("notice", "lawyer")]
    assert dunning
    for f in dunning:
        text = text_of(f.pdf)
        assert "提起诉讼" not in text.replace("不就此提起诉讼", "").replace("不会就这部分起诉", "")


def test_a_stage_letter_without_a_template_is_a_clear_error(tmp_path):
    dunning = [stage("final", 1, ["letter"], letter="final_notice", wait_days=7)]
    c = Community(tmp_path / "c", fees=[fee(rate="2.00")], dunning=dunning)
    c.unit("1-1-101", billing_start="2026-01-01")
    root = c.write()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "--as-of", "2026-11-22", "letters", "--out", str(tmp_path / "o")],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "letters/final_notice.html.j2" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o" / "letters").exists()


def test_no_cjk_font_fails_loudly_naming_the_package(tmp_path, monkeypatch):
    from generator import fonts

    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path / "none"),))
    with pytest.raises(fonts.NoCJKFont, match="fonts-noto-cjk"):
        fonts.letter_font(tmp_path / "cache")


def test_a_character_no_font_has_stops_the_build(tmp_path, cache_dir):
    from generator.print_run import LetterError

    c = _arrears_community(tmp_path / "c", owner="王\U00030000丽")  # CJK Extension G: in no installed font
    desk = c.desk(AS_OF)
    with pytest.raises(LetterError, match="字体无法显示"):
        render_letters(desk, c.root, cache_dir, workers=1)
