"""The ``cuijiao`` command: Chinese messages for people, exit codes for scripts.

Exit codes: 0 success, 1 the data has errors, 2 the command was used wrongly.

Everything click would print in English is Chinese here: the help pages
(``ChineseHelpFormatter``, which also measures Chinese characters as two
columns when it wraps), the help option, metavars, choice and path errors
(``ChineseChoice``, ``ChinesePath``) and the usage errors
(``usage_message``). ``--root``, ``--as-of`` and ``--no-cache`` may be
written before the command or after it.
"""
from __future__ import annotations

import atexit
import os
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

import click
from click.core import ParameterSource

from generator import pipeline
from generator.reading.schema import FIRST_DATE, LAST_DATE
from generator.views.report import ledger_json


class Context:
    def __init__(self, root: Path, as_of: date, today: date, use_cache: bool) -> None:
        self.root = root
        self.work_dir = root / ".cuijiao-cache"
        self.as_of = as_of
        self.today = today
        self.use_cache = use_cache

    def checked(self) -> pipeline.Checked:
        return pipeline.check(self.root, self.as_of, self.today, self.use_cache)

    def checked_or_exit(self) -> pipeline.Checked:
        """The checked data, or print the errors and exit 1: numbers from bad data are never shown."""
        checked = self.checked()
        if checked.errors:
            for problem in checked.errors:
                click.echo(problem.render(), err=True)
            click.echo(f"数据有 {len(checked.errors)} 处错误，请先改正（运行 cuijiao check 查看全部问题）。", err=True)
            sys.exit(1)
        return checked

    def desk_or_exit(self):
        return pipeline.desk_for(self.checked_or_exit(), self.as_of)


def _parse_date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2026-11-22") from None
    if not FIRST_DATE <= day <= LAST_DATE:  # the dates the data may hold: the rules' date arithmetic stays in range
        raise click.BadParameter(f"“{value}”超出支持的范围，只能按 {FIRST_DATE} 到 {LAST_DATE} 之间的日期计算")
    return day


# -- help pages in Chinese ----------------------------------------------------------------

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


# -- --root, --as-of and --no-cache, before or after the command ---------------------------------

_ROOT_HELP = "小区文件夹（含 ledger/ 和 owners/），默认当前文件夹"
_AS_OF_HELP = "按哪一天计算，默认今天"
_NO_CACHE_HELP = "不使用读取缓存（.cuijiao-cache/）"


def _root_dir(value: Path) -> Path:
    if not value.is_dir():
        raise click.BadParameter(f"找不到文件夹“{value}”", param_hint="--root")
    return value


def _global_after(ctx: click.Context, param: click.Parameter, value):
    """A global option written after the command: the same as before it; both places must agree."""
    if value is None or value is False or ctx.resilient_parsing:
        return
    obj = ctx.find_object(Context)
    group = ctx.parent
    if obj is None or group is None:
        return
    name = param.name
    option = "--" + name.replace("_", "-")
    if name == "as_of":
        value = _parse_date(ctx, param, value)
    if group.get_parameter_source(name) is ParameterSource.COMMANDLINE and group.params.get(name) != value:
        raise click.UsageError(f"{option} 在命令前后各写了一次，而且不一样；只写一处即可", ctx)
    if name == "root":
        obj.root = _root_dir(value)
        obj.work_dir = obj.root / ".cuijiao-cache"
    elif name == "as_of":
        obj.as_of = value
    elif name == "no_cache":
        obj.use_cache = False


def _global_options() -> list[click.Option]:
    after = "（写在命令前后都可以）"
    return [
        click.Option(["--root"], type=click.Path(file_okay=False, path_type=Path), metavar="文件夹",
                     expose_value=False, callback=_global_after, help=_ROOT_HELP + after),
        click.Option(["--as-of", "as_of"], metavar="YYYY-MM-DD", expose_value=False, callback=_global_after,
                     help=_AS_OF_HELP + after),
        click.Option(["--no-cache"], is_flag=True, expose_value=False, callback=_global_after,
                     help=_NO_CACHE_HELP + after),
    ]


