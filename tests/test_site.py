"""The generated site: complete, private, offline, reproducible, and inert to hostile data."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.money import fmt_grouped
from tests.sitebuild import DEMO_AS_OF, PROJECT, build

SPEC_POLICY = """\
community: 测试花园
issuer: {name: 测试花园业主委员会, address: 测试路1号, phone: "0571-00000000"}
payment_channels: [微信扫码]
fees:
  - {id: property, name: 物业服务费, basis: area, rate: "2.00", cycle: 3, due_day: 15}
late_fee: {daily_rate: "0.0003"}
dunning:
  - {id: reminder, name: 温馨提醒, after_days: 1, channels: [sms, wechat]}
  - {id: notice, name: 催缴通知书, after_days: 30, channels: [letter], letter: notice, wait_days: 7}
limitation: {years: 3, warn_days: 180}
"""

HOSTILE_OWNER = """\
unit: 1-1-101
type: 高层
area: "100.00"
billing_start: 2025-01-01
owners:
  - {name: "<script>alert(1)</script>", phone: "13800000000", address: "<img src=x onerror=alert(2)>"}
tags: ["**粗体**", "<b>tag</b>"]
contacts:
  - date: 2026-03-02
    channel: phone
    by: "[点我](javascript:alert(3))"
    outcome: refused
    evidence: "<iframe src=https://example.com>"
    note: "# 不是标题 <a href='https://evil.example'>链接</a> | 管道 | **加粗**"
