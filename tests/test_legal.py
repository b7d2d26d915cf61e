"""The legal book: loads clean, cites only law in force, keeps the letters' API, reports bad overrides by position."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.legal import LEGAL_FILE, PROJECT_DIR, Article, article_number, chinese_number, load_legal

REFERENCE = Path("/work/shared/reference")
LETTER_CONTEXTS = ("letter:notice", "letter:lawyer", "letter:statement", "letter:plan", "letter:board", "letter:evidence")
REPEALED_LAWS = ("民法通则", "合同法", "物权法")


@pytest.fixture(scope="module")
def book():
    return load_legal()


def test_project_legal_book_loads_without_problems(book):
    assert [p.render() for p in book.problems] == []
    assert len(book.articles) >= 40


def test_letters_get_articles_with_citation_and_summary(book):
    notice = book.for_context("letter:notice")
    assert notice and all(isinstance(a, Article) for a in notice)
    first = book.article("civil-code-944")
    assert first in notice
    assert first.citation == "《中华人民共和国民法典》第九百四十四条"
    assert first.short == "民法典第九百四十四条"
    assert first.summary and first.applies and "2021年1月1日" in first.version


def test_every_letter_context_cites_something(book):
    for context in LETTER_CONTEXTS:
        assert book.for_context(context), context
    assert book.for_context("letter:no-such-letter") == ()


def test_what_letters_print_never_words_cutting_supplies(book):
    """Letters print the summaries of their articles; none of them may read like a threat to cut supplies."""
    for context in LETTER_CONTEXTS:
        for a in book.for_context(context):
            assert not re.search(r"停水|停电|断水|断电|停气|停暖|断绝", a.summary + a.applies), (context, a.id)


def test_unknown_article_id_is_a_key_error(book):
    with pytest.raises(KeyError):
        book.article("contract-law-107")  # outdated citations are not articles


@pytest.mark.parametrize("numeral, value", [("七", 7), ("十五", 15), ("六十四", 64), ("一百零六", 106), ("九百四十四", 944), ("一千零三十三", 1033), ("一千二百六十", 1260), ("二百二十五", 225)])
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_article_ids_carry_the_article_number(book):
    """civil-code-944; an entry about one paragraph adds its number: civil-code-188-2 is 第一百八十八条第二款."""
    for a in book.articles:
        found = re.fullmatch(r"[a-z-]+?-(\d+)(?:-(\d+))?", a.id)
        assert found and article_number(a.article) == int(found.group(1)), a.id
        if found.group(2):
            assert a.paragraph == f"第{'一二三四五六七八九'[int(found.group(2)) - 1]}款", a.id
        else:
            assert a.paragraph == "", a.id


def test_the_core_collection_articles_are_there(book):
    wanted = [
        "civil-code-944", "civil-code-939", "civil-code-188", "civil-code-192", "civil-code-193", "civil-code-195",
        "civil-code-577", "civil-code-585", "civil-code-509", "property-regulation-41", "property-regulation-64",
        "fee-measures-15", "spc-property-2", "spc-limitation-8", "spc-limitation-14", "civil-procedure-225",
        "civil-procedure-227", "pipl-13", "pipl-25",
    ]
    for article_id in wanted:
        assert book.has(article_id), article_id


def test_no_current_article_is_a_repealed_law(book):
    for law in book.laws:
        assert not any(name in law.title for name in REPEALED_LAWS), law.title
    for a in book.articles:
        for name in REPEALED_LAWS:
            assert name not in a.summary + a.applies, (a.id, name)


def test_each_outdated_citation_is_listed_once_with_a_current_successor(book):
    cited = {(r.law, r.article) for r in book.repealed}
    assert len(cited) == len(book.repealed)
    for law, article in [
        ("中华人民共和国民法通则", "第一百零六条"), ("中华人民共和国民法通则", "第一百三十五条"),
        ("中华人民共和国合同法", "第一百零七条"), ("中华人民共和国合同法", "第一百八十二条"), ("中华人民共和国合同法", "第一百八十四条"),
        ("中华人民共和国物权法", "第七十二条"), ("中华人民共和国物权法", "第八十三条"),
    ]:
        assert (law, article) in cited
    for r in book.repealed:
        assert r.successors and len(book.successors(r)) == len(r.successors), r.id
        if r.repealed_by:
            assert book.has(r.repealed_by)
    assert book.successors(next(r for r in book.repealed if r.id == "contract-law-107"))[0].id == "civil-code-577"
    assert book.successors(next(r for r in book.repealed if r.id == "general-principles-135"))[0].id == "civil-code-188"


def test_utility_articles_never_license_a_property_manager(book):
    for article_id in ("civil-code-654", "civil-code-656"):
        assert "不能" in book.article(article_id).applies or "无关" in book.article(article_id).applies
    assert "第三款" in book.article("civil-code-944").summary


def test_secondary_sources_say_so(book):
    for a in book.articles:
        if a.law.name == "物业服务收费管理办法":
            assert a.checked == "secondary", a.id


def _community(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "site_templates" / "legal"
    folder.mkdir(parents=True)
    (folder / "laws.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_community_replaces_and_adds_articles_by_id(tmp_path):
    root = _community(tmp_path, """\
