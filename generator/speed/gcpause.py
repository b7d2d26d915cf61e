"""Pause Python's cyclic garbage collector while building large graphs of objects.

The collector runs every few hundred allocations and, now and then,
traverses every live container; loading a large community creates millions
of records, dates and tuples, none of them in a cycle, so those traversals
free nothing and dominate the time (5x on a 300,000-payment ledger, see
docs/developers.md). Reference counting still frees everything as usual;
only garbage cycles made meanwhile wait for the collector to resume.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    """No collections inside; the objects made here are then kept out of the collector's sight.

    ``gc.freeze()`` at the end moves every object alive to a generation the
    collector never traverses: without it, the first full collection after
    a load or a compute walks all of the millions of records (1 s).
    Frozen objects are still freed by reference counting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