"""


def make_community(root: Path, owner_text: str = HOSTILE_OWNER) -> Path:
    (root / "ledger").mkdir(parents=True)
    (root / "owners").mkdir()
    (root / "ledger" / "policy.yaml").write_text(SPEC_POLICY, encoding="utf-8")
    (root / "owners" / "1-1-101.yaml").write_text(owner_text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    if not (PROJECT / "owners").is_dir() or not any((PROJECT / "owners").glob("*.yaml")):
        pytest.skip("demo community not present")
    out = tmp_path_factory.mktemp("demo") / "site"
    desk, _ = build(PROJECT, out)
    return desk, out


def test_demo_site_has_every_page(demo_site):
    desk, site = demo_site
    for page in ("index.html", "arrears.html", "queue.html", "limitation.html", "robots.txt", "charts/aging.svg", "charts/rates.svg", "guide/rules.html"):
        assert (site / page).is_file(), page
    for state in desk.units:
        assert (site / "units" / f"{state.unit.id}.html").is_file()


def test_dashboard_shows_the_engine_totals(demo_site):
    desk, site = demo_site
    html = (site / "index.html").read_text(encoding="utf-8")
    value = re.search(r'data-total="outstanding">([^<]+)<', html).group(1)
    assert value == fmt_grouped(desk.totals.outstanding)
    assert f'data-total="units_in_arrears">{desk.totals.units_in_arrears}<' in html


def test_arrears_list_has_every_unit_in_arrears_oldest_first(demo_site):
    desk, site = demo_site
    html = (site / "arrears.html").read_text(encoding="utf-8")
    linked = re.findall(r'href="units/([^"]+)\.html"', html)
    expected = [s.unit.id for s in sorted((s for s in desk.units if s.in_arrears), key=lambda s: (s.oldest_due, s.unit.id))]
    assert linked == expected


def test_unit_pages_stay_out_of_the_navigation(demo_site):
    _, site = demo_site
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "units/" not in re.search(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>', html, re.S).group(0)


def test_site_requests_nothing_outside_itself(demo_site):
    _, site = demo_site
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", attr), (page, attr)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_site_tells_search_engines_not_to_index(demo_site):
    _, site = demo_site
    assert "Disallow: /" in (site / "robots.txt").read_text(encoding="utf-8")
    assert 'name="robots" content="noindex' in (site / "index.html").read_text(encoding="utf-8")


def test_page_titles_carry_no_owner_names(demo_site):
    desk, site = demo_site
    for state in desk.units[:20]:
        html = (site / "units" / f"{state.unit.id}.html").read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        for owner in state.unit.owners:
            assert owner.name not in title


def test_search_index_holds_only_what_search_needs(demo_site):
    desk, site = demo_site
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    state = next(s for s in desk.units if s.in_arrears)
    assert state.unit.owners[0].phone in index
    assert "应收明细" not in index  # the unit page's detail is excluded from search


def test_hostile_text_in_the_data_stays_text(tmp_path):
    root = make_community(tmp_path / "c")
    _, published = build(root, tmp_path / "out", as_of=DEMO_AS_OF)
    html = (published.path / "units" / "1-1-101.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<iframe" not in html
    assert 'href="javascript:' not in html and "https://evil.example'>" not in html
    assert "<strong>粗体</strong>" not in html and "<b>tag</b>" not in html


def test_rebuild_after_one_contact_rewrites_only_changed_files(tmp_path):
    root = make_community(tmp_path / "c")
    out, work = tmp_path / "out", tmp_path / "work"
    build(root, out, work=work)
    before = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    owner = root / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + "  - {date: 2026-11-20, channel: sms, by: 张敏, outcome: delivered}\n", encoding="utf-8")
    _, published = build(root, out, work=work)
    after = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    rewritten = [p.relative_to(out).as_posix() for p in after if before.get(p) != after[p]]
    assert "units/1-1-101.html" in rewritten
    assert published.kept > published.written
    assert not any(r.startswith("assets/") for r in rewritten)


def test_same_data_and_date_give_identical_sites(tmp_path):
    root = make_community(tmp_path / "c")
    build(root, tmp_path / "a", work=tmp_path / "wa")
    build(root, tmp_path / "b", work=tmp_path / "wb")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd)


def test_build_refuses_bad_data_and_keeps_the_previous_output(tmp_path):
    root = make_community(tmp_path / "c")
    out = tmp_path / "out"
    first = _cli("--root", str(root), "--as-of", "2026-11-22", "site", "--out", str(out))
    assert first.returncode == 0, first.stderr
    index = out / "site" / "index.html"
    good = index.read_bytes()
    (root / "owners" / "1-1-101.yaml").write_text("unit: 1-1-101\ntype: 高层\n", encoding="utf-8")
    second = _cli("--root", str(root), "--as-of", "2026-11-22", "site", "--out", str(out))
    assert second.returncode == 1
    assert "owners/1-1-101.yaml:1:1" in second.stderr
    assert "Traceback" not in second.stderr
    assert index.read_bytes() == good
    assert not [p for p in out.parent.iterdir() if ".tmp-" in p.name]


def test_a_community_can_override_a_page_template(tmp_path):
    root = make_community(tmp_path / "c")
    pages = root / "site_templates" / "pages"
    pages.mkdir(parents=True)
    original = (PROJECT / "site_templates" / "pages" / "queue.md.j2").read_text(encoding="utf-8")
    (pages / "queue.md.j2").write_text(original.replace("# 跟催表", "# 本小区跟催表"), encoding="utf-8")
    _, published = build(root, tmp_path / "out")
    assert "本小区跟催表" in (published.path / "queue.html").read_text(encoding="utf-8")


ZENSICAL = shutil.which("zensical") or shutil.which("zensical", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(ZENSICAL is None, reason="zensical not installed")
def test_zensical_builds_the_same_configuration(demo_site):
    """The successor engine must build our mkdocs.yml and generated pages as they are.

    Zensical wants docs_dir and site_dir inside the folder of its config, so the
    config is written beside the generated docs; nothing else changes.
    """
    desk, site = demo_site
    work = site.parent / "site-work"
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: site_templates/overrides", f"custom_dir: {PROJECT / 'site_templates' / 'overrides'}")
    config += "\ndocs_dir: docs\nsite_dir: zensical-site\n"
    (work / "zensical.yml").write_text(config, encoding="utf-8")
    result = subprocess.run([ZENSICAL, "build", "--clean", "-f", "zensical.yml"], capture_output=True, text=True, cwd=work, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    built = work / "zensical-site"
    assert (built / "index.html").is_file()
    assert (built / "units" / f"{desk.units[0].unit.id}.html").is_file()
    index = (built / "index.html").read_text(encoding="utf-8")
    assert 'name="robots" content="noindex' in index
    for attr in re.findall(r'(?:src|href)="([^"]+)"', index):
        assert not re.match(r"(https?:)?//", attr), attr


@pytest.mark.parametrize("unit, building", [("3-2-1802", "3"), ("S-03", "S"), ("V05", "V"), ("Y3-101", "Y3"), ("1802", "1802")])
def test_units_are_grouped_by_building_for_the_dashboard_and_notice_board(unit, building):
    from datetime import date

    from generator.model import Unit

    assert Unit(unit, "高层", None, date(2026, 1, 1), "self", (), None, (), None, (), None).building == building
