"""Everything click would print in English, in Chinese: help pages, metavars, usage errors.

``ChineseHelpFormatter`` also measures Chinese characters as two columns
when it wraps; ``localise`` makes any command's help and errors Chinese;
``CuijiaoCommand`` turns the project's own errors (``core.errors``) into
click's, once for every command; ``usage_message`` translates click's usage
errors. The English original is shown only for an error nobody foresaw.
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

import click

from generator.core.errors import CuijiaoError, file_system_message
from generator.core.inert import visible


class CuijiaoCommand(click.Command):
    """A command whose ``CuijiaoError`` becomes a Chinese usage error (exit 2) or failure (exit 1)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CuijiaoError as exc:
            message = visible(str(exc))  # it may quote what was typed or read: no control character reaches the terminal
            if exc.usage:
                raise click.UsageError(message, ctx) from None
            raise click.ClickException(message) from None
        except OSError as exc:  # read-only, full, missing, too long: a Chinese message, never a traceback
            raise click.ClickException(visible(file_system_message(exc))) from None


HELP_OPTION_TEXT = "显示本帮助并退出。"
# the section names click passes to the formatter
_SECTIONS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}
_NO_BREAK_BEFORE = frozenset("，。、；：？！）》」』】”’,.;:?!)]}%…")
_NO_BREAK_AFTER = frozenset("（《「『【“‘([{")


def cell_width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two (rich's measure, as the report table uses)."""
    from rich.cells import cell_len

    return cell_len(text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _units(text: str) -> list[str]:
    """``text`` cut where a line may break: at spaces (kept as " "), and between Chinese characters,
    but never before closing punctuation or after opening punctuation."""
    tokens = re.findall(r"\s+|[^\s]", text)
    units: list[str] = []
    glue = False  # the next character must stay with the previous unit
    for token in tokens:
        if token.isspace():
            units.append(" ")
            glue = False
            continue
        previous = units[-1] if units else ""
        joinable = previous not in ("", " ") and (
            glue or token in _NO_BREAK_BEFORE or not (_wide(token) or _wide(previous[-1]))
        )
        if joinable:
            units[-1] += token
        else:
            units.append(token)
        glue = token in _NO_BREAK_AFTER
    return units


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns (a single unit wider than that gets a line of its own)."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for unit in _units(" ".join(text.split())):
        if unit == " ":
            space = True
            continue
        gap = 1 if space and line else 0
        size = cell_width(unit)
        if line and used + gap + size > width:
            lines.append(line)
            line, used = unit, size
        else:
            line += " " * gap + unit
            used += gap + size
        space = False
    if line:
        lines.append(line)
    return lines


def _chinese_extra(help_text: str) -> str:
    """click's ``[default: build]`` / ``[required]`` after an option's help, in Chinese."""
    found = re.search(r"\s*\[([^\[\]]+)\]$", help_text)
    if not found:
        return help_text
    words = []
    for part in found.group(1).split("; "):
        if part == "required":
            words.append("必填")
        elif part.startswith("default: "):
            words.append("默认 " + part.removeprefix("default: "))
        else:
            return help_text
    return help_text[: found.start()] + "（" + "，".join(words) + "）"


def _join_lines(lines: list[str]) -> str:
    """A paragraph's lines as one: a space between English words, none between Chinese characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and line and not (_wide(text[-1]) or _wide(line[0])):
            text += " "
        text += line
    return text


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help layout with Chinese headings, wrapped by display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "用法：" if prefix is None else prefix
        head = f"{' ' * self.current_indent}{prefix}{prog}"
        indent = cell_width(head) + 1
        lines = wrap(args, max(self.width - indent, 20)) if args else []
        self.write(head + (" " + lines[0] if lines else "") + "\n")
        for line in lines[1:]:
            self.write(" " * indent + line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{' ' * self.current_indent}{_SECTIONS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs rewrapped; a paragraph opened by a ``\\b`` line is kept as written."""
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 20)
        out: list[str] = []
        for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":
                out.append("\n".join(indent + line for line in lines[1:]))
            else:
                out.append("\n".join(indent + line for line in wrap(_join_lines(lines), width)))
        self.write("\n\n".join(out) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _chinese_extra(second or "")) for first, second in rows]
        if not rows:
            return
        first_col = min(max(cell_width(first) for first, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent - first_col, 20)
        for first, second in rows:
            lines = [line for part in second.splitlines() for line in wrap(part, width)]
            if not lines:
                self.write(indent + first + "\n")
                continue
            if cell_width(first) <= first_col - col_spacing:
                self.write(indent + first + " " * (first_col - cell_width(first)) + lines[0] + "\n")
                lines = lines[1:]
            else:
                self.write(indent + first + "\n")
            for line in lines:
                self.write(indent + " " * first_col + line + "\n")


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class ChineseChoice(click.Choice):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"“{value}”不在可选范围内，可选：{'、'.join(map(str, self.choices))}", param, ctx)


class ChinesePath(click.Path):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(self._why(os.fsdecode(value)), param, ctx)

    def _why(self, name: str) -> str:
        path = Path(name)
        if not path.exists():
            return f"找不到“{name}”"
        if path.is_dir() and not self.dir_okay:
            return f"“{name}”是文件夹，这里要写文件"
        if not path.is_dir() and not self.file_okay:
            return f"“{name}”是文件，这里要写文件夹"
        if self.readable and not os.access(path, os.R_OK):
            return f"没有读取“{name}”的权限"
        if self.writable and not os.access(path, os.W_OK):
            return f"没有写入“{name}”的权限"
        return f"“{name}”不能用在这里"


