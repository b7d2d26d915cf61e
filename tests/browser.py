"""Helpers for the tests that open a site in a real headless Chromium (tests/site/*_browser.py and others).

Which Chromium: Debian's, else the one Playwright installs (``./run test`` does where the system has none);
``needs_chromium`` skips a module or test where there is neither. Fixtures (import them by name into the test
module, pytest then finds them there; ``scope="module"``: each module that uses one gets its own):
``browser`` (a launched Chromium) and ``demo`` (the demo community's site, built once, as ``(desk, folder)``).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.sitebuild import build
from tests.support import PROJECT


def system_chromium() -> str | None:
    """Debian's chromium; not Ubuntu's, which is only a wrapper that starts a snap (no snaps in containers)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path and "snap" not in Path(path).resolve().parts and b"snap" not in Path(path).read_bytes()[:200_000]:
            return path
    return None


def playwright_chromium() -> bool:
    """Playwright's own Chromium, which ./run test installs where the system has none."""
    home = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    return any(home.glob("chromium*"))


CHROMIUM = system_chromium()  # None: Playwright's own
NO_CHROMIUM = CHROMIUM is None and not playwright_chromium()
needs_chromium = pytest.mark.skipif(NO_CHROMIUM, reason="no Chromium: neither Debian's chromium nor Playwright's (./run test installs one)")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for the module (skipped where Playwright is not installed)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(desk, site folder) of the demo community on its day, built once for the module."""
    if not any((PROJECT / "owners").glob("*.yaml")):
        pytest.skip("demo community not present")
    out = tmp_path_factory.mktemp("browser") / "site"
    desk, _ = build(PROJECT, out)
    return desk, out


def search(page, query: str) -> None:
    """Type into Material's search box. Chinese arrives as one input event (as from an
    input method); the final key press is what makes Material read the box."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")


class Watched:
    """A page that records every request and every console error."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def outside(self) -> list[str]:
        """The requests that left the site (anything but its own address, data: and blob:)."""
        return [u for u in self.requests if not (u.startswith(self.base) or u.startswith("data:") or u.startswith("blob:") or u == "about:blank")]


def axe_findings(page) -> list[str]:
    """axe-core's serious and critical findings on the page (the axe-core that axe-playwright-python ships)."""
    axe = pytest.importorskip("axe_playwright_python")
    page.evaluate((Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
