"""Read a YAML file into position-carrying nodes, and nothing more.

We compose (never construct) with libyaml, so no implicit typing reaches the
data: every scalar stays the exact text the committee wrote, and the reader
decides what it means (``01066660000`` stays text, ``no`` is not false,
``1200.5`` becomes Decimal). Tags (even ``!!str``), anchors, aliases and merge
keys are refused, each at its place; duplicate keys are the reader's (``fields``).
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from generator.core.diagnostics import Diagnostic, Pos, error
from generator.speed.gcpause import paused_gc

try:  # libyaml is a hard requirement for speed, but keep a clear fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only on builds of PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

ScalarNode = yaml.ScalarNode
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One data file: its path relative to the root and its composed root node."""

    path: str
    node: yaml.Node | None


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (with or without BOM) or a clear error at the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            error(
                Pos(path, line, col),
                "文件不是 UTF-8 编码",
                "请用 UTF-8 编码另存该文件，例如在 VS Code 右下角选择“通过编码保存 → UTF-8”",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def compose(path: str, raw: bytes) -> tuple[SourceFile, list[Diagnostic]]:
    """Parse one file into nodes and check for YAML features we refuse.

    The node is None when the file cannot be read (not UTF-8, a syntax error)
    or must not be (aliases, merge keys, tags that change what a value is):
    then the problems say why and nothing else in the file is judged. A file
    whose only refused features are harmless to read past (an anchor nothing
    refers to, ``!!str`` and the other standard tags on a plain value) keeps
    its node, so that the reader reports the file's other problems too.
    """
    text, problems = decode(path, raw)
    if text is None:
        return SourceFile(path, None), problems
    return compose_text(path, text)


def compose_text(path: str, text: str) -> tuple[SourceFile, list[Diagnostic]]:
    """``compose`` of text already decoded."""
    problems: list[Diagnostic] = []
    try:
        with paused_gc():  # the cyclic GC dominates libyaml composing large files (5x)
            node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return SourceFile(path, None), [_libyaml_error(path, text, exc)]
    if node is not None and ("!" in text or "*" in text or "&" in text or "<<" in text):
        # A tag needs '!', an anchor '&', an alias '*', a merge key '<<'; most files have none.
        refused, readable = _refused_features(path, text)
        if refused:
            problems.extend(refused)
            if not readable:
                node = None
    return SourceFile(path, node), problems


def _libyaml_error(path: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_error(path, text, exc)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: libyaml names it by its index
        return _reader_error(path, text, exc)
    return error(Pos(path, 1, 1), f"YAML 格式错误：无法解析（{exc}）", _syntax_hint(""))  # pragma: no cover - libyaml marks its errors


def scan(path: str, text: str) -> tuple[list[Diagnostic], bool]:
    """What composing ``text`` would report, found from libyaml's events without keeping any node.

    Returns the syntax error (if any) or the refused features, and whether the
    nodes would be readable; memory stays flat however large the file is.
    """
    plain = True
    try:
        with paused_gc():
            for event in yaml.parse(text, Loader=_Loader):
                if plain and (type(event) is yaml.AliasEvent or getattr(event, "anchor", None) is not None
                              or getattr(event, "tag", None) is not None):
                    plain = False
    except yaml.YAMLError as exc:
        return [_libyaml_error(path, text, exc)], False
    if plain and "<<" not in text:
        return [], True
    return _refused_features(path, text)


def _syntax_error(path: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """libyaml's complaint in Chinese (its own words in brackets), at the place to fix."""
    problem = (exc.problem or exc.context or "无法解析").strip()
    context = (exc.context or "").strip()
    mark, where = exc.problem_mark or exc.context_mark, ""
    opened = exc.context_mark
    if "quoted scalar" in context and opened is not None and "escape" not in problem:
        # An unclosed quote is noticed where the file ends or the next quote opens: point at the quote itself.
        mark = opened
        problem_words = _quote_problem(text, opened)
        return error(_mark_pos(path, mark), f"YAML 格式错误：{problem_words}（{context}: {problem}）", "在值的末尾补上同样的引号；值里本身含有引号时，改用另一种引号括起来")
    if "undefined alias" in problem and mark is not None:
        name = _name_at(text, mark, "*")
        return error(_mark_pos(path, mark), f"不支持 YAML 别名“*{name}”，而且前面没有对应的锚点“&{name}”（{problem}）", "把要引用的内容直接写在这里，删除“*" + name + "”")
    runaway = _runaway_quote(text, mark) if mark is not None and not isinstance(exc, yaml.composer.ComposerError) else None
    if runaway is not None:
        # A quote left open swallows the lines up to the next quote; libyaml notices only after it: point at the quote.
        start, end = runaway.start_mark, runaway.end_mark
        kind = "双引号" if runaway.style == '"' else "单引号"
        return error(
            _mark_pos(path, start),
            f"YAML 格式错误：第 {start.line + 1} 行第 {start.column + 1} 列的{kind} {runaway.style} 可能没有闭合，它一直延续到第 {end.line + 1} 行（第 {mark.line + 1} 行第 {mark.column + 1} 列：{context + ': ' if context else ''}{problem}）",
            f"在这个值的末尾补上 {runaway.style}；值里本身含有 {runaway.style} 时，改用另一种引号把整个值括起来",
        )
    if opened is not None and mark is not None and opened.line != mark.line and ("flow" in context or "block" in context):
        where = f"第 {opened.line + 1} 行第 {opened.column + 1} 列开始的这一段里，"
    words = _chinese_problem(problem)
    hint = _syntax_hint(problem)
    if mark is not None:
        if _tab_only_line(text, mark.line):
            return error(_mark_pos(path, mark), f"YAML 格式错误：第 {mark.line + 1} 行是空行，但里面有 Tab 字符（{problem}）", "删除这一行里的 Tab（或整行删掉）；YAML 里只能用空格")
        if _tab_at(text, mark.line, mark.column):
            words = f"这一行用了 Tab 缩进（{problem}）"
            hint = _syntax_hint("tab")
    pos = _mark_pos(path, mark) if mark else Pos(path, 1, 1)
    return error(pos, f"YAML 格式错误：{where}{words}", hint)


def _runaway_quote(text: str, mark):
    """The quoted scalar spanning several lines that ends on the error's line, if any: most likely a quote left open."""
    found = None
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if type(event) is yaml.ScalarEvent and event.style in ("'", '"') and event.start_mark.line < event.end_mark.line:
                found = event
    except yaml.YAMLError:
        pass
    if found is not None and found.end_mark.line == mark.line:
        return found
    return None


def _name_at(text: str, mark, sigil: str) -> str:
    """The anchor or alias name written at ``mark`` (after ``sigil``)."""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    rest = line[mark.column :]
    rest = rest[1:] if rest.startswith(sigil) else rest
    name = ""
    for char in rest:
        if char.isspace() or char in ",[]{}":
            break
        name += char
    return name


def _mark_pos(path: str, mark) -> Pos:
    return Pos(path, mark.line + 1, mark.column + 1)


def _quote_problem(text: str, opened) -> str:
    lines = text.splitlines()
    quote = lines[opened.line][opened.column : opened.column + 1] if opened.line < len(lines) else "\""
    kind = "双引号" if quote == "\"" else "单引号"
    return f"第 {opened.line + 1} 行第 {opened.column + 1} 列的{kind} {quote} 没有闭合"


def _reader_error(path: str, text: str, exc) -> Diagnostic:
    position = min(max(exc.position, 0), len(text))
    before = text[:position]
    line = before.count("\n") + 1
    col = position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return error(
        Pos(path, line, col),
        f"文件里有不可见的控制字符 U+{char:04X}（{exc.reason}）",
        "删除这个字符；它多半是从别的软件复制粘贴时带进来的，可以把这一行删掉重新输入",
    )


def _tab_only_line(text: str, line: int) -> bool:
    """A line that holds nothing but spaces and at least one Tab (libyaml refuses some of those)."""
    lines = text.splitlines()
    return line < len(lines) and "\t" in lines[line] and not lines[line].strip(" \t")


def _tab_at(text: str, line: int, column: int) -> bool:
    """libyaml reports most tabs as "found character that cannot start any token": look at the text."""
    lines = text.splitlines()
    if line >= len(lines):
        return False
    current = lines[line]
    return current[column : column + 1] == "\t" or "\t" in current[: len(current) - len(current.lstrip())]


# libyaml's wording -> what it means, in Chinese; the original follows for whoever searches for it.
_PROBLEMS = (
    ("mapping values are not allowed", "这里不能出现“键: 值”"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或两项之间缺少逗号"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或两项之间缺少逗号"),
    ("did not find expected key", "缩进不对齐，或缺少“键:”"),
    ("did not find expected '-' indicator", "列表项的缩进不对齐"),
    ("did not find expected node content", "这里缺少值"),
    ("could not find expected ':'", "缺少冒号"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 后面跟了不认识的字符"),
    ("found a tab character", "这里不能用 Tab"),
    ("cannot start any token", "这个字符不能出现在这里"),
    ("expected <block end>", "缩进不一致"),
    ("another document", "出现了第二个文档（---）"),
    ("single document", "出现了第二个文档（---）"),
    ("found undefined alias", "用了别名 *…，但没有对应的锚点 &…；程序也不支持锚点和别名"),
    ("found duplicate anchor", "同一个锚点 &… 定义了两次；程序也不支持锚点和别名"),
    ("second occurrence", "同一个锚点 &… 定义了两次；程序也不支持锚点和别名"),
    ("did not find expected alphabetic or numeric character", "& 或 * 后面缺少名字；程序也不支持锚点和别名"),
    ("undefined tag handle", "不认识的标签（以 ! 开头）；程序不支持 YAML 标签"),
    ("tag", "标签（以 ! 开头）写得不对；程序不支持 YAML 标签"),
    ("directive", "% 开头的指令写得不对"),
    ("expected a comment or a line break", "这里之后只能是注释或换行"),
    ("found unexpected ':'", "这里的冒号不对"),
    ("block sequence entries are not allowed", "这里不能开始列表（- ）"),
    ("expected the node content", "这里缺少值"),
    ("found incompatible YAML document", "不支持的 YAML 版本"),
    ("maximum nesting depth", "括号或缩进嵌套的层数太多"),
)


def _chinese_problem(problem: str) -> str:
    for needle, words in _PROBLEMS:
        if needle in problem:
            return f"{words}（{problem}）"
    return f"无法解析（{problem}）"


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return "YAML 不允许用 Tab 缩进，请改用空格"
    if "mapping values are not allowed" in problem:
        return "冒号后面要有空格；值里含冒号时请用引号括起来"
    if "another document" in problem or "single document" in problem:  # libyaml: "but found another document"
        return "一个文件只能有一个文档，请删除多余的 ---"
    if "alias" in problem or "anchor" in problem or "alphabetic or numeric" in problem:
        return "把要引用的内容直接写出来，删除 & 和 * 开头的写法；& 或 * 本身是值的一部分时，请给值加引号"
    if "tag" in problem:
        return "删除以 ! 开头的标签，直接写值；! 本身是值的一部分时，请给值加引号"
    if "nesting depth" in problem:
        return "台账里的值最多嵌套几层；检查这里是否多写了 [ 或 {，或是不是误放的别的文件"
    if "unknown escape" in problem:
        return "反斜杠本身要写成 \\\\，或改用单引号括起来"
    return "检查这一行及上一行的缩进、冒号和引号是否成对"


_HARMLESS_TAGS = {
    "scalar": frozenset("tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")) | {"!"},
    "mapping": frozenset({"tag:yaml.org,2002:map"}),
    "sequence": frozenset({"tag:yaml.org,2002:seq"}),
}
_MERGE = "<<"


def _refused_features(path: str, text: str) -> tuple[list[Diagnostic], bool]:
    """Every tag, anchor, alias and merge key, each at its place; and whether the nodes are still safe to read.

    Read from libyaml's events, which keep each anchor, alias and tag where it
    is written (composed nodes lose aliases and explicit standard tags).
    """
    lines = text.splitlines()
    problems: list[Diagnostic] = []
    readable = True
    # per open collection: [is a mapping, the next scalar/collection is a key]
    stack: list[list[bool]] = []
    merged = False  # the value after a merge key: its alias is part of the merge
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            stack.pop()
            _next_item(stack)
            continue
        if kind not in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent):
            continue
        is_key = bool(stack) and stack[-1][0] and stack[-1][1]
        pos = _mark_pos(path, event.start_mark)
        if kind is yaml.AliasEvent:
            readable = False
            if not merged:
                problems.append(error(
                    _at(path, lines, event.start_mark, "*" + event.anchor),
                    f"不支持 YAML 别名“*{event.anchor}”",
                    f"把锚点 &{event.anchor} 那里的内容直接抄写到这里；如果 * 是文字的一部分，请给整个值加引号",
                ))
            merged = False
            _next_item(stack)
            continue
        merged = False
        if event.anchor is not None:
            problems.append(error(
                _at(path, lines, event.start_mark, "&" + event.anchor),
                f"不支持 YAML 锚点“&{event.anchor}”",
                f"删除“&{event.anchor}”；要在别处用同样的内容，请直接再写一遍；如果 & 是文字的一部分，请给整个值加引号",
            ))
        if event.tag is not None:
            family = "scalar" if kind is yaml.ScalarEvent else "mapping" if kind is yaml.MappingStartEvent else "sequence"
            written = _written_tag(lines, event.start_mark)
            harmless = event.tag in _HARMLESS_TAGS[family]
            readable = readable and harmless
            hint = f"删除“{written}”，直接写值" + (f"：{event.value}" if family == "scalar" and harmless and event.value and len(event.value) <= 40 else "")
            if not written.startswith("!!"):
                hint += "；如果 ! 是文字的一部分，请给整个值加引号"
            problems.append(error(_at(path, lines, event.start_mark, written), f"不支持 YAML 标签“{written}”", hint))
        if kind is yaml.ScalarEvent:
            if is_key and event.value == _MERGE and event.implicit[0]:
                readable = False
                merged = True
                problems.append(error(pos, "不支持 YAML 合并键“<<”", "把要合并的各项直接写进这个映射，删除“<<: …”这一项"))
            _next_item(stack)
        else:
            stack.append([kind is yaml.MappingStartEvent, True])
    return problems, readable


def _next_item(stack: list[list[bool]]) -> None:
    """A node ended: in a mapping, a key is followed by a value and a value by a key."""
    if stack and stack[-1][0]:
        stack[-1][1] = not stack[-1][1]


def _written_tag(lines: list[str], mark) -> str:
    """The tag as written (``!!str``), from the node's properties in the text."""
    line = lines[mark.line] if mark.line < len(lines) else ""
    start = line.find("!", mark.column)
    if start < 0:
        return "!"
    end = start
    while end < len(line) and not line[end].isspace() and (line[end] not in ",]}" or line[start + 1 : start + 2] == "<"):
        end += 1
        if line[start + 1 : start + 2] == "<" and line[end - 1] == ">":
            break
    return line[start:end]


def _at(path: str, lines: list[str], mark, written: str) -> Pos:
    """Where ``written`` (an anchor, alias or tag) starts, at or after the node's mark on its line."""
    line = lines[mark.line] if mark.line < len(lines) else ""
    found = line.find(written, mark.column)
    return Pos(path, mark.line + 1, (found if found >= 0 else mark.column) + 1)
