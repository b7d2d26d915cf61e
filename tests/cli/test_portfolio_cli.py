"""``cuijiao summary`` and ``cuijiao portfolio``: the demo's summary carries no personal data, bad summary files
are refused in Chinese naming each file (exit 1, no traceback), and the site builds with its pages, the same bytes
every time."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from tests.support import DEMO_AS_OF, PROJECT, cuijiao


def personal_data() -> set[str]:
    """What the demo's owner files hold about people: unit ids, owners' names, phones and addresses, who made each
    contact and what the notes say (not the words the policy uses too: an evidence "催缴通知书" is a stage's name)."""
    found: set[str] = set()
    for path in sorted((PROJECT / "owners").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.add(data["unit"])
        for owner in data.get("owners") or []:
            found.update(str(owner[k]) for k in ("name", "phone", "address") if owner.get(k))
        if data.get("service_address"):
            found.add(str(data["service_address"]))
        for contact in data.get("contacts") or []:
            found.update(str(contact[k]) for k in ("by", "note", "evidence") if contact.get(k))
        for complaint in data.get("complaints") or []:
            found.update(str(complaint[k]) for k in ("said", "owner", "resolution") if complaint.get(k))
    policy = (PROJECT / "ledger" / "policy.yaml").read_text(encoding="utf-8")
    return {text for text in found if text not in policy}


pytestmark = pytest.mark.skipif(not any((PROJECT / "owners").glob("*.yaml")), reason="demo community not present")


@pytest.fixture(scope="module")
def demo_summary(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("summary") / "reports" / "summary-demo" / "summary.json"
    run = cuijiao("summary", "--out", str(out), root=PROJECT, as_of=DEMO_AS_OF)
    assert run.returncode == 0, run.stderr
    return out


def test_the_demos_summary_holds_none_of_its_unit_ids_names_phones_or_notes(demo_summary):
    text = demo_summary.read_text(encoding="utf-8")
    data = json.loads(text)
    # the community is the folder's name: the project's folder, here
    assert (data["format"], data["community"], data["name"], data["as_of"]) == ("cuijiao-summary/1", PROJECT.name, "桐荫花园", "2026-11-22")
    people = personal_data()
    assert len(people) > 300  # 122 units, their owners, phones, notes
    assert sorted(p for p in people if p in text) == []


def test_summary_without_out_writes_the_same_json_to_stdout(demo_summary):
    run = cuijiao("summary", root=PROJECT, as_of=DEMO_AS_OF)
    assert run.returncode == 0 and run.stdout == demo_summary.read_text(encoding="utf-8")


def write_report(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def reports(demo_summary, tmp_path_factory) -> Path:
    """The demo's summary under two names: as the CI's portfolio job downloads it, and as a plain file."""
    folder = tmp_path_factory.mktemp("reports")
    data = json.loads(demo_summary.read_text(encoding="utf-8"))
    write_report(folder / "summary-demo" / "summary.json", dict(data, community="demo"))
    write_report(folder / "东区.json", dict(data, community="东区", name="桐荫花园东区"))
    return folder


@pytest.fixture(scope="module")
def built(reports, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("portfolio")
    run = cuijiao("portfolio", "--reports", str(reports), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "多小区总览已生成" in run.stdout and "2 个小区" in run.stdout
    return out / "portfolio"


def test_the_site_has_the_overview_trends_list_explanation_and_a_page_per_community(built):
    for page in ("index.html", "trends.html", "communities.html", "about.html", "communities/demo.html",
                 "communities/东区.html", "charts/rates.svg", "charts/c/demo.svg", "charts/c/东区.svg", "sitemap.xml"):
        assert (built / page).is_file(), page
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "小区排名" in index and 'href="communities/%E4%B8%9C%E5%8C%BA.html"' in index and "桐荫花园东区" in index
    assert "fonts.googleapis" not in index and "cdn." not in index


def test_a_community_page_links_to_its_own_site_from_the_portfolios_parent(built):
    page = (built / "communities" / "demo.html").read_text(encoding="utf-8")
    assert 'href="../../demo/site/index.html"' in page  # OUT/portfolio/communities/ -> OUT/demo/site/
    assert "91.01%" in page  # the demo's 2026 collection rate


def test_no_page_of_the_portfolio_holds_personal_data(built):
    people = personal_data()
    leaks = {}
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".svg", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            hits = sorted(p for p in people if p in text)
            if hits:
                leaks[str(path.relative_to(built))] = hits[:5]
    assert leaks == {}


def test_the_same_summaries_build_the_same_bytes(reports, built, tmp_path):
    run = cuijiao("portfolio", "--reports", str(reports), "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(tmp_path / "portfolio") == files(built)


def test_bad_summary_files_are_each_named_in_chinese_and_nothing_is_built(demo_summary, tmp_path):
    reports = tmp_path / "reports"
    good = json.loads(demo_summary.read_text(encoding="utf-8"))
    (reports / "summary-ok").mkdir(parents=True)
    (reports / "summary-ok" / "summary.json").write_text(json.dumps(good), encoding="utf-8")
    (reports / "broken.json").write_text("{", encoding="utf-8")
    one_unit = dict(good, community="one", units_in_arrears=1)
    (reports / "one.json").write_text(json.dumps(one_unit), encoding="utf-8")
    (reports / "big.json").write_bytes(b" " * (1024 * 1024 + 1))
    (reports / "summary-link").mkdir()
    os.symlink("/etc/passwd", reports / "summary-link" / "summary.json")
    elsewhere = tmp_path / "elsewhere"  # a good summary, but reached through a linked folder
    elsewhere.mkdir()
    (elsewhere / "summary.json").write_text(json.dumps(dict(good, community="elsewhere")), encoding="utf-8")
    os.symlink(elsewhere, reports / "summary-linked-folder")
    os.mkfifo(reports / "pipe.json")
    (reports / "zz-again.json").write_text(json.dumps(good), encoding="utf-8")  # the same community as summary-ok
    run = cuijiao("portfolio", "--reports", str(reports), "--out", str(tmp_path / "out"), timeout=60)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    for name, words in (("broken.json", "不是有效的 JSON"), ("one.json", "units_in_arrears：是 1"), ("big.json", "太大"),
                        ("summary-link/summary.json", "是一个链接"), ("summary-linked-folder/summary.json", "经过一个链接"),
                        ("pipe.json", "不是普通文件"), ("zz-again.json", "同一个小区不能有两份汇总")):
        line = next((line for line in run.stderr.splitlines() if name in line), "")
        assert words in line, (name, run.stderr)
    assert not any("summary-ok" in line and "zz-again.json" not in line for line in run.stderr.splitlines())
    assert "有 7 个汇总文件不能使用，没有生成总览" in run.stderr
    assert not (tmp_path / "out" / "portfolio").exists()


def test_a_folder_without_summaries_is_an_error(tmp_path):
    run = cuijiao("portfolio", "--reports", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 1 and "没有汇总文件" in run.stderr


@pytest.mark.parametrize("link", ["javascript:alert(1)", "http://example.com/{community}", "//evil.example/{community}",
                                  "/{community}/site", "{community}/{x}", 'a"onclick=1'])
def test_an_unsafe_site_link_is_a_usage_error(tmp_path, link):
    run = cuijiao("portfolio", "--reports", str(tmp_path), "--site-link", link)
    assert run.returncode == 2 and "--site-link" in run.stderr


def test_an_https_site_link_is_kept_as_it_is(reports, tmp_path):
    run = cuijiao("portfolio", "--reports", str(reports), "--out", str(tmp_path / "out"),
                  "--site-link", "https://desk.example.org/{community}/")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "out" / "portfolio" / "communities" / "demo.html").read_text(encoding="utf-8")
    assert 'href="https://desk.example.org/demo/"' in page


def test_names_in_a_summary_are_shown_as_text_never_as_markup(reports, tmp_path):
    data = json.loads((reports / "summary-demo" / "summary.json").read_text(encoding="utf-8"))
    hostile = '</title><script>alert(1)</script>[点我](javascript:alert(2)) **粗** {{ 7*7 }}'
    data.update(community="evil", name=hostile)
    data["stages"][-1]["names"] = ['<img src=x onerror=alert(3)>']
    folder = tmp_path / "reports"
    write_report(folder / "summary-evil" / "summary.json", data)
    run = cuijiao("portfolio", "--reports", str(folder), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    site = tmp_path / "out" / "portfolio"
    for page in ("index.html", "communities/evil.html", "trends.html", "charts/c/evil.svg", "search/search_index.json"):
        text = (site / page).read_text(encoding="utf-8")
        assert "<script>alert" not in text and 'href="javascript' not in text and "<img src=x" not in text, page
        assert "<strong>粗" not in text and "<em>" not in text, page
    page = (site / "communities" / "evil.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in page.replace("&#123;", "{").replace("&#125;", "}")  # shown as typed


def test_summary_is_never_written_into_the_communitys_data_folders(new_community):
    c = new_community()
    c.unit("1-1-101")
    c.write()
    run = cuijiao("summary", "--out", str(c.root / "owners" / "summary.json"), root=c.root, as_of="2026-11-22")
    assert run.returncode == 2 and "owners/ 文件夹里" in run.stderr
    assert not (c.root / "owners" / "summary.json").exists()


def test_large_figures_are_grouped_and_break_only_after_a_comma():
    from generator.site.portfolio import _breakable, _count

    assert _count(200000) == "200,000" and _count(None) != "None"
    assert str(_breakable("101,174,023.94")) == "101,<wbr>174,<wbr>023.94"  # a narrow card breaks between groups
    assert str(_breakable("<b>")) == "&lt;b&gt;"  # still inert
