"""Text from the data made inert where it is shown: the terminal, JSON, and Markdown with HTML in it.

Every name, note, stage name or policy word is typed or imported by someone;
it may hold characters that mean something where it is printed. One function
for each kind of place, used where data text enters that place:

- ``visible``: what is printed (report, check messages, diff, the editing
  helpers' summaries) and one-line names (the site's name). Control
  characters (C0 but tab and newline, DEL, C1) and the bidirectional
  embeddings, overrides and isolates become U+FFFD (�), so no escape
  sequence, carriage return or reordering reaches a terminal or a CI log.
- ``json_text``: JSON printed or written (``report --format json``) keeps
  every value, but writes the controls ``json`` leaves raw (DEL, C1, bidi)
  as ``\\uXXXX`` escapes.
- ``for_markdown``: text placed in a Markdown page that may also be raw HTML,
  an HTML attribute or a table cell (the site's templates, the money diff).
  Everything that is syntax in HTML or in Markdown (and its usual extensions:
  attribute lists, tables, admonitions, footnotes, Jinja-like macros) becomes
  a numeric character reference, which both Markdown and HTML show as the
  character itself: ``[a](javascript:…)`` is no link, ``![](http://…)`` no
  image, ``<script>`` text, ``{`` is shown as ``{`` and opens nothing, a line
  break or ``|`` cannot end a table row or a heading. Control characters
  become U+FFFD as in the terminal. A character reference is shown as it is
  inside a code span, so data never goes between backticks (use ``<code>``).
"""
from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# C0 (tab and newline are layout), DEL, C1, and the bidi embeddings/overrides (U+202A-E) and isolates (U+2066-9)
_CONTROLS = frozenset([*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_LINE_BREAKS = frozenset(map(ord, "\n\r\v\f\x85\u2028\u2029"))

_TERMINAL = {c: REPLACEMENT for c in _CONTROLS if c not in (0x09, 0x0A)}


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline shown as U+FFFD (for the terminal)."""
    return text.translate(_TERMINAL)


# json escapes C0 itself; DEL, C1 and the bidi controls it writes as they are
_JSON = {c: f"\\u{c:04x}" for c in _CONTROLS if c >= 0x7F}
_JSON_RAW = re.compile("[" + "".join(map(chr, _JSON)) + "]")


def json_text(text: str) -> str:
    """JSON (``json.dumps(..., ensure_ascii=False)``) with the controls json leaves raw written as ``\\uXXXX``:
    the same data to a reader, nothing for a terminal to act on when it is printed."""
    return text.translate(_JSON) if _JSON_RAW.search(text) else text


# HTML's five, then what opens Markdown syntax anywhere in a line: emphasis, code, links, images, footnotes,
# attribute lists and macros ({ }), headings, tables, admonitions, strike/mark/caret/math of the extensions.
# "(" and ")" only matter after "]", "-" and "." only at the start of a line, ":" only there too (definition lists).
_MARKDOWN = {
    **{c: REPLACEMENT for c in _CONTROLS}, **{c: "&#10;" for c in _LINE_BREAKS},
    ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&#34;", ord("'"): "&#39;",
    **{ord(c): f"&#{ord(c)};" for c in "\\`*{}[]#+!|~^=$"},
}
_MARKDOWN[0x09] = "\t"
# "_" between two letters or digits (a_b, an id such as first_call) never opens or closes emphasis
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# at the start of a line: indentation (a code block), a list item or rule ("- ", "--", "1. ", "1) "), a definition (": ")
_LINE_START = re.compile(r"[ \t]+|-(?=[\s-]|$)|:(?=\s|$)|\d+[.)](?=\s|$)")
# any character _MARKDOWN or _UNDERSCORE changes: most text (names, amounts, dates) has none and is returned as it is
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, sorted(c for c in _MARKDOWN if c != 0x09)))) + "_]")
_STARTS = frozenset(" \t-:0123456789")


def for_markdown(text: str) -> str:
    """``text`` shown as itself in Markdown, raw HTML and attribute values alike (see the module's doc)."""
    if _SPECIAL.search(text) is not None:
        text = _UNDERSCORE.sub("&#95;", text.replace("\r\n", "\n").translate(_MARKDOWN))
    if text[:1] not in _STARTS:
        return text
    start = _LINE_START.match(text)
    if start is None:
        return text
    marks = start.group()
    marks = marks[:-1] + f"&#{ord(marks[-1])};" if marks[-1] in ".)" else "".join(f"&#{ord(c)};" for c in marks)
    return marks + text[start.end():]
