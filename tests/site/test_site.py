"""The generated site: complete, private, offline, reproducible, and inert to hostile data."""
from __future__ import annotations

import json
import os
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest

from generator.core.money import fmt_grouped
from tests.community import fixture_policy
from tests.sitebuild import ZENSICAL, build
from tests.support import DEMO_AS_OF, PROJECT

SPEC_POLICY = fixture_policy()

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


# What a page shows as text when Markdown was not rendered: a table's rule, a link's target, bold
# markers, a playbook id. (Inside <code>, <pre>, scripts and styles these may stand as they are.)
RAW_MARKDOWN = ("|---", "](#", "](http", "**", "letter:", "stage:", "tactic:", "segment:")


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_page_of_the_demo_site_shows_raw_markdown_or_an_internal_id(demo_site):
    _, site = demo_site
    found = {}
    for page in sorted(site.rglob("*.html")):
        text = _visible_text(page.read_text(encoding="utf-8"))
        hits = [marker for marker in RAW_MARKDOWN if marker in text]
        if hits:
            found[page.relative_to(site).as_posix()] = hits
    assert found == {}
    assert "<table" in (site / "legal.html").read_text(encoding="utf-8")  # the repealed laws are a real table


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


def test_build_refuses_bad_data_and_keeps_the_previous_output(tmp_path, cuijiao):
    root = make_community(tmp_path / "c")
    out = tmp_path / "out"
    first = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert first.returncode == 0, first.stderr
    index = out / "site" / "index.html"
    good = index.read_bytes()
    (root / "owners" / "1-1-101.yaml").write_text("unit: 1-1-101\ntype: 高层\n", encoding="utf-8")
    second = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
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


