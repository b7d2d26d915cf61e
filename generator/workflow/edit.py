"""Editing helpers: append a contact, payment, waiver, plan or complaint to the YAML for the committee
(and add a step, a resolution or the owner's confirmation to a complaint already there).

Each change is made with ruamel.yaml's round-trip mode, so the comments,
quoting and layout of the file stay as they were, and the new entry takes
the style of the entries before it (flow ``{...}`` or block). Before
anything is written the whole community is checked through the same
reading and validation as ``cuijiao check``, with the changed file taken
from memory; on any error nothing is written. A final guard re-reads the
new text with the validator's own YAML reader and makes sure every value
that was there before is still there, unchanged.
"""
from __future__ import annotations

import io
import os
import re
import secrets
import stat
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import msgspec
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from generator import pipeline
from generator.core.errors import CuijiaoError, os_reason
from generator.core.model import (
    FOR_LATE_FEE,
    FOR_OPENING,
    Ledger,
    Payment,
    Policy,
    Waiver,
)
from generator.core.money import fmt, fmt_grouped
from generator.reading import fields, specs
from generator.reading.files import MAX_FILE_BYTES
from generator.reading.load import read_file, read_policy_file
from generator.reading.yamlsource import MappingNode, ScalarNode, SequenceNode, compose
from generator.rules.engine import UnitState, unit_inputs, unit_state

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: edits are not locked (see edit_lock)
    fcntl = None

try:
    _CLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _CLoader = yaml.SafeLoader

# where each kind of entry goes when the community has no file for it yet
DEFAULT_LAYOUT = {"payments": "month", "waivers": "year", "plans": "year", "charges": "month"}
HEADER = {
    "payments": "缴费记录",
    "waivers": "减免记录（每笔都要写明批准人和理由）",
    "plans": "分期付款协议",
    "charges": "一次性收费",
}
_MONTH_FILE = re.compile(r"\d{4}-\d{2}\.yaml")
_YEAR_FILE = re.compile(r"\d{4}\.yaml")
_MONEY = re.compile(r"\d+(?:\.\d{1,2})?")


class EditError(CuijiaoError):
    """The change cannot be made; the message is Chinese and says why."""


@dataclass(frozen=True, slots=True)
class Edit:
    path: str  # posix path relative to the community root
    text: str  # the whole new content of the file
    created: bool


# -- values from the command line ---------------------------------------------------

def parse_money(text: str) -> Decimal:
    """An amount typed by a person: 1200, 1200.5, 1,200.50, ￥1,200.50元, full-width digits -> Decimal('1200.50');
    ValueError in Chinese."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").removesuffix("元").lstrip("¥").strip()
    if not _MONEY.fullmatch(cleaned):
        raise ValueError(f"“{text}”不是有效金额，请写成数字，最多两位小数，例如 1200.50")
    try:
        amount = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"“{text}”不是有效金额") from None
    if amount <= 0:
        raise ValueError(f"金额必须大于 0：“{text}”")
    return amount


# the forms import accepts: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日 (full-width digits too)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")


def parse_date(text: str) -> date:
    """A day typed by a person, in the forms import accepts: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _DATE_TEXT.fullmatch(cleaned)
    if not match:
        raise ValueError(f"“{text}”不是有效日期，请写成 2026-11-22、2026/11/22 或 2026年11月22日")
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"“{text}”这一天不存在，请检查月份和日子（例如 2 月没有 30 日）") from None
    if not fields.FIRST_DATE <= day <= fields.LAST_DATE:
        raise ValueError(f"“{text}”不在 {fields.FIRST_DATE} 到 {fields.LAST_DATE} 之间，请检查年份")
    return day


def parse_document(text: str) -> str:
    """A letter's 文号 as typed (full-width letters and small letters too): TZ-20261122-1-1-101."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    if not fields.DOCUMENT_NO.fullmatch(cleaned):
        raise ValueError(f"“{text}”不是函件的文号：照函件右上角的文号抄写，例如 TZ-20261122-1-1-101")
    return cleaned


_FOR_SEPARATORS = re.compile(r"[,，、\s]+")
_MARK = yaml.Mark("--for", 0, 0, 0, None, None)
# the Chinese words a committee member may write for ``for``'s English words (designation_text's words too)
FOR_WORDS = {"违约金": FOR_LATE_FEE, "滞纳金": FOR_LATE_FEE, "期初欠费": FOR_OPENING, "期初": FOR_OPENING,
             "旧欠": FOR_OPENING}


def _for_word(word: str) -> str:
    """One word of ``--for`` in the data's form: 违约金 -> late_fee, 2026年3月 or 2026/3 -> 2026-03."""
    if word in FOR_WORDS:
        return FOR_WORDS[word]
    month = _MONTH_TEXT.fullmatch(unicodedata.normalize("NFKC", word))
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{month.group(1)}-{int(month.group(2)):02d}"
    return word


