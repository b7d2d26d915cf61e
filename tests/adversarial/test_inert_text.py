"""Everything a user types or imports is inert everywhere (issue 12, items 6 and 11).

Text from the data (the policy's community, issuer, creditor, fee and stage
names, owners, contact notes, receipts, reasons, ...) is shown as literal
text: on the site no link, image, tag, table break, formatting or ``{``
construct comes out of it, and ``{`` reads ``{``; in the terminal no control
character is printed (it is shown as U+FFFD). The functions are
``generator.core.inert``'s; the end-to-end cases run the real command.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from markdown_it import MarkdownIt

from generator.core.inert import REPLACEMENT, for_markdown, visible
from tests.support import PROJECT, cuijiao

# -- the functions --------------------------------------------------------------------------------------------

PAYLOADS = [
    "[a](javascript:alert(1))", "![](http://evil.example/y.png)", "<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
    "**粗** __粗__ _斜_ *斜* `码` ~~删~~ ==标== ^上^", "# 标题", "## 标题 {: #id .cls }", "{{ 7*7 }} {% if 1 %}", "{x}",
    "- 列表", "* 列表", "+ 列表", "1. 列表", "10) 列表", "> 引用", "    缩进的代码", "\t缩进", "---", "===", ": 定义",
    "!!! warning \"警告\"", "[^1]", "*[HTML]: 缩写", "[x]: http://evil.example", "<http://evil.example>", "&amp; &#106;avascript",
    "a | b | c", "第一行\n\n第二行\n# 标题\n| a | b |", "行\r\n尾\u2028\u2029\x85", "--8<-- \"/etc/passwd\"", "\\*转义\\*",
    "A&B \"引号\" '单引号'", "first_call a_b 王_丽", "-5.00", "100.00", "2026-11-22",
]
SITE_EXTENSIONS = ["attr_list", "tables", "toc", "admonition", "def_list", "abbr", "footnotes", "md_in_html"]


def tags(html: str) -> list[tuple[str, dict]]:
    found: list[tuple[str, dict]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Tags().feed(html)
    return found


def text_of(html: str) -> str:
    parts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

    Text(convert_charrefs=True).feed(html)
    return "".join(parts)


def shown(text: str) -> str:
    """What the page shows for ``text``: line breaks of any kind as a newline, controls as U+FFFD."""
    for brk in ("\r\n", "\r", "\u2028", "\u2029", "\x85"):
        text = text.replace(brk, "\n")
    return text


@pytest.mark.parametrize("text", PAYLOADS)
def test_data_text_in_a_markdown_page_is_one_paragraph_of_that_text(text):
    """Python-Markdown with the site's extensions (and a few a community might add): after a label, at a line's
    start and in a table cell, the text comes out as itself and nothing else."""
    md = markdown.Markdown(extensions=SITE_EXTENSIONS)
    for source, wrapper in ((f"标签：{for_markdown(text)}", "p"), (for_markdown(text), "p")):
        html = md.reset().convert(source)
        assert [t for t, _ in tags(html)] == [wrapper], (text, html)
        assert text_of(html).strip() == ("标签：" + shown(text) if source.startswith("标签") else shown(text)).strip()
    table = md.reset().convert(f"| 阶段 | 天数 |\n|---|---|\n| {for_markdown(text)} | 1 |\n| 下一行 | 2 |\n")
    assert [t for t, _ in tags(table)] == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td", "tr", "td", "td"], table
    assert text_of(table).count("下一行") == 1


@pytest.mark.parametrize("text", PAYLOADS)
def test_data_text_in_commonmark_is_that_text(text):
    """The money diff goes to GitHub's job summary: CommonMark with tables and strikethrough."""
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(f"- 经办：{for_markdown(text)}\n")
    assert [t for t, _ in tags(html)] == ["ul", "li"], html
    assert unescape(html.removeprefix("<ul>\n<li>").removesuffix("</li>\n</ul>\n")) == "经办：" + shown(text)


