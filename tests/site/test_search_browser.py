"""Search in a real headless Chromium, as a committee member uses it: a name pasted without a key press
is searched, an input method's pinyin is not searched until a name is chosen, and an owner's full
name or a unit number puts that household's unit page first (site_templates/assets/javascripts/search-query.js)."""
from __future__ import annotations

import os
import re
import subprocess
from collections import Counter

import pytest

from tests.browser import Watched, browser, demo, needs_chromium, search  # noqa: F401 (browser, demo: fixtures)
from tests.sitebuild import ZENSICAL, serve

pytestmark = needs_chromium  # skipped where there is no Chromium; demo and browser: built for this module

PLACEHOLDER = "键入以开始搜索"  # Material's result line for an empty box

# Every query the page posts to the search worker, recorded under search-query.js's own wrapper.
RECORD_QUERIES = """
window.cjQueries = [];
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (m) {
  if (m && m.type === 2) window.cjQueries.push(m.data);
  return post.apply(this, arguments);
};
"""


def open_search(w: Watched, base: str) -> None:
    """The dashboard with the search box focused and the search worker ready."""
    w.page.goto(base + "index.html" if base.startswith("http") else base)
    w.page.locator("input.md-search__input").click()
    w.page.wait_for_function("t => document.querySelector('.md-search-result__meta').textContent.includes(t)", arg=PLACEHOLDER, timeout=15000)


def result_pages(page) -> list[str]:
    """The pages of the results shown, best first, as paths in the site (units/1-1-302.html); the page open is the dashboard."""
    page.wait_for_function("t => !document.querySelector('.md-search-result__meta').textContent.includes(t)", arg=PLACEHOLDER, timeout=15000)
    return page.locator(".md-search-result__item > a:first-child").evaluate_all(
        "els => els.map(e => e.href.split('#')[0].slice(new URL('.', location.href).href.length))")


def clear(page) -> None:
    page.locator("input.md-search__input").fill("")
    page.wait_for_function("t => document.querySelector('.md-search-result__meta').textContent.includes(t)", arg=PLACEHOLDER, timeout=15000)


def shared_surname_owners(desk, count: int = 6):
    """Owners with three-character names whose first character other owners' names share, one per
    surname, the most shared first: a search for one of them lists the others' units too."""
    people = [(o.name, s.unit.id) for s in desk.units for o in s.unit.owners]
    by_surname = Counter(name[0] for name, _ in people)
    chosen: dict[str, tuple[str, str]] = {}
    for name, unit in sorted(people, key=lambda p: (-by_surname[p[0][0]], p)):
        if len(name) == 3 and by_surname[name[0]] >= 3 and name[0] not in chosen:
            chosen[name[0]] = (name, unit)
    return list(chosen.values())[:count]


def test_a_name_pasted_without_a_key_press_is_searched(demo, browser):
    """Ctrl+V held down pastes on the key press and sends no keyup, as a paste from the mouse's menu sends
    none; text inserted with no key at all (an input method's commit, dictation) is searched too."""
    desk, site = demo
    (name, unit), (other, other_unit) = shared_surname_owners(desk, 2)
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        open_search(w, base)
        w.page.evaluate("t => navigator.clipboard.writeText(t)", name)
        w.page.keyboard.down("Control")
        w.page.keyboard.down("v")
        assert w.page.locator("input.md-search__input").input_value() == name
        assert result_pages(w.page)[0] == f"units/{unit}.html"
        w.page.keyboard.up("v")
        w.page.keyboard.up("Control")
        clear(w.page)
        w.page.keyboard.insert_text(other)
        assert result_pages(w.page)[0] == f"units/{other_unit}.html"
        assert w.errors == []


