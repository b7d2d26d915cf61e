"""Finding and overriding records by id: the one way the project does both."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from operator import attrgetter
from typing import TypeVar

T = TypeVar("T")
_ID = attrgetter("id")


def find(items: Iterable[T], wanted: Hashable, key: Callable[[T], Hashable] = _ID) -> T | None:
    """The first item whose key (its ``id`` by default) is ``wanted``, or None: lists here are short."""
    return next((item for item in items if key(item) == wanted), None)


def merge_by_key(base: Iterable[T], extra: Iterable[T], key: Callable[[T], Hashable] = _ID) -> list[T]:
    """``base`` with the items of ``extra`` on top: same key replaces in place, a new key is appended.

    How a community's own playbook and legal entries override the project's.
    """
    merged = list(base)
    index = {key(item): i for i, item in enumerate(merged)}
    for item in extra:
        k = key(item)
        if k in index:
            merged[index[k]] = item
        else:
            index[k] = len(merged)
            merged.append(item)
    return merged