@pytest.mark.parametrize("text", PAYLOADS)
def test_data_text_in_raw_html_and_attributes_is_that_text(text):
    html = f'<td data-value="{for_markdown(text)}" title=\'{for_markdown(text)}\'>{for_markdown(text)}</td>'
    assert tags(html) == [("td", {"data-value": shown(text), "title": shown(text)})]
    assert text_of(html) == shown(text)


def test_a_brace_is_shown_as_a_brace_and_opens_nothing():
    assert for_markdown("{x}") == "&#123;x&#125;"
    assert "{" not in for_markdown("{{ config }} {% raw %} {: .x }")
    assert unescape(for_markdown("{{ config }}")) == "{{ config }}"


def test_plain_text_ids_and_numbers_are_left_as_they_are():
    for text in ("王丽", "1-1-101", "first_call", "civil-code-162", "1,234.56", "-5.00", "2026-11-22", "../"):
        assert for_markdown(text) == text  # unchanged: ids still make links and anchors


def test_control_characters_are_shown_as_the_replacement_character():
    assert visible("王丽\x1b[2J\x07\r\x00\x7f\x9b31m\u202e\u2066末") == "王丽" + REPLACEMENT + "[2J" + REPLACEMENT * 5 + "31m" + REPLACEMENT * 2 + "末"
    assert visible("列1\t列2\n下一行") == "列1\t列2\n下一行"  # tab and newline are layout
    assert for_markdown("a\x1bb\x9bc\u202ed") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d"


# -- the site, built by the real command -------------------------------------------------------------------------

EVIL = "[a](javascript:alert(1))![](http://evil.example/y.png)<img src=x onerror=alert(2)>**b**_i_`c`|p{x}"
STAGE = "提醒{s}[s](javascript:alert(9))\n\n![](http://evil.example/s.png)\n# 标题\n| a | b |"


def q(text: str) -> str:
    """``text`` as a YAML (JSON) double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


NOTE = "备注\n\n# 标题\n" + EVIL + "\x1b[2J"
POLICY = f"""\
community: {q("花园" + EVIL)}
issuer: {{name: {q("委员会" + EVIL)}, address: "路1号", phone: "0571"}}
creditor: {{name: {q("物业" + EVIL)}}}
authorisations:
  - {{from: 2024-01-01, document: {q("授权书" + EVIL)}}}
fees:
  - {{id: property, name: {q("物业费" + EVIL)}, basis: area, rate: {{高层: "2.00"}}, cycle: 3, due_day: 15}}
late_fee: {{daily_rate: "0.0003"}}
dunning:
  - {{id: reminder, name: {q(STAGE)}, after_days: 1, channels: [sms]}}
  - {{id: notice, name: "通知书 | 破表 {{n}}", after_days: 30, channels: [letter], letter: notice}}
limitation: {{years: 3, warn_days: 180}}
"""
OWNER = f"""\
unit: 1-1-101
type: 高层
area: "89.50"
billing_start: 2024-01-01
owners:
  - {{name: {q("王丽" + EVIL)}, phone: "13800000000", address: {q("地址" + EVIL)}}}
contacts:
  - {{date: 2026-03-02, channel: phone, outcome: reached, evidence: {q("证据" + EVIL)}, by: {q("张敏" + EVIL)}, note: {q(NOTE)}}}
"""
PAYMENTS = f"""\
payments:
  - {{unit: 1-1-101, date: 2024-03-14, amount: "100.00", method: wechat, receipt: {q("R" + EVIL)}}}
