"""The fast way to read an ordinary file: ``fastyaml`` instead of libyaml, the same specs and fields.

``read_fast`` gives the FileResult that the exact path (libyaml nodes read by
``specs``) would give, or None when it cannot be sure: then ``load`` reads
the file the exact way, which also says what is wrong and where. It runs the
very same ``specs`` functions and field objects, through a ``Reader`` that reads
``fastyaml``'s dicts, lists and strings and gives up at the first thing the
exact path would report (an error or a warning), so the records cannot
differ; only files with nothing to report are read here.

Converting a scalar is a pure function of its text, so the results are kept
in a memo shared by all files of one load: the 300,000 payments of a large
community have a few thousand distinct dates, amounts and unit numbers, and
sharing those objects also makes the records and the cache smaller.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from generator.core.diagnostics import Pos, RecordPos
from generator.reading.fields import Deferred, OptionalText, Reader, Spec, Text
from generator.reading.specs import read_entries, read_unit
from generator.speed.fastyaml import Map, parse

_MISSING = object()


class GiveUp(Exception):
    """Something the exact path has to judge."""


class FastReader(Reader):
    """A ``Reader`` over ``fastyaml`` values that gives up instead of reporting."""

    __slots__ = ("memo",)

    def __init__(self, path: str, memo: dict) -> None:
        super().__init__(path)
        self.memo = memo

    def pos(self, node) -> Pos:
        if type(node) is Map:
            return Pos(self.path, node.line, node.col)
        raise GiveUp  # only diagnostics ask where a scalar or a list is

    def record_pos(self, node) -> RecordPos:
        at = getattr(node, "at", None) if type(node) is Map else None
        if at is None:  # fastyaml keeps where the values are for a file's top-level block mapping only
            raise GiveUp
        return RecordPos(self.path, node.line, node.col, tuple((key, line, col) for key, (line, col) in at.items()))

    def value_of(self, mapping, key: str):
        return mapping[key]

    def error(self, node, message: str, hint: str = "") -> Any:
        raise GiveUp

    def warn(self, node, message: str, hint: str = "") -> None:
        raise GiveUp

    def is_null(self, node) -> bool:
        return False  # fastyaml gives up on every plain null and empty value

    def scalar(self, node, key: str):
        if type(node) is str:
            return node
        raise GiveUp

    def sequence(self, node, what: str):
        if type(node) is list:
            return node
        raise GiveUp

    def fields(self, node, what: str, spec: Spec, partial: bool = False) -> dict:
        if type(node) is not Map:
            raise GiveUp
        plan = self.memo.get(id(spec))
        if plan is None or plan[0] is not spec:
            plan = self.memo[id(spec)] = _plan(spec)
        _, required, converters = plan
        out: dict[str, Any] = {}
        for key, value in node.items():  # fastyaml has already given up on duplicate keys
            found = converters.get(key)
            if found is None:
                raise GiveUp  # an unknown key
            convert, memo = found
            if memo is not None and type(value) is str:
                result = memo.get(value, _MISSING)
                if result is _MISSING:
                    result = memo[value] = convert(self, value, key)
                out[key] = result
            else:
                out[key] = convert(self, value, key)
        if not required.issubset(out):
            raise GiveUp
        return out


_NO_MEMO = (Text, OptionalText, Deferred)


def _plan(spec: Spec) -> tuple:
    """For one field spec: the spec itself, its required keys, and per key its converter and memo (text -> value).

    The converter is the field's bound ``__call__``: calling it costs a function
    call, calling the field object costs more. Free text (receipts, notes) is
    seldom repeated and cheap to convert, a deferred node is not text: no memo.
    """
    converters = {k: (field.__call__, None if type(field) in _NO_MEMO else {}) for k, (field, _) in spec.items()}
    return spec, frozenset(k for k, (_, required) in spec.items() if required), converters


def read_fast(path: str, text: str, kind: str, memo: dict):
    """The record of an entries or unit file read the fast way, or GiveUp.

    ``text`` is the decoded file without its BOM; ``kind`` is ``unit`` or
    ``entries`` (the policy, one small file, is always read the exact way).
    """
    tree = parse(text)
    if tree is None:
        raise GiveUp
    reader = FastReader(path, memo)
    try:
        if kind == "unit":
            record = read_unit(reader, tree, PurePosixPath(path).stem)
        else:
            record = read_entries(reader, tree)
    except GiveUp:
        raise
    except Exception:  # the specs met a fastyaml value where they expected a libyaml node
        raise GiveUp from None
    if record is None or reader.problems:
        raise GiveUp
    return record
