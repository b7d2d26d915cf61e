"""Reading the statutes and the guides' citations, for the tests that check legal text (tests/content/).

The statute texts are under ``REFERENCE / "law"`` where this machine has them (tests skip where not):
``statute(law)`` is one law's whole text, ``article_text(law, "第…条")`` one article. ``citations(text)`` and
``blocks(text)`` read a guide page's Markdown: the articles it cites and its paragraphs, items and table rows.
"""
from __future__ import annotations

import re
from pathlib import Path

REFERENCE = Path("/work/shared/reference")
REPEALED_LAWS = ("民法通则", "合同法", "物权法")

# law -> the file name pattern of its text under REFERENCE / "law"
LAW_FILES = {
    "民法典": "民法典-*.md",
    "物业管理条例": "物业管理条例(2018-03-19).md",
    "物业服务纠纷解释": "最高人民法院关于审理物业服务纠纷案件*.md",
    "诉讼时效规定": "最高人民法院关于审理民事案件适用诉讼时效*.md",
    "合同编通则解释": "最高人民法院关于适用《民法典》合同编*.md",
    "民事诉讼法": "民事诉讼法*.md",
    "个人信息保护法": "个人信息保护法*.md",
}

NUMERAL = "〇零一二三四五六七八九十百千"
ONE_ARTICLE = rf"第[{NUMERAL}]+条(?:第[一二三四五六七八九十]+款)?"
CITATION = re.compile(rf"《([^《》]+)》((?:{ONE_ARTICLE}[、和]?)+)")


def statute(law: str) -> str:
    """The text of one law (its files joined, in name order)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((REFERENCE / "law").glob(LAW_FILES[law])))


def article_text(law: str, article: str) -> str:
    """The statute text of one article (its paragraphs separated by blank lines)."""
    text = statute(law)
    found = re.search(rf"^{article}[ \u3000]", text, re.M)
    assert found, (law, article)
    rest = text[found.start():]
    following = re.search(r"\n第[〇零一二三四五六七八九十百千]+条[ \u3000]", rest[len(article):])
    return rest[: len(article) + following.start()] if following else rest


def citations(text: str) -> list[tuple[str, str, str]]:
    """(law, 第…条, 第…款 or "") for every article cited as 《law》第…条, lists like 第十三条、第十四条 included."""
    flat = re.sub(r"\n[ \t]*", "", text)  # a citation may wrap onto the next line
    out = []
    for law, run in CITATION.findall(flat):
        for found in re.finditer(rf"(第[{NUMERAL}]+条)(第[一二三四五六七八九十]+款)?", run):
            out.append((law, found.group(1), found.group(2) or ""))
    return out


def blocks(text: str) -> list[str]:
    """Paragraphs, list items and table rows outside code blocks; a wrapped item is one block."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = chunk.splitlines()
        if lines and lines[0].startswith("|"):
            out += lines[2:]  # the rows, without the header and its rule
            continue
        lines = [line for line in lines if not line.startswith(("#", "!!!"))]  # headings, an admonition's title
        item = ""
        for line in lines:
            if re.match(r"\s*(?:[-*]|\d+\.) ", line) and item:
                out.append(item)
                item = ""
            item += line.strip()
        if item:
            out.append(item)
    return [b for b in out if b]
