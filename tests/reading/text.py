"""What the reading tests share: where a needle sits in a line, and a file's text read to its record and problems."""
from __future__ import annotations

from generator.reading.load import read_file


def col(line: str, needle: str) -> int:
    """The 1-based column (in characters, as libyaml counts) where ``needle`` starts in ``line``."""
    return line.index(needle) + 1


def read_text(path: str, text: str):
    """The record of ``text`` read as ``path``, and each problem as (severity, line, col, message, hint)."""
    result = read_file(path, text.encode("utf-8"))
    return result.record, [(p.severity, p.pos.line, p.pos.col, p.message, p.hint) for p in result.problems]
