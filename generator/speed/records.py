"""Frozen records that are fast to build: ``Record`` (msgspec), and ``fast_init`` for the dataclasses left.

``Record`` is the base of the data model (``core.model``, ``core.diagnostics``):
a frozen ``msgspec.Struct``. Its ``__init__``, equality, hash and order are
msgspec's C code: an 8-field payment is built in 0.08 us, against 1.2 us for
``@dataclass(frozen=True, slots=True)`` and 0.64 us with ``fast_init`` below
(docs/developers.md, "Libraries weighed"). ``array_like`` makes the
cache and the helper process's pipe send a record as a plain array of its
fields, in order (``reading/load.py``); ``gc=False`` keeps the millions of
records out of the cyclic collector's sight (a frozen record built from
existing values cannot be part of a cycle). Change a record with
``msgspec.structs.replace``; list its fields with ``msgspec.structs.fields``.

``fast_init`` is for the rules' records that are still frozen slot
dataclasses. ``@dataclass(frozen=True, slots=True)`` generates an
``__init__`` that sets each field with ``object.__setattr__(self, name,
value)``: a global lookup, an attribute lookup and a generic call per field.
``fast_init`` replaces it with one that stores each field through its slot
descriptor directly, with the same signature, defaults and result; like the
``dataclasses`` module itself, it generates that ``__init__``'s source from
the field names (``exec``), since a Python function's parameter names (the
records are built with keywords) cannot be made any other way. An
``__init__`` without ``exec`` (a loop over the slot setters, positional
arguments only) takes 1.28 us, no faster than the dataclass's own. The
class stays a frozen dataclass: equality, hashing, repr, ``replace`` and the
refusal to assign are unchanged. The way out of ``exec`` is to make these
records ``Record`` too (measured: the 5,000-unit warm report 20% faster, the
same JSON).

Classes it cannot speed up safely (``__post_init__``, ``init=False`` or
``InitVar`` fields, no slots) keep their ``__init__``.
"""
from __future__ import annotations

import dataclasses
import sys

import msgspec

_NO_DEFAULT = object()


class Record(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A frozen record: positional or keyword construction, equality and hash by fields, no assignment."""


def fast_init(*classes: type) -> None:
    for cls in classes:
        init = _make_init(cls)
        if init is not None:
            cls.__init__ = init


def _make_init(cls: type):
    if not dataclasses.is_dataclass(cls) or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    if any(not f.init or f.kw_only for f in fields) or any(isinstance(v, dataclasses.InitVar) for v in cls.__dict__.get("__annotations__", {}).values()):
        return None
    namespace: dict = {"NO_DEFAULT": _NO_DEFAULT}
    params, lines = [], []
    for i, f in enumerate(fields):
        namespace[f"set_{i}"] = getattr(cls, f.name).__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"default_{i}"] = f.default
            params.append(f"{f.name}=default_{i}")
            lines.append(f"    set_{i}(self, {f.name})")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"factory_{i}"] = f.default_factory
            params.append(f"{f.name}=NO_DEFAULT")
            lines.append(f"    set_{i}(self, factory_{i}() if {f.name} is NO_DEFAULT else {f.name})")
        else:
            params.append(f.name)
            lines.append(f"    set_{i}(self, {f.name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(lines) or "    pass") + "\n"
    exec(source, namespace)  # noqa: S102 - source made from the class's own field names, as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    return init


def speed_up(module_name: str) -> None:
    """``speed_up(__name__)`` at the end of a module: ``fast_init`` for every dataclass it defines."""
    namespace = vars(sys.modules[module_name])
    fast_init(*[v for v in list(namespace.values()) if isinstance(v, type) and v.__module__ == module_name and dataclasses.is_dataclass(v)])