def parse_designation(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--for 2026-03,opening --for late_fee`` -> ("2026-03", "opening", "late_fee"), by the schema's own rules.

    Chinese words (违约金, 期初欠费) and months in the forms of dates (2026年3月, 2026/3) are written in the
    data's form first. The words are then read by ``specs.payment_for``, the function that reads a
    payment's ``for`` in the data, so the command accepts exactly what ``cuijiao check`` accepts;
    ValueError with its Chinese message otherwise. ``late_fee`` goes alone: it makes the whole
    payment a late-fee payment (rule 4), so any other word beside it would do nothing.
    """
    words = [_for_word(word) for value in values for word in _FOR_SEPARATORS.split(value.strip()) if word]
    if not words:
        raise ValueError("--for 是空的：写月份（YYYY-MM，如 2026-03）、opening（期初欠费）或 late_fee（违约金）")
    nodes = [yaml.ScalarNode("tag:yaml.org,2002:str", word, _MARK, _MARK) for word in words]
    reader = fields.Reader("--for")
    designation = specs.payment_for(reader, yaml.SequenceNode("tag:yaml.org,2002:seq", nodes, _MARK, _MARK), "for")
    if designation is fields.BAD:
        problem = next(p for p in reader.problems if p.severity == "error")
        raise ValueError("；".join(text for text in (problem.message, problem.hint) if text))
    if FOR_LATE_FEE in designation and len(designation) > 1:
        raise ValueError("late_fee（违约金）要单独写：它让整笔缴费只抵违约金，写在一起的其他用途不起作用。"
                         "一笔钱既交违约金又交物业费时，分成两笔记")
    return designation


def designation_text(designation: tuple[str, ...]) -> str:
    """("2026-03", "opening") -> "2026年3月到期的欠费、期初欠费"."""
    words = {FOR_OPENING: "期初欠费", FOR_LATE_FEE: "违约金"}
    return "、".join(words.get(d) or f"{d[:4]}年{int(d[5:])}月到期的欠费" for d in designation)


def parse_installment(text: str) -> tuple[date, Decimal]:
    """``2026-12-01:1000`` -> (date, amount)."""
    due, sep, amount = text.replace("：", ":").partition(":")
    if not sep:
        raise ValueError(f"“{text}”应写成 日期:金额，例如 2026-12-01:1000.00")
    return parse_date(due), parse_money(amount)


def money_text(amount: Decimal) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(fmt(amount))


# -- where entries go ---------------------------------------------------------------------

def entries_file(root: Path, kind: str, when: date) -> str:
    """The file a new entry of ``kind`` dated ``when`` belongs in, following the community's own naming.

    ``ledger/<kind>/`` with month files (``2026-11.yaml``) or year files
    (``2026.yaml``) gets the file for ``when``; a single ``ledger/<kind>.yaml``
    gets everything; otherwise the default layout (payments by month,
    waivers and plans by year).
    """
    folder = root / "ledger" / kind
    names = sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []
    if any(_MONTH_FILE.fullmatch(n) for n in names):
        layout = "month"
    elif any(_YEAR_FILE.fullmatch(n) for n in names):
        layout = "year"
    elif not names and (root / "ledger" / f"{kind}.yaml").is_file():
        return f"ledger/{kind}.yaml"
    else:
        layout = DEFAULT_LAYOUT[kind]
    stem = f"{when:%Y-%m}" if layout == "month" else f"{when:%Y}"
    return f"ledger/{kind}/{stem}.yaml"


# -- round-trip YAML --------------------------------------------------------------------

def yaml_for(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long note
    try:
        _, sequence, offset = load_yaml_guess_indent(text) if text.strip() else (None, None, None)
    except YAMLError:
        sequence, offset = None, None
    if sequence is None or offset is None:
        sequence, offset = 4, 2  # the layout of the format description: "  - {...}"
    yaml.indent(mapping=max(sequence - offset, 2), sequence=sequence, offset=offset)
    return yaml


def dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _style_like(item: CommentedMap, previous, default_flow: bool, flow_children: tuple[str, ...] = ()) -> CommentedMap:
    """Give the new entry the style of the entry before it (or the default)."""
    flow = previous.fa.flow_style() if isinstance(previous, CommentedMap) else default_flow
    return _set_style(item, flow, flow_children)


def _set_style(item: CommentedMap, flow: bool, flow_children: tuple[str, ...] = ()) -> CommentedMap:
    if flow:
        item.fa.set_flow_style()
    else:
        item.fa.set_block_style()
        for key in flow_children:  # nested small things stay on one line: promise: {date: ..., amount: ...}
            child = item.get(key)
            if isinstance(child, (CommentedMap, CommentedSeq)):
                child.fa.set_flow_style()
    return item


def append_item(path: str, old_text: str | None, section: str, item: CommentedMap, *,
                default_flow: bool, flow_children: tuple[str, ...] = (), header: str = "") -> Edit:
    """The file with ``item`` appended to its top-level list ``section``, comments and layout kept.

    The new entry goes right after the last entry of the list. Comments
    after it that are indented under the list stay with that entry; a
    comment at the file's (or the next key's) margin, and blank lines, stay
    below the new entry, so a closing comment stays at the end of the file.
    A UTF-8 BOM is kept, and every line's own end (LF, CRLF or CR); the new lines take the file's most used one.
    """
    if old_text is None:
        yaml = yaml_for("")
        data = CommentedMap()
        data[section] = CommentedSeq()
        _style_like(item, None, default_flow, flow_children)
        data[section].append(item)
        return Edit(path, header + dump(yaml, data), created=True)
    bom = "\ufeff" if old_text.startswith("\ufeff") else ""
    text = old_text.removeprefix("\ufeff")
    new_text = None
    spliced = splice(text, section, item, default_flow, flow_children)
    if spliced is not None:
        try:
            _guard(path, text, spliced, section, list(item.keys()))
            new_text = spliced
        except EditError:  # a layout the splice misjudged (say a block scalar that keeps its blank lines)
            new_text = None
    if new_text is None:  # ruamel.yaml writes "\n": the file's own line end is put back after
        plain = _BREAK.sub("\n", text)
        new_text = _dumped(path, plain, section, item, default_flow, flow_children)
        _guard(path, plain, new_text, section, list(item.keys()))
        new_text = new_text.replace("\n", _newline(_split(text)[1]))
    return Edit(path, bom + new_text, created=False)


def _dumped(path: str, text: str, section: str, item: CommentedMap, default_flow: bool,
            flow_children: tuple[str, ...]) -> str:
    """The whole file loaded and dumped again by ruamel.yaml: for the layouts ``splice`` leaves alone."""
    yaml = yaml_for(text)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise EditError(f"无法读取 {path}：{exc.__class__.__name__}，请先运行 cuijiao check 改正这个文件") from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise EditError(f"{path} 的顶层不是“键: 值”的映射，请先运行 cuijiao check 改正这个文件")
    entries = data.get(section)
    if entries is None or (isinstance(entries, CommentedSeq) and not entries and entries.fa.flow_style()):
        entries = CommentedSeq()  # "payments:" or "payments: []" becomes a block list
        data[section] = entries
    if not isinstance(entries, CommentedSeq):
        raise EditError(f"{path} 里的 {section} 不是列表，请先运行 cuijiao check 改正这个文件")
    _style_like(item, entries[-1] if entries else None, default_flow, flow_children)
    entries.append(item)
    return dump(yaml, data)


# -- appending by splicing the text ------------------------------------------------------------
_NULLS = ("", "~", "null", "Null", "NULL")


def splice(text: str, section: str, item: CommentedMap, default_flow: bool,
           flow_children: tuple[str, ...] = ()) -> str | None:
    """``text`` with ``item`` inserted as the last entry of the top-level list ``section``; every
    other line stays byte for byte, its line end too. None for a layout this does not handle (a
    one-line list with entries, a flow mapping at the top, NEL or LS line breaks): ``_dumped`` does those."""
    if any(c in text for c in "\x85\u2028\u2029"):
        return None
    try:
        root = yaml.compose(text, Loader=_CLoader)
    except yaml.YAMLError:
        return None
    lines, ends = _split(text)
    if root is None:  # empty, or only comments: those open the file, the list follows
        return _joined(lines, ends, len(lines), [f"{section}:", *_item_lines(item, 0, 2, 4, default_flow, flow_children)])
    if type(root) is not MappingNode or root.flow_style:
        return None
    key_col = root.start_mark.column
    dash, content = _list_offsets(root)
    found = [(k, v) for k, v in root.value if type(k) is ScalarNode and k.value == section]
    if not found:  # a new key after the last value
        at = _after(lines, _end_line(root), key_col)
        new = [" " * key_col + f"{section}:", *_item_lines(item, key_col, dash, content, default_flow, flow_children)]
        return _joined(lines, ends, at, new)
    key, value = found[-1]
    if type(value) is SequenceNode and not value.flow_style and value.value:
        last = value.value[-1]
        if last.start_mark.line != _dash_line(lines, last) or value.start_mark.column < key_col:
            return None
        dash = value.start_mark.column - key_col
        content = last.start_mark.column - key_col
        flow = last.flow_style if type(last) is MappingNode else default_flow
        at = _after(lines, _end_line(last), key_col)
        return _joined(lines, ends, at, _item_lines(item, key_col, dash, content, flow, flow_children))
    if type(value) is SequenceNode and value.flow_style and value.value:  # [{...}, {...}]: one more after the last
        end = value.value[-1].end_mark
        lines = list(lines)
        row = lines[end.line]
        lines[end.line] = row[: end.column] + ", " + _flow_text(item) + row[end.column:]
        return _joined(lines, ends, len(lines), [])
    empty_flow = type(value) is SequenceNode and value.flow_style and not value.value
    null = type(value) is ScalarNode and value.tag.endswith(":null") and value.value in _NULLS
    if not (empty_flow or null):
        return None  # a one-line list with entries, or not a list at all
    line = key.start_mark.line
    if empty_flow or value.value:  # "payments: []   # 空的" -> "payments:   # 空的"
        if value.start_mark.line != line or value.end_mark.line != line:
            return None
        lines = list(lines)
        text_line = lines[line]
        head = text_line[: value.start_mark.column].rstrip()
        lines[line] = head + text_line[value.end_mark.column:]
    at = _after(lines, line, key_col)
    return _joined(lines, ends, at, _item_lines(item, key_col, dash, content, default_flow, flow_children))


def _dash_line(lines: list[str], node) -> int:
    """The line of the "-" that opens ``node`` (the node's own line unless the dash stands alone)."""
    line = node.start_mark.line
    before = lines[line][: node.start_mark.column].rstrip()
    return line if before.endswith("-") else -1


def _list_offsets(root) -> tuple[int, int]:
    """Where a new list's dash and entry go, relative to the keys: copied from a block list in the file."""
    key_col = root.start_mark.column
    for _, value in root.value:
        if type(value) is SequenceNode and not value.flow_style and value.value:
            first = value.value[0]
            if first.start_mark.line == value.start_mark.line and value.start_mark.column >= key_col:
                return value.start_mark.column - key_col, first.start_mark.column - key_col
    return 2, 4  # the format description's "  - {...}"


def _end_line(node) -> int:
    """The last line holding ``node``'s own text (not the comments or blank lines after it)."""
    while True:
        if type(node) is ScalarNode:
            end = node.end_mark
            if node.style in ("|", ">"):  # a block scalar ends where the next line starts
                return end.line - 1 if end.column == 0 else end.line
            return end.line
        if node.flow_style or not node.value:
            return node.end_mark.line
        node = node.value[-1][1] if type(node) is MappingNode else node.value[-1]


def _after(lines: list[str], end: int, key_col: int) -> int:
    """The line index a new entry goes at: past ``end`` and the comment lines right below it that are
    indented under the list (they belong to the last entry). Blank lines and comments at the margin
    stay below the new entry."""
    end = min(end, len(lines) - 1)
    while end > 0 and not lines[end].strip():  # a block scalar's trailing blank lines
        end -= 1
    at = end + 1
    while at < len(lines):
        stripped = lines[at].lstrip(" ")
        if not stripped.startswith("#") or len(lines[at]) - len(stripped) <= key_col:
            break
        at += 1
    return at


def _item_lines(item: CommentedMap, key_col: int, dash: int, content: int, flow: bool,
                flow_children: tuple[str, ...]) -> list[str]:
    """The new entry as the lines of a list under a key at ``key_col``."""
    _set_style(item, flow, flow_children)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=max(content - dash, 2), sequence=content, offset=dash)
    data = CommentedMap()
    data["s"] = CommentedSeq([item])
    rendered = dump(yaml, data).split("\n")[1:]
    return [" " * key_col + line for line in rendered if line]