"""


def hostile_community(root: Path) -> Path:
    (root / "ledger").mkdir(parents=True)
    (root / "owners").mkdir()
    (root / "ledger" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (root / "ledger" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    (root / "owners" / "1-1-101.yaml").write_text(OWNER, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("inert")
    root = hostile_community(tmp / "c")
    checked = cuijiao("check", root=root, as_of="2026-11-22")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = cuijiao("site", "--out", str(tmp / "out"), root=root, as_of="2026-11-22")
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    return tmp / "out" / "site"


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_no_link_image_script_or_handler_comes_out_of_the_data(hostile_site):
    for name, html in pages(hostile_site).items():
        for tag, attrs in tags(html):
            href = (attrs.get("href") or "").strip().lower()
            src = (attrs.get("src") or "").strip().lower()
            assert not href.startswith(("javascript:", "http://evil", "//")), (name, tag, attrs)
            assert "evil.example" not in src and not src.startswith("x"), (name, tag, attrs)
            assert not any(key.startswith("on") for key in attrs), (name, tag, attrs)
            assert tag != "iframe", name
        assert "&amp;#123;" not in html and "&#123;" not in text_of(html), name  # "{" reads "{" (item 11)


@pytest.mark.parametrize(("page", "literal"), [
    ("index.html", "花园" + EVIL),
    ("playbook/stages.html", "物业" + EVIL),
    ("playbook/stages.html", "授权书" + EVIL),
    ("units/1-1-101.html", "王丽" + EVIL),
    ("units/1-1-101.html", "张敏" + EVIL),
    ("units/1-1-101.html", "证据：证据" + EVIL),
    ("units/1-1-101.html", "R" + EVIL),
    ("units/1-1-101.html", "物业费" + EVIL),
    ("arrears.html", "通知书 | 破表 {n}"),
])
def test_the_data_text_is_shown_as_it_was_typed(hostile_site, page, literal):
    assert literal in text_of(pages(hostile_site)[page])


def test_a_stage_name_with_blank_lines_and_pipes_stays_in_its_table_cell(hostile_site):
    html = pages(hostile_site)["playbook/stages.html"]
    table = html[html.index("<table>"):html.index("</table>")]
    rows = table.split("<tr>")[2:]  # after the header row
    assert len(rows) == 2
    assert [tag for tag, _ in tags("<tr>" + rows[0])].count("td") == 5
    first_cell = rows[0][rows[0].index("<td>") + 4:rows[0].index("</td>")]
    assert unescape(first_cell) == STAGE and [t for t, _ in tags(first_cell)] == []
    assert "<h1" not in html.split("<h1", 1)[1] and "<strong>b</strong>" not in html and "<em>i</em>" not in html


def test_the_site_name_reads_the_same_everywhere_without_markup(hostile_site):
    html = pages(hostile_site)["index.html"]
    name = ("花园" + EVIL).replace("<", "＜").replace(">", "＞") + " 催缴台账"
    assert f"<title>看板 - {name}</title>" in html and f'title="{name}"' in html


def test_a_hostile_page_in_a_browser_shows_the_text_and_asks_nothing_of_the_outside(hostile_site):
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, Watched
    from tests.sitebuild import serve

    if NO_CHROMIUM:
        pytest.skip("no Chromium: neither Debian's chromium nor Playwright's")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p, serve(hostile_site) as base:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            w = Watched(browser, base)
            dialogs: list[str] = []
            w.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for page in ("index.html", "playbook/stages.html", "units/1-1-101.html"):
                w.page.goto(base + page)
                w.page.wait_for_load_state("networkidle")
                for link in w.page.locator("a").all():
                    assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            w.page.goto(base + "index.html")
            assert ("花园" + EVIL) in w.page.locator("h1").first.inner_text()
            w.page.goto(base + "units/1-1-101.html")
            assert ("王丽" + EVIL) in w.page.inner_text("body")
            assert w.outside() == [] and dialogs == [] and w.errors == []
        finally:
            browser.close()


# -- the terminal ---------------------------------------------------------------------------------------------------

ESCAPES = ("\x1b", "\x9b", "\x07", "\u202e")


@pytest.fixture
def noisy(tmp_path) -> Path:
    """The clean one-unit community with escape sequences in the stage name, the owner and the community."""
    root = tmp_path / "c"
    shutil.copytree(PROJECT / "tests" / "broken" / "_base", root)
    policy = root / "ledger" / "policy.yaml"
    text = policy.read_text(encoding="utf-8").replace("community: 测试花园", 'community: "测试花园\\e]8;;http://evil.example\\a链接\\e]8;;\\a"')
    policy.write_text(text.replace("name: 催缴通知书", 'name: "催缴通知书\\e[2J\\x9b31m\\u202e[link=http://evil.example]点[/link]"'), encoding="utf-8")
    owner = root / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("type: 高层", 'type: "高层\\e[2J"'), encoding="utf-8")
    return root


def test_check_messages_quoting_the_data_print_no_control_character(noisy):
    for fmt in ("text", "github"):
        result = cuijiao("check", "--format", fmt, root=noisy, as_of="2026-11-22")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"高层{REPLACEMENT}[2J" in result.stdout
        assert not any(c in result.stdout + result.stderr for c in ESCAPES)


def test_report_prints_stage_and_community_names_as_text(noisy):
    owner = noisy / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace('type: "高层\\e[2J"', "type: 高层"), encoding="utf-8")
    result = cuijiao("report", root=noisy, as_of="2026-11-22")
    assert result.returncode == 0, result.stderr
    assert not any(c in result.stdout + result.stderr for c in ESCAPES)
    # rich reads no markup in data: "[link=…]" and "[/link]" are printed (the cell wraps the long name)
    assert f"催缴通知书{REPLACEMENT}[2J{REPLACEMENT}31m{REPLACEMENT}[link=http://evil.e" in result.stdout
    assert "xample]点[/link]" in result.stdout
    assert f"测试花园{REPLACEMENT}]8;;http://evil.example{REPLACEMENT}链接{REPLACEMENT}]8;;{REPLACEMENT} 欠费情况" in result.stdout


def test_an_editing_helper_summary_prints_no_control_character(noisy):
    owner = noisy / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace('type: "高层\\e[2J"', "type: 高层"), encoding="utf-8")
    result = cuijiao("pay", "1-1-101", "10.00", "--date", "2026-11-20", "--method", "cash", "--receipt", "R\x1b[2J9",
                     "--note", "备注\x1b]8;;http://evil.example\x07", root=noisy, as_of="2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "下一步：催缴通知书" + REPLACEMENT + "[2J" in result.stdout  # the stage name from the policy
    assert not any(c in result.stdout + result.stderr for c in ESCAPES)


def test_report_json_keeps_the_names_but_prints_no_raw_control_character(noisy):
    owner = noisy / "owners" / "1-1-101.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace('type: "高层\\e[2J"', "type: 高层"), encoding="utf-8")
    result = cuijiao("report", "--format", "json", root=noisy, as_of="2026-11-22")
    assert result.returncode == 0, result.stderr
    assert not any(c in result.stdout for c in ESCAPES)
    report = json.loads(result.stdout)
    text = report["units"][0]["next_action"]["text"]  # the data, as it is
    assert text == "催缴通知书\x1b[2J\x9b31m\u202e[link=http://evil.example]点[/link]：书面通知"
    assert "\\u009b" in result.stdout and "\\u202e" in result.stdout


def test_playbook_text_keeps_its_inline_code_and_nothing_else():
    """The playbook and legal book (a community may write its own) are as inert as data; only `code` is kept."""
    from generator.content.playbook import load_playbook
    from generator.site.build import with_code_spans

    book = with_code_spans(load_playbook(PROJECT))
    applies = book.legal.article("civil-code-162").applies
    html = markdown.Markdown(extensions=SITE_EXTENSIONS).convert(f"**催费时**：{applies}")
    assert "<code>party: creditor</code>" in html and "`" not in html
    article = load_playbook(PROJECT).legal.article("civil-code-162")
    hostile = replace(article, applies="写 `[a](javascript:alert(1))` 和 [b](javascript:alert(2)) ![](http://evil.example/x.png)")
    html = markdown.Markdown(extensions=SITE_EXTENSIONS).convert(with_code_spans(hostile).applies)
    assert [t for t, _ in tags(html)] == ["p", "code"]
    assert text_of(html) == "写 [a](javascript:alert(1)) 和 [b](javascript:alert(2)) ![](http://evil.example/x.png)"