@click.group("cuijiao", cls=CuijiaoGroup, invoke_without_command=True, subcommand_metavar="命令 [参数]...",
             epilog="--root、--as-of、--no-cache 写在命令前后都可以，例如 cuijiao --as-of 2026-06-30 report 或 "
                    "cuijiao report --as-of 2026-06-30。每个命令的选项见 cuijiao 命令 --help，例如 cuijiao pay --help。")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", metavar="文件夹", help=_ROOT_HELP)
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD", help=_AS_OF_HELP)
@click.option("--no-cache", is_flag=True, help=_NO_CACHE_HELP)
@click.pass_context
def main(ctx: click.Context, root: Path, as_of: date | None, no_cache: bool) -> None:
    """物业费催缴台账：校验数据、计算欠费、生成网站和催缴函件。"""
    if ctx.invoked_subcommand is None:  # "cuijiao" alone: the help, as a usage error
        click.echo(ctx.get_help(), err=True)
        ctx.exit(2)
    today = date.today()
    if not root.is_dir():
        raise click.BadParameter(f"找不到文件夹“{root}”", param_hint="--root")
    ctx.obj = Context(root, as_of or today, today, not no_cache)


@main.command()
@click.option("--strict", is_flag=True, help="有警告也算失败")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              help="text：逐行列出（默认）；github：输出 GitHub Actions 注释，错误会标在拉取请求的对应行上")
@click.pass_obj
def check(obj: Context, strict: bool, fmt: str) -> None:
    """校验全部数据，列出每一处问题。"""
    checked = obj.checked()
    for problem in checked.problems:
        click.echo(problem.render() if fmt == "text" else problem.github_annotation())
    errors, warnings = len(checked.errors), len(checked.warnings)
    if errors or (strict and warnings):
        click.echo(f"发现 {errors} 处错误、{warnings} 条警告。", err=True)
        sys.exit(1)
    ledger = checked.ledger
    assert ledger is not None
    contacts = sum(len(u.contacts) for u in ledger.units)
    click.echo(
        f"检查通过：{len(ledger.units)} 户，{len(ledger.payments)} 笔缴费，{len(ledger.charges)} 笔一次性收费，"
        f"{len(ledger.waivers)} 笔减免，{len(ledger.plans)} 份分期协议，{contacts} 条催收记录"
        + (f"；{warnings} 条警告" if warnings else "") + "。"
    )


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text：终端表格（默认）；json：规范中的 JSON")
@click.pass_obj
def report(obj: Context, fmt: str) -> None:
    """欠费报表：终端表格，或 --format json 输出规范中的 JSON。"""
    ledger = obj.checked_or_exit().ledger
    if fmt == "json":
        sys.stdout.write(ledger_json(ledger, obj.as_of))
        return
    from generator.views.terminal import print_ledger

    print_ledger(ledger, obj.as_of)


def _site_into(obj: Context, desk, site_dir: Path, letters=(), letters_dir: Path | None = None, search: bool = True) -> int:
    from generator.render.fonts import NoCJKFont
    from generator.site.build import SiteBuildError, SiteInputs, build_site

    try:
        return build_site(desk, SiteInputs(obj.root, obj.work_dir / "site", tuple(letters), letters_dir, search), site_dir)
    except (SiteBuildError, NoCJKFont) as exc:
        raise click.ClickException(str(exc)) from None


def _refuse_unsafe_out(obj: Context, out: Path) -> None:
    """Before any work: an --out that is the community folder or holds its ledger/ or owners/ is a usage error."""
    from generator.render.outputs import OutputError, check_out_dir

    try:
        check_out_dir(out, obj.root)
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None


def _publish(obj: Context, out: Path, names: tuple[str, ...], produce):
    """Only OUT/site and OUT/letters are ever replaced; an --out that would endanger the data is refused."""
    from generator.render.outputs import OutputError, publish_outputs

    try:
        return publish_outputs(out, names, produce, root=obj.root)
    except OutputError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True, help="输出文件夹")