def _flow_text(item: CommentedMap) -> str:
    """The entry as one flow mapping, ``{unit: 1-1-101, ...}``."""
    line = _item_lines(item, 0, 0, 2, True, ())[0]
    return line.removeprefix("-").strip()


_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks libyaml counts lines by


def _split(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` and the end of each ("\n", "\r\n", "\r"; "" for a last line without one)."""
    lines, ends, start = [], [], 0
    for match in _BREAK.finditer(text):
        lines.append(text[start:match.start()])
        ends.append(match.group())
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
        ends.append("")
    return lines, ends


def _newline(ends: list[str]) -> str:
    """The line end a file uses most ("\n" when it has none)."""
    return max(("\n", "\r\n", "\r"), key=ends.count)


def _joined(lines: list[str], ends: list[str], at: int, new: list[str]) -> str:
    """``lines`` with ``new`` inserted at ``at``: each old line keeps its end; the new ones, and a last line
    that had none, take the file's usual end."""
    nl = _newline(ends)
    old = [line + (end or nl) for line, end in zip(lines, ends, strict=True)]
    return "".join(old[:at] + [line + nl for line in new] + old[at:])


def _plain(node):
    """Nodes as the validator sees them: every scalar is its text."""
    if node is None:
        return None
    if type(node) is ScalarNode:
        return node.value
    if type(node) is SequenceNode:
        return [_plain(child) for child in node.value]
    if type(node) is MappingNode:
        return {k.value if type(k) is ScalarNode else repr(k): _plain(v) for k, v in node.value}
    raise TypeError(node)


def _parse(path: str, text: str):
    source, problems = compose(path, text.encode("utf-8"))
    if problems:
        raise EditError(f"无法读取 {path}：{problems[0].message}，请先运行 cuijiao check 改正这个文件")
    return _plain(source.node)


def _guard(path: str, old_text: str, new_text: str, section: str, keys: list[str]) -> None:
    """Everything the validator read before is read the same after; only the new entry was added."""
    before, after = _parse(path, old_text), _parse(path, new_text)
    before = before if isinstance(before, dict) else {}
    try:
        added = after[section].pop()
    except (KeyError, AttributeError, IndexError, TypeError):
        added = None
    if before.get(section) in (None, *_NULLS, []):  # a missing or empty list becomes a list with the one entry
        before[section] = []
    if after != before or not isinstance(added, dict) or list(added) != keys:
        raise EditError(f"写入 {path} 时会改动原有内容，已停止，未写入任何文件（请把这个文件报告给维护者）")


# -- the check before writing --------------------------------------------------------------

def check_with(root: Path, edits: list[Edit], as_of: date, today: date, use_cache: bool = True) -> pipeline.Checked:
    """``pipeline.check`` of the community as it would be with ``edits`` applied, without writing anything."""
    return pipeline.check(root, as_of, today, use_cache, overrides={e.path: e.text.encode("utf-8") for e in edits})


def inside_root(root: Path, path: str) -> Path:
    """The file ``path`` names in the community, refused (EditError) if it could lead out of it.

    A plain relative posix path (no "..", ".", empty parts or backslashes) whose
    real location, links followed, is inside the community folder: an edit
    never writes anywhere else, whatever ``--file`` or a link in the folder says.
    """
    parts = path.split("/")
    target = root / path
    if path.startswith("/") or "\\" in path or any(part in ("", ".", "..") for part in parts) \
            or not target.resolve().is_relative_to(root.resolve()):
        raise EditError(f"“{path}”会写到小区文件夹以外：路径里不能有 ..、开头的 / 或反斜杠，"
                        "也不能经过指向别处的链接。请写 ledger/ 下的文件，例如 ledger/payments/2026-11.yaml")
    return target


# -- the file system: one editor at a time, and never through a link ---------------------------
#
# Every step from the community folder down is opened relative to the folder above it
# (``dir_fd``) and refused when it is a link or not a folder, so a folder swapped for a link
# between the check and the write cannot send the write elsewhere. Systems without ``dir_fd``
# (Windows) check the same by path, best effort.

LOCK_NAME = ".cuijiao-edit.lock"  # in ledger/; a dotfile, so the reader never looks at it
LOCK_SECONDS = 30.0  # how long an edit waits for another one to finish
_POLL_SECONDS = 0.05
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO put where a file should be never blocks the open
_AT = {os.open, os.stat, os.mkdir, os.unlink} <= os.supports_dir_fd
_KINDS = ((stat.S_ISLNK, "符号链接"), (stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道"), (stat.S_ISSOCK, "套接字"),
          (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件"), (stat.S_ISREG, "普通文件"))
Folder = int | str  # an open folder (dir_fd) or, without dir_fd, its path


def _kind(mode: int) -> str:
    return next((word for test, word in _KINDS if test(mode)), "特殊文件")


def _at(folder: Folder, name: str) -> tuple[str, dict]:
    """``name`` in ``folder`` as os functions take it: (name, dir_fd=...) or the joined path."""
    return (name, {"dir_fd": folder}) if isinstance(folder, int) else (os.path.join(folder, name), {})


def _lstat(folder: Folder, name: str) -> os.stat_result | None:
    path, at = _at(folder, name)
    try:
        return os.stat(path, follow_symlinks=False, **at)
    except FileNotFoundError:
        return None


def _not_regular(path: str, mode: int) -> EditError:
    return EditError(f"{path} 不是普通文件（是{_kind(mode)}），不能读写：cuijiao 只读写小区文件夹里真实的 .yaml 文件，"
                     "请把它换成普通文件")


@contextmanager
def _folder(root: Path, rel: str, *, create: bool) -> Iterator[Folder | None]:
    """The community's folder ``rel`` ("ledger/payments"; "" for the community itself), each step
    a real folder and never a link; missing steps are made when ``create``, else it is None."""
    handle: Folder = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC) if _AT else str(root)
    missing = False
    try:
        done = []
        for name in rel.split("/") if rel else ():
            done.append(name)
            info = _lstat(handle, name)
            if info is None and not create:
                missing = True
                break
            if info is None:
                path, at = _at(handle, name)
                os.mkdir(path, 0o755, **at)
            elif not stat.S_ISDIR(info.st_mode):
                raise EditError(f"{'/'.join(done)} 不是文件夹（是{_kind(info.st_mode)}）：cuijiao 只读写小区文件夹里"
                                "真实的文件夹，不经过链接。请把它换成普通文件夹")
            if isinstance(handle, int):
                inner = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=handle)
                os.close(handle)
                handle = inner
            else:
                handle = os.path.join(handle, name)
        yield None if missing else handle
    finally:
        if isinstance(handle, int):
            os.close(handle)


def _open_regular(folder: Folder, name: str, path: str, flags: int, mode: int = 0o644) -> int:
    """An fd of the regular file ``name`` in ``folder`` (made when ``flags`` has O_CREAT); EditError for a
    link, a folder, a FIFO or a device, which are never opened for reading or writing."""
    info = _lstat(folder, name)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, info.st_mode)
    where, at = _at(folder, name)
    fd = os.open(where, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode, **at)
    opened = os.fstat(fd).st_mode
    if not stat.S_ISREG(opened):  # swapped after the look
        os.close(fd)
        raise _not_regular(path, opened)
    return fd


def read_bytes(root: Path, path: str, limit: int = -1) -> bytes | None:
    """The file ``path`` of the community (at most ``limit`` bytes), None when it does not exist;
    EditError in Chinese for a path out of the community, a link, a FIFO, a device or an OS error."""
    inside_root(root, path)
    rel, _, name = path.rpartition("/")
    try:
        with _folder(root, rel, create=False) as folder:
            if folder is None or _lstat(folder, name) is None:
                return None
            with os.fdopen(_open_regular(folder, name, path, os.O_RDONLY), "rb") as handle:
                return handle.read(limit)
    except OSError as exc:
        raise EditError(f"无法读取 {path}：{os_reason(exc)}") from None


def read_text(root: Path, path: str) -> str | None:
    """The text of a file an edit changes; refused above the reader's own size limit, as ``check`` refuses it."""
    raw = read_bytes(root, path, limit=MAX_FILE_BYTES + 1)
    if raw is None:
        return None
    if len(raw) > MAX_FILE_BYTES:
        raise EditError(f"{path} 太大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），cuijiao 不会读取或修改它："
                        "请先运行 cuijiao check，按它的提示拆分这个文件")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(f"{path} 不是 UTF-8 编码，请先运行 cuijiao check 改正这个文件") from None


def write(root: Path, edits: list[Edit]) -> None:
    """Write each file atomically, only inside ``root``: a temporary file in the same folder, synced, then
    renamed over the old one (a half-written ledger file is worse than none). An ``Edit.created`` file
    must not exist yet. EditError in Chinese when a file cannot be written; that file is left as it was."""
    written: list[str] = []
    for edit in edits:
        inside_root(root, edit.path)
        rel, _, name = edit.path.rpartition("/")
        try:
            with _folder(root, rel, create=True) as folder:
                _replace(folder, name, edit)
        except OSError as exc:
            done = f"此前已写入 {'、'.join(written)}" if written else "未写入任何文件"
            raise EditError(f"无法写入 {edit.path}：{os_reason(exc)}。这个文件保持原样，{done}") from None
        written.append(edit.path)


def _replace(folder: Folder, name: str, edit: Edit) -> None:
    info = _lstat(folder, name)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _not_regular(edit.path, info.st_mode)
    if info is not None and edit.created:
        raise EditError(f"{edit.path} 已经存在，没有覆盖它（可能是另一个命令刚刚建立的），未写入这个文件")
    tmp = f".cuijiao-{secrets.token_hex(8)}.tmp"  # a dotfile: the reader never takes it for data
    tmp_path, at = _at(folder, tmp)
    fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, **at)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(edit.text.encode("utf-8"))
            handle.flush()
            mode = info.st_mode & 0o777 if info is not None else 0o644
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            else:  # pragma: no cover - Windows
                os.chmod(tmp_path, mode)
            os.fsync(handle.fileno())
        target, _ = _at(folder, name)
        both = {"src_dir_fd": folder, "dst_dir_fd": folder} if isinstance(folder, int) else {}
        os.replace(tmp_path, target, **both)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_path, **at)
        raise
    if isinstance(folder, int):
        with suppress(OSError):  # the rename itself on disk; some file systems cannot sync a folder
            os.fsync(folder)


@contextmanager
def edit_lock(root: Path) -> Iterator[None]:
    """Hold the community's edit lock: an exclusive ``flock`` on ``ledger/.cuijiao-edit.lock``.

    Every editing command reads, checks and writes inside it, so edits at the same time
    follow one another and none is lost. The file is opened without following a link and
    never written; its holder removes it before letting go (no file is left for Git to
    show), and a waiter that then holds a removed file locks the one there now. The lock
    goes with the process, so a killed command leaves none behind. It waits
    ``LOCK_SECONDS``, then EditError. Without ``fcntl`` (Windows) there is no lock.
    """
    if fcntl is None:  # pragma: no cover - best effort where flock does not exist
        yield
        return
    with ExitStack() as held:
        try:
            ledger = held.enter_context(_folder(root, "ledger", create=False))
            if ledger is None:
                raise EditError("找不到 ledger/ 文件夹：用 --root 指向含有 ledger/ 和 owners/ 的小区文件夹")
            fd = _locked(ledger, time.monotonic() + LOCK_SECONDS)
        except OSError as exc:
            raise EditError(f"无法建立编辑锁 ledger/{LOCK_NAME}：{os_reason(exc)}；未写入任何文件") from None
        held.callback(os.close, fd)  # closing the file lets go of the lock, after it is removed
        held.callback(_remove, ledger, LOCK_NAME)
        yield


def _locked(ledger: Folder, deadline: float) -> int:
    """An fd of ``ledger/.cuijiao-edit.lock`` this process holds the flock of, the file still in place."""
    path = f"ledger/{LOCK_NAME}"
    while True:
        try:
            fd = _open_regular(ledger, LOCK_NAME, path, os.O_RDWR | os.O_CREAT)
        except PermissionError:  # a lock file another user made: reading is enough for flock
            if _lstat(ledger, LOCK_NAME) is None:
                raise
            fd = _open_regular(ledger, LOCK_NAME, path, os.O_RDONLY)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise EditError(f"另一个 cuijiao 命令正在修改这个小区的数据，等了 {LOCK_SECONDS:g} 秒仍未完成；"
                                        "未写入任何文件。请等它结束后再运行一次") from None
                    time.sleep(_POLL_SECONDS)
            now, mine = _lstat(ledger, LOCK_NAME), os.fstat(fd)
            if now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the one before removed it as it finished: lock the file there now


def remove_file(root: Path, path: str) -> None:
    """Delete the regular file ``path`` of the community (never a link, a folder or anything outside it);
    EditError in Chinese when it cannot be deleted."""
    inside_root(root, path)
    rel, _, name = path.rpartition("/")
    try:
        with _folder(root, rel, create=False) as folder:
            info = None if folder is None else _lstat(folder, name)
            if info is None:
                return
            if not stat.S_ISREG(info.st_mode):
                raise _not_regular(path, info.st_mode)
            where, at = _at(folder, name)
            os.unlink(where, **at)
    except OSError as exc:
        raise EditError(f"无法删除 {path}：{os_reason(exc)}") from None


def _remove(folder: Folder, name: str) -> None:
    where, at = _at(folder, name)
    with suppress(OSError):  # a folder this user may not change: the empty file stays, harmless
        os.unlink(where, **at)


# -- the four changes -------------------------------------------------------------------------

def _header(root: Path, path: str, kind: str, when: date, layout_hint: str) -> str:
    """The comment that opens a new entries file; keeps a sibling's yaml-language-server line."""
    lines = []
    folder = (root / path).parent
    siblings = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if siblings:
        sibling = f"{path.rpartition('/')[0]}/{siblings[-1].name}"
        with suppress(EditError):  # a sibling that is a link or a FIFO is not looked into
            head = read_bytes(root, sibling, limit=4096) or b""
            first = head.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
            if first.startswith("# yaml-language-server:"):
                lines.append(first)
    elif (root / "schemas" / "entries.schema.json").is_file():
        lines.append(f"# yaml-language-server: $schema={'../' * path.count('/')}schemas/entries.schema.json")
    period = f"{when.year}年{when.month}月" if layout_hint == "month" else f"{when.year}年"
    lines.append(f"# {period}{HEADER[kind]}。可以用 cuijiao 命令追加，也可以直接编辑；金额加引号、写两位小数。")
    return "\n".join(lines) + "\n"


def _entry_edit(root: Path, kind: str, when: date, item: CommentedMap, file: str | None, **style) -> Edit:
    path = file or entries_file(root, kind, when)
    if not path.startswith("ledger/") or not path.endswith(".yaml") or path.casefold() == "ledger/policy.yaml":
        raise EditError(f"“{path}”不是账目文件：应在 ledger/ 下、以 .yaml 结尾，且不能是 policy.yaml")
    inside_root(root, path)
    if any(part.startswith(".") for part in path.split("/")):  # the reader skips these: the entry would never count
        raise EditError(f"“{path}”以 . 开头的文件和文件夹不会被读取，写在那里的记录不算数；请写 ledger/ 下的普通文件名")
    old = read_text(root, path)
    layout = "month" if _MONTH_FILE.fullmatch(Path(path).name) else "year"
    header = _header(root, path, kind, when, layout) if old is None else ""
    return append_item(path, old, kind, item, header=header, **style)


def _flow_list(values) -> CommentedSeq:
    """A short list written on one line, ``[2026-03, opening]``, in a block entry too."""
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def payment_edit(root: Path, unit: str, amount: Decimal, when: date, method: str,
                 receipt: str = "", note: str = "", file: str | None = None,
                 designation: tuple[str, ...] = ()) -> Edit:
    """A payment; ``designation`` is its ``for`` (spec v2: what the owner said it pays), left out when empty."""
    item = CommentedMap(unit=unit, date=when, amount=money_text(amount), method=method)
    if receipt:
        item["receipt"] = receipt
    if designation:
        item["for"] = _flow_list(designation)
    if note:
        item["note"] = note
    return _entry_edit(root, "payments", when, item, file, default_flow=True, flow_children=("for",))


def waiver_edit(root: Path, unit: str, amount: Decimal, when: date, applies_to: str, approved_by: str,
                reason: str, file: str | None = None, consent: str = "") -> Edit:
    """A waiver; ``consent`` is the creditor's written consent (spec v2), left out when empty."""
    item = CommentedMap(unit=unit, date=when, amount=money_text(amount), applies_to=applies_to,
                        approved_by=approved_by, reason=reason)
    if consent:
        item["consent"] = consent
    return _entry_edit(root, "waivers", when, item, file, default_flow=True)


def plan_edit(root: Path, unit: str, signed: date, installments: list[tuple[date, Decimal]],
              note: str = "", file: str | None = None, *, covers: str = "in_time", late_fee: str = "accrue") -> Edit:
    """A plan; ``covers`` and ``late_fee`` (spec v2) are written only when they are not the defaults."""
    steps = CommentedSeq()
    for due, amount in installments:
        step = CommentedMap(due=due, amount=money_text(amount))
        step.fa.set_flow_style()
        steps.append(step)
    item = CommentedMap(unit=unit, signed=signed, installments=steps)
    if covers != "in_time":
        item["covers"] = covers
    if late_fee != "accrue":
        item["late_fee"] = late_fee
    if note:
        item["note"] = note
    return _entry_edit(root, "plans", signed, item, file, default_flow=False, flow_children=("installments",))


def contact_edit(root: Path, unit: str, when: date, channel: str, outcome: str, *, by: str = "",
                 promise_date: date | None = None, promise_amount: Decimal | None = None,
                 reason: str = "", evidence: str = "", note: str = "",
                 purpose: str = "demand", party: str = "issuer", covers: str = "in_time",
                 tracking: str = "", delivered_on: date | None = None, document: str = "") -> Edit:
    """A contact; ``purpose``, ``party`` and ``covers`` (spec v2) are written only when they are not the defaults,
    the proof of delivery (``tracking``, ``delivered_on``, ``document``) only when given."""
    path, old = _owner_text(root, unit)
    item = CommentedMap(date=when, channel=channel)
    if by:
        item["by"] = by
    if purpose != "demand":
        item["purpose"] = purpose
    if party != "issuer":
        item["party"] = party
    item["outcome"] = outcome
    if promise_date is not None:
        promise = CommentedMap(date=promise_date)
        if promise_amount is not None:
            promise["amount"] = money_text(promise_amount)
        item["promise"] = promise
    if covers != "in_time":
        item["covers"] = covers
    for key, value in (("reason", reason), ("evidence", evidence), ("tracking", tracking), ("delivered_on", delivered_on),
                       ("document", document), ("note", note)):
        if value:
            item[key] = DoubleQuotedScalarString(value) if key == "tracking" else value
    return append_item(path, old, "contacts", item, default_flow=False, flow_children=("promise",))


# -- complaints (issue 16): a new one appended, an open one updated, resolved or confirmed in place ----------

@dataclass(frozen=True, slots=True)
class ComplaintChange:
    """What ``cuijiao complaint`` adds to a complaint: a step taken, its resolution, the owner's confirmation."""

    update: tuple[date, str, str] | None = None  # (day, what was done, by whom)
    resolved: date | None = None
    resolution: str = ""
    confirmed: date | None = None


def _owner_text(root: Path, unit: str) -> tuple[str, str]:
    path = f"owners/{unit}.yaml"
    old = None if "/" in unit or unit.startswith(".") else read_text(root, path)  # owners/ holds each unit's file itself
    if old is None:
        raise EditError(f"找不到房号 {unit}：没有 {path}（房号写成 3-2-1802 这样，与 owners/ 里的文件名一致）")
    return path, old


def _update_map(update: tuple[date, str, str]) -> CommentedMap:
    day, text, by = update
    item = CommentedMap(date=day, text=text)
    if by:
        item["by"] = by
    item.fa.set_flow_style()  # one step, one line: - {date: 2026-11-20, text: 已上门查看, by: 李娜}
    return item


def _add_change(item: CommentedMap, change: ComplaintChange) -> None:
    if change.update is not None:
        updates = item.get("updates")
        if not isinstance(updates, CommentedSeq):
            item["updates"] = updates = CommentedSeq()
        updates.append(_update_map(change.update))
    for key, value in (("resolved", change.resolved), ("resolution", change.resolution), ("confirmed", change.confirmed)):
        if value:
            item[key] = value


def complaint_edit(root: Path, unit: str, opened: date, category: str, said: str, *, owner: str = "",
                   promised: date | None = None, evidence: str = "", disputed: tuple[str, ...] = (),
                   change: ComplaintChange = ComplaintChange()) -> Edit:
    """A new complaint appended to the unit's ``complaints``; ``change`` may already record a step or its end."""
    path, old = _owner_text(root, unit)
    item = CommentedMap(opened=opened, category=category, said=said)
    for key, value in (("owner", owner), ("promised", promised), ("evidence", evidence)):
        if value:
            item[key] = value
    if disputed:
        item["disputed"] = _flow_list(disputed)
    _add_change(item, change)
    return append_item(path, old, "complaints", item, default_flow=False, flow_children=("disputed",))


def _complaint_words(complaint: dict) -> str:
    said = str(complaint.get("said", ""))
    return f"{complaint.get('opened')} {complaint.get('category')}“{said[:20]}”"


def pick_complaint(complaints: list, opened: date | None, change: ComplaintChange) -> int:
    """Which of the unit's complaints (as the reader's plain values) ``change`` is for: the one opened on
    ``opened``, else the only one still open (for a confirmation alone, the only one resolved but not confirmed)."""
    items = [c if isinstance(c, dict) else {} for c in complaints]
    if opened is not None:
        found = [i for i, c in enumerate(items) if str(c.get("opened", "")).strip() == opened.isoformat()]
        if len(found) == 1:
            return found[0]
        if not found:
            raise EditError(f"这一户没有 {opened} 提出的投诉；新投诉请写 --category 和 --said")
        raise EditError(f"这一户 {opened} 有 {len(found)} 件投诉，无法确定是哪一件：请直接编辑房屋文件")
    confirming = change.confirmed is not None and change.update is None and change.resolved is None
    if confirming:
        found = [i for i, c in enumerate(items) if c.get("resolved") not in (None, *_NULLS) and c.get("confirmed") in (None, *_NULLS)]
        what = "已解决、业主尚未确认的投诉"
    else:
        found = [i for i, c in enumerate(items) if c.get("resolved") in (None, *_NULLS)]
        what = "未解决的投诉"
    if len(found) == 1:
        return found[0]
    if not found:
        raise EditError(f"这一户没有{what}；新投诉请写 --category 和 --said")
    listed = "；".join(_complaint_words(items[i]) for i in found)
    raise EditError(f"这一户有 {len(found)} 件{what}（{listed}）：请用 --opened 写明是哪天提出的那一件")


def complaint_change_edit(root: Path, unit: str, opened: date | None, change: ComplaintChange) -> Edit:
    """The unit's file with ``change`` made to one of its complaints (``pick_complaint``), comments and quoting
    kept; nothing else in the file is read differently after (a guard re-reads it, as for appended entries)."""
    path, old = _owner_text(root, unit)
    bom = "\ufeff" if old.startswith("\ufeff") else ""
    text = _BREAK.sub("\n", old.removeprefix("\ufeff"))
    before = _parse(path, text)
    complaints = before.get("complaints") if isinstance(before, dict) else None
    if not isinstance(complaints, list) or not complaints:
        raise EditError(f"{path} 里还没有投诉记录；新投诉请写 --category 和 --said")
    index = pick_complaint(complaints, opened, change)
    yaml = yaml_for(text)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise EditError(f"无法读取 {path}：{exc.__class__.__name__}，请先运行 cuijiao check 改正这个文件") from None
    item = data["complaints"][index]
    if not isinstance(item, CommentedMap):
        raise EditError(f"{path} 里的这件投诉不是“键: 值”的映射，请先运行 cuijiao check 改正这个文件")
    for key, value in (("resolved", change.resolved), ("resolution", change.resolution), ("confirmed", change.confirmed)):
        if value and item.get(key) not in (None, ""):
            raise EditError(f"这件投诉（{_complaint_words(complaints[index])}）已经写了 {key}: {item[key]}；要改正请直接编辑 {path}")
    _add_change(item, change)
    new_text = dump(yaml, data)
    _guard_change(path, before, new_text, index)
    return Edit(path, bom + new_text.replace("\n", _newline(_split(old.removeprefix("\ufeff"))[1])), created=False)


def _guard_change(path: str, before: dict, new_text: str, index: int) -> None:
    """Only the one complaint changed, and only by keys added to it or steps added to its ``updates``."""
    after = _parse(path, new_text)
    old_list = before["complaints"]
    new_list = after.get("complaints") if isinstance(after, dict) else None
    same_size = isinstance(new_list, list) and len(new_list) == len(old_list)
    others = same_size and {**after, "complaints": new_list[:index] + new_list[index + 1:]} == \
        {**before, "complaints": old_list[:index] + old_list[index + 1:]}
    new_item = new_list[index] if same_size else None

    def kept(key: str, value) -> bool:
        now = new_item.get(key)
        return now == value or (key == "updates" and isinstance(value, list) and isinstance(now, list) and now[: len(value)] == value)
    if not (others and isinstance(new_item, dict) and all(kept(k, v) for k, v in old_list[index].items())):
        raise EditError(f"写入 {path} 时会改动原有内容，已停止，未写入任何文件（请把这个文件报告给维护者）")


def read_policy(root: Path) -> Policy | None:
    """The community's policy as ``check`` reads it (laid over a shared one); None when it is missing or has errors (check says which)."""
    try:
        raw = read_bytes(root, "ledger/policy.yaml")
    except EditError:
        return None
    result = read_policy_file(root, raw)
    if not isinstance(result.record, Policy) or any(p.severity == "error" for p in result.problems):
        return None
    return result.record


def apply(root: Path, make: Callable[[], list[Edit]], as_of: date, today: date,
          use_cache: bool = True, approve: Callable[[list[Edit], pipeline.Checked], None] | None = None,
          written: Callable[[Path, list[Edit], dict[str, bytes | None]], None] | None = None,
          ) -> tuple[list[Edit], pipeline.Checked]:
    """Under the community's edit lock: make the edits from the files as they are now, check the
    community with them, and write them only when there is no error and ``approve`` (given the
    edits and the checked data) raises no EditError. The checked data holds the edits, so a
    balance computed from it includes them (and every edit saved before). ``written`` is told,
    still under the lock, each file's bytes from before the write (None for a new file): the
    journal ``cuijiao undo`` reads."""
    with edit_lock(root):
        edits = make()
        checked = check_with(root, edits, as_of, today, use_cache)
        if not checked.errors:
            if approve is not None:
                approve(edits, checked)
            before = {e.path: None if e.created else read_bytes(root, e.path) for e in edits} if written else {}
            write(root, edits)
            if written is not None:
                written(root, edits, before)
    return edits, checked


# -- questions before writing: an entry that looks like a mistake ---------------------------------

def added_entry(ledger: Ledger, kind: str, path: str):
    """The entry an edit appended to ``path``: the last of ``kind`` ("payments", "waivers") there in load order."""
    return max((e for e in getattr(ledger, kind) if e.seq[0] == path), key=lambda e: e.seq[1], default=None)


def state_without(ledger: Ledger, kind: str, entry, day: date) -> UnitState | None:
    """The entry's unit as of ``day`` computed without the entry: where it stood when the entry was made."""
    rest = msgspec.structs.replace(ledger, **{kind: tuple(e for e in getattr(ledger, kind) if e is not entry)})
    return next((unit_state(*args) for args in unit_inputs(rest, day) if args[1].id == entry.unit), None)


def payment_questions(ledger: Ledger, path: str) -> list[str]:
    """What to ask before the payment just appended to ``path`` is written: a payment of the same unit, day
    and amount already recorded (the same money twice?), and a late-fee payment (rule 6) above the late fee
    owed on its day (the rest would be neither late fee nor credit). Chinese sentences; [] when all is well."""
    payment: Payment | None = added_entry(ledger, "payments", path)
    if payment is None:
        return []
    questions = []
    same = [p for p in ledger.payments
            if p is not payment and p.unit == payment.unit and p.date == payment.date and p.amount == payment.amount]
    if same:
        where = "、".join(str(p.pos) for p in same[:3]) + ("等" if len(same) > 3 else "")
        questions.append(f"{payment.unit} 在 {payment.date} 已经记过 {len(same)} 笔 {fmt_grouped(payment.amount)} 元的缴费"
                         f"（{where}）：这是业主又交的一笔钱，还是同一笔钱记了两次？")
    if payment.for_late_fee:
        state = state_without(ledger, "payments", payment, payment.date)
        owed = state.late_fee if state is not None else Decimal("0.00")
        if payment.amount > owed:
            questions.append(f"{payment.unit} 按 {payment.date} 计算的违约金是 {fmt_grouped(owed)} 元，这笔违约金缴费 "
                             f"{fmt_grouped(payment.amount)} 元多出 {fmt_grouped(payment.amount - owed)} 元：多出的部分"
                             "既不算违约金，也不算预存款、不抵物业费。业主交的是物业费时不要写 --for late_fee；"
                             "两样都交时分成两笔记")
    return questions


def waiver_refusal(ledger: Ledger, path: str) -> str | None:
    """Why the waiver just appended to ``path`` cannot be written, or None: it is above what it can waive, the
    unit's unpaid principal (charges that exist on its day, due or not) or its late fee (rule 6, as of its day)."""
    waiver: Waiver | None = added_entry(ledger, "waivers", path)
    if waiver is None:
        return None
    state = state_without(ledger, "waivers", waiver, waiver.date)
    if state is None:
        return None
    if waiver.applies_to == "principal":
        most, what = state.outstanding + state.not_due, "未付的本金（已到期和未到期的欠费）"
    else:
        most, what = state.late_fee, "未付的违约金"
    if waiver.amount <= most:
        return None
    if most <= 0:
        return (f"{waiver.unit} 按 {waiver.date} 计算没有{what}，不能减免 {fmt_grouped(waiver.amount)} 元"
                "（多减免的部分会变成预存款或什么也不抵）。请核对日期、房号和减免对象（--applies-to）")
    return (f"减免金额超过了可以减免的数额：{waiver.unit} 按 {waiver.date} 计算，{what}是 {fmt_grouped(most)} 元，"
            f"最多可以减免 {fmt_grouped(most)} 元，这笔写的是 {fmt_grouped(waiver.amount)} 元。"
            "请改成不超过这个数的金额，或核对日期、房号和减免对象（--applies-to）")
