"""The complaints page (issue 16) on the hand-counted community of tests/views/test_complaints.py: its figures,
the dashboard's headline cards, the navigation, the chart's month axis; in Chromium, no serious axe-core
finding and no sideways scrolling on a phone."""
from __future__ import annotations

import re

import pytest

from generator.render.outputs import publish
from generator.site.build import SiteInputs, build_site
from generator.site.charts import complaint_points
from generator.views.complaints import CATEGORIES, complaints_view
from tests.browser import NO_CHROMIUM, axe_findings, browser  # noqa: F401 (browser: a fixture)
from tests.complaints import complaint_desk
from tests.sitebuild import serve


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("complaints-site")
    desk = complaint_desk(root / "community")
    out = root / "site"
    return desk, publish(out, lambda tmp: build_site(desk, SiteInputs(root / "community", root / "work"), tmp)).path


def _figure(page: str, key: str) -> str:
    match = re.search(rf'data-complaints="{key}"[^>]*>(?:<a [^>]*>)?([^<]*)<', page)
    assert match, key
    return match[1].strip()


def _table(page: str, table_id: str) -> list[str]:
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def test_the_complaints_page_shows_the_hand_counted_figures(site):
    _, out = site
    page = (out / "complaints.html").read_text(encoding="utf-8")
    assert _figure(page, "open") == "3"
    assert _figure(page, "overdue") == "1"
    assert _figure(page, "held_amount") == "3,400.00"
    assert _figure(page, "rate") == "40.00%"  # November: 2 units of 5
    assert _figure(page, "average_days") == "4.5"  # November: (8 + 1) / 2
    rows = _table(page, "complaints-open")
    assert [re.search(r"\d-\d-\d{3}", r)[0] for r in rows[1:]] == ["1-1-103", "1-1-101", "1-1-102"]
    assert "逾期 36 天" in rows[2] and "2026-10-08 师傅上门查看（张工）" in rows[2] and "2,200.00" in rows[2]
    assert "|噪音|" in rows[1] and "|停车|" in rows[3]


def test_what_the_owner_said_stays_text_on_the_page(site):
    _, out = site
    page = (out / "complaints.html").read_text(encoding="utf-8")
    assert "https://x.example" not in re.findall(r'href="([^"]*)"', page)
    assert "<b>" not in page.split('id="complaints-open"', 1)[1].split("</table>", 1)[0]


def test_the_dashboard_shows_the_headline_figures_and_links_the_page(site):
    _, out = site
    page = (out / "index.html").read_text(encoding="utf-8")
    assert _figure(page, "open") == "3 件 · 1 件承诺逾期"
    assert _figure(page, "held_amount") == "3,400.00"
    assert _figure(page, "rate") == "40.00%"
    tabs = page.split('class="md-tabs', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]*)"[^>]*>\s*([^<\s]*)', tabs)[3:5] == [("limitation.html", "诉讼时效预警"), ("complaints.html", "投诉与争议")]


def test_the_chart_puts_each_month_at_its_own_place_with_counts_by_category(site):
    desk, out = site
    xs, counts, labels = complaint_points(complaints_view(desk).months)
    assert xs == list(range(12)) and labels[0] == "2025-12" and labels[-1] == "2026-11"
    by_category = dict(zip(CATEGORIES, counts))
    assert by_category["repair"][10] == 1 and by_category["parking"][11] == 1 and by_category["cleaning"][3] == 1
    assert (out / "charts" / "complaints.svg").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.skipif(NO_CHROMIUM, reason="no Chromium")
@pytest.mark.parametrize("width", [390, 1280])
def test_the_complaints_page_is_accessible_and_fits_a_phone(site, browser, width):  # noqa: F811
    _, out = site
    with serve(out) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for name in ("complaints.html", "index.html"):
            page.goto(base + name)
            assert axe_findings(page) == [], (name, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        page.close()
