"""The legal book: loads clean, cites only law in force, keeps the letters' API, reports bad overrides by position."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.content.legal import (
    LEGAL_FILE,
    PROJECT_DIR,
    Article,
    article_number,
    chinese_number,
    load_legal,
)
from tests.legaltext import LAW_FILES, REFERENCE, REPEALED_LAWS, article_text, statute

LETTER_CONTEXTS = ("letter:notice", "letter:lawyer", "letter:statement", "letter:plan", "letter:board", "letter:evidence")


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
        text = statute(a.law.name)
        found = re.search(rf"^{a.article}[ \u3000]", text, re.M)
        assert found, a.id
        body = text[found.start(): found.start() + 1500]
        following = re.search(r"\n第[〇零一二三四五六七八九十百千]+条", body[len(a.article):])
        body = body[: len(a.article) + following.start()] if following else body
        for words in (a.summary, a.applies):
            assert _longest_common(words, body) < 16, (a.id, words)


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_the_repealing_article_names_the_repealed_laws():
    text = statute("民法典")
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


# -- v2: the corrections of the review and the articles the v2 rules rely on --------------------

def _paragraph(body: str, paragraph: str) -> str:
    numbers = "一二三四五六七八九十"
    parts = [p.strip() for p in body.split("\n\n") if p.strip() and not p.strip().startswith(("（", "("))]
    return parts[numbers.index(paragraph[1]) ] if paragraph else body


# id -> (law, article, paragraph, words the statute text of that article or paragraph holds)
V2_ARTICLES = {
    "civil-code-560": ("民法典", "第五百六十条", "", "指定其履行的债务"),
    "civil-code-188-2": ("民法典", "第一百八十八条", "第二款", "超过二十年"),
    "civil-code-197": ("民法典", "第一百九十七条", "", "当事人约定无效"),
    "civil-code-546": ("民法典", "第五百四十六条", "", "未通知债务人"),
    "civil-code-162": ("民法典", "第一百六十二条", "", "代理权限内"),
    "civil-code-165": ("民法典", "第一百六十五条", "", "授权委托书"),
    "civil-code-171": ("民法典", "第一百七十一条", "", "没有代理权"),
    "spc-limitation-8": ("诉讼时效规定", "第八条", "", "到达或者应当到达"),
    "spc-limitation-14": ("诉讼时效规定", "第十四条", "", "部分履行"),
    "spc-limitation-17": ("诉讼时效规定", "第十七条", "", "债权转让通知到达债务人之日起中断"),
    "spc-limitation-19": ("诉讼时效规定", "第十九条", "", "同意履行义务的意思表示"),
    "pipl-13": ("个人信息保护法", "第十三条", "", "为履行法定职责或者法定义务所必需"),
    "pipl-14": ("个人信息保护法", "第十四条", "", "自愿、明确作出"),
    "pipl-15": ("个人信息保护法", "第十五条", "", "撤回其同意"),
    "pipl-25": ("个人信息保护法", "第二十五条", "", "不得公开"),
    "pipl-28": ("个人信息保护法", "第二十八条", "", "不满十四周岁未成年人"),
    "pipl-29": ("个人信息保护法", "第二十九条", "", "单独同意"),
    "pipl-31": ("个人信息保护法", "第三十一条", "", "父母或者其他监护人"),
}


def test_the_articles_v2_relies_on_are_there_with_the_right_numbers(book):
    for article_id, (law, article, paragraph, _words) in V2_ARTICLES.items():
        a = book.article(article_id)
        assert (a.law.name, a.article, a.paragraph) == (law, article, paragraph), article_id
        assert a.checked == "text" and a.summary and a.applies, article_id
    assert book.article("civil-code-188-2").citation == "《中华人民共和国民法典》第一百八十八条第二款"
    assert book.article("civil-code-188-2").short == "民法典第一百八十八条第二款"
    assert book.article("civil-code-188").paragraph == ""


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_the_v2_article_numbers_point_at_what_the_statutes_say():
    for article_id, (law, article, paragraph, words) in V2_ARTICLES.items():
        assert words in _paragraph(article_text(law, article), paragraph), article_id


def test_the_expiry_is_the_last_day_of_the_period_not_a_day_early(book):
    for a in book.articles:
        for words in (a.summary, a.applies):
            assert not re.search(r"早一天|晚一天|多一天|少一天", words), a.id
    applies = book.article("civil-code-188").applies
    assert "第二百零一条" in applies and "第二百零二条" in applies and "最后一天" in applies
    assert "2023年1月15日到期" in applies and "2026年1月15日（含这一天）" in applies and "1月16日起" in applies
    assert "一致" in applies and "第二百零三条" in applies  # the holiday shift the desk does not make, said so


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_the_period_articles_say_what_the_expiry_text_relies_on():
    assert "开始的当日不计入" in article_text("民法典", "第二百零一条")
    assert "到期月的对应日为期间的最后一日" in article_text("民法典", "第二百零二条")


def test_the_desk_s_expiry_is_the_day_the_legal_text_names(tmp_path):
    """The example in the 188 entry, computed: due 2023-01-15, in time on 2026-01-15, barred from 2026-01-16."""
    from tests.community import Community

    c = Community(tmp_path / "c")
    c.unit("1-1-101", billing_start="2023-01-01")
    first = lambda as_of: next(row for row in c.unit_report("1-1-101", as_of)["charges"] if row["due"] == "2023-01-15")  # noqa: E731
    assert first("2026-01-15")["expiry"] == "2026-01-15" and first("2026-01-15")["status"] != "expired"
    assert first("2026-01-16")["status"] == "expired"


def test_regulation_64_is_a_duty_of_the_committee_not_a_precondition_of_suing(book):
    texts = {a.id: a.summary + a.applies for a in book.articles} | {r.id: r.note for r in book.repealed}
    for ident, words in texts.items():
        assert not re.search(r"法定顺序|先出面督促|先督促并|(?<!不是)起诉前必须", words), ident
    article = book.article("property-regulation-64")
    assert "不是起诉前必须走完的程序" in article.applies and "职责" in article.applies
    assert "应当督促" in article.summary
    assert "不是起诉的前提" in next(r for r in book.repealed if r.id == "property-regulation-old-67").note
    assert "先由" not in book.article("fee-measures-15").summary
    assert "起诉前的常规做法" in book.article("civil-code-944").applies and "第六十四条" not in book.article("civil-code-944").applies


def test_the_committees_basis_for_processing_owners_data_is_its_statutory_duty(book):
    a = book.article("pipl-13")
    assert "第三项" in a.summary and "第二项" in a.summary
    duty, contract = a.applies.split("物业服务企业向业主本人收费", 1)
    assert "业委会" in duty and "法定职责（第三项）" in duty and "而不是物业服务合同" in duty
    assert "第六十四条" in duty and "第十五条" in duty and "第二百八十六条" in duty
    assert "物业服务合同（第二项）" in contract
    assert "单独同意" in a.applies


def test_consent_and_sensitive_information_entries_name_the_keys(book):
    publish = book.article("pipl-25").applies
    assert "`kind: publish_arrears`" in publish and "list_units" in publish and "withdrawn" in publish and "不能代替" in publish
    assert "不是本人的同意" in book.article("pipl-14").applies
    sensitive = book.article("pipl-28").applies
    assert "行动不便" in sensitive and "有小孩" in sensitive and "需要上门" in sensitive and "cuijiao check" in sensitive


def test_limitation_entries_teach_purpose_covers_and_the_confirmed_address(book):
    demand = book.article("civil-code-195").applies
    assert "`purpose: service`" in demand and "不中断时效" in demand and "授权" in demand
    delivered = book.article("spc-limitation-8").applies
    assert "service_address" in delivered and "第一款第二项" in delivered and "应当到达" in delivered
    assert "`covers: in_time`" in book.article("spc-limitation-14").applies
    barred = book.article("spc-limitation-19").applies
    assert "`covers: all`" in barred and "录音" in barred and "大事" in barred and "第七条" in barred
    assert "assignment_notified" in book.article("spc-limitation-17").applies
    assert "for" in book.article("civil-code-560").applies and "负担" in book.article("civil-code-560").applies
    assert "authorisations" in book.article("civil-code-162").applies and "party: creditor" in book.article("civil-code-162").applies


def test_the_new_articles_have_contexts_for_pages_and_letters(book):
    ids = lambda context: [a.id for a in book.for_context(context)]  # noqa: E731
    assert ids("letter:authorised") == ["civil-code-162", "civil-code-165"]
    assert ids("letter:allocation") == ["civil-code-560"]
    assert ids("letter:assignment") == ["civil-code-546", "spc-limitation-17"]
    assert {"civil-code-188", "civil-code-188-2", "spc-limitation-8", "spc-limitation-17", "spc-limitation-19", "civil-code-197"} <= set(ids("page:limitation"))
    assert {"pipl-14", "pipl-25", "pipl-28"} <= set(ids("page:privacy"))
    assert "civil-code-171" in ids("page:creditor")
    for context, refs in book.uses:
        assert len(book.for_context(context)) == len(refs), context
        assert book.context_label(context) != context, context  # every context has a name for the legal page
    assert book.context_label("letter:barred") == "函件：有已过诉讼时效的欠费时"
    assert book.context_label("letter:no-such") == "letter:no-such"


def test_a_community_may_name_a_paragraph_and_a_context(tmp_path):
    root = _community(tmp_path, """\
articles:
  - id: civil-code-195-1
    law: 民法典
    article: 第一百九十五条
    paragraph: 第一项
    checked: text
    summary: 权利人要求履行。
    applies: 催告。
  - id: civil-code-196-2
    law: 民法典
    article: 第一百九十六条
    paragraph: 第二段
    checked: text
    summary: x
    applies: y
uses:
  letter:custom: [civil-code-195-1]
contexts:
  letter:custom: 函件：本小区的函
""")
    book = load_legal(root)
    assert book.article("civil-code-195-1").citation == "《中华人民共和国民法典》第一百九十五条第一项"
    assert book.context_label("letter:custom") == "函件：本小区的函"
    assert book.context_label("letter:notice") == load_legal().context_label("letter:notice")
    rendered = [p.render() for p in book.problems]
    assert len(rendered) == 1 and rendered[0].startswith(f"{LEGAL_FILE}:9:5: 错误") and "第二段" in rendered[0], rendered
    assert not book.has("civil-code-196-2")
