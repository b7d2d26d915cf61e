"""The demo site in a real headless Chromium: numbers render, search finds owners, the list sorts,
nothing is requested from outside the site, and the console stays clean."""
from __future__ import annotations

import os

import pytest

from generator.core.money import fmt_grouped
from tests.browser import Watched, axe_findings, browser, demo, needs_chromium, search  # noqa: F401 (browser, demo: fixtures)
from tests.sitebuild import ZENSICAL, serve

pytestmark = needs_chromium


def test_dashboard_and_unit_page_render_the_engine_numbers(demo, browser):
    desk, site = demo
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.goto(base + "index.html")
        assert w.page.text_content('[data-total="outstanding"]').strip() == fmt_grouped(desk.totals.outstanding)
        assert w.page.text_content('[data-total="paid"]').strip() == fmt_grouped(desk.totals.paid)
        unit = max((s for s in desk.units if s.in_arrears), key=lambda s: s.outstanding)
        w.page.goto(base + f"units/{unit.unit.id}.html")
        assert w.page.text_content('[data-unit="outstanding"]').strip() == fmt_grouped(unit.outstanding)
        assert w.page.text_content('[data-unit="late_fee"]').strip() == fmt_grouped(unit.late_fee)
        assert w.outside() == []
        assert w.errors == []


def test_search_finds_a_unit_by_owner_name_unit_number_and_phone(demo, browser):
    desk, site = demo
    unit = next(s for s in desk.units if s.in_arrears)
    owner = unit.unit.owners[0]
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.goto(base + "index.html")
        for query in (owner.name, unit.unit.id, owner.phone):
            search(w.page, query)
            link = w.page.locator(f".md-search-result__item a[href*='units/{unit.unit.id}.html']")
            link.first.wait_for(timeout=15000)
            w.page.keyboard.press("Escape")
        assert w.outside() == []
        assert w.errors == []


def test_search_for_a_unit_number_finds_that_unit_alone_and_a_phone_tail_finds_its_unit(demo, browser):
    desk, site = demo
    unit = next(s for s in desk.units if s.in_arrears)
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.goto(base + "index.html")
        search(w.page, unit.unit.id)
        items = w.page.locator(".md-search-result__item a")
        items.first.wait_for(timeout=15000)
        hrefs = {h.split("#")[0] for h in items.evaluate_all("els => els.map(e => e.getAttribute('href'))")}
        assert {h.removeprefix(base) for h in hrefs if "/units/" in h} == {f"units/{unit.unit.id}.html"}, hrefs
        assert not any("?h=" in h for h in hrefs)  # no highlight: the search words stay out of the address
        w.page.keyboard.press("Escape")
        search(w.page, unit.unit.owners[0].phone[-4:])
        w.page.locator(f".md-search-result__item a[href*='units/{unit.unit.id}.html']").first.wait_for(timeout=15000)
        hrefs = w.page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert not any("?h=" in h for h in hrefs)
        assert w.outside() == []
        assert w.errors == []


def test_search_works_from_the_file_system_too(demo, browser):
    desk, site = demo
    unit = next(s for s in desk.units if s.in_arrears)
    w = Watched(browser, "file://")
    w.page.goto((site / "index.html").as_uri())
    search(w.page, unit.unit.owners[0].name)
    w.page.locator(f".md-search-result__item a[href*='units/{unit.unit.id}.html']").first.wait_for(timeout=15000)
    assert [u for u in w.requests if not u.startswith("file://")] == []


def test_arrears_list_sorts_by_amount_when_the_header_is_clicked(demo, browser):
    desk, site = demo
    amounts = sorted(s.outstanding for s in desk.units if s.in_arrears)
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.goto(base + "arrears.html")
        header = w.page.locator("#arrears-table th", has_text="欠费（元）")
        header.click()
        first = w.page.locator("#arrears-table tbody tr").first.locator("td").nth(2).text_content()
        assert first.strip() == fmt_grouped(amounts[0])
        header.click()
        first = w.page.locator("#arrears-table tbody tr").first.locator("td").nth(2).text_content()
        assert first.strip() == fmt_grouped(amounts[-1])
        w.page.fill("input.cj-filter", desk.units[0].unit.id.split("-")[0] + "-")
        visible = w.page.locator("#arrears-table tbody tr:not([hidden])").count()
        assert 0 < visible <= len(amounts)
        assert w.outside() == []
        assert w.errors == []


