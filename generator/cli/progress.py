"""Progress of the build commands on stderr: a bar on a terminal, one plain line a stage in a log.

A command runs its work in stages (检查数据, 计算欠费, 生成函件, 生成网站…)::

    stages = reporter()
    with stages.stage("生成函件", "封", clock=True) as step:
        run = render_letters(..., progress=step)   # step.total(), step.advance()

Each finished stage leaves one line, e.g. ``生成函件：555 封，用时 41.2 秒``.
On a terminal (stderr is one) a rich progress bar shows the stage while it
runs (done of total, time left) and a ✓ line when it ends; otherwise (CI logs,
a pipe, tests) only the plain line is written, with no escape code. A stage
that fails or is dropped leaves no line: its error follows. Nothing goes to
stdout and nothing changes what the work makes.

``clock``: redraw the bar in a thread, so the time ticks between steps. Leave
it off for loading and computing: ``speed/forking.py`` forks only while one
thread runs, and a refresh thread would cost them their second process.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported only when a bar is drawn: every other command starts 70 ms sooner
    from rich.console import Console
    from rich.progress import Progress


class Step:
    """One stage under way: the ``core.progress.Progress`` its work reports to, and the tally of its line."""

    def __init__(self, name: str, unit: str, changed: Callable[[Step], None] = lambda step: None) -> None:
        self.name, self.unit, self.changed = name, unit, changed
        self.count: int | None = None  # things made (None: not counted)
        self.cached = 0  # of them taken from a cache
        self.done = 0
        self.dropped = False
        self.started = self.counted = time.monotonic()  # counted: when the count was last told

    def total(self, count: int, done: int = 0) -> None:
        self.count, self.cached, self.done = count, done, done
        self.counted = time.monotonic()
        self.changed(self)

    def advance(self, count: int) -> None:
        self.done += count
        self.changed(self)

    def tally(self, count: int) -> None:
        """The stage's count for its line, when its work does not report one (309 户)."""
        self.count = self.done = count

    def drop(self) -> None:
        """End without a line: the work found problems, which are shown next."""
        self.dropped = True

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float | None:
        """Seconds still to go at the pace since the count was told (what a cache held is no pace), once known."""
        made = self.done - self.cached
        if self.count is None or made <= 0:
            return None
        return (self.count - self.done) * (time.monotonic() - self.counted) / made

    def line(self) -> str:
        """``生成函件：555 封，其中 500 封未变，沿用上次的结果，用时 41.2 秒``."""
        seconds = f"用时 {self.elapsed():.1f} 秒"
        if self.count is None:
            return f"{self.name}：{seconds}"
        if not self.cached:
            cached = ""
        elif self.cached < self.count:
            cached = f"，其中 {self.cached} {self.unit}未变，沿用上次的结果"
        else:
            cached = "，全部未变，沿用上次的结果"
        return f"{self.name}：{self.count} {self.unit}{cached}，{seconds}"


class Plain:
    """One line a finished stage, for logs: no bar, no escape code."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    @contextmanager
    def stage(self, name: str, unit: str = "", clock: bool = False) -> Iterator[Step]:
        step = Step(name, unit)
        yield step
        if not step.dropped and self.stream is not None:
            try:
                self.stream.write(step.line() + "\n")
                self.stream.flush()
            except (OSError, ValueError):  # a closed pipe or log (``2>&1 | head -1``): the work goes on, unreported
                self.stream = None


class Bar(Plain):
    """A rich progress bar while a stage runs (stage, done of total, time left), then its line with a ✓."""

    def __init__(self, console: Console) -> None:
        super().__init__(console.file)
        self.console = console

    @contextmanager
    def stage(self, name: str, unit: str = "", clock: bool = False) -> Iterator[Step]:
        def changed(step: Step) -> None:
            bar.update(task, total=step.count, completed=step.done)
            if not clock:
                bar.refresh()

        step = Step(name, unit, changed)
        bar = _bar(self.console, step, clock)
        task = bar.add_task(name, total=None)
        bar.start()
        try:
            yield step
        finally:
            bar.stop()  # transient: the bar goes, the line below stays
        if not step.dropped:
            from rich.text import Text

            self.console.print(Text.assemble(("✓ ", "green"), step.line()))


def _bar(console: Console, step: Step, clock: bool) -> Progress:
    """``生成函件 ━━━━╸━━━━ 120/555 封 剩余约 0:00:41 已用 0:00:12``: the counts once the stage knows how many,
    the time left once the pace is known."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
    )
    from rich.table import Column
    from rich.text import Text

    class Counted(MofNCompleteColumn):
        def render(self, task: Task) -> Text:
            return Text("") if task.total is None else Text.assemble(super().render(task), " " + step.unit)

    class Times(ProgressColumn):
        def render(self, task: Task) -> Text:
            left = step.left()
            return Text.assemble(
                ("" if left is None else f"剩余约 {timedelta(seconds=round(left))} ", "progress.remaining"),
                (f"已用 {timedelta(seconds=int(step.elapsed()))}", "progress.elapsed"),
            )

    return Progress(
        TextColumn(step.name, markup=False), BarColumn(bar_width=None),
        Counted(table_column=Column(no_wrap=True)), Times(table_column=Column(no_wrap=True)),
        console=console, transient=True, expand=True, auto_refresh=clock, refresh_per_second=4,
        redirect_stdout=False, redirect_stderr=False,
    )


def reporter(stream: TextIO | None = None) -> Plain:
    """The reporter for ``stream`` (stderr by default): a bar on a terminal, plain lines otherwise."""
    stream = sys.stderr if stream is None else stream
    if getattr(stream, "isatty", lambda: False)():
        from rich.console import Console

        console = Console(file=stream)
        if console.is_terminal and not console.is_dumb_terminal:
            return Bar(console)
    return Plain(stream)
