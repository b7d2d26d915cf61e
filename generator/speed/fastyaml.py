"""A fast reader for the plain YAML that ledgers are written in; anything unusual is libyaml's.

Composing a 30 MB ledger with libyaml's nodes costs seconds (a Python object
and two marks per scalar); this reads the everyday subset of YAML straight
into dicts, lists and strings, keeping only what the records need: where each
mapping starts. It never decides anything the exact path would decide
differently: as soon as it sees something outside the subset below it gives
up (returns None) and ``load`` reads the file the exact way, with libyaml,
which also produces every diagnostic. So a file read here is a file that
libyaml composes to the same structure and the same text, and where the
schema finds nothing to report.

The subset, chosen to be what committees and ``cuijiao`` write:

- block mappings and block sequences (also a sequence at the same indent as
  its key), indented with spaces;
- flow mappings and sequences that open and close on one line, nested freely;
- plain scalars on one line that cannot be mistaken for anything else, and
  single- or double-quoted scalars on one line (double-quoted without
  backslash escapes);
- comments, blank lines, CRLF line ends (the BOM is removed before).

Given up on: tabs, control characters and other line breaks, ``---``/``...``
and directives, anchors, aliases, tags, block scalars (``|``, ``>``),
multi-line scalars and flow collections, explicit keys (``?``), empty values
and the implicit nulls (``~``, ``null``: libyaml tags them, the schema cares),
duplicate keys, and plain scalars with a ``:`` or ``#`` that YAML might read
as syntax. The positions kept are libyaml's: a block mapping starts at its
first key, a flow mapping at its ``{``; lines and columns are 1-based. For the
document's top-level block mapping (a unit's file) it also keeps where each
value starts: a scalar at its first character or quote, a collection at its
``{``, ``[``, first key or ``-``.
"""
from __future__ import annotations

import functools
import re


class Map(dict):
    """A mapping read by the fast path, with the 1-based line and column where libyaml says it starts.

    The document's top-level block mapping also has ``at``: key -> (line, column)
    where libyaml says its value starts (records keep them for later checks).
    """

    __slots__ = ("line", "col", "at")


class _GiveUp(Exception):
    pass


# Anything libyaml would not read as plain printable text on one line (tab,
# CR, NEL, LS, PS, BOM, controls, non-characters): left to libyaml.
_UNUSUAL_CHAR = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

