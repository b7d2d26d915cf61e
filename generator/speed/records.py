"""Frozen records that are fast to build: ``Record``, a frozen msgspec Struct.

``Record`` is the base of the data model (``core.model``, ``core.diagnostics``)
and of the rules' results (``rules/``):
a frozen ``msgspec.Struct``. Its ``__init__``, equality, hash and order are
msgspec's C code: an 8-field payment is built in 0.08 us, against 1.2 us for
``@dataclass(frozen=True, slots=True)`` and 0.64 us with the ``__init__`` this
module once generated with ``exec`` (docs/developers.md, "Libraries weighed"). ``array_like`` makes the
cache and the helper process's pipe send a record as a plain array of its
fields, in order (``reading/load.py``); ``gc=False`` keeps the millions of
records out of the cyclic collector's sight (a frozen record built from
existing values cannot be part of a cycle). Change a record with
``msgspec.structs.replace``; list its fields with ``msgspec.structs.fields``.
"""
from __future__ import annotations

import msgspec


class Record(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A frozen record: positional or keyword construction, equality and hash by fields, no assignment."""
