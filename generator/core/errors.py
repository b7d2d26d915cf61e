"""One base class for every error the user is told about in Chinese (never with a traceback).

Problems *in the data* are not exceptions: they are ``Diagnostic`` records
(core/diagnostics.py), collected and reported together. These exceptions
are for what stops a command: an output folder that would endanger the
data, a missing CJK font, a letter that cannot be made, a Git revision that
does not exist, an edit that cannot be written. The CLI catches
``CuijiaoError`` once; ``usage`` says whether the user called the command
wrongly (exit 2, with a pointer to ``--help``) or the work failed (exit 1).
"""
from __future__ import annotations


class CuijiaoError(Exception):
    """The message is Chinese and says what is wrong and how to fix it."""

    usage = False  # True: the command line asked for something unsafe or impossible (exit 2)


class UsageProblem(CuijiaoError):
    """The command line itself is the problem (exit 2)."""

    usage = True