@pytest.mark.skipif(ZENSICAL is None, reason="zensical not installed")
def test_zensical_builds_the_generated_work_folder_with_the_same_numbers(demo_site):
    """The successor engine builds the work folder cuijiao writes (mkdocs.yml, docs/, overrides/) as it is.

    What Zensical 0.0.73 cannot do here: take the output folder from the
    command line (it builds into WORK/site, the generated config's site_dir,
    inside the config's folder), nor run in-process like MkDocs; the search
    plugin's lang, separator handling and jieba segmentation are MkDocs
    Material's (Zensical's own index keeps the text unsegmented).
    """
    desk, site = demo_site
    work = site.parent / "site-work"
    result = subprocess.run([ZENSICAL, "build", "--strict", "--clean", "-f", "mkdocs.yml"], capture_output=True, text=True, cwd=work,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    built = work / "site"
    index = (built / "index.html").read_text(encoding="utf-8")
    assert re.search(r'data-total="outstanding">([^<]+)<', index).group(1) == fmt_grouped(desk.totals.outstanding)
    assert f'data-total="units_in_arrears">{desk.totals.units_in_arrears}<' in index
    assert f"<title>看板 - {desk.policy.community} 催缴台账</title>" in index
    assert 'name="robots" content="noindex' in index
    for attr in re.findall(r'(?:src|href)="([^"]+)"', index):
        assert not re.match(r"(https?:)?//", attr), attr
    unit = max((s for s in desk.units if s.in_arrears), key=lambda s: s.outstanding)
    page = (built / "units" / f"{unit.unit.id}.html").read_text(encoding="utf-8")
    assert f'data-unit="outstanding">{fmt_grouped(unit.outstanding)}<' in page
    assert f'data-unit="late_fee">{fmt_grouped(unit.late_fee)}<' in page
    assert f"<title>{unit.unit.id} - {desk.policy.community} 催缴台账</title>" in page
    search = json.loads((built / "search.json").read_text(encoding="utf-8"))
    text = " ".join(item["title"] + " " + item["text"] for item in search["items"])
    for state in desk.units[:10]:
        assert state.unit.owners[0].name in text
    assert "应收明细" not in text


@pytest.mark.parametrize("unit, building", [("3-2-1802", "3"), ("S-03", "S"), ("V05", "V"), ("Y3-101", "Y3"), ("1802", "1802")])
def test_units_are_grouped_by_building_for_the_dashboard_and_notice_board(unit, building):
    from datetime import date

    from generator.core.model import Unit

    assert Unit(unit, "高层", None, date(2026, 1, 1), "self", (), None, (), None, (), None).building == building


# -- build --out: only the tool's own folders ------------------------------------------------------

def test_build_out_replaces_only_the_site_and_letters_folders(tmp_path, cuijiao):
    root = make_community(tmp_path / "c")
    out = tmp_path / "out"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    (out / "README.txt").write_text("mine too", encoding="utf-8")
    first = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert first.returncode == 0, first.stderr
    again = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert again.returncode == 0, again.stderr
    assert (out / "notes" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "README.txt").read_text(encoding="utf-8") == "mine too"
    assert (out / "site" / "index.html").is_file()
    assert not [p for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


@pytest.mark.parametrize("where", [".", "ledger", "owners", "owners/x", ".."])
def test_an_out_folder_that_is_the_community_or_holds_its_data_is_refused(tmp_path, where, cuijiao):
    root = make_community(tmp_path / "c")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    for command in ("site", "build", "letters"):
        result = cuijiao(command, "--out", str(root / where), root=root, as_of="2026-11-22")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "输出文件夹" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_a_folder_in_out_not_made_by_cuijiao_is_never_replaced(tmp_path, cuijiao):
    root = make_community(tmp_path / "c")
    out = tmp_path / "out"
    (out / "letters").mkdir(parents=True)
    (out / "letters" / "我的函件模板.docx").write_bytes(b"x")
    result = cuijiao("letters", "--out", str(out), root=root, as_of="2026-11-22")
    assert result.returncode == 2 and "不是 cuijiao 生成的" in result.stderr
    assert (out / "letters" / "我的函件模板.docx").read_bytes() == b"x"


def test_build_puts_unit_letters_under_the_site_and_site_alone_keeps_the_links(tmp_path, cuijiao):
    root = make_community(tmp_path / "c")
    out = tmp_path / "out"
    built = cuijiao("build", "--out", str(out), root=root, as_of="2026-11-22")
    assert built.returncode == 0, built.stderr
    page = out / "site" / "units" / "1-1-101.html"
    links = re.findall(r'href="(\.\./letters/[^"]+)"', page.read_text(encoding="utf-8"))
    assert links
    for href in links:  # inside the site: served from OUT/site they resolve
        target = (page.parent / href).resolve()
        assert target.is_relative_to((out / "site").resolve()) and target.is_file()
    queue = out / "site" / "queue.html"
    prints = re.findall(r'href="(letters/print/[^"]+)"', queue.read_text(encoding="utf-8"))
    manifest = json.loads((out / "letters" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(prints) == sorted("letters/" + c["file"] for c in manifest["combined"])  # the day's print files, on top
    assert all((out / "site" / href).read_bytes() == (out / href).read_bytes() for href in prints)
    again = cuijiao("site", "--out", str(out), root=root, as_of="2026-11-22")
    assert again.returncode == 0, again.stderr
    assert re.findall(r'href="(\.\./letters/[^"]+)"', page.read_text(encoding="utf-8")) == links
    assert all((page.parent / href).is_file() for href in links)
    assert re.findall(r'href="(letters/print/[^"]+)"', queue.read_text(encoding="utf-8")) == prints
    assert all((out / "site" / href).is_file() for href in prints)


# -- the lists a collector works from: who to call, what to say, the letters due, a workbook for the meeting -----


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr data-find=.*?</tr>", page, flags=re.S)


def test_arrears_and_queue_rows_name_the_owners_with_dialable_phones_and_a_reminder_to_copy(demo_site):
    from generator.site.build import playbook_or_error, unit_advice

    desk, site = demo_site
    book = playbook_or_error(PROJECT)
    for name in ("arrears.html", "queue.html"):
        page = (site / name).read_text(encoding="utf-8")
        rows = _rows(page)
        assert rows
        for row in rows:
            uid = re.search(r'href="units/([^"]+)\.html"', row).group(1)
            unit = next(s.unit for s in desk.units if s.unit.id == uid)
            for owner in unit.owners:
                assert owner.name in unescape(row)
                if owner.phone:
                    assert f'<a class="cj-tel" href="tel:{owner.phone}">{owner.phone}</a>' in row
            said = re.search(r'<details class="cj-msg"><summary>话术 ▾</summary><p>([^<]*)</p>', row)
            advice = unit_advice(next(s for s in desk.units if s.unit.id == uid), book, desk.policy)
            assert unescape(said.group(1)) == advice.message, row  # the unit's own script, its facts filled in
            assert "［" not in advice.message and "〔" not in advice.message  # nothing left to fill in before sending
    arrears = _rows((site / "arrears.html").read_text(encoding="utf-8"))
    assert len(arrears) == sum(1 for s in desk.units if s.in_arrears)


def test_rows_carry_what_the_filters_choose_by(demo_site):
    desk, site = demo_site
    page = (site / "arrears.html").read_text(encoding="utf-8")
    for s in (s for s in desk.units if s.in_arrears):
        row = next(r for r in _rows(page) if f'href="units/{s.unit.id}.html"' in r)
        find = unescape(re.search(r'data-find="([^"]*)"', row).group(1))
        assert find.split()[0] == s.unit.id and all(o.name in find and o.phone in find for o in s.unit.owners)
        assert f'data-building="{s.unit.building}"' in row
        assert f'data-stage="{s.stage.name if s.stage else "—"}"' in row
        words = re.search(r'data-limitation="([^"]*)"', row).group(1).split()
        assert words[0] == (s.limitation.status or "none") and ("barred" in words) == (s.late_fee_barred > 0)
    stages = re.findall(r'<select data-filter="stage".*?</select>', page, flags=re.S)[0]
    ordered = [st.name for st in desk.policy.dunning if any(s.stage == st for s in desk.units if s.in_arrears)]
    assert re.findall(r'<option value="([^"]+)">', stages) == ordered  # in the order of the dunning procedure


@pytest.mark.parametrize("typed, dialled", [
    ("13800000000", "13800000000"), ("+86 138-0000-0000", "+8613800000000"), ("0571-8888 6666 转 8", "0571888866668"),
    ("javascript:alert(1)", "1"),
])
def test_a_phone_link_dials_only_the_digits_typed(typed, dialled):
    from generator.render.templates import tel

    assert tel(typed) == dialled


def test_the_workbook_holds_the_arrears_list_and_the_queue_with_exact_amounts(demo_site):
    from decimal import Decimal

    from openpyxl import load_workbook

    from generator.views.dashboard import QUEUE_GROUPS, queue

    desk, site = demo_site
    page = (site / "arrears.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="(exports/[^"]+\.xlsx)" download="([^"]+)">', page)
    assert link and link.group(2) == f"欠费清单与跟催表-{desk.as_of}.xlsx"
    assert link.group(0) in (site / "queue.html").read_text(encoding="utf-8")
    book = load_workbook(site / link.group(1))
    assert book.sheetnames == ["欠费清单", "跟催表"]
    arrears = list(book["欠费清单"].iter_rows(values_only=True))
    assert arrears[0][:6] == ("房号", "楼栋", "业主", "电话", "欠费（元）", "违约金（元）")
    owed = {s.unit.id: s for s in desk.units if s.in_arrears}
    assert {r[0] for r in arrears[1:]} == set(owed)
    for r in arrears[1:]:
        s = owed[r[0]]
        assert Decimal(str(r[4])) == s.outstanding and Decimal(str(r[5])) == s.late_fee
        assert r[2] == "、".join(o.name for o in s.unit.owners) and r[7] == s.days_overdue
    assert book["欠费清单"]["E2"].number_format == "#,##0.00"
    work = queue(desk)
    queued = list(book["跟催表"].iter_rows(values_only=True))[1:]
    assert [(r[0], r[1], r[5]) for r in queued] == [(QUEUE_GROUPS[k], i.state.unit.id, i.text) for k, items in work.items() for i in items]


def test_text_from_the_data_stays_text_in_the_workbook_and_its_bytes_depend_only_on_the_data(tmp_path):
    import zipfile

    from openpyxl import load_workbook

    owner = HOSTILE_OWNER.replace('"<script>alert(1)</script>"', '"=HYPERLINK(\\"https://evil.example\\",\\"点我\\")"')
    owner = owner.replace('billing_start: 2025-01-01', 'billing_start: 2025-01-01\nopening: {amount: "500.00", due: 2024-06-30}')
    root = make_community(tmp_path / "c", owner)
    first, second = tmp_path / "a" / "site", tmp_path / "b" / "site"
    build(root, first)
    build(root, second)
    [xlsx] = (first / "exports").glob("*.xlsx")
    assert xlsx.read_bytes() == (second / "exports" / xlsx.name).read_bytes()
    sheet = zipfile.ZipFile(xlsx).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "HYPERLINK" in sheet  # written as a text cell, never as a formula
    assert load_workbook(xlsx)["欠费清单"]["C2"].value == '=HYPERLINK("https://evil.example","点我")'


# -- data that reaches MkDocs' own templates --------------------------------------------------------

def test_a_hostile_community_name_is_text_on_every_page_and_title(tmp_path):
    root = make_community(tmp_path / "c")
    policy = root / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("community: 测试花园", 'community: "<script>alert(10)</script>花园"'), encoding="utf-8")
    _, published = build(root, tmp_path / "out")
    for path in published.path.rglob("*"):
        if path.suffix in (".html", ".json", ".js", ".xml") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "<script>alert(10)" not in text, path
    # the theme escapes the site's name in some places and not in others: HTML's special characters are
    # written full-width, so it reads the same in the title, the header and the logo's tooltip
    index = (published.path / "index.html").read_text(encoding="utf-8")
    name = "＜script＞alert(10)＜/script＞花园 催缴台账"
    assert f"<title>看板 - {name}</title>" in index
    assert f'title="{name}"' in index and f'<span class="md-ellipsis">\n{name}\n</span>' in index


def test_not_found_page_is_chinese(demo_site):
    _, site = demo_site
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "找不到这一页" in html and "Not found" not in html


# -- community overrides, file by file ----------------------------------------------------------------

def test_a_community_theme_override_works_without_its_own_mkdocs_yml(tmp_path):
    root = make_community(tmp_path / "c")
    overrides = root / "site_templates" / "overrides"
    overrides.mkdir(parents=True)
    original = (PROJECT / "site_templates" / "overrides" / "main.html").read_text(encoding="utf-8")
    (overrides / "main.html").write_text(original.replace("{% block extrahead %}", "{% block extrahead %}\n  <meta name=\"cj-own\" content=\"1\">"), encoding="utf-8")
    _, published = build(root, tmp_path / "out")
    assert 'name="cj-own"' in (published.path / "index.html").read_text(encoding="utf-8")
    unit = (published.path / "units" / "1-1-101.html").read_text(encoding="utf-8")
    assert 'name="cj-own"' in unit and 'data-unit="outstanding"' in unit  # the project's unit.html still applies


def test_a_copied_mkdocs_yml_without_overrides_builds_and_keeps_its_site_name(tmp_path):
    root = make_community(tmp_path / "c")
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name: 物业费催缴台账", "site_name: 测试花园内部台账")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    _, published = build(root, tmp_path / "out")
    assert "<title>看板 - 测试花园内部台账</title>" in (published.path / "index.html").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    _, published = build(root, tmp_path / "out2")
    assert "<title>看板 - 测试花园 催缴台账</title>" in (published.path / "index.html").read_text(encoding="utf-8")


def test_a_community_can_override_a_guide_page(tmp_path):
    root = make_community(tmp_path / "c")
    (root / "docs" / "guide").mkdir(parents=True)
    (root / "docs" / "guide" / "cli.md").write_text("# 命令行\n\n本小区的命令说明。\n", encoding="utf-8")
    _, published = build(root, tmp_path / "out")
    assert "本小区的命令说明" in (published.path / "guide" / "cli.html").read_text(encoding="utf-8")
    assert (published.path / "guide" / "rules.html").is_file()


def test_configuration_errors_are_explained_in_chinese(tmp_path):
    from generator.site.build import SiteBuildError

    root = make_community(tmp_path / "c")
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("custom_dir: site_templates/overrides", "custom_dir: 我的样式"), encoding="utf-8")
    with pytest.raises(SiteBuildError, match="theme.custom_dir.*没有这个文件夹"):
        build(root, tmp_path / "out")
    (root / "mkdocs.yml").write_text(config.replace("use_directory_urls: false", "use_directory_urls: 也许"), encoding="utf-8")
    with pytest.raises(SiteBuildError, match="^网站配置.*有错误"):
        build(root, tmp_path / "out")


# -- search ----------------------------------------------------------------------------------------------

def test_search_keeps_unit_numbers_whole_never_highlights_and_knows_phone_tails(demo_site):
    desk, site = demo_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "\\-" not in index["config"]["separator"] and "-" not in re.sub(r"\\.", "", index["config"]["separator"])
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "search.highlight" not in html
    state = next(s for s in desk.units if s.in_arrears)
    entries = [d for d in index["docs"] if d["location"].startswith(f"units/{state.unit.id}.html")]
    words = " ".join(d["text"] for d in entries).replace("\u200b", "")
    assert f'data-k="尾号"></span>{state.unit.owners[0].phone[-4:]}' in words or f" {state.unit.owners[0].phone[-4:]}" in words


def test_a_site_to_publish_has_no_search_index_and_no_workbook(tmp_path, cuijiao):
    from generator import pipeline
    from generator.site.build import SiteInputs, build_site

    root = make_community(tmp_path / "c")
    checked = pipeline.check(root, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    desk = pipeline.desk_for(checked, DEMO_AS_OF)
    site = tmp_path / "site"
    build_site(desk, SiteInputs(root, tmp_path / "work", search=False), site)
    assert not (site / "search").exists()
    assert not (site / "exports").exists() and "下载 Excel" not in (site / "arrears.html").read_text(encoding="utf-8")
    assert "1-1-101" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.js"))
    assert "md-search" not in (site / "index.html").read_text(encoding="utf-8")
    result = cuijiao("site", "--no-search", "--out", str(tmp_path / "out"), root=root, as_of="2026-11-22")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "site" / "search").exists()


# -- the unit page adds up ---------------------------------------------------------------------------------

def _amount(text: str):
    from decimal import Decimal

    return Decimal(text.replace(",", ""))


def test_unit_page_late_fees_of_the_rows_add_up_to_the_card(demo_site):
    desk, site = demo_site
    folded = 0
    for state in desk.units:
        html = (site / "units" / f"{state.unit.id}.html").read_text(encoding="utf-8")
        table = re.search(r'<table class="cj-table cj-charges">.*?</table>', html, re.S).group(0)
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
        fees = []
        for attrs, row in re.findall(r"<tr([^>]*)>(.*?)</tr>", body):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
            fees.append(re.sub(r"<br>.*", "", cells[3] if "cj-summary" in attrs else cells[7]))  # a frozen fee says since when
        total = sum((_amount(f) for f in fees if f != "—"), _amount("0"))
        folded += "cj-summary" in body
        reduced = state.late_fee_barred + state.late_fee_waived + state.late_fee_paid
        assert max(total - reduced, _amount("0")) == state.late_fee, state.unit.id
        if desk.policy.late_fee:
            assert f'data-unit="late_fee_total">{fmt_grouped(state.late_fee)}<' in html
    assert folded  # the demo has units whose old settled years are folded


def test_unit_page_payments_show_what_they_settled_and_paid_charges_show_no_days_overdue(demo_site):
    from datetime import timedelta

    from generator.views.unitpage import HISTORY_DAYS

    desk, site = demo_site
    html = (site / "units" / "3-1-602.html").read_text(encoding="utf-8")
    html = unescape(html)  # text from the data is written with character references (core.inert)
    payments = re.search(r'<table class="cj-table cj-payments">.*?</table>', html, re.S).group(0)
    row = re.search(r"<tr><td>2026-06-25</td>.*?</tr>", payments).group(0)
    assert "物业服务费 2025-04~2025-06 104.02" in row  # a charge folded into its year's row above
    state = desk.unit("3-1-602")
    charges = re.search(r'<table class="cj-table cj-charges">.*?</table>', html, re.S).group(0)
    for c in state.charges:
        if c.unpaid == 0 and c.charge.due >= DEMO_AS_OF - timedelta(days=HISTORY_DAYS):
            row = re.search(rf"<tr><td>{c.charge.item}</td><td>{re.escape(c.charge.period)}</td>.*?</tr>", charges).group(0)
            assert "逾期" not in row and "结清" in row
    late = next(s for s in desk.units for c in s.charges if c.unpaid == 0 and c.pieces and max(p.settled for p in c.pieces) > c.charge.due)
    assert "天" in (site / "units" / f"{late.unit.id}.html").read_text(encoding="utf-8")


# -- dashboard and queue -----------------------------------------------------------------------------------

OLD_UNIT = """\
unit: 1-1-102
type: 高层
area: "100.00"
billing_start: 2022-01-01
owners:
  - {name: 陈旧, phone: "13900000002"}
contacts:
  - {date: 2026-10-01, channel: phone, by: 王芳, outcome: promised, promise: {date: 2026-10-20, amount: "100.00"}}
"""


def test_a_unit_counts_as_expired_and_as_expiring_when_its_charges_are(tmp_path):
    from generator import pipeline
    from generator.views.dashboard import dashboard, queue

    root = make_community(tmp_path / "c")
    (root / "owners" / "1-1-102.yaml").write_text(OLD_UNIT, encoding="utf-8")
    desk = pipeline.desk_for(pipeline.check(root, DEMO_AS_OF, DEMO_AS_OF, use_cache=False), DEMO_AS_OF)
    state = desk.unit("1-1-102")
    assert {c.limitation.status for c in state.charges if c.limitation} >= {"expired", "warning"}
    board = dashboard(desk)
    assert board.limitation_expired >= 1 and board.limitation_warnings >= 1
    groups = queue(desk)
    assert "1-1-102" in [i.state.unit.id for i in groups["limitation"]]
    assert "1-1-102" in [i.state.unit.id for i in groups["promises"]]  # the broken promise, besides the ladder


def test_long_unreached_rows_are_not_marked_overdue(tmp_path):
    from generator import pipeline
    from generator.views.dashboard import queue

    root = make_community(tmp_path / "c")
    desk = pipeline.desk_for(pipeline.check(root, DEMO_AS_OF, DEMO_AS_OF, use_cache=False), DEMO_AS_OF)
    items = queue(desk)["unreached"]
    assert items and not any(i.overdue for i in items)


def test_a_household_that_just_signed_a_plan_is_not_long_unreached(tmp_path, new_community):
    from generator import pipeline
    from generator.views.dashboard import queue
    from tests.community import fee

    c = new_community(fees=[fee()])
    c.unit("1-1-101", area="89.50", billing_start="2025-01-01", contacts=[{"date": "2025-03-01", "channel": "visit", "outcome": "no_answer"}])
    c.unit("1-1-102", area="89.50", billing_start="2025-01-01", contacts=[{"date": "2025-03-01", "channel": "visit", "outcome": "no_answer"}])
    c.plan("1-1-102", "2026-11-15", [("2026-12-15", "300.00")])
    c.write()
    checked = pipeline.check(c.root, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert not checked.errors, [p.render() for p in checked.errors]
    desk = pipeline.desk_for(checked, DEMO_AS_OF)
    assert [i.state.unit.id for i in queue(desk)["unreached"]] == ["1-1-101"]
    assert desk.unit("1-1-102").last_reached.isoformat() == "2026-11-15"


def test_collectors_count_a_payment_made_on_the_day_of_the_contact(tmp_path):
    from generator import pipeline
    from generator.views.dashboard import collectors

    root = make_community(tmp_path / "c")
    owner = root / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + "  - {date: 2026-11-10, channel: visit, by: 李四, outcome: paid}\n", encoding="utf-8")
    (root / "ledger" / "payments.yaml").write_text("payments:\n  - {unit: 1-1-101, date: 2026-11-10, amount: \"300.00\", method: cash}\n", encoding="utf-8")
    checked = pipeline.check(root, DEMO_AS_OF, DEMO_AS_OF, use_cache=False)
    assert not checked.errors, [p.render() for p in checked.errors]
    work = {c.name: c for c in collectors(pipeline.desk_for(checked, DEMO_AS_OF))}
    assert work["李四"].paid_within_30 == _amount("300.00")


def test_period_speeds_name_the_fee_and_stages_follow_the_dunning_order(demo_site):
    desk, site = demo_site
    from generator.views.dashboard import dashboard

    board = dashboard(desk)
    keys = [(p.fee, p.period) for p in board.speeds]
    assert len(keys) == len(set(keys))
    assert {p.fee for p in board.speeds} == {f.name for f in desk.policy.fees}
    order = ["未到催缴阶段", *(s.name for s in desk.policy.dunning)]
    shown = [name for name, _, _ in board.by_stage]
    assert shown == sorted(shown, key=order.index)
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<th rowspan=\"2\">收费项目</th>" in html and "<th class=\"cj-num\">180 天</th>" in html


def test_rate_chart_draws_each_point_above_its_own_month_when_months_have_no_rate():
    from decimal import Decimal

    from generator.site.charts import rate_points
    from generator.views.dashboard import MonthRate

    months = [f"2025-{m:02d}" for m in range(6, 13)] + [f"2026-{m:02d}" for m in range(1, 13)]
    rates = tuple(MonthRate(m, Decimal("0.9") if m in ("2025-06", "2026-11", "2026-12") else None) for m in months)
    xs, ys, ticks, labels = rate_points(rates)
    assert ticks == list(range(19)) and labels == months
    assert [labels[x] for x in xs] == ["2025-06", "2026-11", "2026-12"]  # 2026-12 was drawn at 2025-06's place
    assert ys == [90.0, 90.0, 90.0]


def test_rate_chart_axis_fits_the_rates(tmp_path):
    from generator.site.charts import rate_axis

    low, high = rate_axis([88.5, 91.2, 90.0])
    assert 60 <= low <= 88 and 92 <= high <= 101
    assert rate_axis([5.0, 100.0]) == (0, 101)
    assert rate_axis([]) == (0, 101)


# -- rule 10 on the site: a hand-made community (tests/sitebuild.py's limitation_community) ----------------------

@pytest.fixture(scope="module")
def v2_site(tmp_path_factory):
    from tests.sitebuild import limitation_site

    return limitation_site(tmp_path_factory.mktemp("v2"))


def _text(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, white space collapsed."""
    import html as entities

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _part(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def _unit(site, unit_id: str) -> str:
    return (site / "units" / f"{unit_id}.html").read_text(encoding="utf-8")


def test_unit_page_groups_unpaid_charges_by_the_events_that_interrupted_them(v2_site):
    _, site = v2_site
    html = _unit(site, "A-1")
    rows = [_text(li) for li in re.findall(r"<li>(.*?)</li>", _part(html, '<ul class="cj-limits">', "</ul>"))]
    assert rows == [  # expired first, then by expiry (then charge order)
        "已过时效 600.00 元，时效届满 2022-01-15 期初欠费 2018年 中断经过 没有中断，自到期日起算",
        "正常 1,200.00 元，时效届满 2028-08-01 期初欠费 2021年上半年 中断经过 2024-03-01 催告 → 2025-08-01 催告",
        "正常 800.00 元，时效届满 2028-08-01 期初欠费 2024年上半年 中断经过 2025-08-01 催告",
    ]
    events = _text(_part(html, '<ol class="cj-events">', "</ol>"))
    assert events == ("2024-03-01 催告 · 上门，拒绝缴费；证据：录音 A "
                      "2025-08-01 催告 · 电话，已联系上；证据：录音 B")
    links = re.findall(r'<a href="#(cj-e\d)">2025-08-01 催告</a>', html)
    assert len(links) == 2 and f'<li id="{links[0]}">' in html  # each row links to the one entry with the evidence


def test_contacts_that_interrupt_nothing_say_why(v2_site):
    _, site = v2_site
    timeline = {_text(li)[:10]: _text(li) for li in re.findall(r"<li>(.*?)</li>", _part(_unit(site, "A-1"), '<ol class="cj-timeline">', "</ol>"))}
    assert timeline["2023-05-10"].endswith("不中断时效：落款单位当时没有债权人的授权")
    assert timeline["2025-02-01"].endswith("不中断时效：服务性质的联系，不是催缴")
    assert timeline["2025-03-01"].endswith("不中断时效：没有联系上或未送达；没有证据")
    # a demand in time for the 2021 item, but the 2018 item had run out on 2022-01-15: not revived
    assert timeline["2024-03-01"].endswith("中断了 1 笔的时效 ；另有 1 笔当时已过时效，不因此重新计算")
    assert timeline["2025-08-01"].endswith("中断了 2 笔的时效 ；另有 1 笔当时已过时效，不因此重新计算")


def test_a_letter_returned_from_the_confirmed_address_interrupts_and_the_address_and_consent_are_shown(v2_site):
    _, site = v2_site
    html = _unit(site, "C-3")
    timeline = _text(_part(html, '<ol class="cj-timeline">', "</ol>"))
    assert timeline.startswith("2026-07-01 书面通知 · 被退回") and timeline.endswith("中断了 1 笔的时效")
    assert _text(re.search(r'data-unit="service_address">(.*?)</td>', html).group(1)) == (
        "测试路 3 号 业主 2025-01-01 确认；证据：送达地址确认书 C-3。寄往这里被退回的催缴函仍算送达（诉讼时效规定第八条）")
    assert _text(re.search(r'data-consent="publish_arrears">(.*?)</td>', html).group(1)) == "同意公示本户欠费：2025-03-01 起 证据：同意书 C-3"


def test_the_twenty_year_cap_and_an_acknowledgment_of_barred_charges(v2_site):
    _, site = v2_site
    html = _unit(site, "B-2")
    row = _text(_part(html, '<ul class="cj-limits">', "</ul>"))
    assert row.startswith("已过时效 3,000.00 元，时效届满 2025-07-15 （ 20 年上限 ） 期初欠费 2005年下半年 中断经过 2007-07-01 催告 →")
    assert row.endswith("2024-06-01 催告 → 2026-06-18 承诺付款（承认全部欠费，含已过时效的）")
    assert "民法典第一百八十八条第二款" in html
    promise = _text(re.findall(r"<li>(.*?)</li>", _part(html, '<ol class="cj-timeline">', "</ol>"))[0])
    assert promise.endswith("承认全部欠费（包括已过诉讼时效的）：中断了 1 笔的时效")
    page = (site / "limitation.html").read_text(encoding="utf-8")
    capped = _text(_part(page, "受二十年上限限制的欠费</h2>", "</table>"))
    assert "B-2 期初欠费 2005年下半年 3,000.00 2005-07-15 2025-07-15 已过时效 2026-06-18 承诺付款（承认全部欠费，含已过时效的）" in capped


def test_a_settled_charge_with_a_barred_late_fee_and_a_frozen_plan(v2_site):
    desk, site = v2_site
    html = _unit(site, "C-3")
    # 500.00 due 2022-01-15, paid 151 days late on 2022-06-15: 500.00 x 0.0005 x 151 = 37.75, barred from 2025-06-16
    barred = _text(_part(html, '<table class="cj-table cj-barred-fees">', "</table>"))
    assert barred == "应收 违约金 时效届满 最后一次中断 期初欠费 2022-01前 37.75 2025-06-15 2022-06-15 部分付款"
    assert re.search(r'data-unit="late_fee_barred">37.75<', html)
    # the repair charge of 1,000.00 due 2026-03-15: the plan of 2026-05-01 (kept) stops the days at 47: 23.50
    row = _text(re.search(r"<tr><td>维修费</td>.*?</tr>", html).group(0))
    assert row.endswith("500.00 逾期 252 天 23.50 2026-05-01 起停计 正常 2029-07-01")
    assert "1 笔自签订日起停止计算（按期履行期间）" in _text(_part(html, "<h2>分期协议</h2>", "</table>"))
    total = _text(re.search(r'<p class="cj-sum">(.*?)</p>', html).group(1))
    assert total == "违约金：上表各笔合计 61.25（含已结清年份 37.75） − 已过诉讼时效、不再主张的 37.75 ＝ 可主张 23.50 元"
    assert desk.unit("C-3").late_fee == _amount("23.50")


def test_unit_cards_and_sum_show_the_late_fee_apart_from_the_barred_part(v2_site):
    _, site = v2_site
    html = _unit(site, "A-1")
    # 600.00 due 2019-01-15, 2,868 days: capped at 600.00 (barred); 1,200.00 x 0.0005 x 1,971 = 1,182.60; 800.00 x 0.0005 x 875 = 350.00
    assert re.search(r'data-unit="late_fee">1,532.60<', html) and re.search(r'data-unit="late_fee_barred">600.00<', html)
    assert re.search(r'data-unit="expired_amount">600.00<', html)
    assert _text(re.search(r'<p class="cj-sum">(.*?)</p>', html).group(1)) == (
        "违约金：上表各笔合计 2,132.60 − 已过诉讼时效、不再主张的 600.00 ＝ 可主张 1,532.60 元")
    assert _text(re.search(r'data-unit="limitation">(.*?)</div>', html).group(1)) == "已过时效 600.00"
    assert _text(re.search(r'data-unit="limitation">(.*?)</div>', _unit(site, "C-3")).group(1)) == "违约金 37.75 已过时效"


def test_late_fee_payments_and_designated_payments_on_the_unit_page(v2_site):
    _, site = v2_site
    html = _unit(site, "E-5")
    payments = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", _part(html, '<table class="cj-table cj-payments">', "</table>"))[1:]]
    assert payments == ["2026-06-10 50.00 微信 R-3 违约金（业主指定）",
                        "2026-06-01 100.00 微信 R-4 业主指定缴 期初欠费：期初欠费 2026-01前 100.00"]  # a late-fee payment is never credit
    # 100.00 settled 137 days late (6.85) and 100.00 unpaid 311 days (15.55): 22.40, less the 50.00 paid for it
    assert _text(re.search(r'<p class="cj-sum">(.*?)</p>', html).group(1)) == (
        "违约金：上表各笔合计 22.40 − 已缴违约金 50.00 ＝ 可主张 0.00 元（减免和已缴超过可主张的违约金，按 0 计；"
        "已缴违约金多出的 27.60 元不转为预存余额）")
    assert re.search(r'data-unit="late_fee">0.00<', html) and "data-unit=\"late_fee_barred\"" not in html


def test_no_list_says_normal_for_a_unit_with_barred_amounts(v2_site):
    _, site = v2_site
    html = (site / "arrears.html").read_text(encoding="utf-8")
    cells = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", _part(html, "<tbody>", "</tbody>")):
        cells[_text(re.findall(r"<td[^>]*>(.*?)</td>", row)[0])] = _text(re.findall(r"<td[^>]*>(.*?)</td>", row)[-2])
    assert cells == {"A-1": "已过时效 600.00", "B-2": "已过时效 3,000.00", "C-3": "违约金 37.75 已过时效", "D-4": "即将届满", "E-5": "正常"}


def test_limitation_page_names_the_event_that_set_each_expiry_and_the_barred_late_fee(v2_site):
    desk, site = v2_site
    html = (site / "limitation.html").read_text(encoding="utf-8")
    rows = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", _part(html, '<table class="cj-table cj-sortable" id="limitation-table">', "</table>"))[1:]]
    assert rows == [
        "A-1 期初欠费 2018年 600.00 2019-01-15 2022-01-15 已过时效 没有中断：自到期日起算；届满后没有业主承认全部欠费的记录",
        "B-2 期初欠费 2005年下半年 3,000.00 2005-07-15 2025-07-15 已过时效 20 年上限 ：到期日起满二十年（民法典第一百八十八条第二款），之后的中断都不算",
        "D-4 期初欠费 2024-01前 400.00 2024-01-15 2027-01-15 即将届满 没有中断：自到期日起算",
    ]
    assert re.search(r'data-limitation="expired_amount">3,600.00<', html)
    assert re.search(r'data-limitation="late_fee_barred">3,637.75<', html)  # 600.00 + 3,000.00 + 37.75
    barred = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", _part(html, "已过时效的违约金（元）", "</table>"))]
    assert barred == ["B-2 3,000.00 0.00 3,000.00", "A-1 600.00 1,532.60 600.00", "C-3 37.75 23.50 0.00"]
    assert desk.totals.late_fee_barred == _amount("3637.75")


def test_queue_lists_units_whose_creditor_has_not_authorised_the_issuer_apart(v2_site):
    _, site = v2_site
    html = (site / "queue.html").read_text(encoding="utf-8")
    group = _part(html, 'data-group="authorise"', "</section>")
    assert "先取得债权人授权（3）" in _text(group)  # A-1, D-4 and E-5; B-2 waits for a promise, C-3 follows its plan
    row = _text(re.findall(r"<tr[^>]*>(.*?)</tr>", group)[1])
    assert row.startswith("A-1 业主A-1 2026-11-22 先取得债权人“示例物业有限公司”的书面授权，或请债权人的人员自己催缴；原定下一步：催缴通知书")
    assert "授权（授权委托书 2024-01）已于 2025-12-31 到期" in row
    assert row.endswith("2,600.00 —")  # no reminder to send while the issuer may not demand
    for key in ("letters", "contacts"):  # no demand is queued for it elsewhere
        assert "units/A-1.html" not in _part(html, f'data-group="{key}"', "</section>")


def test_dashboard_shows_the_barred_late_fee_and_the_units_with_barred_amounts(v2_site):
    _, site = v2_site
    html = (site / "index.html").read_text(encoding="utf-8")
    # 1,532.60 (A-1) + 23.50 (C-3) + 400.00 x 0.0005 x 1,042 = 208.40 (D-4)
    assert re.search(r'data-total="late_fee">1,764.50<', html)
    assert re.search(r'data-total="late_fee_barred">3,637.75<', html)
    assert re.search(r'data-total="expired_amount">3,600.00<', html)
    assert re.search(r'data-total="barred_units"><a href="limitation.html">3</a><', html)


def test_no_leftover_of_the_v1_lapsed_reading_in_what_shows_the_numbers():
    shown = [PROJECT / "generator" / f"{name}.py" for name in ("site/build", "views/unitpage", "views/dashboard", "views/terminal", "workflow/diff", "core/labels")]
    for path in [*shown, *(p for p in (PROJECT / "site_templates").rglob("*") if p.suffix in (".j2", ".css", ".html", ".js"))]:
        assert "lapsed" not in path.read_text(encoding="utf-8"), path


def test_pages_are_compacted_but_pre_script_textarea_and_style_keep_their_white_space():
    from generator.site.compact import compact_html

    html = "<div>\n    <p>一</p>\n\n   \n  <pre>  a\n\n  b</pre>\n  <script>if (x)\n    y();</script>\n<textarea>\n  t</textarea>  \n<style>\n a {}</style>\n</div>"
    assert compact_html(html) == "<div>\n<p>一</p>\n<pre>  a\n\n  b</pre>\n<script>if (x)\n    y();</script>\n<textarea>\n  t</textarea>\n<style>\n a {}</style>\n</div>"


def test_built_pages_carry_no_indentation_and_no_colour_switch(demo_site):
    _desk, site = demo_site
    page = (site / "units" / "1-1-101.html").read_text(encoding="utf-8")
    outside = re.sub(r"<(pre|script|textarea|style)\b.*?</\1>", "<kept>", page, flags=re.S)
    assert "\n " not in outside and "\n\n" not in outside
    assert "__palette" not in page and "search-query.js" in page


def test_the_queue_links_a_household_case_file_on_its_row(demo_site, tmp_path):
    from generator.site.build import LetterLink, SiteInputs, pages
    from generator.views.dashboard import queue

    desk, _ = demo_site
    last = desk.policy.dunning[-1].id
    at_court = [i.state for i in queue(desk)["contacts"] if i.state.stage and i.state.stage.id == last]
    assert at_court
    links = tuple(LetterLink(s.unit.id, "证据目录", f"evidence/ZJ-20261122-{s.unit.id}.pdf", True) for s in at_court)
    links += (LetterLink(at_court[0].unit.id, "欠费明细对账单", f"statement/DZ-20261122-{at_court[0].unit.id}.pdf"),)
    html = pages(desk, SiteInputs(PROJECT, tmp_path / "work", links))["queue.md"].decode("utf-8")
    contacts = html.split('data-group="contacts"')[1].split("</section>")[0]
    for s in at_court:
        assert f'案卷：<a href="letters/evidence/ZJ-20261122-{s.unit.id}.pdf">证据目录</a>' in contacts
    assert html.count("案卷：") == len(at_court)
    assert "statement/DZ-" not in html  # a statement is no part of the case file


def test_a_manifest_entry_is_part_of_the_case_file_only_when_it_says_court_true(tmp_path):
    import json

    from generator.site.build import existing_letters

    folder = tmp_path / "letters"
    (folder / "evidence").mkdir(parents=True)
    for name in ("A.pdf", "B.pdf", "C.pdf"):
        (folder / "evidence" / name).write_bytes(b"%PDF-1.7")
    entries = [{"unit": "1", "title": "证据目录", "file": "evidence/A.pdf", "court": True},
               {"unit": "2", "title": "证据目录", "file": "evidence/B.pdf", "court": "true"},
               {"unit": "3", "title": "证据目录", "file": "evidence/C.pdf"}]
    (folder / "manifest.json").write_text(json.dumps({"letters": entries}), encoding="utf-8")
    assert [(l.unit, l.court) for l in existing_letters(folder)] == [("1", True), ("2", False), ("3", False)]
