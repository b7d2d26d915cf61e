"""Problems found in the data, as values that carry their source position.

Like Beancount's errors: nothing raises for bad data; every stage returns
the diagnostics it found and the CLI prints them sorted by place.
"""
from __future__ import annotations

import posixpath

from typing import Literal

from generator.core.inert import visible
from generator.speed.records import Record

Severity = Literal["error", "warning"]

SEVERITY_WORD = {"error": "错误", "warning": "警告"}


class Pos(Record, order=True):
    """A place in a data file: path relative to the community root, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return f"{self.path}:1:1"


class RecordPos(Pos):
    """Where a record's mapping starts, and where the value of each key written in it starts.

    Checks made after reading (across files, in ``validate``) point at the
    value they are about, e.g. a unit's ``type:``, and tell a key that was
    written (perhaps with a bad value, already reported) from one left out.
    """

    values: tuple[tuple[str, int, int], ...] = ()  # (key, line, col), in the order written

    def has(self, key: str) -> bool:
        return any(name == key for name, _, _ in self.values)

    def of(self, key: str) -> Pos:
        """The position of ``key``'s value, or of the record when the key is not written."""
        for name, line, col in self.values:
            if name == key:
                return Pos(self.path, line, col)
        return Pos(self.path, self.line, self.col)


class Diagnostic(Record):
    pos: Pos
    severity: Severity
    message: str
    hint: str = ""

    def render(self) -> str:
        text = f"{self.pos}: {SEVERITY_WORD[self.severity]}: {self.message}"
        if self.hint:
            text += f"（{self.hint}）"
        return visible(text)  # messages quote the data: no control character reaches the terminal

    def github_annotation(self, folder: str = "") -> str:
        """A GitHub Actions workflow command, so the message shows on the line in the pull request.

        ``folder``: the community folder relative to the repository (``communities/<name>``), which
        the file is named relative to (``../_shared/policy.yaml`` becomes ``communities/_shared/policy.yaml``).
        """
        level = "error" if self.severity == "error" else "warning"
        text = self.message + (f"（{self.hint}）" if self.hint else "")
        path = posixpath.normpath(posixpath.join(folder, self.pos.path)) if folder not in ("", ".") else self.pos.path
        props = f"file={_escape_property(path)},line={self.pos.line or 1},col={self.pos.col or 1},title={_escape_property('催缴台账数据' + SEVERITY_WORD[self.severity])}"
        return visible(f"::{level} {props}::{_escape_data(text)}")

    @property
    def sort_key(self) -> tuple:
        return (self.pos.path, self.pos.line, self.pos.col, self.severity != "error", self.message)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def error(pos: Pos, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, "error", message, hint)


def warning(pos: Pos, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, "warning", message, hint)


def sorted_diagnostics(diagnostics) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: d.sort_key)


SHOWN_PER_SEVERITY = 200


def first_of_each(problems: list[Diagnostic], limit: int = SHOWN_PER_SEVERITY) -> tuple[list[Diagnostic], int]:
    """The problems to print, in order: the first ``limit`` errors and the first ``limit`` warnings; and how many are left out.

    A file with a million bad lines would otherwise print a million lines; the
    first ones show what to fix, and fixing them is what shows the rest.
    """
    counts = {"error": 0, "warning": 0}
    shown = []
    for problem in problems:
        counts[problem.severity] = counts.get(problem.severity, 0) + 1
        if counts[problem.severity] <= limit:
            shown.append(problem)
    return shown, len(problems) - len(shown)


def left_out_text(count: int, limit: int = SHOWN_PER_SEVERITY) -> str:
    return f"……另有 {count} 处问题没有列出（每类只列出前 {limit} 处）；先改正上面这些，再运行 cuijiao check 查看其余的。"