# -- the pages rule 10 changed, on a hand-made community: accessible (axe-core) and readable on a phone ----------

CHANGED_PAGES = ["index.html", "arrears.html", "queue.html", "limitation.html", "units/A-1.html", "units/B-2.html", "units/C-3.html"]


@pytest.fixture(scope="module")
def v2(tmp_path_factory):
    from tests.sitebuild import limitation_site

    return limitation_site(tmp_path_factory.mktemp("v2-browser"))


@pytest.mark.parametrize("width", [390, 1280])
def test_changed_pages_have_no_serious_accessibility_findings_and_fit_the_screen(v2, demo, browser, width):
    _, site = v2
    _, demo_site = demo
    limited = max((s for s in demo[0].units if s.in_arrears), key=lambda s: (s.limitation.expired_amount, s.late_fee_barred))
    for folder, pages in ((site, CHANGED_PAGES), (demo_site, ["index.html", "limitation.html", f"units/{limited.unit.id}.html"])):
        with serve(folder) as base:
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            for name in pages:
                page.goto(base + name)
                assert axe_findings(page) == [], (name, width)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)  # no sideways scrolling
            page.close()
            assert errors == []


def test_a_chain_on_the_unit_page_leads_to_the_evidence_of_each_event(v2, browser):
    _, site = v2
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 390, "height": 700})
        page.goto(base + "units/A-1.html")
        link = page.locator("ul.cj-limits a", has_text="2024-03-01 催告").first
        link.click()
        target = page.locator("ol.cj-events li:target")
        assert target.count() == 1 and "录音 A" in target.text_content()
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < 700  # scrolled into view
        page.close()


# -- every page type of the demo, at phone and desktop widths (issue 14) -------------------------------------------

PAGE_TYPES = ["index.html", "arrears.html", "queue.html", "limitation.html", "complaints.html", "playbook/index.html", "playbook/stages.html",
              "playbook/tactics.html", "playbook/segments.html", "playbook/donts.html", "legal.html", "guide/index.html",
              "guide/excel.html", "guide/rules.html", "404.html"]


def _pages_of_every_type(desk) -> list[str]:
    busiest = max((s for s in desk.units if s.in_arrears), key=lambda s: (len(s.unit.contacts), s.unit.id))
    return PAGE_TYPES + [f"units/{busiest.unit.id}.html"]


@pytest.mark.parametrize("width", [360, 390, 414, 1280])
def test_no_page_scrolls_sideways_at_phone_and_desktop_widths(demo, browser, width):
    desk, site = demo
    with serve(site) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        wide = []
        for name in _pages_of_every_type(desk):
            page.goto(base + name)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wide.append(name)
            # a table wider than the screen scrolls inside a container the keyboard can reach
            unreachable = page.evaluate("""Array.from(document.querySelectorAll('table')).filter(t => {
                const box = t.parentElement.closest('.cj-table-wrap, section.cj-queue, .md-typeset__scrollwrap');
                return t.scrollWidth > (box || t.parentElement).clientWidth + 1 && !(box && box.tabIndex === 0);
            }).length""")
            assert unreachable == 0, (name, width)
        page.close()
        assert wide == []


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_type_has_no_serious_accessibility_finding(demo, browser, width):
    desk, site = demo
    with serve(site) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        findings = {}
        for name in _pages_of_every_type(desk):
            page.goto(base + name)
            findings[name] = axe_findings(page)
        page.goto(base + "index.html")  # the search dialog, open, with results
        if width < 1220:  # on a phone the header shows a search button, not the box
            page.click("label.md-header__button[for='__search']")
        search(page, desk.units[0].unit.id)
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        findings["search"] = axe_findings(page)
        page.close()
        assert {k: v for k, v in findings.items() if v} == {}


