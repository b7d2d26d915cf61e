"""The portfolio's overview page in a real headless Chromium: no serious accessibility finding (axe-core), no
sideways scrolling on a phone, nothing requested from outside the site, no script error."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, axe_findings, needs_chromium
from tests.sitebuild import serve
from tests.support import DEMO_AS_OF, PROJECT

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The portfolio of the demo under three names, one of an earlier day (the overview's note about it shows)."""
    import dataclasses
    from datetime import date

    from generator import pipeline
    from generator.site.portfolio import build_portfolio
    from generator.views.portfolio import portfolio, summarise

    if not any((PROJECT / "owners").glob("*.yaml")):
        pytest.skip("demo community not present")
    desk = pipeline.desk_for(pipeline.check(PROJECT, DEMO_AS_OF, DEMO_AS_OF, use_cache=False), DEMO_AS_OF)
    demo = summarise(desk, "demo")
    earlier = pipeline.desk_for(pipeline.check(PROJECT, date(2026, 9, 30), DEMO_AS_OF, use_cache=False), date(2026, 9, 30))
    summaries = [demo, dataclasses.replace(demo, community="东区", name="桐荫花园东区"), summarise(earlier, "west")]
    out = tmp_path_factory.mktemp("portfolio-browser") / "portfolio"
    build_portfolio(portfolio(summaries), out)
    return out


@pytest.mark.parametrize("width", [390, 1280])
def test_the_overview_is_accessible_fits_the_screen_and_asks_nothing_outside(site, width):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p, serve(site) as base:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "index.html")
        assert page.text_content('[data-total="communities"]').strip() == "3"
        assert axe_findings(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # the ranking scrolls inside its box
        page.click("#ranking th:nth-child(2)")  # sort by name: the table's script runs
        assert errors == []
        assert [u for u in requests if not u.startswith((base, "data:", "blob:"))] == []
        browser.close()
