"""Issue 16: a unit page shows the household's complaints and, apart, the periods an open complaint disputes."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

from generator.site.build import SiteInputs, render
from tests.community import Community, fixture_value
from tests.complaints import UNIT, complaint, with_complaints

DAY = date(2026, 3, 1)  # the unit, billed 200.00 a month from 2026-01, owes 2026-01 and 2026-02


def unit_page(tmp_path, complaints) -> str:
    c = Community(tmp_path / "c", dunning=fixture_value("dunning"))
    c.unit(UNIT)
    desk = with_complaints(c, DAY, {UNIT: complaints})
    return render(desk, SiteInputs(c.root, tmp_path / "work")).details[f"cj-units/{UNIT}.html"].decode("utf-8")


def text(html: str) -> str:
    return re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", html)))


def test_the_unit_page_lists_open_and_resolved_complaints_with_their_handler_and_state(tmp_path):
    page = unit_page(tmp_path, (
        complaint("2026-01-20", resolved="2026-02-01", resolution="已疏通下水道", confirmed="2026-02-02"),
        complaint("2026-02-10", category="parking", said="车位被占", owner="李队长", promised="2026-02-20"),
    ))
    shown = text(page)
    assert "投诉与异议" in shown
    assert "2026-02-10停车：“车位被占”·李队长负责未解决，已19天·承诺2026-02-20前解决，已逾期" in shown
    assert "2026-01-20维修：“楼上漏水”·王经理负责2026-02-01已解决：已疏通下水道·业主2026-02-02确认" in shown
    assert shown.index("车位被占") < shown.index("楼上漏水")  # newest first
    assert page.count('data-complaint="open"') == 1 and page.count('data-complaint="resolved"') == 1


def test_the_unit_page_shows_disputed_periods_apart_and_marks_their_charges(tmp_path):
    page = unit_page(tmp_path, (complaint("2026-02-10", category="fees", said="一月没人打扫", disputed=("2026-01",)),))
    shown = text(page)
    assert "业主对账期2026-01的费用有异议（投诉处理中）：涉及未付200.00元" in shown
    assert page.count("data-disputed") == 1
    assert "2026-01有异议" in shown and "2026-02有异议" not in shown


def test_a_unit_without_complaints_has_no_complaint_section(tmp_path):
    page = unit_page(tmp_path, ())
    assert "投诉与异议" not in text(page) and "data-disputed" not in page
