"""The unit page's contact log shows a letter's proof of delivery (issue 15, item 7)."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

from generator import pipeline
from generator.site.build import SiteInputs, render
from tests.community import Community


def _unit_html(tmp_path) -> str:
    c = Community(tmp_path / "c", dunning=[{"id": "notice", "after_days": 30, "channels": ["registered_mail"], "letter": "notice"}])
    c.unit("1-1-101", billing_start="2026-01-01")
    c.contact("1-1-101", "2026-06-02", "registered_mail", "delivered", "EMS 底单", tracking="1100123456789",
              delivered_on="2026-06-04", document="TZ-20260601-1-1-101")
    c.contact("1-1-101", "2026-07-02", "visit", "delivered", "送达回执", delivered_on="2026-07-02")
    c.contact("1-1-101", "2026-08-02", "phone", "reached", "录音")
    checked = c.checked("2026-11-22")
    assert not checked.errors, [p.render() for p in checked.errors]
    desk = pipeline.desk_for(checked, date(2026, 11, 22))
    return render(desk, SiteInputs(c.root, tmp_path / "work")).details["cj-units/1-1-101.html"].decode("utf-8")


def _items(html: str, start: str) -> list[str]:
    """The text of each item of the list that starts with ``start``."""
    part = html[html.index(start):]
    part = part[:part.index("</ol>")]
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", li)).split()) for li in re.findall(r"<li[^>]*>(.*?)</li>", part, re.DOTALL)]


def test_each_contact_shows_the_document_the_tracking_number_and_the_delivery_day_it_has(tmp_path):
    rows = {row[:10]: row for row in _items(_unit_html(tmp_path), '<ol class="cj-timeline">')}
    assert "证据：EMS 底单 函件 TZ-20260601-1-1-101，单号 1100123456789，2026-06-04 送达" in rows["2026-06-02"]
    assert "证据：送达回执 2026-07-02 送达" in rows["2026-07-02"]
    assert "送达" not in rows["2026-08-02"] and "单号" not in rows["2026-08-02"]


def test_the_limitation_chain_cites_the_letter_and_its_delivery(tmp_path):
    events = _items(_unit_html(tmp_path), '<ol class="cj-events">')
    # sent 2026-06-02, delivered 2026-06-04: the demand counts from the day it arrived (诉讼时效规定第八条)
    assert "2026-06-04 催告 · 挂号信/EMS，已送达；证据：EMS 底单，函件 TZ-20260601-1-1-101，单号 1100123456789，2026-06-04 送达" in events
