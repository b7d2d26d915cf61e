"""Two processes on a two-core machine: a forked helper does part of a pure computation, or writes behind.

Loading and computing are pure functions of the data, so which process does
a part changes nothing but time. The helper is forked (it sees the parent's
memory as it is, with no pickling on the way in), sends its result back
through a pipe and leaves without running any cleanup of the parent's
state. If it fails, the caller does its part itself.

Fork only on Linux (macOS frameworks are not fork-safe, Windows has no
fork), only with one thread running (fork is unsafe with threads) and only
with two or more cores to run on.
"""
from __future__ import annotations

import atexit
import os
import pickle
import sys
import threading
from typing import Callable, TypeVar

Mine = TypeVar("Mine")
Theirs = TypeVar("Theirs")


def can_fork() -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return sys.platform.startswith("linux") and threading.active_count() == 1 and cores >= 2


def in_two_processes(
    mine: Callable[[], Mine],
    theirs: Callable[[], Theirs],
    dump: Callable[[object, object], None] | None = None,
    load: Callable[[object], object] | None = None,
) -> tuple[Mine, Theirs | None]:
    """Run ``theirs()`` in a forked helper while this process runs ``mine()``.

    Returns both results; the helper's is None when it failed (the caller
    then does that part itself). ``dump(obj, file)`` writes the helper's
    result into the pipe and ``load(file)`` reads it back (default
    ``pickle``: the helper is this process's own fork, not outside data).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                (dump or pickle.dump)(theirs(), out)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    incoming = os.fdopen(read_end, "rb")
    try:
        result = mine()
        try:
            helped = (load or pickle.load)(incoming)
        except Exception:  # the helper failed or died: its part is done here
            helped = None
    finally:
        incoming.close()  # before waiting: a helper still writing then stops instead of blocking
        os.waitpid(pid, 0)
    return result, helped


def in_background(work: Callable[[], object]) -> None:
    """Run ``work()`` in a forked process while this one goes on; this one waits for it before exiting.

    For writing behind (the load cache): the command's outputs do not wait
    for it, and when the command returns the work is done. Call only when
    ``can_fork()``.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    atexit.register(_wait_for, pid)


def _wait_for(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
