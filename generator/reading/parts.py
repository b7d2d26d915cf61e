"""Read a large entries file the exact way in parts, so that its memory stays bounded.

The exact way (libyaml's nodes, every diagnostic with its place) costs about
forty times a file's size in memory: 20 MB of payments with one bad value
took 1.7 GB. An entries file is a mapping of a few sections, each a list of
entries, so it is cut into parts of about ``PART_CHARS`` at the lines where
an entry starts; each part is the section's key line and some of its entries,
placed at their own line numbers (the lines in between left blank), composed
and read alone, and its nodes dropped before the next part.

The cut is proved, not guessed: a part that was cut inside a quoted value or
a bracket does not compose, and a part whose list does not hold exactly the
entries counted for it is refused; then ``read_in_parts`` gives None and the
caller scans the whole file (``yamlsource.scan``) and reads it whole. Each
entry keeps its index in the file (``(path, index)``) as the whole reading
would give it, and diagnostics on a section's key line, read once per part,
are kept once.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.diagnostics import Diagnostic
from generator.core.model import Entries
from generator.reading.fields import Reader
from generator.reading.specs import ENTRY_SECTIONS, read_entries
from generator.reading.yamlsource import compose_text

PARTS_MIN_CHARS = 4_000_000  # smaller files are read whole: their nodes fit easily
PART_CHARS = 1_000_000  # at least; a file of more than MAX_PARTS of them is cut in about MAX_PARTS parts
MAX_PARTS = 50  # libyaml scans each part's blank lines: fewer, larger parts for a huge file

_LINE_AT_MARGIN = re.compile(r"^[^\s#].*$", re.M)  # a line with content in its first column
_SECTION_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +#.*)? *\r?")
_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)


@dataclass(frozen=True, slots=True)
class _Section:
    name: str
    key_line: int  # 0-based
    key_text: str
    body: int  # offset just after the key line
    end: int  # offset where the next section's key line starts, or the end of the text


@dataclass(frozen=True, slots=True)
class Part:
    section: str
    key_line: int  # 0-based line of the section's key
    key_text: str
    line: int  # 0-based line where the part's own text starts
    start: int  # its offsets in the file
    end: int
    entries: int  # how many entries of the section it holds
    first_index: int  # the file-wide index of its first entry

    def text(self, source: str) -> str:
        """The part as a document of its own: every line where it is in the file, the lines between left blank.

        Made only when the part is read: the blank lines of all parts together are many times the file.
        """
        return "\n" * self.key_line + self.key_text + "\n" * (self.line - self.key_line) + source[self.start:self.end]


def split(text: str) -> list[Part] | None:
    """The parts, or None when the file is not plainly sections of block lists."""
    sections = _sections(text)
    if sections is None:
        return None
    counted: dict[str, list[tuple[int, int, int]]] = {}  # section -> [(start offset, end offset, entries)]
    for section in sections:
        cuts = _entry_starts(text, section)
        if cuts is None:
            return None
        counted[section.name] = _group(section, cuts, len(text))
    first = _first_indexes({name: sum(n for *_, n in spans) for name, spans in counted.items()})
    parts = []
    line_of = _LineCounter(text)
    for section in sections:
        index = first.get(section.name, 0)
        for start, end, entries in counted[section.name]:
            parts.append(Part(section.name, section.key_line, section.key_text, line_of(start), start, end, entries, index))
            index += entries
    return parts


def _sections(text: str) -> list[_Section] | None:
    keys = []
    for match in _LINE_AT_MARGIN.finditer(text):
        line_text = match.group()
        if line_text.startswith("-"):
            continue  # an entry of a list written at the margin ("payments:" then "- unit: …")
        key = _SECTION_KEY.fullmatch(line_text)
        if key is None:
            return None  # "---", a flow value, "payments: []", a scalar: not for parts
        keys.append((key.group(1), match.start(), match.end()))
    names = [name for name, _, _ in keys]
    if not keys or len(set(names)) != len(names) or _CONTENT.search(text, 0, keys[0][1]):
        return None  # duplicate keys are the whole reader's to report; content before the first key is odd
    line_of = _LineCounter(text)
    sections = []
    for i, (name, start, end) in enumerate(keys):
        following = keys[i + 1][1] if i + 1 < len(keys) else len(text)
        sections.append(_Section(name, line_of(start), text[start:end], min(end + 1, following), following))
    return sections


def _entry_starts(text: str, section: _Section) -> list[int] | None:
    """Offsets of the lines where the section's entries start; None unless its value is a block list."""
    first = _CONTENT.search(text, section.body, section.end)
    if first is None:
        return None  # "payments:" with nothing under it: its null is for the whole reader to place
    indent = first.end() - 1 - first.start()
    if not re.match(r" *-(?:[ \r\n]|$)", text[first.start():first.end() + 1]):
        return None  # the section's value is not a block list
    entry = re.compile(rf"^ {{{indent}}}-(?=[ \r\n]|$)", re.M)
    return [match.start() for match in entry.finditer(text, first.start(), section.end)]


