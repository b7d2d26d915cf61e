"""The legal book: the articles that pages, the playbook and letters cite.

Read from ``site_templates/legal/laws.yaml`` (the project's, then the
community's own file of the same name, whose entries replace or add by id)
through the same position-keeping loader as the ledger: problems are
``Diagnostic``s with file:line:col, never exceptions.

    book = load_legal(root)
    for article in book.for_context("letter:notice"):
        article.citation   # 《中华人民共和国民法典》第九百四十四条
        article.summary

An entry may name one paragraph or item of an article (``paragraph: 第二款``),
cited as 《…》第一百八十八条第二款; its id is the article's with a suffix
(``civil-code-188-2``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import Diagnostic, Pos, error
from generator.core.lookup import find, merge_by_key
from generator.core.paths import PROJECT_DIR
from generator.reading.fields import BAD, Enum, ListOf, Reader, stage_id, text
from generator.reading.files import UnsafeFile, read_own
from generator.reading.yamlsource import MappingNode, ScalarNode, compose

LEGAL_FILE = "site_templates/legal/laws.yaml"
CHECKED = ("text", "secondary")  # checked against the full text / only a secondary source
CHECKED_WORDS = {"text": "已对照全文核对", "secondary": "未见全文，据二手资料整理"}

_ARTICLE_NO = re.compile(r"第[〇零一二三四五六七八九十百千]+条")
_PARAGRAPH = re.compile(r"第[一二三四五六七八九十]+款(第[一二三四五六七八九十]+项)?|第[一二三四五六七八九十]+项")
_CONTEXT = re.compile(r"[a-z]+:[a-z0-9_-]+")
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True, slots=True)
class Law:
    name: str  # short name the articles refer to: 民法典
    title: str  # full title, cited in 《》
    kind: str  # 法律 / 行政法规 / 司法解释 / ...
    version: str  # the version in force
    pos: Pos


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # stable: the site anchor and what the playbook and letters refer to
    law: Law
    article: str  # 第九百四十四条
    summary: str  # what it says, in our own words
    applies: str  # how it bears on collecting fees
    checked: str  # text | secondary
    pos: Pos
    paragraph: str = ""  # 第二款 / 第一款第三项 when the entry is about one part of the article

    @property
    def citation(self) -> str:
        """《中华人民共和国民法典》第九百四十四条 (第一百八十八条第二款 for a paragraph)"""
        return f"《{self.law.title}》{self.article}{self.paragraph}"

    @property
    def short(self) -> str:
        """民法典第九百四十四条"""
        return f"{self.law.name}{self.article}{self.paragraph}"

    @property
    def version(self) -> str:
        return self.law.version

    @property
    def anchor(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class Repealed:
    """An outdated citation found in the reference material, and what to cite instead."""

    id: str
    law: str  # the law's full name as it was
    article: str
    status: str  # 已废止 / 条文已删除 / 序号已变更 / ...
    note: str
    repealed_by: str | None  # the article id that repealed it, if any
    successors: tuple[str, ...]  # article ids to cite instead
    pos: Pos

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}"


@dataclass(frozen=True, slots=True)
class LegalBook:
    laws: tuple[Law, ...]
    articles: tuple[Article, ...]
    repealed: tuple[Repealed, ...]
    uses: tuple[tuple[str, tuple[str, ...]], ...]  # context -> article ids
    problems: tuple[Diagnostic, ...] = ()
    context_names: tuple[tuple[str, str], ...] = ()  # context -> what the legal page calls it (函件：催缴通知书)

    def article(self, article_id: str) -> Article:
        article = find(self.articles, article_id)
        if article is None:
            raise KeyError(f"no article {article_id!r} in the legal book")
        return article

    def has(self, article_id: str) -> bool:
        return any(a.id == article_id for a in self.articles)

    def for_context(self, context: str) -> tuple[Article, ...]:
        """The articles a context (``letter:notice`` ...) cites, in the listed order; () if unknown."""
        for name, ids in self.uses:
            if name == context:
                return tuple(self.article(i) for i in ids if self.has(i))
        return ()

    def context_label(self, context: str) -> str:
        """What the legal page calls a context ("函件：催缴通知书"); the context itself when the file names none."""
        return next((name for ctx, name in self.context_names if ctx == context), context)

    def successors(self, entry: Repealed) -> tuple[Article, ...]:
        return tuple(self.article(i) for i in entry.successors if self.has(i))

    def by_law(self) -> tuple[tuple[Law, tuple[Article, ...]], ...]:
        """Articles grouped by law, laws and articles in file order."""
        return tuple(
            (law, tuple(a for a in self.articles if a.law.name == law.name))
            for law in self.laws
            if any(a.law.name == law.name for a in self.articles)
        )

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]


def chinese_number(numeral: str) -> int | None:
    """九百四十四 -> 944, 十五 -> 15, 一千二百六十 -> 1260; None if it is not a plain numeral."""
    if not numeral or any(ch not in _DIGITS and ch not in _UNITS for ch in numeral):
        return None
    total, digit = 0, None
    for ch in numeral:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def article_number(article: str) -> int | None:
    """第九百四十四条 -> 944."""
    if not _ARTICLE_NO.fullmatch(article):
        return None
    return chinese_number(article[1:-1])


# -- reading -------------------------------------------------------------------

_LAW_SPEC = {"name": (text, True), "title": (text, True), "kind": (text, True), "version": (text, True)}
_ARTICLE_SPEC = {
    "id": (stage_id, True), "law": (text, True), "article": (text, True),
    "summary": (text, True), "applies": (text, True), "checked": (Enum(CHECKED, "checked"), True),
    "paragraph": (text, False),
}
_REPEALED_SPEC = {
    "id": (stage_id, True), "law": (text, True), "article": (text, True), "status": (text, True),
    "note": (text, True), "repealed_by": (stage_id, False), "successors": (ListOf(stage_id), True),
}
_TOP_SPEC = {
    "laws": (lambda r, n, k: n, False), "articles": (lambda r, n, k: n, False),
    "repealed": (lambda r, n, k: n, False), "uses": (lambda r, n, k: n, False),
    "contexts": (lambda r, n, k: n, False),
}


@dataclass(frozen=True, slots=True)
class _Raw:
    """What one file holds, before merging and resolving names."""

    laws: tuple[tuple[dict, Pos], ...]
    articles: tuple[tuple[dict, Pos], ...]
    repealed: tuple[tuple[dict, Pos], ...]
    uses: tuple[tuple[str, tuple[str, ...], Pos], ...]
    contexts: tuple[tuple[str, str], ...] = ()


def _items(r: Reader, top: dict, key: str, what: str, spec: dict, ident: str) -> tuple[tuple[dict, Pos], ...]:
    if key not in top:
        return ()
    out: list[tuple[dict, Pos]] = []
    seen: dict[str, Pos] = {}
    for node in r.sequence(top[key], what) or []:
        values = r.fields(node, what, spec)
        if values is None:
            continue
        name = values[ident]
        if name in seen:
            r.error(node, f"重复的 {ident}“{name}”", f"已在第 {seen[name].line} 行定义；同一文件里每个 {ident} 只能出现一次")
            continue
        seen[name] = r.pos(node)
        out.append((values, r.pos(node)))
    return tuple(out)


def _by_context(r: Reader, top: dict, key: str, example: str):
    """The (key node, value node) pairs of a ``context: …`` mapping whose keys are well-formed context names."""
    node = top.get(key)
    if node is None:
        return
    if type(node) is not MappingNode:
        r.error(node, f"{key} 应是“场合: …”的映射", f"例如 {example}")
        return
    for key_node, value_node in node.value:
        if type(key_node) is not ScalarNode or not _CONTEXT.fullmatch(key_node.value):
            r.error(key_node, f"场合名“{getattr(key_node, 'value', '')}”格式不对", "写成 小写英文:名称，例如 letter:notice")
            continue
        yield key_node, value_node


def _uses(r: Reader, top: dict) -> tuple[tuple[str, tuple[str, ...], Pos], ...]:
    out = []
    for key_node, value_node in _by_context(r, top, "uses", "letter:notice: [civil-code-944]"):
        ids = ListOf(stage_id)(r, value_node, key_node.value)
        if ids is not BAD:
            out.append((key_node.value, ids, r.pos(key_node)))
    return tuple(out)


def _context_names(r: Reader, top: dict) -> tuple[tuple[str, str], ...]:
    out = []
    for key_node, value_node in _by_context(r, top, "contexts", "letter:notice: 函件：催缴通知书"):
        name = text(r, value_node, key_node.value)
        if name is not BAD:
            out.append((key_node.value, name))
    return tuple(out)


def _read(path: str, raw: bytes) -> tuple[_Raw, list[Diagnostic]]:
    source, problems = compose(path, raw)
    empty = _Raw((), (), (), ())
    if problems or source.node is None:
        return empty, problems
    r = Reader(path)
    top = r.fields(source.node, "法律依据文件", _TOP_SPEC)
    if top is None:
        return empty, r.problems
    result = _Raw(
        laws=_items(r, top, "laws", "法律（laws）", _LAW_SPEC, "name"),
        articles=_items(r, top, "articles", "条文（articles）", _ARTICLE_SPEC, "id"),
        repealed=_items(r, top, "repealed", "旧条文（repealed）", _REPEALED_SPEC, "id"),
        uses=_uses(r, top),
        contexts=_context_names(r, top),
    )
    return result, r.problems


def _sources(root: Path | None) -> list[tuple[str, Path]]:
    files = [(LEGAL_FILE, PROJECT_DIR / LEGAL_FILE)]
    if root is not None:
        own = Path(root) / LEGAL_FILE
        if (own.is_file() or own.is_symlink()) and own.resolve() != files[0][1].resolve():
            files.append((LEGAL_FILE, own))
    return files


def load_legal(root: Path | None = None) -> LegalBook:
    """The project's legal book, with the community's own entries (``root/site_templates/legal/laws.yaml``) on top."""
    problems: list[Diagnostic] = []
    raws: list[_Raw] = []
    for rel, path in _sources(root):
        base = PROJECT_DIR if path == PROJECT_DIR / LEGAL_FILE else Path(root)
        try:
            data = read_own(base, path)
        except UnsafeFile as exc:
            problems.append(error(Pos(rel), f"读不到法律依据文件 {rel}：{exc}", "把它换成小区文件夹里的普通文件"))
            continue
        raw, found = _read(rel, data)
        problems.extend(found)
        raws.append(raw)
    laws: list = []
    articles: list = []
    repealed: list = []
    uses: list = []
    names: list = []
    for raw in raws:
        laws = merge_by_key(laws, raw.laws, lambda item: item[0]["name"])
        articles = merge_by_key(articles, raw.articles, lambda item: item[0]["id"])
        repealed = merge_by_key(repealed, raw.repealed, lambda item: item[0]["id"])
        uses = merge_by_key(uses, raw.uses, lambda item: item[0])
        names = merge_by_key(names, raw.contexts, lambda item: item[0])
    book = _resolve(laws, articles, repealed, uses, problems)
    return LegalBook(book.laws, book.articles, book.repealed, book.uses, book.problems, tuple(names))


def _resolve(laws, articles, repealed, uses, problems: list[Diagnostic]) -> LegalBook:
    law_records = {v["name"]: Law(v["name"], v["title"], v["kind"], v["version"], pos) for v, pos in laws}
    article_records: list[Article] = []
    for v, pos in articles:
        law = law_records.get(v["law"])
        if law is None:
            problems.append(error(pos, f"条文 {v['id']} 的 law“{v['law']}”没有在 laws 里定义", "可用：" + "、".join(law_records)))
            continue
        if not _ARTICLE_NO.fullmatch(v["article"]):
            problems.append(error(pos, f"条文 {v['id']} 的条号“{v['article']}”格式不对", "写成“第九百四十四条”这样的中文条号"))
            continue
        paragraph = v.get("paragraph", "")
        if paragraph and not _PARAGRAPH.fullmatch(paragraph):
            problems.append(error(pos, f"条文 {v['id']} 的款项“{paragraph}”格式不对", "写成“第二款”“第一款第三项”这样的中文款项，条号写在 article 里"))
            continue
        article_records.append(Article(v["id"], law, v["article"], v["summary"], v["applies"], v["checked"], pos, paragraph))
    ids = {a.id for a in article_records}
    repealed_records: list[Repealed] = []
    for v, pos in repealed:
        if v["id"] in ids:
            problems.append(error(pos, f"旧条文的 id“{v['id']}”与现行条文重复", "给旧条文换一个 id"))
            continue
        unknown = [i for i in (*v["successors"], v.get("repealed_by")) if i and i not in ids]
        if unknown:
            problems.append(error(pos, f"旧条文 {v['id']} 指向不存在的条文：{'、'.join(unknown)}", "successors 和 repealed_by 要写 articles 里的 id"))
        if not v["successors"]:
            problems.append(error(pos, f"旧条文 {v['id']} 没有写现行的对应条文", "在 successors 里至少写一个条文 id"))
        repealed_records.append(
            Repealed(v["id"], v["law"], v["article"], v["status"], v["note"], v.get("repealed_by"), v["successors"], pos)
        )
    use_records = []
    for context, refs, pos in uses:
        unknown = [i for i in refs if i not in ids]
        if unknown:
            problems.append(error(pos, f"场合 {context} 引用了不存在的条文：{'、'.join(unknown)}", "只能写 articles 里的 id"))
        use_records.append((context, tuple(refs)))
    used_laws = tuple(law_records[name] for name in law_records)
    return LegalBook(used_laws, tuple(article_records), tuple(repealed_records), tuple(use_records), tuple(problems))
