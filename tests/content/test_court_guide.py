"""The guide page 走到法院这一步 (docs/guide/court.md): every article it cites is in force, in the legal book and,
where this machine has the statute texts, in them; its time limits are the statutes' and its fee examples the
filings' own arithmetic; it is in the site's menu and the guide's index."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from generator.content.legal import PROJECT_DIR, chinese_number, load_legal
from generator.rules.courtfees import case_fee, payment_order_fee, simple_procedure_fee
from tests.legaltext import CITATION, LAW_FILES, REFERENCE, REPEALED_LAWS, article_text, blocks, citations

PAGE = PROJECT_DIR / "docs" / "guide" / "court.md"
# What the page states a statute says and must therefore cite: time limits, fees, appeals, limitation.
STATEMENT = re.compile(r"[一二三四五六七八九十两]+(?:日|个月|年)内?|受理费|申请费|一审终审|上诉|时效|强制执行")


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book():
    return load_legal()


def _entry(book, law: str, article: str, paragraph: str):
    return next((a for a in book.articles if (a.law.name, a.article, a.paragraph) == (law, article, paragraph)), None)


def test_the_citation_reader_reads_lists_paragraphs_and_wrapped_lines():
    text = "（《民事诉讼法》第一百六十五条第二款，《诉讼费用交纳办法》第十三条、第十四条、\n  第十六条）见《民法典》第十三章"
    assert citations(text) == [
        ("民事诉讼法", "第一百六十五条", "第二款"), ("诉讼费用交纳办法", "第十三条", ""),
        ("诉讼费用交纳办法", "第十四条", ""), ("诉讼费用交纳办法", "第十六条", ""),
    ]


def test_every_article_the_guide_cites_is_explained_in_the_legal_book_under_the_guide(page, book):
    cited = citations(page)
    assert len(cited) > 60
    entries = {}
    for law, article, paragraph in cited:
        entry = _entry(book, law, article, paragraph)
        assert entry is not None, (law, article, paragraph)
        entries[entry.id] = entry
    # The legal page says which articles the guide uses: exactly those it cites.
    assert {a.id for a in book.for_context("page:court")} == set(entries)
    assert book.context_label("page:court") == "手册：走到法院这一步"


def test_the_guide_cites_no_repealed_law(page, book):
    for name in REPEALED_LAWS:
        assert name not in page, name
    current = {law.name for law in book.laws}
    assert {law for law, _a, _p in citations(page)} <= current


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_every_cited_article_is_in_the_statute_texts(page, book):
    checked = set()
    for law, article, paragraph in citations(page):
        entry = _entry(book, law, article, paragraph)
        if law not in LAW_FILES:  # 诉讼费用交纳办法: no full text here, so the entry says it is secondary
            assert entry.checked == "secondary", entry.id
            continue
        body = article_text(law, article)
        assert body.startswith(article), (law, article)
        if paragraph:
            assert len([p for p in body.split("\n\n") if p.strip() and not p.strip().startswith("（")]) >= 2, (law, article)
        checked.add((law, article))
    assert ("民事诉讼法", "第二百二十五条") in checked and ("诉讼时效规定", "第十条") in checked


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not on this machine")
def test_the_fee_articles_without_a_text_are_the_ones_the_reference_names(page):
    facts = (REFERENCE / "legal-facts.md").read_text(encoding="utf-8")
    fees = facts[facts.index("## Court fees"):]
    for _law, article, _p in (c for c in citations(page) if c[0] == "诉讼费用交纳办法"):
        assert article in fees, article
    assert "全文不在本工具的参考资料里" in page


def test_every_statement_of_a_limit_or_a_fee_cites_an_article(page):
    titles = re.compile(r"《[^》]*》")  # a law's title is no statement: 《诉讼时效规定》 names one
    uncited = [b for b in blocks(page) if STATEMENT.search(titles.sub("", b)) and not CITATION.search(b)]
    assert len(blocks(page)) > 60
    assert uncited == []


TIME_LIMITS = ("七日", "五日", "十五日", "两个月", "三个月", "六个月", "二年")


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_the_time_limits_are_the_statutes(page):
    section = page[page.index("## 4."): page.index("## 5.")]
    rows = [r for r in section.splitlines() if r.startswith("| ") and "《" in r]
    assert len(rows) == 9
    for row in rows:
        _step, limit, basis = [cell.strip() for cell in row.strip("|").split("|")]
        words = re.search(r"[一二三四五六七八九十两]+(?:日|个月|年)", limit).group(0)
        assert words in TIME_LIMITS, row
        law, article, _p = citations(basis)[0]
        assert words in article_text(law, article), (words, law, article)


def _amount(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "").replace("元", "").strip())


def test_the_fee_examples_are_what_the_filings_compute(page):
    section = page[page.index("## 3."): page.index("## 4.")]
    examples = [r for r in section.splitlines() if re.match(r"\| [\d,]+\.\d\d 元 \|", r)]
    assert len(examples) == 6
    for row in examples:
        amount, ordinary, order, simple = (_amount(c) for c in row.strip("|").split("|"))
        assert (ordinary, order, simple) == (case_fee(amount), payment_order_fee(amount), simple_procedure_fee(amount)), row
    brackets = {"一万元以内": 10000, "超过一万元到十万元的部分": 100000, "超过十万元到二十万元的部分": 200000,
                "超过二十万元到五十万元的部分": 500000, "超过五十万元到一百万元的部分": 1000000}
    for label, upper in brackets.items():
        row = next(r for r in section.splitlines() if r.startswith(f"| {label} |"))
        assert _amount(row.strip("|").split("|")[2]) == case_fee(Decimal(upper)), label
    assert "50 + (25,800 − 10,000) × 2.5% = 50 + 395 = 445 元" in section
    assert "445 ÷ 3 ≈ 148.33 元" in section and "445 ÷ 2 = 222.50 元" in section
    assert "以法院的交费通知为准" in section


def test_the_guide_is_in_the_menu_and_the_index():
    menu = (PROJECT_DIR / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      - 走到法院这一步: guide/court.md\n" in menu
    assert menu.index("guide/letters.md") < menu.index("guide/court.md") < menu.index("guide/cli.md")
    index = (PROJECT_DIR / "docs" / "guide" / "index.md").read_text(encoding="utf-8")
    assert "[走到法院这一步](court.md)" in index


def test_numbers_in_citations_read_as_articles(page):
    """Sanity of the reader over the page: every cited number is a plausible article number."""
    for _law, article, _p in citations(page):
        assert 1 <= chinese_number(article[1:-1]) <= 1260, article


def test_the_filings_and_forms_cite_only_articles_checked_against_the_texts(book):
    """What a court paper or a form prints as its basis is never a secondary entry (the fee articles stay in the guide)."""
    expected = {
        "letter:payorder": {"civil-procedure-225", "civil-procedure-227", "spc-limitation-11"},
        "letter:suit": {"civil-procedure-122", "civil-procedure-124", "spc-limitation-10"},
        "letter:mediation": {"civil-procedure-125", "spc-limitation-12"},
        "letter:address": {"civil-procedure-90", "spc-limitation-8"},
        "letter:authority": {"civil-code-162", "civil-code-165"},
    }
    for context, must in expected.items():
        cited = book.for_context(context)
        assert must <= {a.id for a in cited}, context
        assert all(a.checked == "text" for a in cited), context
        assert book.context_label(context).startswith("函件："), context