def test_arrears_list_filters_by_name_phone_tail_building_stage_and_limitation(demo, browser):
    desk, site = demo
    owed = [s for s in desk.units if s.in_arrears]
    unit = next(s for s in owed if s.unit.owners[0].phone)
    owner = unit.unit.owners[0]
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.goto(base + "arrears.html")

        def shown() -> set[str]:
            return set(w.page.locator("#arrears-table tbody tr:not([hidden]) td:first-child a").all_text_contents())

        box = w.page.locator(".cj-filters input[data-filter='find']")
        for typed in (owner.name, owner.phone[-4:], unit.unit.id):
            box.fill(typed)
            assert shown() == {s.unit.id for s in owed if any(typed in f"{s.unit.id} {o.name} {o.phone}" for o in s.unit.owners)}
            assert unit.unit.id in shown()
        box.fill("")
        w.page.select_option("select[data-filter='building']", unit.unit.building)
        assert shown() == {s.unit.id for s in owed if s.unit.building == unit.unit.building}
        w.page.select_option("select[data-filter='building']", "")
        stage = unit.stage.name
        w.page.select_option("select[data-filter='stage']", stage)
        assert shown() == {s.unit.id for s in owed if s.stage and s.stage.name == stage}
        w.page.select_option("select[data-filter='stage']", "")
        w.page.select_option("select[data-filter='limitation']", "expired")
        expired = {s.unit.id for s in owed if s.limitation.status == "expired"}
        assert expired and shown() == expired
        assert w.page.text_content("[data-filter-count]") == f"显示 {len(expired)} / {len(owed)} 行"
        assert w.outside() == []
        assert w.errors == []


def test_queue_filter_covers_every_group_and_copy_puts_the_reminder_on_the_clipboard(demo, browser):
    from generator.views.dashboard import queue

    desk, site = demo
    work = queue(desk)
    first = next(i.state for items in work.values() for i in items)
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 390, "height": 800}, permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(base + "queue.html")
        page.fill(".cj-filters input[data-filter='find']", first.unit.id)
        rows = page.locator(".cj-queue tbody tr:not([hidden])")
        listed = sum(1 for items in work.values() for i in items if first.unit.id in i.state.unit.id)
        assert rows.count() == listed
        phone = first.unit.owners[0].phone
        if phone:
            assert rows.first.locator("a.cj-tel").first.get_attribute("href") == "tel:" + phone
        message = rows.first.locator("details.cj-msg")
        message.locator("summary").click()
        message.locator("button.cj-copy").click()
        page.wait_for_function("document.querySelector('.cj-queue tbody tr:not([hidden]) button.cj-copy').textContent === '已复制'")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == message.locator("p").text_content() and len(copied) > 20
        context.close()


@pytest.fixture(scope="module")
def zensical_demo(demo):
    """The demo's work folder built by Zensical (the successor engine) instead of MkDocs."""
    import subprocess

    if ZENSICAL is None:
        pytest.skip("zensical not installed")
    desk, site = demo
    work = site.parent / "site-work"
    result = subprocess.run([ZENSICAL, "build", "--strict", "--clean", "-f", "mkdocs.yml"], capture_output=True, text=True,
                            cwd=work, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return desk, work / "site"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_zensical_build_is_as_accessible_and_fits_the_screen(zensical_demo, browser, width):
    desk, site = zensical_demo
    with serve(site) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        findings, wide = {}, []
        for name in ["index.html", "arrears.html", "queue.html", "legal.html", "playbook/tactics.html", "guide/excel.html",
                     _pages_of_every_type(desk)[-1]]:
            page.goto(base + name)
            findings[name] = axe_findings(page)
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wide.append(name)
        page.close()
        assert {k: v for k, v in findings.items() if v} == {}
        assert wide == []