def _group(section: _Section, starts: list[int], file_chars: int) -> list[tuple[int, int, int]]:
    """Consecutive entries in parts of at least PART_CHARS (the last may be shorter): (start, end, entries).

    The first part also holds the comments between the key line and the first entry.
    """
    size = max(PART_CHARS, file_chars // MAX_PARTS)
    bounds = [section.body]
    for start in starts[1:]:
        if start - bounds[-1] >= size:
            bounds.append(start)
    bounds.append(section.end)
    spans, i = [], 0
    for begin, end in zip(bounds, bounds[1:]):
        count = 0
        while i < len(starts) and starts[i] < end:
            count, i = count + 1, i + 1
        spans.append((begin, end, count))
    return spans


def _first_indexes(counts: dict[str, int]) -> dict[str, int]:
    """Where each section's entries start in the file-wide index: the sections in the reader's order."""
    first, running = {}, 0
    for name in ENTRY_SECTIONS:
        first[name] = running
        running += counts.get(name, 0)
    return first


class _LineCounter:
    """0-based line numbers of increasing offsets, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 0

    def __call__(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 0
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def read_in_parts(path: str, text: str) -> tuple[Entries, list[Diagnostic]] | None:
    """The entries and diagnostics reading the whole file would give, or None (see the module's docstring)."""
    parts = split(text)
    if parts is None:
        return None
    lists: dict[str, list] = {name: [] for name in ENTRY_SECTIONS}
    # in the order the whole file gives them: what composing found; the unknown
    # sections' keys; then each known section's entries, in ENTRY_SECTIONS order
    composing: list[Diagnostic] = []
    reading: dict[str, list[Diagnostic]] = {"": [], **{name: [] for name in ENTRY_SECTIONS}}
    for part, (source, composed, reader, entries) in zip(parts, _readable(path, text, parts)):
        if source is None:
            return None
        composing.extend(composed)
        reading[part.section if part.section in lists else ""].extend(reader.problems)
        for name in lists:
            lists[name].extend(getattr(entries, name))
    problems = list(dict.fromkeys(composing + [p for found in reading.values() for p in found]))  # a section's parts each see its key line
    return Entries(*(tuple(lists[name]) for name in ENTRY_SECTIONS)), problems


def _readable(path: str, text: str, parts: list[Part]) -> Iterator[tuple]:
    """Each part composed and read; a part that does not compose or holds other entries than counted yields None and stops."""
    for part in parts:
        source, composed = compose_text(path, part.text(text))
        node = source.node
        if node is None or not _holds(node, part):
            yield None, (), Reader(path), Entries()
            return
        reader = Reader(path)
        yield source, composed, reader, read_entries(reader, node, {part.section: part.first_index})


def _holds(node, part: Part) -> bool:
    """The part composed to one key whose list has exactly the entries counted for it."""
    pairs = getattr(node, "value", None)
    if not isinstance(pairs, list) or len(pairs) != 1:
        return False
    _key, value = pairs[0]
    items = getattr(value, "value", None)
    return isinstance(items, list) and len(items) == part.entries
