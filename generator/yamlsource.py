"""Read a YAML file into position-carrying nodes, and nothing more.

We compose (never construct) with libyaml, so no implicit typing reaches the
data: every scalar stays the exact text the committee wrote, and the schema
decides what it means (``01066660000`` stays text, ``no`` is not false,
``1200.5`` becomes Decimal). Duplicate keys, tags and aliases are refused.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass

import yaml

from .diagnostics import Diagnostic, Pos, error

try:  # libyaml is a hard requirement for speed, but keep a clear fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only on builds of PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

ScalarNode = yaml.ScalarNode
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode

_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One data file: its path relative to the root and its composed root node."""

    path: str
    node: yaml.Node | None


@contextmanager
def _no_cyclic_gc():
    """The cyclic GC dominates libyaml composing large files (5x): pause it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    """Parse one file into nodes and check for YAML features we refuse."""
    text, problems = decode(path, raw)
    if text is None:
        return SourceFile(path, None), problems
    try:
        with _no_cyclic_gc():
            node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(path, mark.line + 1, mark.column + 1) if mark else Pos(path, 1, 1)
        problem = (exc.problem or exc.context or "无法解析").strip()
        hint = _syntax_hint(problem)
        if mark and _tab_at(text, mark.line, mark.column):
            hint = _syntax_hint("tab")
        return SourceFile(path, None), [error(pos, f"YAML 格式错误：{_chinese_problem(problem)}", hint)]
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always marks its errors
        return SourceFile(path, None), [error(Pos(path, 1, 1), f"YAML 格式错误：{exc}")]
    if node is not None and ("!" in text or "*" in text):
        # An alias needs '*' and a tag needs '!'; most files have neither.
        problems.extend(_refuse_tags_and_aliases(path, node))
    return SourceFile(path, node), problems


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
    ("could not find expected ':'", "缺少冒号"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 后面跟了不认识的字符"),
    ("cannot start any token", "这个字符不能出现在这里"),
    ("expected <block end>", "缩进不一致"),
    ("another document", "出现了第二个文档（---）"),
    ("single document", "出现了第二个文档（---）"),
)


def _chinese_problem(problem: str) -> str:
    for needle, words in _PROBLEMS:
        if needle in problem:
            return f"{words}（{problem}）"
    return problem


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return "YAML 不允许用 Tab 缩进，请改用空格"
    if "mapping values are not allowed" in problem:
        return "冒号后面要有空格；值里含冒号时请用引号括起来"
    if "another document" in problem or "single document" in problem:  # libyaml: "but found another document"
        return "一个文件只能有一个文档，请删除多余的 ---"
    return "检查这一行及上一行的缩进、冒号和引号是否成对"


def _refuse_tags_and_aliases(path: str, root: yaml.Node) -> list[Diagnostic]:
    """Aliases show up as a node reached twice; tags as a non-standard tag."""
    problems: list[Diagnostic] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        key = id(node)
        if key in seen:
            problems.append(
                error(node_pos(path, node), "不支持 YAML 锚点和别名（& 与 *）", "请把内容直接写出来，不要引用别处")
            )
            continue
        seen.add(key)
        kind = type(node)
        if kind is ScalarNode:
            if node.tag not in _PLAIN_TAGS:
                problems.append(_tag_error(path, node))
        elif kind is MappingNode:
            if node.tag != _MAP_TAG:
                problems.append(_tag_error(path, node))
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        else:
            if node.tag != _SEQ_TAG:
                problems.append(_tag_error(path, node))
            stack.extend(node.value)
    return problems


def _tag_error(path: str, node: yaml.Node) -> Diagnostic:
    return error(
        node_pos(path, node),
        f"不支持 YAML 标签 {node.tag}",
        "请删除以 ! 开头的标签，直接写值",
    )


def node_pos(path: str, node: yaml.Node) -> Pos:
    mark = node.start_mark
    return Pos(path, mark.line + 1, mark.column + 1)
