"""The guide page 放在哪里托管 (docs/guide/hosting.md): it cites only the personal information protection law, every
article it cites is in the legal book under the page and, where this machine has the statute, says what that article
says; its recommendation and its checklists are there; the retention it promises is the workflow's."""
from __future__ import annotations

import re

import pytest
import yaml

from generator.content.legal import PROJECT_DIR, load_legal
from tests.legaltext import REFERENCE, REPEALED_LAWS, article_text, blocks, citations

PAGE = PROJECT_DIR / "docs" / "guide" / "hosting.md"
WORKFLOW = PROJECT_DIR / ".github" / "workflows" / "collection-desk.yml"
LAW = "个人信息保护法"


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book():
    return load_legal()


def section(page: str, number: int) -> str:
    start = page.index(f"\n## {number}. ")
    following = page.find(f"\n## {number + 1}. ", start)
    return page[start: following if following != -1 else len(page)]


def table(text: str) -> list[list[str]]:
    """The body rows of the first table in text, each as its stripped cells."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def test_the_guide_cites_only_the_personal_information_protection_law(page):
    cited = citations(page)
    assert len(cited) >= 25
    assert {law for law, _a, _p in cited} == {LAW}
    for name in REPEALED_LAWS:
        assert name not in page


def test_every_cited_article_is_explained_in_the_legal_book_under_the_guide(page, book):
    entries = set()
    for law, article, paragraph in citations(page):
        entry = next((a for a in book.articles if (a.law.name, a.article, a.paragraph) == (law, article, paragraph)), None)
        assert entry is not None, (law, article, paragraph)
        assert entry.checked == "text", entry.id  # checked against the statute's text, never second-hand
        entries.add(entry.id)
    assert {a.id for a in book.for_context("page:hosting")} == entries
    assert book.context_label("page:hosting") == "手册：放在哪里托管"


# What the guide says an article provides, and the words of the statute that say it: (article, the guide's words in
# a block citing that article, the statute's words in that article).
CLAIMS = (
    ("第四条", "处理个人信息", "存储"),
    ("第九条", "负责", "负责"),
    ("第十九条", "最短", "最短时间"),
    ("第二十一条", "受托人", "受托人"),
    ("第二十一条", "交还或删除", "返还"),
    ("第三十六条", "境内", "境内存储"),
    ("第三十六条", "安全评估", "安全评估"),
    ("第三十八条", "标准合同", "标准合同"),
    ("第三十八条", "认证", "个人信息保护认证"),
    ("第三十八条", "安全评估", "安全评估"),
    ("第三十九条", "单独同意", "单独同意"),
    ("第三十九条", "行使权利的方式和程序", "行使本法规定权利的方式和程序"),
    ("第四十条", "国家网信部门规定数量", "国家网信部门规定数量"),
    ("第五十一条", "应急预案", "应急预案"),
    ("第五十五条", "影响评估", "个人信息保护影响评估"),
    ("第五十五条", "境外", "向境外提供个人信息"),
    ("第五十六条", "至少保存三年", "至少保存三年"),
    ("第五十七条", "通知", "通知"),
    ("第五十九条", "安全", "保障所处理的个人信息的安全"),
)


def _citing(page: str, article: str) -> list[str]:
    return [b for b in blocks(page) if any(a == article for _l, a, _p in citations(b))]


def test_each_claim_is_made_where_its_article_is_cited(page):
    for article, guide_words, _statute_words in CLAIMS:
        assert any(guide_words in b for b in _citing(page, article)), (article, guide_words)
    assert {a for a, _g, _s in CLAIMS} == {a for _l, a, _p in citations(page)}


@pytest.mark.skipif(not (REFERENCE / "law").is_dir(), reason="statute texts not on this machine")
def test_each_claim_is_what_the_statute_says():
    for article, _guide_words, statute_words in CLAIMS:
        assert statute_words in article_text(LAW, article), (article, statute_words)
    # 第五十五条第四项, as the GitHub section cites it, is the item about providing abroad.
    items = [p for p in article_text(LAW, "第五十五条").split("\n\n") if p.startswith("（")]
    assert items[3].startswith("（四）") and "境外" in items[3]


def test_github_is_abroad_and_owes_the_cross_border_duties(page):
    github = section(page, 3)
    cited = {a for _l, a, _p in citations(github)}
    assert {"第三十八条", "第三十九条", "第五十五条", "第五十六条", "第四十条"} <= cited
    assert "境外" in github and "单独同意" in github
    assert "只适合放不含个人信息的示例数据" in github
    assert "删掉整个仓库" in github  # git keeps every old version


def test_the_recommendation_table_recommends_self_hosting_and_keeps_the_street_office_at_home(page):
    comparison = section(page, 2)
    header = next(line for line in comparison.splitlines() if line.startswith("|"))
    assert [c.strip() for c in header.strip("|").split("|")] == ["", "GitHub", "自己的服务器上的 Forgejo 或 Gitea", "国内的代码托管服务"]
    rows = {row[0]: row[1:] for row in table(comparison)}
    assert {"数据放在哪里", "法律上多出来的事", "谁来维护", "检查流程", "适合谁"} <= set(rows)
    suited = rows["适合谁"]
    assert ["**推荐**" in cell for cell in suited] == [False, True, False]
    assert suited[0].startswith("只放不含个人信息的示例数据")
    assert "境外" in rows["数据放在哪里"][0] and "境内" in rows["数据放在哪里"][1]
    assert "真实的业主资料不要放在 GitHub 上" in comparison
    assert any("街道" in b and "第三十六条" in b for b in blocks(comparison))


def test_self_hosting_says_who_administers_backs_up_updates_and_runs_the_checks(page):
    self_hosted = section(page, 4)
    for words in ("管理员", "HTTPS", "安全更新", "备份", "`forgejo dump`", "`gitea dump`", "运行器", "两步验证",
                  "ARTIFACT_RETENTION_DAYS", "DEFAULT_ACTIONS_URL", "境内"):
        assert words in self_hosted, words


def test_domestic_hosting_lists_what_to_check_and_names_no_company(page):
    domestic = section(page, 5)
    for words in ("**服务器在哪里**", "**个人信息处理条款**", "**私有仓库**", "**流水线**", "**影响评估**", "**当前**"):
        assert words in domestic, words
    assert "本页不列名字" in domestic
    assert "http" not in domestic  # no provider is linked, let alone described


def test_the_checklist_says_what_to_do_wherever_the_repository_is(page):
    rows = {row[0]: row[1] for row in table(section(page, 6))}
    assert {"私有仓库", "谁有权限", "只发布加密的网站", "构件保留期", "备份", "影响评估", "出了事"} <= set(rows)
    assert "7 天" in rows["构件保留期"]


def _upload_steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])
            if "upload-artifact@" in str(step.get("uses", "")) and "pages" not in str(step.get("uses", ""))]


def test_the_retention_the_guide_promises_is_the_workflows():
    """The guide says the site and the letters are kept 7 days: no artifact of the workflow is kept longer."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    uploads = _upload_steps(workflow)
    assert uploads
    for step in uploads:
        days = step.get("with", {}).get("retention-days")
        assert days is not None and int(days) <= 7, step.get("name")


def test_the_guide_is_in_the_menu_and_its_links_resolve(page):
    menu = (PROJECT_DIR / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      - 放在哪里托管: guide/hosting.md\n" in menu
    targets = [t for t in re.findall(r"\]\(([^)#]+\.md)[^)]*\)", page) if "://" not in t]
    assert "../legal.md" in targets and "github.md" in targets
    for target in targets:
        if target.startswith("../"):  # a page the site generates, such as the legal book: in the menu
            assert f": {target[3:]}\n" in menu, target
        else:
            assert (PAGE.parent / target).is_file(), target