@click.option("--no-search", is_flag=True, help="不生成搜索索引（要加密发布的网站用：索引无法加密）")
@click.pass_obj
def site(obj: Context, out: Path, no_search: bool) -> None:
    """只生成网站（OUT/site/）；OUT/letters/ 里已有的函件照样链接。"""
    from generator.site.build import existing_letters

    _refuse_unsafe_out(obj, out)
    desk = obj.desk_or_exit()
    links = existing_letters(out / "letters")
    result = _publish(obj, out, ("site",), lambda tmps: _site_into(obj, desk, tmps["site"], links, out / "letters", not no_search))
    click.echo(f"网站已生成：{result.path / 'site'}/index.html（更新 {result.written} 个文件，{result.kept} 个未变）")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True, help="输出文件夹")
@click.option("--no-search", is_flag=True, help="不生成搜索索引（要加密发布的网站用：索引无法加密）")
@click.pass_obj
def build(obj: Context, out: Path, no_search: bool) -> None:
    """生成网站和全部函件（OUT/site/ 与 OUT/letters/）；数据有错误时不生成。"""
    _refuse_unsafe_out(obj, out)
    desk = obj.desk_or_exit()

    def produce(tmps: dict[str, Path]) -> None:
        links = _letters_into(obj, desk, tmps["letters"])
        _site_into(obj, desk, tmps["site"], links, tmps["letters"], not no_search)

    result = _publish(obj, out, ("site", "letters"), produce)
    click.echo(f"已生成：网站 {result.path / 'site'}/index.html，函件 {result.path / 'letters'}/（更新 {result.written} 个文件，{result.kept} 个未变）")


def _letters_into(obj: Context, desk, folder: Path) -> list:
    """Render the day's letters into ``folder``; returns the links the unit pages show."""
    from generator.render.fonts import NoCJKFont
    from generator.printing.print_run import LetterError, letter_folder, render_letters
    from generator.site.build import LetterLink
    from generator.render.outputs import sync_tree

    try:
        run = render_letters(desk, obj.root, obj.work_dir)
    except (LetterError, NoCJKFont) as exc:
        raise click.ClickException(str(exc)) from None
    sync_tree(folder, letter_folder(desk, run))
    return [LetterLink(f.letter.unit, f.letter.title, f.letter.file) for f in run.files if f.letter.unit]


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="build", show_default=True, help="输出文件夹")
@click.pass_obj
def letters(obj: Context, out: Path) -> None:
    """只生成函件（OUT/letters/）：通知书、律师函草稿、对账单、分期协议、公示、证据目录，合并打印文件和 manifest.json。"""
    _refuse_unsafe_out(obj, out)
    desk = obj.desk_or_exit()
    result = _publish(obj, out, ("letters",), lambda tmps: _letters_into(obj, desk, tmps["letters"]))
    click.echo(f"函件已生成：{result.path / 'letters'}/（更新 {result.written} 个文件，{result.kept} 个未变；清单见 manifest.json）")


# The Git workflow's commands (issue 6) live beside their logic; registered here.
from generator.reading import editor_schemas as _jsonschema
from generator.workflow import diff as _diff  # noqa: E402
from generator.workflow import edit as _edit
from generator.workflow import importer as _importer

main.add_command(_diff.command)
for _command in _edit.COMMANDS:
    main.add_command(_command)
main.add_command(_importer.command)
main.add_command(_jsonschema.command)

localise(main)
for _command in main.commands.values():
    _command.params.extend(_global_options())
    localise(_command)


def console() -> None:
    """The installed command: ``run``, then leave without freeing the computed desk object by object.

    A large community's desk is millions of small objects; freeing them one
    by one at interpreter exit takes longer than the output did (0.4 s at
    5,000 units). The output is flushed and the exit handlers (the cache
    writer's wait) run first, as at a normal exit.
    """
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # ``cuijiao report | head``: the reader left early
        pass
    atexit._run_exitfuncs()
    os._exit(code)


def run() -> None:
    """Entry point: usage errors in Chinese with exit 2 (see ``CuijiaoGroup.main``)."""
    main.main()