laws:
  - {name: 本市条例, title: 示例市物业管理条例, kind: 地方性法规, version: 2024年修订}
articles:
  - id: civil-code-944
    law: 民法典
    article: 第九百四十四条
    checked: text
    summary: 本小区改写的概括。
    applies: 本小区改写的用法。
  - id: local-regulation-50
    law: 本市条例
    article: 第五十条
    checked: secondary
    summary: 地方规定。
    applies: 地方用法。
uses:
  letter:notice: [civil-code-944, local-regulation-50]
""")
    book = load_legal(root)
    assert book.problems == ()
    assert book.article("civil-code-944").summary == "本小区改写的概括。"
    assert [a.id for a in book.for_context("letter:notice")] == ["civil-code-944", "local-regulation-50"]
    assert book.article("local-regulation-50").citation == "《示例市物业管理条例》第五十条"
    assert [a.id for a in book.for_context("letter:lawyer")] == [a.id for a in load_legal().for_context("letter:lawyer")]
    assert [a.id for a in book.articles].index("civil-code-944") == [a.id for a in load_legal().articles].index("civil-code-944")


def test_bad_override_is_reported_with_file_line_and_column(tmp_path):
    root = _community(tmp_path, """\
articles:
  - id: civil-code-9999
    law: 民法总则
    article: 第九千九百九十九条
    checked: text
    summary: x
    applies: y
  - id: pipl-25
    law: 个人信息保护法
    article: 第二十五条
    checked: maybe
    summary: x
    applies: y
uses:
  letter:notice: [civil-code-944, no-such-article]
