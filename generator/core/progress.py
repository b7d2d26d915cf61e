"""How far long work has got, told to whoever listens: how many things it makes, how many are done.

The layers that do the work (the print run) report through ``Progress`` and know
nothing of terminals; the command line (``cli/progress.py``) shows it as a bar on
a terminal or one line a stage in a log. ``SILENT`` listens to nothing: the
default, so a caller that does not ask for progress gets exactly what it got
before. Reporting never changes what the work makes.
"""
from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def total(self, count: int, done: int = 0) -> None:
        """The work makes ``count`` things, ``done`` of them already (taken from a cache); told again when more is known."""

    def advance(self, count: int) -> None:
        """``count`` more of them are done."""


class Silent:
    """Progress nobody listens to."""

    __slots__ = ()

    def total(self, count: int, done: int = 0) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


SILENT = Silent()