def _chinese_path(old: click.Path) -> ChinesePath:
    return ChinesePath(exists=old.exists, file_okay=old.file_okay, dir_okay=old.dir_okay, writable=old.writable,
                       readable=old.readable, resolve_path=old.resolve_path, allow_dash=old.allow_dash,
                       path_type=old.type, executable=getattr(old, "executable", False))


def _metavar(param: click.Parameter) -> str | None:
    """A Chinese metavar in place of click's TEXT / DIRECTORY / FILE / PATH."""
    kind = param.type
    if isinstance(kind, click.Path):
        return "文件夹" if not kind.file_okay else "文件" if not kind.dir_okay else "路径"
    if kind is click.STRING:
        return "文字"
    return None


def localise(command: click.Command) -> click.Command:
    """Make a command's help and errors Chinese (commands are defined in several modules)."""
    command.context_class = ChineseContext
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = "[选项]"
    for param in command.params:
        if type(param.type) is click.Choice:
            param.type = ChineseChoice(param.type.choices, case_sensitive=param.type.case_sensitive)
        elif type(param.type) is click.Path:
            param.type = _chinese_path(param.type)
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag and not isinstance(param.type, click.Choice):
            param.metavar = _metavar(param)
    if command.add_help_option:
        command.add_help_option = False
        click.help_option("-h", "--help", help=HELP_OPTION_TEXT)(command)
    return command


class CuijiaoGroup(click.Group):
    """The ``cuijiao`` group: Chinese help, Chinese usage errors even when called as ``main.main()``."""

    context_class = ChineseContext
    command_class = CuijiaoCommand

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def _command_path(self, prog_name: str, args) -> str:
        """``cuijiao pay`` for an error click raised without a context (a missing option value)."""
        words = list(sys.argv[1:] if args is None else args)
        name = next((word for word in words if word in self.commands), None)
        return f"{prog_name} {name}" if name else prog_name

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True, **extra):
        prog_name = prog_name or "cuijiao"  # also under "python -m generator": the name the guide uses
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("已取消。", err=True)
            code = 1
        except click.UsageError as exc:
            click.echo(f"用法错误：{usage_message(exc)}", err=True)
            path = exc.ctx.command_path if exc.ctx is not None else self._command_path(prog_name, args)
            click.echo(f"运行 {path} --help 查看用法。", err=True)
            code = 2
        except click.exceptions.Exit as exc:  # click < 8.2 raises it past standalone_mode=False
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(exc.format_message(), err=True)
            code = exc.exit_code
        else:
            if not standalone_mode:
                return result
            code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        if standalone_mode:
            sys.exit(code)
        return code


# -- usage errors in Chinese ------------------------------------------------------------------

def _param_name(exc: click.BadParameter) -> tuple[str, str]:
    """("选项" or "参数", how the command line writes it)."""
    param = exc.param
    if isinstance(param, click.Argument) or getattr(exc, "param_type", None) == "argument":
        return "参数", param.human_readable_name if param is not None else ""
    hint = exc.param_hint
    if hint is None and param is not None:
        hint = param.opts
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return "选项", (hint or "").replace("'", "")


def _did_you_mean(possibilities) -> str:
    return f"（是不是 {'、'.join(possibilities)}？）" if possibilities else ""


def usage_message(exc: click.UsageError) -> str:
    """click's usage errors, in Chinese; the English original only for an unforeseen one."""
    message = exc.format_message()
    if isinstance(exc, click.NoSuchOption):
        return f"没有这个选项：{exc.option_name}{_did_you_mean(exc.possibilities)}"
    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)  # click 8.4+
    if no_such_command is not None and isinstance(exc, no_such_command):
        return f"没有这个命令：{exc.command_name}{_did_you_mean(exc.possibilities)}"
    if isinstance(exc, click.MissingParameter):  # a BadParameter too: test it first
        kind, name = _param_name(exc)
        return f"缺少{kind} {name}".rstrip()
    if isinstance(exc, click.BadParameter):
        kind, name = _param_name(exc)
        return f"{kind} {name} 的值不对：{exc.message}"
    if isinstance(exc, click.BadOptionUsage):
        name = exc.option_name
        if "requires" in exc.message:
            many = re.search(r"requires (\d+) arguments", exc.message)
            return f"选项 {name} 后面要写{f' {many.group(1)} 个' if many else '一个'}值"
        if "does not take a value" in exc.message:
            return f"选项 {name} 不带值，直接写 {name} 即可"
        return f"选项 {name} 的写法不对（{message}）"
    found = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", message)
    if found:
        return f"多余的参数：{found.group(1)}（值里有空格时请加引号）"
    found = re.fullmatch(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", message)  # click < 8.4
    if found:
        return f"没有这个命令：{found.group(1)}{_did_you_mean([found.group(2)] if found.group(2) else [])}"
    if message.startswith("Missing command"):
        return "缺少命令"
    if re.search(r"[\u4e00-\u9fff]", message):  # raised by our own code, already Chinese
        return message
    return f"命令写法不对（{message}）"