""")
    book = load_legal(root)
    rendered = [p.render() for p in book.problems]
    assert any(r.startswith(f"{LEGAL_FILE}:2:5: 错误") and "民法总则" in r for r in rendered), rendered
    assert any(r.startswith(f"{LEGAL_FILE}:11:14: 错误") and "maybe" in r for r in rendered), rendered
    assert any(r.startswith(f"{LEGAL_FILE}:15:3: 错误") and "no-such-article" in r for r in rendered), rendered
    assert book.article("pipl-25").summary == load_legal().article("pipl-25").summary  # the bad entry is not used


def test_yaml_syntax_errors_do_not_raise(tmp_path):
    root = _community(tmp_path, "articles:\n  - id: x\n   bad: [\n")
    book = load_legal(root)
    assert book.errors and book.errors[0].pos.path == LEGAL_FILE
    assert book.has("civil-code-944")


# -- checks against the statute texts, where this machine has them -------------------

LAW_FILES = {
    "民法典": "民法典-*.md",
    "物业管理条例": "物业管理条例(2018-03-19).md",
    "物业服务纠纷解释": "最高人民法院关于审理物业服务纠纷案件*.md",
    "诉讼时效规定": "最高人民法院关于审理民事案件适用诉讼时效*.md",
    "合同编通则解释": "最高人民法院关于适用《民法典》合同编*.md",
    "民事诉讼法": "民事诉讼法*.md",
    "个人信息保护法": "个人信息保护法*.md",
}


def _statute(law: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((REFERENCE / "law").glob(LAW_FILES[law])))


def _longest_common(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        j = i + best + 1
        while j <= len(a) and a[i:j] in b:
            best = j - i
            j += 1
    return best


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_checked_articles_exist_in_the_statute_texts_and_are_not_copied(book):
    for a in book.articles:
        if a.checked != "text":
            assert a.law.name not in LAW_FILES or a.law.name == "物业服务收费管理办法"
            continue
        text = _statute(a.law.name)
        found = re.search(rf"^{a.article}[ \u3000]", text, re.M)
        assert found, a.id
        body = text[found.start(): found.start() + 1500]
        following = re.search(r"\n第[〇零一二三四五六七八九十百千]+条", body[len(a.article):])
        body = body[: len(a.article) + following.start()] if following else body
        for words in (a.summary, a.applies):
            assert _longest_common(words, body) < 16, (a.id, words)


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_the_repealing_article_names_the_repealed_laws():
    text = _statute("民法典")
    repealing = re.search(r"^第一千二百六十条.*$", text, re.M).group(0)
    for name in REPEALED_LAWS:
        assert f"《中华人民共和国{name}》" in repealing


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not on this machine")
def test_legal_texts_are_written_anew():
    """No run of 14 characters of a summary, an application or a note is taken from the guides or any statute."""
    sources = [*REFERENCE.glob("*.txt"), *REFERENCE.glob("law/*.md")]
    material = re.sub(r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in sources))
    n = 14
    grams = {material[i:i + n] for i in range(len(material) - n + 1)}
    book = load_legal()
    texts = [(a.id, a.summary + "|" + a.applies) for a in book.articles] + [(r.id, r.note) for r in book.repealed]
    for ident, words in texts:
        ours = re.sub(r"\s+", "", words)
        copied = {ours[i:i + n] for i in range(len(ours) - n + 1)} & grams
        assert not copied, (ident, sorted(copied)[:3])


def test_the_holiday_rule_says_the_day_after_the_holiday_in_summary_and_use(book):
    a = book.article("civil-code-203")
    for words in (a.summary, a.applies):
        assert "第二天" not in words and "第一天" not in words
        assert "过完" in words


def test_limitation_entries_state_what_the_statutes_say(book):
    assert "应当知道" in book.article("civil-code-188").summary
    assert "程序结束" in book.article("civil-code-195").summary
    assert "业主承认欠费" not in book.article("civil-code-195").applies
    assert "完全民事行为能力" in book.article("spc-limitation-8").summary
    assert "成年" not in book.article("spc-limitation-8").applies
    assert "第四项" in book.article("spc-limitation-8").applies  # a notice in the media for an owner who cannot be found
    assert "提出" in book.article("civil-code-193").applies and "不准确" in book.article("civil-code-193").applies
    assert "limitation.years" in book.article("civil-code-197").applies


def test_collection_entries_do_not_overstate_the_law(book):
    assert "不是起诉的前提" in book.article("civil-code-944").applies
    penalty = book.article("civil-code-585").summary
    assert "调高" in penalty and "调低" in penalty and "明显高于或低于" not in penalty
    assert "期初欠费" in book.article("civil-code-585").applies


def test_unit_numbers_with_amounts_are_not_presented_as_publishable(book):
    for article_id in ("pipl-25", "pipl-4"):
        applies = book.article(article_id).applies
        assert "最多列出房号和金额" not in applies
    assert "单独同意" in book.article("pipl-25").applies and "不能代替" in book.article("pipl-25").applies


def test_the_late_fee_article_is_cited_only_through_its_own_context(book):
    for context in LETTER_CONTEXTS:
        assert "civil-code-585" not in [a.id for a in book.for_context(context)], context
    assert [a.id for a in book.for_context("letter:late-fee")] == ["civil-code-585"]
    assert book.for_context("letter:barred") and book.for_context("letter:plan-barred")


def test_the_owners_assembly_rules_are_marked_unverified(book):
    a = book.article("owners-assembly-rules-20")
    assert a.checked == "secondary" and "慎用" in a.applies and "业委会不能自己决定" in a.applies


def test_project_file_is_where_the_loader_looks():
    assert (PROJECT_DIR / LEGAL_FILE).is_file()