# A plain scalar may not start with an indicator; we also refuse '-', '?' and ':'
# there (YAML allows them before a non-space, we leave that to libyaml), and
# the plain scalars the resolver tags (null, value, merge): the schema reads
# a null differently from text, and the tags are for libyaml to refuse.
_FIRST = r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`~nN=<]|(?!(?:~|null|Null|NULL|=|<<)(?:[ ,:\]}\n]|$))[~nN=<])"
# a plain scalar in a block: no ': ', no ' #', no ':' at the end, no trailing spaces
_BLOCK_PLAIN = _FIRST + r"(?:[^#: ]++|:(?=\S)|(?<=\S)#| ++(?=[^ #]))*+"
# the same without ':' or '#' (the everyday value, matched faster)
_SIMPLE_PLAIN = _FIRST + r"[^#:\n]*+(?<! )"
# a plain scalar in a flow collection: no ':', '#', ',' or bracket at all, no trailing spaces
_FLOW_PLAIN = _FIRST + r"[^:#,\[\]{}\n]*+(?<! )"
# the same with a ':' before a non-space (10:30, http://) and a '#' after one (R#12)
_FLOW_PLAIN_FULL = _FIRST + r"(?:[^:#,\[\]{} ]++|:(?=[^\s,\[\]{}:?])|(?<=\S)#| ++(?=[^ :#,\[\]{}]))*+"
_DOUBLE = r'"([^"\\\n]*+)"'
_SINGLE = r"'((?:[^'\n]|'')*)'"
_END = r" *(?: #.*)?$"

# block context: key, then ':' and a space or the end of the line
_KEY = re.compile(r'(?:' + _DOUBLE + r'|(' + _FLOW_PLAIN + r')):(?: +|$)')
# block context, the everyday line: "key: value" with a plain or double-quoted value
_KEY_VALUE = re.compile(r'(' + _FLOW_PLAIN + r'): +(?:' + _DOUBLE + '|(' + _SIMPLE_PLAIN + '))$')
# block context: any scalar value filling the rest of the line
_BLOCK_SCALAR = re.compile(r'(?:' + _DOUBLE + '|' + _SINGLE + '|(' + _BLOCK_PLAIN + '))' + _END)
_COMMENT_OR_END = re.compile(_END)

def _uncaptured(pattern: str) -> str:
    return re.sub(r"\((?!\?)", "(?:", pattern)


# flow context: a flow mapping of scalars on one line, checked whole, then read pair by pair
_FLOW_PAIR = r'(' + _FLOW_PLAIN + r'): +(?:' + _DOUBLE + '|(' + _FLOW_PLAIN + '))'
_FLAT_MAP = re.compile(r'\{ *' + _uncaptured(_FLOW_PAIR) + r'(?:, +' + _uncaptured(_FLOW_PAIR) + r')* *\}')
_PAIRS = re.compile(_FLOW_PAIR)
# flow context, anything else: one token at a time
_FLOW_SCALAR = re.compile(r' *(?:' + _DOUBLE + '|' + _SINGLE + '|(' + _FLOW_PLAIN_FULL + '))')
_FLOW_COLON = re.compile(r': +')
_FLOW_SEP = re.compile(r' *(?:(,) +|([\]}]))')
_SPACES = re.compile(r' *')



def parse(text: str):
    """The composed document as Map/list/str, or None when the exact path must read it.

    ``text`` is the decoded file without its BOM. An empty document also gives
    None (libyaml's null is rare enough not to need a fast path).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNUSUAL_CHAR.search(text):
        return None
    try:
        return _Parser(text.split("\n")).document()
    except (_GiveUp, RecursionError):  # nesting deeper than Python's stack: libyaml bounds it and says where
        return None


class _Parser:
    """Recursive descent over the content lines; ``indent``/``body`` describe the current one."""

    __slots__ = ("lines", "count", "i", "indent", "body")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.count = len(lines)
        self.i = -1
        self.indent = -1  # of the current content line; -1 past the end
        self.body = ""
        self.advance()

    def advance(self) -> None:
        """Move to the next line that is neither blank nor only a comment."""
        lines, i, count = self.lines, self.i + 1, self.count
        while i < count:
            line = lines[i]
            body = line.lstrip(" ")
            if body and body[0] != "#":
                self.i = i
                self.body = body
                self.indent = len(line) - len(body)
                return
            i += 1
        self.i, self.indent, self.body = count, -1, ""

    def document(self):
        if self.indent != 0:
            raise _GiveUp  # an empty document, or an indented root
        body = self.body
        if body.startswith(("---", "...")):
            raise _GiveUp
        if body[0] == "{" or body[0] == "[":
            value = self.inline(body, 0, 0)
            self.advance()
        elif body[:2] == "- ":
            value = self.sequence(0)
        else:
            value = self.mapping(0)
        if self.indent != -1:
            raise _GiveUp
        return value

    def mapping(self, indent: int) -> Map:
        """A block mapping whose first key is the current line's body, at column ``indent``."""
        result = Map()
        result.line = self.i + 1
        result.col = indent + 1
        at = None
        if indent == 0:  # only the document's top-level mapping starts at column 1
            at = result.at = {}
        key_value = _KEY_VALUE.match
        while True:
            body = self.body
            m = key_value(body)
            if m is not None:  # key: scalar, the everyday line
                key, double, plain = m.groups()
                if key in result:
                    raise _GiveUp
                result[key] = plain if plain is not None else double
                if at is not None:
                    at[key] = (self.i + 1, indent + (m.start(3) if plain is not None else m.start(2) - 1) + 1)
                self.advance()
            else:
                m = _KEY.match(body)
                if m is None:
                    raise _GiveUp
                key = m.group(2)
                if key is None:
                    key = m.group(1)
                if key in result:
                    raise _GiveUp
                end = m.end()
                if end < len(body) and body[end] != "#":
                    if at is not None:
                        at[key] = (self.i + 1, indent + end + 1)
                    result[key] = self.inline(body, end, indent + end)
                    self.advance()
                else:  # the value is the block below, or a sequence at this same indent
                    self.advance()
                    below = self.indent
                    if at is not None:
                        at[key] = (self.i + 1, below + 1)
                    if below > indent:
                        result[key] = self.sequence(below) if self.body[:2] == "- " else self.mapping(below)
                    elif below == indent and self.body[:2] == "- ":
                        result[key] = self.sequence(indent)
                    else:
                        raise _GiveUp  # an empty value: libyaml's null
            below = self.indent
            if below != indent:
                if below > indent:
                    raise _GiveUp  # a continued scalar, or something libyaml must judge
                return result
            if self.body[:2] == "- ":
                raise _GiveUp

    def sequence(self, indent: int) -> list:
        """A block sequence whose first '- ' is the current line's body, at column ``indent``.

        Items of a ledger repeat one shape. After reading one the general
        way, its keys become a template (a regex for the same keys in the
        same order, one-line values, single spaces, no comments): the items
        after it are first tried against that template in one match. A
        template matches only text the general way reads to the same Map,
        and an item the template cannot take is read the general way.
        """
        result = []
        append = result.append
        flow_template = block_template = None
        block_lines = 0
        lines = self.lines
        while True:
            body = self.body
            line = self.i
            item = None
            if body[2:3] == "{":  # - {key: value, ...}, the everyday item
                if flow_template is not None:
                    m = flow_template.fullmatch(body)
                    if m is not None:
                        item = _from_template(flow_keys, m.groups())
                if item is None:
                    m = _FLAT_MAP.match(body, 2)
                    if m is not None and _COMMENT_OR_END.match(body, m.end()) is not None:
                        pairs = _PAIRS.findall(body, 3, m.end())
                        item = Map()
                        for key, double, plain in pairs:
                            item[key] = plain or double
                        if len(item) != len(pairs):
                            raise _GiveUp  # a duplicate key
                        flow_keys = tuple(item)
                        flow_template = _flow_template(flow_keys)
                if item is not None:
                    item.line = line + 1
                    item.col = indent + 3
                    append(item)
                    self.advance()
            elif block_template is not None and self.indent == indent:
                m = block_template.fullmatch("\n".join(lines[line : line + block_lines]))
                if m is not None:
                    self.i = line + block_lines - 1
                    self.advance()
                    if self.indent > indent:  # the item goes on: read it the general way
                        self.i = line - 1
                        self.advance()
                    else:
                        item = _from_template(block_keys, m.groups())
                        item.line = line + 1
                        item.col = indent + 3
                        append(item)
            if item is None:
                item_body = body[2:].lstrip(" ")
                if not item_body or item_body[0] == "#" or item_body[:2] == "- " or item_body == "-":
                    raise _GiveUp
                item_indent = indent + len(body) - len(item_body)
                first = item_body[0]
                if first != "{" and first != "[" and _KEY.match(item_body) is not None:
                    self.body, self.indent = item_body, item_indent
                    item = self.mapping(item_indent)
                    append(item)
                    if block_template is None and item_indent == indent + 2 and all(type(v) is str for v in item.values()):
                        block_keys = tuple(item)
                        block_lines = len(block_keys)
                        block_template = _block_template(block_keys, indent)
                else:
                    append(self.inline(item_body, 0, item_indent))
                    self.advance()
            below = self.indent
            if below != indent:
                if below > indent:
                    raise _GiveUp
                return result
            if self.body[:2] != "- ":
                return result

    def inline(self, body: str, start: int, col: int):
        """The value filling ``body[start:]`` (a scalar or a one-line flow collection); ``col`` is its column, 0-based."""
        first = body[start]
        if first == "{" or first == "[":
            value, end = self.flow(body, start, col - start)
            if _COMMENT_OR_END.match(body, end) is None:
                raise _GiveUp
            return value
        m = _BLOCK_SCALAR.match(body, start)
        if m is None:
            raise _GiveUp
        return _scalar(m)

    def flow_value(self, body: str, pos: int, offset: int):
        """The flow value at ``body[pos]`` (a nested collection or a scalar), and the position after it."""
        ch = body[pos : pos + 1]
        if ch == "{" or ch == "[":
            return self.flow(body, pos, offset)
        m = _FLOW_SCALAR.match(body, pos)
        if m is None:
            raise _GiveUp
        return _scalar(m), m.end()

    def flow(self, body: str, pos: int, offset: int):
        """The flow collection opening at ``body[pos]``, and the position after it; ``offset`` + position = column, 0-based."""
        if body[pos] == "{":
            result = Map()
            result.line = self.i + 1
            result.col = pos + offset + 1
            pos = _SPACES.match(body, pos + 1).end()
            if body[pos : pos + 1] == "}":
                return result, pos + 1
            while True:
                m = _FLOW_SCALAR.match(body, pos)
                if m is None:
                    raise _GiveUp
                key = _scalar(m)
                if key in result:
                    raise _GiveUp
                c = _FLOW_COLON.match(body, m.end())
                if c is None:
                    raise _GiveUp
                value, pos = self.flow_value(body, c.end(), offset)
                result[key] = value
                s = _FLOW_SEP.match(body, pos)
                if s is None:
                    raise _GiveUp
                pos = s.end()
                if s.group(2) is not None:
                    if s.group(2) != "}":
                        raise _GiveUp
                    return result, pos
        items: list = []
        pos = _SPACES.match(body, pos + 1).end()
        if body[pos : pos + 1] == "]":
            return items, pos + 1
        while True:
            value, pos = self.flow_value(body, pos, offset)
            items.append(value)
            s = _FLOW_SEP.match(body, pos)
            if s is None:
                raise _GiveUp  # also a single-pair mapping inside a sequence: [a: b]
            pos = s.end()
            if s.group(2) is not None:
                if s.group(2) != "]":
                    raise _GiveUp
                return items, pos


_TEMPLATE_VALUE = "(?:" + _DOUBLE + "|(" + _FLOW_PLAIN + "))"
_TEMPLATE_BLOCK_VALUE = "(?:" + _DOUBLE + "|(" + _SIMPLE_PLAIN + "))"


@functools.lru_cache(maxsize=64)
def _flow_template(keys: tuple[str, ...]) -> re.Pattern:
    """``- {k1: v1, k2: v2}`` for these keys, single spaces, nothing after."""
    return re.compile(r"- \{" + ", ".join(re.escape(k) + ": " + _TEMPLATE_VALUE for k in keys) + r"\}")


@functools.lru_cache(maxsize=64)
def _block_template(keys: tuple[str, ...], indent: int) -> re.Pattern:
    """``- k1: v1`` then ``  k2: v2`` ... on consecutive lines at ``indent``, nothing after the values."""
    pad = " " * indent
    first, *rest = keys
    lines = [pad + "- " + re.escape(first) + ": " + _TEMPLATE_BLOCK_VALUE]
    lines += [pad + "  " + re.escape(k) + ": " + _TEMPLATE_BLOCK_VALUE for k in rest]
    return re.compile("\n".join(lines))


def _from_template(keys: tuple[str, ...], groups: tuple) -> Map:
    item = Map()
    i = 0
    for key in keys:
        plain = groups[i + 1]
        item[key] = plain if plain is not None else groups[i]
        i += 2
    return item


def _scalar(m: re.Match) -> str:
    """The text of a matched double-quoted, single-quoted or plain scalar (groups 1, 2, 3)."""
    double, single, plain = m.groups()
    if plain is not None:
        return plain
    if single is not None:
        return single.replace("''", "'")
    return double