def test_an_input_method_is_searched_once_when_a_name_is_chosen_not_on_each_pinyin_letter(demo, browser):
    """Typing "xushuzhen" with a pinyin input method: each key is a composition update with its keyup
    (CDP Input.imeSetComposition); choosing the name commits it (Input.insertText ends the composition)."""
    desk, site = demo
    name, unit = shared_surname_owners(desk, 1)[0]
    with serve(site) as base:
        w = Watched(browser, base)
        w.page.add_init_script(RECORD_QUERIES)
        open_search(w, base)
        cdp = w.page.context.new_cdp_session(w.page)
        before = w.page.evaluate("cjQueries.length")
        typed = ""
        for letter in "xushuzhen":
            typed += letter
            key = {"code": f"Key{letter.upper()}", "windowsVirtualKeyCode": 229}
            cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", "key": "Process", **key})
            cdp.send("Input.imeSetComposition", {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": letter, **key})
        assert w.page.locator("input.md-search__input").input_value() == "xushuzhen"
        w.page.wait_for_timeout(500)  # a search would have been posted by now
        assert w.page.evaluate("q => cjQueries.slice(q)", before) == []
        assert PLACEHOLDER in w.page.text_content(".md-search-result__meta")
        cdp.send("Input.insertText", {"text": name})
        assert result_pages(w.page)[0] == f"units/{unit}.html"
        assert w.page.evaluate("q => cjQueries.slice(q)", before) == [name]
        assert w.errors == []


def test_an_owners_full_name_or_unit_number_puts_that_households_unit_page_first(demo, browser):
    desk, site = demo
    owners = shared_surname_owners(desk)
    assert len(owners) == 6
    with serve(site) as base:
        w = Watched(browser, base)
        open_search(w, base)
        for name, unit in owners:
            search(w.page, name)
            pages = result_pages(w.page)
            assert pages[0] == f"units/{unit}.html", (name, pages)
            assert len([p for p in pages if p.startswith("units/")]) >= 3, (name, pages)  # others share the surname
            clear(w.page)
            search(w.page, unit)
            assert result_pages(w.page)[0] == f"units/{unit}.html", unit
            clear(w.page)
        assert w.outside() == []
        assert w.errors == []


def test_a_stage_name_on_the_unit_cards_moves_no_unit_page_first(demo, browser):
    """The stage ends each unit's card but names no household: its search leads with the playbook."""
    desk, site = demo
    stages = sorted({s.stage.name for s in desk.units if s.stage and s.in_arrears})
    assert len(stages) >= 3
    with serve(site) as base:
        w = Watched(browser, base)
        open_search(w, base)
        for stage in stages:
            search(w.page, stage)
            pages = result_pages(w.page)
            assert not pages[0].startswith("units/"), (stage, pages[:3])
            clear(w.page)
        assert w.errors == []

def test_a_name_ranks_its_unit_page_first_from_the_file_system_too(demo, browser):
    """From file:// the worker is the iframe shim (assets/vendor/iframe-worker-shim.js), not a Worker."""
    desk, site = demo
    name, unit = shared_surname_owners(desk, 1)[0]
    w = Watched(browser, "file://")
    open_search(w, (site / "index.html").as_uri())
    search(w.page, name)
    assert result_pages(w.page)[0] == f"units/{unit}.html"
    assert w.errors == []


@pytest.mark.skipif(ZENSICAL is None, reason="zensical not installed")
def test_zensicals_own_search_dialog_finds_a_pasted_name_and_ranks_its_unit_page_first(demo, browser):
    """Zensical 0.0.73 shows its own search dialog (in a shadow root, with its own worker and index),
    which search-query.js does not touch: it reads its box on every input event and puts an exact name
    or unit number first by itself. (It also searches each pinyin letter while an input method
    composes: Material's box does not, Zensical's is left as it is.)"""
    from playwright.sync_api import expect

    desk, site = demo
    work = site.parent / "site-work"
    built = subprocess.run([ZENSICAL, "build", "--strict", "--clean", "-f", "mkdocs.yml"], check=False, capture_output=True, text=True,
                           cwd=work, env={**os.environ, "NO_COLOR": "1"})
    assert built.returncode == 0, built.stdout + built.stderr
    with serve(work / "site") as base:
        w = Watched(browser, base)
        w.page.goto(base + "index.html")
        w.page.keyboard.press("/")
        box = w.page.locator("input[aria-controls]")
        first = w.page.locator(f"#{box.get_attribute('aria-controls')} a").first
        owners = shared_surname_owners(desk, 3)
        # each query's unit differs from the one before, so each wait is for the new results
        for query, unit in [(name, unit) for name, unit in owners] + [(unit, unit) for _, unit in owners]:
            box.fill("")
            w.page.keyboard.insert_text(query)  # no key press, as a paste from the mouse's menu
            expect(first).to_have_attribute("href", re.compile(rf"units/{re.escape(unit)}\.html(#|$)"))
        assert w.outside() == []
        assert w.errors == []
